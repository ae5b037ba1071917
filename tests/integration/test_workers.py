"""The worker processes: forked from a server started once, whatever the caller's directory."""

import shutil
import sys
from decimal import Decimal
from pathlib import Path

from conftest import REFERENCE_PDF, real_pdf

from pipelines.run import Settings, ingest
from pipelines.workers import worker_context


def test_relative_paths_work_after_the_caller_changes_directory(tmp_path, monkeypatch):
    # The fork server keeps the directory it started in; workers forked from it must still find the
    # originals and write the intermediate JSON where the caller asked (a relative --data-dir).
    worker_context()
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE_PDF, tmp_path / "budget.pdf")
    [doc] = ingest([Path("budget.pdf")], Settings("duckdb:///warehouse.duckdb", Path("data"), workers=1))
    assert doc.status == "published", doc.error
    assert doc.totals.expenditure_total == Decimal("51744700.00")
    assert (tmp_path / "data" / "extracted" / f"{doc.source.sha256}.json").exists()


def test_cli_starts_the_workers_early_only_when_the_run_may_read_documents(tmp_path, monkeypatch):
    # The CLI starts the workers' server before its own imports when a local PDF's content is new
    # to the raw store; a rerun over known files must not pay the server's seconds of imports.
    from click.testing import CliRunner

    import pipelines.workers as workers
    from pipelines.cli import main

    callers = []  # the module of each caller of worker_context
    real = workers.worker_context
    monkeypatch.setattr(workers, "worker_context",
                        lambda: callers.append(sys._getframe(1).f_globals["__name__"]) or real())
    args = ["ingest", "--no-dagster", str(REFERENCE_PDF), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
            "--data-dir", str(tmp_path / "data")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "published" in first.output and callers == ["pipelines.cli", "pipelines.workers"]  # early, then the pool
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output and len(callers) == 2


def test_a_worker_reads_and_keeps_a_document_without_importing_the_loading_side(tmp_path):
    # The workers' task and its arguments live outside pipelines.run, which imports the
    # warehouse code: a worker that has read a document has imported neither (GX itself imports
    # SQLAlchemy, for its SQL data sources).
    from pipelines.extract.pdftext import Limits
    from pipelines.process import read_and_keep
    from pipelines.store import store_raw
    from pipelines.workers import worker_pool

    source = store_raw(REFERENCE_PDF, tmp_path / "raw")
    with worker_pool(1) as pool:
        doc = pool.schedule(read_and_keep, args=(source, Limits(), tmp_path)).result(timeout=300)
        imported = pool.schedule(eval, args=("sorted({'pipelines.run', 'pipelines.load.writer', "
                                             "'pipelines.load.engine'} & set(__import__('sys').modules))",)
                                 ).result(timeout=60)
    assert doc.totals.expenditure_total == Decimal("51744700.00")
    assert (tmp_path / "extracted" / f"{source.sha256}.json").exists()
    assert imported == []


def _tqdm_lock_after_reading(source):
    from tqdm import tqdm

    from pipelines.process import process_document

    status = process_document(source).status
    lock = tqdm.get_lock()  # the lock set_lock gave it, or tqdm's own, which holds a process-shared one
    return status, [type(inner).__module__ + "." + type(inner).__name__ for inner in getattr(lock, "locks", [lock])]


def test_workers_give_tqdm_a_thread_lock_not_a_named_semaphore(tmp_path):
    # GX's progress bars (off, but tqdm objects all the same) made tqdm create its process-shared
    # lock in every worker: a named semaphore, which a worker stopped while it exits at the end of
    # a run left behind, and the resource tracker then reported on stderr ("leaked semaphore").
    # The property, not /dev/shm (which other processes on the machine change): after reading a
    # document, the worker's tqdm lock holds no multiprocessing lock.
    from pipelines.store import store_raw
    from pipelines.workers import worker_pool

    source = store_raw(REFERENCE_PDF, tmp_path)
    with worker_pool(1) as pool:
        status, locks = pool.schedule(_tqdm_lock_after_reading, args=(source,)).result(timeout=300)
    assert status == "published"
    assert locks and not any(name.startswith("multiprocessing.") for name in locks), locks


def test_documents_are_scheduled_by_their_pages_counted_without_a_pdf_parser(tmp_path):
    # Longest first keeps a worker from idling at the end of a run; file size misjudged it (the
    # 3.7 MB Putuo final account has 25 pages, the 0.18 MB Wanli street budget 33).
    import pikepdf
    import pypdfium2
    from conftest import REAL_CORPUS

    from pipelines.run import expected_pages

    final, street = real_pdf("sh-putuo-finance-bureau_2024_dept-final.pdf"), real_pdf(
        "sh-putuo-wanli-street_2024_dept-budget.pdf")
    assert final.stat().st_size > 10 * street.stat().st_size
    assert (expected_pages(final), expected_pages(street)) == (25, 33)
    for pdf in sorted(REAL_CORPUS.glob("*.pdf")):
        assert expected_pages(pdf) == len(pypdfium2.PdfDocument(pdf)), pdf.name
    # Page objects packed into compressed object streams cannot be counted: such a document goes first.
    with pikepdf.open(REFERENCE_PDF) as pdf:
        pdf.save(tmp_path / "packed.pdf", object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert expected_pages(REFERENCE_PDF) == 35
    assert expected_pages(tmp_path / "packed.pdf") == float("inf")


def test_the_main_process_loads_without_importing_pandas():
    # The main process only hashes, skips and loads; pandas (≈0.4 s of every rerun's start, and
    # CPU taken from the workers when it loads) is for the workers, which build the validation frames.
    import subprocess

    from conftest import REPO

    probe = ("import sys, pipelines.cli, pipelines.run\n"
             "from pipelines.load import engine as warehouse_engine, rows as load_rows\n"
             "from warehouse import schema\n"
             "engine = warehouse_engine.connect('duckdb:///:memory:')\n"
             "warehouse_engine.ensure_schema(engine)\n"
             "with engine.begin() as conn:\n"
             "    load_rows.insert_rows(conn, schema.dim_unit, [dict(unit_key='k', unit_name='单位')])\n"
             "print('pandas' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stderr[-2000:]


def test_what_a_worker_logs_reaches_the_run_log_with_the_document_name(tmp_path):
    # Workers have no handler of their own: what they logged went to stderr bare (a PDF parser's
    # complaints with no document named) and never to the run's log file.
    import json
    import subprocess

    from conftest import REPO

    party = real_pdf("js-party-committee-office_2017_dept-budget-tables.pdf")
    final = real_pdf("sh-putuo-finance-bureau_2024_dept-final.pdf")
    data = tmp_path / "data"
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest", "--no-dagster", str(party), str(final),
                          "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}", "--data-dir", str(data),
                          "--report", str(tmp_path / "report.json")],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    run_log = (data / "budgetdw.log").read_text(encoding="utf-8")
    assert (f"WARNING playa.parser: {party.name}: When constructing dict from []: Unmatched end token" in run_log)
    assert f"WARNING pipelines.extract.tables: {final.name}: " in run_log
    assert "p.5: a ruled table with no title above it" in run_log
    assert f"INFO pipelines.cli: published   {final.name}" in run_log
    # The terminal shows budgetdw's own warning, not the parser's complaints.
    assert "p.5: a ruled table with no title above it" in run.stderr
    assert "Unmatched end token" not in run.stderr and "x-none" not in run.stderr
    # The document's extracted JSON keeps what was logged while it was read.
    [extracted] = [json.loads(p.read_text(encoding="utf-8")) for p in (data / "extracted").glob("*.json")
                   if json.loads(p.read_text(encoding="utf-8"))["source"]["source_uri"] == str(party.resolve())]
    assert {"level": "WARNING", "logger": "playa.interp",
            "message": "Tag b'x-none' is not a name object, ignoring"} in extracted["log"]
    # And the run's report lists it among the document's warnings.
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    [entry] = [d for d in report["documents"] if d["path"] == str(party.resolve())]
    assert "playa.interp: Tag b'x-none' is not a name object, ignoring" in entry["warnings"]


def test_an_internal_error_keeps_its_traceback_with_the_document(tmp_path, monkeypatch):
    import pipelines.process as process
    from pipelines.store import store_raw

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in identification")

    monkeypatch.setattr(process, "identify", broken)
    doc = process.process_document(store_raw(REFERENCE_PDF, tmp_path))
    assert (doc.status, doc.failure_kind) == ("failed", "internal")
    assert "internal error (RuntimeError: a bug in identification); details in the log" in doc.error
    [line] = [line for line in doc.log if line.level == "ERROR"]
    assert line.logger == "pipelines.process" and line.message.startswith("unexpected failure on ")
    assert "Traceback" in line.message and 'raise RuntimeError("a bug in identification")' in line.message


def test_a_run_schedules_a_few_documents_a_worker_not_all_of_them(tmp_path, monkeypatch):
    # Before, every document of a run was scheduled at once: documents read faster than the main process
    # loaded them (a run of short ones) waited in memory, whole, and the main process grew with the run.
    import pipelines.run as run
    from pipelines.store import store_raw

    scheduled: list[str] = []
    real_pool = run.worker_pool

    def counting_pool(*args, **kwargs):
        pool = real_pool(*args, **kwargs)
        schedule = pool.schedule

        def counted(function, args=(), **kw):
            scheduled.append(args[0].name)
            return schedule(function, args=args, **kw)

        pool.schedule = counted
        return pool

    monkeypatch.setattr(run, "worker_pool", counting_pool)
    names = ["js-cppcc-office_2017_dept-budget-tables.pdf", "js-cppcc-office_2018_dept-budget-tables.pdf",
             "js-party-committee-office_2017_dept-budget-tables.pdf", "sh-putuo-welfare-home_2024_unit-budget.pdf"]
    sources = [store_raw(real_pdf(n), tmp_path / "raw") for n in names]
    seen_at_each: list[int] = []
    for doc in run.process_all(sources, Settings("duckdb:///unused.duckdb", tmp_path, workers=1)):
        assert doc.status in ("published", "quarantined"), doc.error
        seen_at_each.append(len(scheduled))
    # One worker: two documents in flight, and the next scheduled as each is handed over.
    assert seen_at_each == [3, 4, 4, 4]
    assert sorted(scheduled) == sorted(names)
