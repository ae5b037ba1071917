"""A sensor that turns every new original into a document partition and requests its run."""

from pathlib import Path

import dagster as dg

from assets.jobs import ingest_job
from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from pipelines.acquire.fetch import acquire_sources


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
