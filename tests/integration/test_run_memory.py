"""A run keeps of each loaded document only what its summary and report need (issue 26.5): the main
process of a run of thousands of documents stays as small as one of a few."""

import gc
import weakref
from decimal import Decimal

from conftest import REFERENCE_PDF

from pipelines.model import DocumentOutcome, ProcessedDocument
from pipelines.run import Settings, ingest, report_entry


def test_once_loaded_a_document_is_kept_as_its_outcome_and_nothing_holds_the_rest(tmp_path, duckdb_url):
    # Before, ingest returned (and so held until the run ended) every ProcessedDocument: ≈0.65 MB each,
    # 409 MB of main process at 360 documents.
    heard: list[ProcessedDocument] = []
    [kept] = ingest([REFERENCE_PDF], Settings(duckdb_url, tmp_path / "data", workers=1), on_document=heard.append)
    [whole] = heard  # the listener (the CLI's line) sees the whole document as it is loaded
    assert type(kept) is DocumentOutcome and not hasattr(kept, "checks") and not hasattr(kept, "claims")
    assert (kept.status, len(kept.tables), kept.checks_run) == ("published", len(whole.tables), len(whole.checks))
    assert kept.totals.expenditure_total == Decimal("51744700.00")  # the reference prints 5174.47 万元
    assert report_entry(kept) == report_entry(whole)  # the report loses nothing
    gone = weakref.ref(heard.pop())
    del whole
    gc.collect()
    assert gone() is None  # no future, list or cache of the run still holds the document


def test_dagster_path_holds_no_earlier_batch_run_while_the_next_one_runs(tmp_path, duckdb_url, monkeypatch):
    # `budgetdw ingest --dagster` runs batches one after the other in this process. Each run's result holds
    # every event of its run (each materialisation's metadata: tables, claims, warnings); kept until the next
    # run had finished, it grew the main process by a batch of documents' events (issue 26.5).
    import dagster as dg

    from assets.partitions import document_key
    from assets.run import dagster_runner

    monkeypatch.setenv("BUDGETDW_BATCH_SIZE", "1")
    final_reference = REFERENCE_PDF.parent.parent / "tests" / "fixtures" / "reference" / "final_account.pdf"
    alive_at_second: list[set[str]] = []

    def runs_alive() -> set[str]:  # the runs whose whole result is still in memory
        gc.collect()
        return {o.run_id for o in gc.get_objects() if isinstance(o, dg.ExecuteInProcessResult)}

    def heard(doc: ProcessedDocument) -> None:
        if len(seen) == 1:
            alive_at_second.append(runs_alive())
        seen.append(document_key(doc.source.sha256))

    seen: list[str] = []
    (tmp_path / "dagster").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster")) as instance:
        outcomes = ingest([REFERENCE_PDF, final_reference], Settings(duckdb_url, tmp_path / "data", workers=1),
                          on_document=heard, runner=dagster_runner(instance))
        assert [o.status for o in outcomes] == ["published", "published"]
        assert len(instance.get_runs(dg.RunsFilter(job_name="ingest_document"))) == 2  # a batch each
        [first_run] = instance.get_runs(dg.RunsFilter(tags={"dagster/partition": seen[0]}))
    [alive] = alive_at_second
    assert first_run.run_id not in alive  # its events are in the instance, no longer in its result
