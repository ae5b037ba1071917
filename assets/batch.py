"""One Dagster run for many document partitions: the batch (issue 26).

A run of `ingest_document` covers a range of document partitions (`context.partition_keys`): the sensor
requests one run per batch of the documents it has just registered (assets/sensors.py), a backfill runs
`BackfillPolicy.multi_run(batch_size())` partitions per run, `budgetdw ingest --dagster` one run for all
its new documents (assets/run.py). Inside, the documents are read by the CLI's worker pool and loaded by
one writer as each finishes: `pipelines.run.process_and_load`, the function `budgetdw ingest` calls, with
the warehouse opened (and its schema and views brought up to date) once per run.

What each partition keeps of its own:
- every per-document asset (raw_pdf … warehouse_document) is materialised for it, with its unit, year,
  kind and status as metadata and tags, as it is loaded (the BI views, one object each, are materialised
  once per run after the batch: assets/views.py);
- one check result per rule family, naming its partition (assets/checks.py);
- a document that could not be read for good (not a PDF, no text layer, not a budget …) is recorded: its
  materialisations carry `status: failed` and the one-line error, as the CLI's line and `v_document` do;
- a document that failed in a way trying again may help (time limit, a crashed worker, the memory limit,
  the warehouse's own fault: pipelines.load.writer.RETRY_MAY_HELP), or whose original is not in the raw
  store, is not materialised: once the batch's other documents are recorded the run fails naming it, the
  UI shows that partition (only) as failed, and the sensor requests it again alone, up to three runs.
"""

from collections.abc import Callable, Iterator
from contextvars import ContextVar

import dagster as dg

from assets.assets import DOCUMENT_SPECS, TRANSIENT_RETRY, document_materialisations, document_tags
from assets.checks import CHECK_SPECS, rule_family_evaluations
from assets.partitions import batch_size, document_key, documents
from assets.resources import BudgetdwSettings
from pipelines.load.engine import open_warehouse
from pipelines.load.writer import RETRY_MAY_HELP
from pipelines.model import FAILED, ProcessedDocument
from pipelines.run import process_and_load
from pipelines.store import SourceDocument, load_raw

# `budgetdw ingest --dagster` hears of each document as it is loaded (its line, its progress bar) while the
# run goes on in the same process and thread (assets/run.py); no listener in a run the daemon launched.
loaded_listener: ContextVar[Callable[[ProcessedDocument], None] | None] = ContextVar("loaded_listener",
                                                                                     default=None)


def retry_may_help(doc: ProcessedDocument) -> bool:
    return doc.status == FAILED and doc.failure_kind in RETRY_MAY_HELP


@dg.multi_asset(specs=DOCUMENT_SPECS, check_specs=CHECK_SPECS, partitions_def=documents,
                backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=batch_size()),
                pool="warehouse", retry_policy=TRANSIENT_RETRY, can_subset=False, name="documents_batch")
def documents_batch(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> Iterator:
    """The documents of the run's partitions, read in parallel and loaded one by one as each finishes, each
    partition materialised with its metadata and check results as it is loaded. DuckDB has one writer: the
    `warehouse` pool runs one batch at a time, its worker pool reads `settings.workers` documents at once."""
    keys = list(context.partition_keys)
    sources: list[SourceDocument] = []
    missing: dict[str, str] = {}
    for key in keys:
        try:
            sources.append(load_raw(key, settings.raw_dir))
        except FileNotFoundError as exc:
            missing[key] = f"the original is not in the raw store ({exc})"
    context.instance.add_run_tags(context.run.run_id, {"budgetdw/documents": str(len(keys))})
    # Opened once for the whole batch; a warehouse that cannot be opened (a DuckDB file held by a BI tool,
    # a server restarting) fails the step before any document is read, and TRANSIENT_RETRY tries again.
    engine = open_warehouse(settings.warehouse_url)
    listener = loaded_listener.get()
    failed: dict[str, str] = dict(missing)
    try:
        for doc in process_and_load(sources, settings.ingest_settings(), engine):
            key = document_key(doc.source.sha256)
            if listener:
                listener(doc)
            if len(keys) == 1:  # a run of one document is searchable by its unit, year, kind
                context.instance.add_run_tags(context.run.run_id, document_tags(doc))
            if retry_may_help(doc):
                failed[key] = doc.error or str(doc.failure_kind)
                context.log.warning(f"{key}: {doc.error}")
                continue
            yield from document_materialisations(doc, key, settings)
            yield from rule_family_evaluations(doc, key)
    finally:
        engine.dispose()
    # The check results went out per partition above (AssetCheckEvaluation, which names its partition); the
    # step's check outputs carry no value and are what Dagster requires of a step that checks.
    for output_name in context.assets_def.check_specs_by_output_name:
        yield dg.Output(None, output_name=output_name)
    if failed:
        lines = [f"{key}: {why}" for key, why in failed.items()]
        raise dg.Failure(
            description=f"{len(failed)} of {len(keys)} documents failed (the others are recorded); "
                        "the sensor requests each again alone:\n" + "\n".join(lines),
            metadata={"failed_partitions": dg.MetadataValue.json(failed)},
            allow_retries=False)  # the step's retry would read the whole batch again
