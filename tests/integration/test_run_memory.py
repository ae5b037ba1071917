"""A run keeps of each loaded document only what its summary and report need (issue 26.5): the main
process of a run of thousands of documents stays as small as one of a few."""

import gc
import json
import weakref
from decimal import Decimal

from conftest import REFERENCE_PDF

from pipelines.acquire.results import FetchResult
from pipelines.model import DocumentOutcome, ProcessedDocument
from pipelines.run import Settings, ingest, report_entry, write_report

FINAL_REFERENCE = REFERENCE_PDF.parent.parent / "tests" / "fixtures" / "reference" / "final_account.pdf"


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


def test_outcomes_wait_on_disk_in_input_order_and_the_report_is_written_one_entry_at_a_time(tmp_path, duckdb_url):
    # Before, ingest kept every DocumentOutcome in a list until the run ended (≈0.1 MB a document: its failed
    # checks with their evidence, its identity's, its warnings), and the CLI built the whole report in memory.
    alive_at_second: list[int] = []

    def heard(doc: ProcessedDocument) -> None:
        gc.collect()
        alive_at_second.append(sum(isinstance(o, DocumentOutcome) for o in gc.get_objects()))

    outcomes = ingest([FINAL_REFERENCE, REFERENCE_PDF], Settings(duckdb_url, tmp_path / "data", workers=1),
                      on_document=heard)
    assert alive_at_second == [0, 0]  # the first document's outcome is on disk while the second is loaded
    assert [o.source.source_uri for o in outcomes] == [str(FINAL_REFERENCE), str(REFERENCE_PDF)]  # as given
    assert outcomes[1].totals.expenditure_total == Decimal("51744700.00")  # the reference prints 5174.47 万元
    assert [o.identity.doc_kind for o in outcomes] == ["dept_final", "unit_budget"]

    problem = FetchResult("https://example.gov.cn/a.pdf", "http_error", "HTTP 404", status=404)
    skipped = FetchResult("https://other.example/b.pdf", "refused_host", "not this source's host",
                          found_on="https://example.gov.cn/list.html")
    for fetch_problems, skips in (([problem], [skipped]), ([], [])):
        write_report(tmp_path / "report.json", outcomes, fetch_problems, skips)
        whole = {"documents": [report_entry(o) for o in outcomes],
                 "fetch_problems": [{"url": r.url, "outcome": r.outcome, "message": r.message} for r in fetch_problems],
                 "skipped": [{"url": r.url, "outcome": r.outcome, "message": r.message, "found_on": r.found_on}
                             for r in skips]}
        assert (tmp_path / "report.json").read_text(encoding="utf-8") == json.dumps(whole, ensure_ascii=False, indent=2)


def test_dagster_path_holds_no_earlier_batch_run_while_the_next_one_runs(tmp_path, duckdb_url, monkeypatch):
    # `budgetdw ingest --dagster` runs batches one after the other in this process. Each run's result holds
    # every event of its run (each materialisation's metadata: tables, claims, warnings); kept until the next
    # run had finished, it grew the main process by a batch of documents' events (issue 26.5).
    import dagster as dg

    from assets.partitions import document_key
    from assets.run import dagster_runner

    monkeypatch.setenv("BUDGETDW_BATCH_SIZE", "1")
    final_reference = FINAL_REFERENCE
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
