"""A sensor that turns every new original into a document partition and requests its runs, in batches;
and one that refreshes the BI view assets after each successful batch."""

from pathlib import Path

import dagster as dg

from assets.assets import warehouse_document
from assets.jobs import ingest_job, views_job
from assets.partitions import RANGE_END, RANGE_START, batch_size, document_key, documents, range_tags
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
        run_requests=batch_requests(new_keys, names) + retries_of_failed_runs(context.instance),
        dynamic_partitions_requests=[documents.build_add_request(new_keys)] if new_keys else [],
    )


def batch_requests(new_keys: list[str], names: dict[str, str]) -> list[dg.RunRequest]:
    """One run per batch of up to batch_size() new documents: a contiguous range of the partitions this tick
    adds, in the order it adds them (assets/batch.py). A batch of one is a run of that partition."""
    size = batch_size()
    requests = []
    for i in range(0, len(new_keys), size):
        batch = new_keys[i:i + size]
        if len(batch) == 1:
            requests.append(dg.RunRequest(partition_key=batch[0], run_key=batch[0],
                                          tags={"budgetdw/file": names.get(batch[0], "")}))
        else:
            requests.append(dg.RunRequest(run_key=f"{batch[0]}..{batch[-1]}", tags={
                **range_tags(batch[0], batch[-1]), "budgetdw/documents": str(len(batch))}))
    return requests


MAX_ATTEMPTS = 3  # runs of one document partition, the first included, before it is left for a person


def retries_of_failed_runs(instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    """A document whose latest run failed for it (a worker killed, the time limit, the warehouse
    unreachable: assets/batch.py) is requested again on a later tick, alone, up to MAX_ATTEMPTS runs in all;
    no --force and no backfill needed. Per document, not per batch: the batch's other documents were
    recorded. Each retry has a run key of its own (the partition key alone would be deduplicated forever)."""
    failed_runs = instance.get_runs(dg.RunsFilter(job_name=ingest_job.name, statuses=[dg.DagsterRunStatus.FAILURE]),
                                    limit=500)
    # document → the failed runs that did not record it, newest first
    failures: dict[str, list[dg.DagsterRun]] = {}
    for run in failed_runs:
        for key in failed_partitions(instance, run):
            failures.setdefault(key, []).append(run)
    requests = []
    for key in sorted(failures):
        alone = instance.get_runs(dg.RunsFilter(job_name=ingest_job.name, tags={"dagster/partition": key}))
        in_batches = [r for r in failures[key] if r.tags.get("dagster/partition") != key]
        latest = alone[0] if alone else None  # newest first
        if latest is not None and latest.status != dg.DagsterRunStatus.FAILURE:
            continue  # read and recorded since
        attempts = len(alone) + len(in_batches)
        if attempts < MAX_ATTEMPTS:
            requests.append(dg.RunRequest(partition_key=key, run_key=f"{key}:attempt{attempts + 1}",
                                          tags={"budgetdw/retry_of": (latest or failures[key][0]).run_id}))
    return requests


def failed_partitions(instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[str]:
    """The document partitions a failed run covered but did not record (no warehouse_document
    materialisation of its own): the documents that failed in it, not the batch's others."""
    if run.tags.get("dagster/partition"):
        covered = [run.tags["dagster/partition"]]
    elif run.tags.get(RANGE_START):
        keys = documents.get_partition_keys(dynamic_partitions_store=instance)
        start, end = run.tags[RANGE_START], run.tags[RANGE_END]
        covered = keys[keys.index(start):keys.index(end) + 1] if start in keys and end in keys else []
    else:
        return []
    recorded = {e.dagster_event.partition for e in instance.all_logs(
        run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        if e.dagster_event.asset_key == warehouse_document.key}
    return [key for key in covered if key not in recorded]


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[ingest_job], request_job=views_job,
                      minimum_interval_seconds=5, default_status=dg.DefaultSensorStatus.RUNNING)
def views_after_loads(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    """The BI views materialised (row counts, column schemas: assets/views.py) after a batch loaded its
    documents. A failed batch is followed by the run that reads its failed document again, and that run's
    success refreshes them."""
    return dg.RunRequest(run_key=f"views-after:{context.dagster_run.run_id}",
                         tags={"budgetdw/after_run": context.dagster_run.run_id})
