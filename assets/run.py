"""`budgetdw ingest --dagster`: the CLI runs the very asset graph the scheduler runs, in-process,
with the instance at DAGSTER_HOME (or an ephemeral one), so a CLI run shows in the Dagster UI: one run
for all the new documents (assets/batch.py), which reads and loads them with the function the CLI's own
path calls (pipelines.run.process_and_load)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import dagster as dg

from assets.batch import loaded_listener
from assets.partitions import batch_size, document_key, documents, range_tags
from assets.resources import BudgetdwSettings
from pipelines.model import FAILED, ProcessedDocument
from pipelines.run import Runner, Settings
from pipelines.store import SourceDocument

log = logging.getLogger(__name__)

# The CLI prints one line per document; Dagster's step-by-step log stays in the instance (and UI).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def contiguous(keys: list[str], order: list[str], most: int) -> list[list[str]]:
    """`keys` as runs of at most `most` partitions next to each other in `order` (the instance's order of its
    dynamic partitions): a run covers a range, and a range holds every partition between its ends."""
    position = {k: i for i, k in enumerate(order)}
    runs: list[list[str]] = []
    for key in sorted(set(keys), key=position.__getitem__):
        if runs and position[key] == position[runs[-1][-1]] + 1 and len(runs[-1]) < most:
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


def dagster_runner(dagster_instance: dg.DagsterInstance | None = None) -> Runner:
    """A runner for pipelines.run.ingest: the ingest job in-process over all the documents to do, in runs of
    up to batch_size() documents, as the sensor's and a backfill's (several more where documents registered
    earlier sit apart among the instance's partitions). Not one run for all: an in-process run keeps every
    event of its run in memory (≈25 a document before the views were taken out of the batch), which grew the main
    process from 247 MB at 18 documents to 427 MB at 360 in one run."""

    def run(todo: list[SourceDocument], settings: Settings, on_loaded: Callable[[ProcessedDocument], None]) -> None:
        from assets.definitions import defs

        inst = dagster_instance or instance()
        sources = {document_key(s.sha256): s for s in todo}
        known = set(inst.get_dynamic_partitions(documents.name))
        inst.add_dynamic_partitions(documents.name, [k for k in sources if k not in known])
        job = defs.resolve_job_def("ingest_document")
        resources = {"settings": BudgetdwSettings.from_ingest_settings(settings)}
        heard: set[str] = set()

        def loaded(doc: ProcessedDocument) -> None:
            heard.add(document_key(doc.source.sha256))
            on_loaded(doc)

        token = loaded_listener.set(loaded)
        loaded_any = False
        try:
            for keys in contiguous(list(sources), inst.get_dynamic_partitions(documents.name), batch_size()):
                target = {"partition_key": keys[0], "tags": {"budgetdw/source": sources[keys[0]].source_uri}} \
                    if len(keys) == 1 else {"tags": range_tags(keys[0], keys[-1])}
                result = job.execute_in_process(instance=inst, resources=resources, raise_on_error=False,
                                                run_config=QUIET, **target)
                # The result holds every event of its run, metadata and all; the instance has them. Not kept
                # through the next batch's run (tests/integration/test_run_memory.py).
                run_id, loaded_any = result.run_id, loaded_any or result.success
                del result
                for key in keys:
                    if key not in heard:  # the run failed before the document was read: say so, keep going
                        source = sources[key]
                        on_loaded(ProcessedDocument(
                            source, FAILED, error=f"{source.name}: Dagster run {run_id} failed; see the run "
                                                  "in the Dagster UI", failure_kind="internal"))
        finally:
            loaded_listener.reset(token)
        if loaded_any:  # the BI view assets, once after the batches, as the views_after_loads sensor does
            views = defs.resolve_job_def("refresh_views").execute_in_process(
                instance=inst, resources=resources, raise_on_error=False, run_config=QUIET)
            if not views.success:
                log.warning("the BI view assets were not materialised: Dagster run %s failed; see the run in "
                            "the Dagster UI (the documents are loaded)", views.run_id)

    return run
