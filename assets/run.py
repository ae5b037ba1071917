"""`budgetdw ingest --dagster`: the CLI runs the very asset graph the scheduler runs, in-process,
with the instance at DAGSTER_HOME (or an ephemeral one), so a CLI run shows in the Dagster UI."""

from __future__ import annotations

import os
from collections.abc import Callable

import dagster as dg

from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from pipelines.model import FAILED, ProcessedDocument
from pipelines.run import Runner, Settings
from pipelines.store import SourceDocument

# The CLI prints one line per document; Dagster's step-by-step log stays in the instance (and UI).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def dagster_runner(dagster_instance: dg.DagsterInstance | None = None) -> Runner:
    """A runner for pipelines.run.ingest: one in-process run of the ingest job per document."""

    def run(todo: list[SourceDocument], settings: Settings, on_loaded: Callable[[ProcessedDocument], None]) -> None:
        from assets.definitions import defs

        inst = dagster_instance or instance()
        keys = {document_key(s.sha256): s for s in todo}
        known = set(inst.get_dynamic_partitions(documents.name))
        inst.add_dynamic_partitions(documents.name, [k for k in keys if k not in known])
        resources = {"settings": BudgetdwSettings.from_ingest_settings(settings)}
        graph = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition) and a.partitions_def == documents]
        for key, source in keys.items():
            result = dg.materialize([*graph, *defs.asset_checks], partition_key=key, instance=inst,
                                    resources=resources, raise_on_error=False, run_config=QUIET,
                                    tags={"budgetdw/source": source.source_uri})
            try:
                doc = result.output_for_node("processed_document")
            except Exception:  # the run failed before the document was read: say so, keep going
                doc = ProcessedDocument(source, FAILED, error=f"{source.name}: Dagster run {result.run_id} failed; "
                                        "see the run in the Dagster UI", failure_kind="internal")
            on_loaded(doc)

    return run
