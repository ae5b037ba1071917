"""Acquisition on a nightly schedule, and a sensor that turns every new original into a document
partition and requests its run."""

from pathlib import Path

import dagster as dg

from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from pipelines.acquire.fetch import acquire_sources

# One run per document partition, its steps in the run's own process: they are a short chain, and
# the document is already read in a time-limited worker process of its own (pipelines/workers.py).
# A process per step (Dagster's default) imports Dagster and this code location again for each of
# the seven steps: a run took ≈20 s where it takes ≈10 s in-process. Documents run in parallel as
# concurrent runs (deploy/dagster.yaml: max_concurrent_runs).
ingest_job = dg.define_asset_job(
    "ingest_document", selection=dg.AssetSelection.groups("documents", "warehouse"),
    executor_def=dg.in_process_executor)


@dg.asset(group_name="acquire", kinds={"http"})
def acquired_sources(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> dg.MaterializeResult:
    """Every configured source (the folder, and the web sources of the sources file) fetched into
    the raw store. Downloads nothing unchanged; every fault is listed, none stops the run."""
    results = acquire_sources(settings.sources(), Path(settings.data_dir))
    stored = {r.document.sha256 for r in results if r.ok and r.document}
    problems = [r for r in results if not r.ok]
    for r in problems:
        context.log.warning(r.line())
    return dg.MaterializeResult(metadata={
        "documents": len(stored),
        "fetch_problems": dg.MetadataValue.md("\n".join(f"- `{r.outcome}` {r.url}: {r.message}" for r in problems)
                                              or "none"),
    })


nightly_acquisition = dg.ScheduleDefinition(
    name="nightly_acquisition",
    target=dg.AssetSelection.assets(acquired_sources),
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def new_documents(context: dg.SensorEvaluationContext, settings: BudgetdwSettings) -> dg.SensorResult:
    """New PDFs in the source folder, and originals the nightly acquisition stored, become
    partitions (keyed by content, so a renamed or re-downloaded file is not new)."""
    known = set(context.instance.get_dynamic_partitions(documents.name))
    folder = acquire_sources(settings.sources(web=False), Path(settings.data_dir))
    for r in folder:
        if not r.ok:  # e.g. a file still being copied in: stored once it is whole
            context.log.info(r.line())
    shas = [r.document.sha256 for r in folder if r.ok and r.document]
    shas += sorted(p.stem for p in settings.raw_dir.glob("*/*.pdf") if "." not in p.stem)
    new_keys = []
    for sha in shas:
        key = document_key(sha)
        if key not in known and key not in new_keys:
            new_keys.append(key)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=k, run_key=k) for k in new_keys],
        dynamic_partitions_requests=[documents.build_add_request(new_keys)] if new_keys else [],
    )
