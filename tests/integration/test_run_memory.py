"""A run keeps of each loaded document only what its summary and report need (issue 26.5): the main
process of a run of thousands of documents stays as small as one of a few."""

import gc
import json
import weakref
from decimal import Decimal

from conftest import REFERENCE_PDF, real_pdf

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


# A setting of the DuckDB database, not of a connection: it lasts as long as the database is open.
DATABASE_WIDE = "SET GLOBAL default_null_order = 'nulls_first'"
DATABASE_WIDE_NOW = "SELECT current_setting('default_null_order'), current_setting('threads')"


def test_a_long_run_closes_and_reopens_a_duckdb_warehouse_so_its_buffer_pool_does_not_grow_with_the_run(
        tmp_path, duckdb_url, monkeypatch):
    # Before, the database stayed open for the whole run, and DuckDB kept the blocks of every load in its buffer
    # pool: the main process grew ≈0.05 MB a document (bench/results.md, "Scale").
    import pipelines.run as run
    from pipelines.load.engine import open_warehouse

    monkeypatch.setattr(run, "REOPEN_DUCKDB_EVERY", 2)
    settings = Settings(duckdb_url, tmp_path / "data", workers=1)
    sources = run.acquire([FINAL_REFERENCE, REFERENCE_PDF, real_pdf("sh-putuo-welfare-home_2024_unit-budget.pdf")],
                          settings)
    engine = open_warehouse(duckdb_url)
    with engine.connect() as conn:
        conn.exec_driver_sql(DATABASE_WIDE)
    seen = []
    for doc in run.process_and_load(sources, settings, engine):
        with engine.connect() as conn:
            seen.append((doc.status, *conn.exec_driver_sql(DATABASE_WIDE_NOW).one()))
    engine.dispose()
    # Open through the first two loads; closed after the second, reopened for the third, one thread again.
    assert [s[1:] for s in seen] == [("NULLS_FIRST", 1), ("NULLS_LAST", 1), ("NULLS_LAST", 1)]
    assert [s[0] for s in seen] == ["published"] * 3


def test_a_batched_runner_finds_the_warehouse_closed_by_ingest(tmp_path, duckdb_url):
    # `ingest --dagster`: each batch run opens the warehouse itself. Before, ingest's own connection kept a DuckDB
    # file open through every batch, so its buffer pool grew over the whole run (Dagster path: +88 MB at 360).
    from pipelines.load.engine import connect

    opened_again = []

    def runner(todo, settings, loaded) -> None:
        first = connect(settings.warehouse_url)
        with first.connect() as conn:
            conn.exec_driver_sql(DATABASE_WIDE)
        first.dispose()  # the last connection: the database closes, unless ingest still holds one
        again = connect(settings.warehouse_url)
        with again.connect() as conn:
            opened_again.append(conn.exec_driver_sql(DATABASE_WIDE_NOW).one()[0])
        again.dispose()

    ingest([REFERENCE_PDF], Settings(duckdb_url, tmp_path / "data", workers=1), runner=runner)
    assert opened_again == ["NULLS_LAST"]


def test_a_warehouse_that_does_not_open_again_does_not_stop_the_run(tmp_path, duckdb_url, monkeypatch, caplog):
    import pipelines.run as run
    from pipelines.load.engine import open_warehouse

    monkeypatch.setattr(run, "REOPEN_DUCKDB_EVERY", 1)
    settings = Settings(duckdb_url, tmp_path / "data", workers=1)
    sources = run.acquire([FINAL_REFERENCE, REFERENCE_PDF], settings)
    engine = open_warehouse(duckdb_url)
    calls = []

    def refused_once_closed(engine):  # as if another process had taken the file once it was closed
        calls.append(engine)
        if len(calls) > 1:
            raise OSError(f"IO Error: Could not set lock on file {tmp_path / 'warehouse.duckdb'}")

    monkeypatch.setattr(run, "load_on_one_thread", refused_once_closed)
    statuses = [doc.status for doc in run.process_and_load(sources, settings, engine)]
    engine.dispose()
    assert statuses == ["published", "published"]  # the run went on (here the file opens for the next load)
    assert len(calls) == 3  # the run's start, then a reopening after each load
    assert "could not open the warehouse again: IO Error: Could not set lock on file" in caplog.text
