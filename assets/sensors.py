"""A sensor that turns every new original into a document partition and requests its run."""

from pathlib import Path

import dagster as dg

from assets.jobs import ingest_job
from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from pipelines.acquire.crawl import acquire_sources


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
    names = {document_key(r.document.sha256): Path(r.document.source_uri).name[:200] for r in folder
             if r.ok and r.document}  # a hint for the person reading the run list, never evidence
    shas += sorted(p.stem for p in settings.raw_dir.glob("*/*.pdf") if "." not in p.stem)
    new_keys = []
    for sha in shas:
        key = document_key(sha)
        if key not in known and key not in new_keys:
            new_keys.append(key)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=k, run_key=k, tags={"budgetdw/file": names.get(k, "")})
                      for k in new_keys]
        + retries_of_failed_runs(context.instance),
        dynamic_partitions_requests=[documents.build_add_request(new_keys)] if new_keys else [],
    )


MAX_ATTEMPTS = 3  # runs of one document partition, the first included, before it is left for a person


def retries_of_failed_runs(instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    """A document whose latest run failed (a worker killed, the warehouse unreachable) is requested
    again on a later tick, up to MAX_ATTEMPTS runs; no --force and no backfill needed. Each retry has
    a run key of its own (the partition key alone would be deduplicated forever)."""
    failed = instance.get_runs(dg.RunsFilter(job_name=ingest_job.name, statuses=[dg.DagsterRunStatus.FAILURE]),
                               limit=500)
    requests = []
    for key in sorted({run.tags.get("dagster/partition") for run in failed} - {None}):
        runs = instance.get_runs(dg.RunsFilter(job_name=ingest_job.name, tags={"dagster/partition": key}))
        latest = runs[0]  # newest first
        if latest.status == dg.DagsterRunStatus.FAILURE and len(runs) < MAX_ATTEMPTS:
            requests.append(dg.RunRequest(partition_key=key, run_key=f"{key}:attempt{len(runs) + 1}",
                                          tags={"budgetdw/retry_of": latest.run_id}))
    return requests

