"""What the web serves at night: every broken input fails on its own with one clear line, the good
document is published, nothing is lost, and the warehouse stays consistent."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import REFERENCE_PDF
from sqlalchemy import create_engine, text

from pipelines.cli import main

REF = REFERENCE_PDF.read_bytes()

# file → (status, failure kind, words the one-line message must contain)
EXPECTED = {
    "good.pdf": ("published", None, None),
    "empty.pdf": ("failed", "empty", "empty file"),
    "error-page.pdf": ("failed", "not_pdf", "HTML page"),
    "random.pdf": ("failed", "not_pdf", "not a PDF"),
    "half-download.pdf": ("failed", "damaged", "could not repair"),
    "damaged-tail.pdf": ("published", None, None),  # repaired by qpdf, original kept
    "user-password.pdf": ("failed", "encrypted", "password"),
    "owner-password.pdf": ("published", None, None),  # restrictions only: read from a decrypted copy
    "scan.pdf": ("failed", "no_text_layer", "OCR"),
    "minutes.pdf": ("failed", "not_budget", "not a budget disclosure"),
    "2019-budget.pdf": ("published", None, None),  # prints 2025, file name says 2019: a warning, the content decides
}


@pytest.fixture(scope="module")
def night(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incoming")
    (folder / "good.pdf").write_bytes(REF)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "error-page.pdf").write_bytes(b"<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 20)
    (folder / "half-download.pdf").write_bytes(REF[: len(REF) // 2])
    (folder / "damaged-tail.pdf").write_bytes(REF[:-300] + b"\0" * 300)
    with pikepdf.open(REFERENCE_PDF) as pdf:
        pdf.save(folder / "user-password.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
        pdf.save(folder / "owner-password.pdf",
                 encryption=pikepdf.Encryption(owner="o", user="", allow=pikepdf.Permissions(extract=False)))
    pages = pdfium.PdfDocument(REFERENCE_PDF)
    images = [pages[i].render(scale=0.5).to_pil().convert("RGB") for i in range(2)]
    images[0].save(folder / "scan.pdf", save_all=True, append_images=images[1:])
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(folder / "minutes.pdf"))
    c.drawString(72, 720, "Minutes of the meeting. Nothing about budgets.")
    c.save()
    (folder / "2019-budget.pdf").write_bytes(REF + b"\n% copy\n")
    return folder


@pytest.fixture(scope="module")
def night_run(night, tmp_path_factory):
    work = tmp_path_factory.mktemp("run")
    report = work / "report.json"
    result = CliRunner().invoke(main, ["ingest", str(night), "--warehouse", f"duckdb:///{work / 'w.duckdb'}",
                                       "--data-dir", str(work / "data"), "--report", str(report)])
    return result, json.loads(report.read_text(encoding="utf-8")), work


def test_one_bad_document_never_stops_the_night(night_run):
    result, report, _ = night_run
    assert result.exit_code == 1  # some documents failed; documented in README
    assert "Traceback" not in result.output
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert set(by_name) == set(EXPECTED)
    for name, (status, kind, words) in EXPECTED.items():
        doc = by_name[name]
        assert (doc["status"], doc["failure_kind"]) == (status, kind), name
        if words:
            assert words in doc["error"] and name in doc["error"] and "\n" not in doc["error"], doc["error"]
            line = next(ln for ln in result.output.splitlines() if f" {name} " in ln)
            assert line.startswith("failed") and words in line
    assert "repaired copy" in by_name["damaged-tail.pdf"]["notes"][0]
    assert "decrypted copy" in by_name["owner-password.pdf"]["notes"][0]
    assert any("contradicts the file name" in c["message"] for c in by_name["2019-budget.pdf"]["checks_failed"])


def test_nothing_is_lost(night, night_run):
    _, report, work = night_run
    for doc in report["documents"]:
        raw = next((work / "data" / "raw").glob(f"*/{doc['sha256']}.pdf"))
        assert raw.read_bytes() == (night / Path(doc["path"]).name).read_bytes()
        kept = json.loads((work / "data" / "extracted" / f"{doc['sha256']}.json").read_text(encoding="utf-8"))
        assert (kept["status"], kept["error"]) == (doc["status"], doc["error"])
    engine = create_engine(f"duckdb:///{work / 'w.duckdb'}")
    with engine.connect() as conn:
        statuses = dict(conn.execute(text("SELECT status, COUNT(*) FROM v_document GROUP BY status")).all())
        published = conn.execute(text("SELECT COUNT(*) FROM v_published_document")).scalar()
    engine.dispose()
    # Identical content under two names is one document: good.pdf, the repaired and decrypted ones
    # are different files of the same unit/year/kind, so only the newest is in published views.
    assert statuses["failed"] == 7
    assert published == 1


def test_a_file_that_changes_while_it_is_stored_is_named_by_what_was_stored(tmp_path, monkeypatch):
    # A PDF still being written into the watched folder grows between its hashing and its copy.
    # The original in the raw store must be named by the bytes it holds, not by those hashed first.
    import hashlib

    import pipelines.store as acquire

    growing = tmp_path / "growing.pdf"
    growing.write_bytes(REF[: len(REF) // 2])
    first_half = hashlib.sha256(growing.read_bytes()).hexdigest()
    real = acquire.sha256_file

    def hash_then_the_writer_goes_on(path, *args, **kwargs):
        digest = real(path, *args, **kwargs)
        growing.write_bytes(REF)  # from the first read on, the file is whole
        return digest

    monkeypatch.setattr(acquire, "sha256_file", hash_then_the_writer_goes_on)
    doc = acquire.store_raw(growing, tmp_path / "raw")
    whole = hashlib.sha256(REF).hexdigest()
    assert doc.sha256 == whole and doc.raw_path.name == f"{whole}.pdf" and doc.size == len(REF)
    assert doc.raw_path.read_bytes() == REF
    assert not acquire.stored_path(tmp_path / "raw", first_half).exists()
    assert sorted(p.name for p in (tmp_path / "raw").rglob("*") if p.is_file()) == [f"{whole}.pdf", f"{whole}.sources"]


def test_rerun_reads_nothing_again(night, night_run):
    _, _, work = night_run
    result = CliRunner().invoke(main, ["ingest", str(night), "--warehouse", f"duckdb:///{work / 'w.duckdb'}",
                                       "--data-dir", str(work / "data")])
    assert result.exit_code == 0
    assert result.output.count("unchanged") == len(EXPECTED) + 1  # one line each, and the summary


def test_a_rerun_reads_no_known_file(tmp_path, monkeypatch):
    # Checking for new content and acquiring it each hashed every file: twice the reading of the
    # whole folder on every rerun (≈1 s per 500 MB); then once (a process's own memory of what it
    # hashed); now not at all: the raw store recorded the file's size and mtime (issue 26.5).
    import builtins
    import os
    import time

    import pipelines.store as acquire

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "budget.pdf").write_bytes(REF)
    an_hour_ago = time.time_ns() - 3600 * 10**9  # (a file modified a moment ago is hashed again: store.RECENT_NS)
    os.utime(folder / "budget.pdf", ns=(an_hour_ago, an_hour_ago))
    args = ["ingest", "--no-dagster", str(folder), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
            "--data-dir", str(tmp_path / "data")]
    assert CliRunner().invoke(main, args).exit_code == 0
    acquire._sha256_unchanged.cache_clear()  # as in a new process
    reads = []
    real_open = builtins.open

    def counting_open(file, mode="r", *a, **kw):
        if str(file) == str(folder / "budget.pdf") and "r" in mode:
            reads.append(mode)
        return real_open(file, mode, *a, **kw)

    monkeypatch.setattr(builtins, "open", counting_open)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "already loaded" in again.output
    assert reads == []


@pytest.mark.parametrize("url, says", [
    ("bogus://reader:s3cret@host/db", "bogus://reader:***@host/db is not a warehouse URL budgetdw can use"),
    ("budgetdw.duckdb", "'budgetdw.duckdb' is not a database URL budgetdw can use (Could not parse SQLAlchemy URL"),
    ("postgresql+psycopg://reader:s3cret@127.0.0.1:9/db",
     "cannot open the warehouse postgresql+psycopg://reader:***@127.0.0.1:9/db: connection failed"),
    ("NOT_DUCKDB", "exists, but it is not a valid DuckDB database file"),
])
def test_a_warehouse_that_cannot_be_opened_is_named_in_one_line(tmp_path, url, says):
    # Before, a traceback: SQLAlchemy's, the driver's, with the URL's password in the exception.
    if url == "NOT_DUCKDB":
        (tmp_path / "notes.duckdb").write_text("not a database", encoding="utf-8")
        url = f"duckdb:///{tmp_path / 'notes.duckdb'}"
    for args in (["ingest", "--no-dagster", str(REFERENCE_PDF), "--data-dir", str(tmp_path / "data")],
                 ["accept", "0123abcd", "--reason", "checked by hand"]):
        result = CliRunner().invoke(main, [*args, "--warehouse", url])
        assert result.exit_code == 4, result.output
        assert says in result.output and "s3cret" not in result.output and "Traceback" not in result.output


def test_the_summary_names_the_warehouse_without_its_password(tmp_path, postgres_url):
    # The summary line (terminal, scheduler logs) printed the URL as given, password included.
    from sqlalchemy import make_url

    url = make_url(postgres_url).set(password="s3cret").render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["ingest", "--no-dagster", str(REFERENCE_PDF), "--warehouse", url,
                                       "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    summary = result.output.splitlines()[-1]
    assert summary.startswith("1 document: 1 published → postgresql+psycopg://postgres:***@")
    assert "s3cret" not in result.output


def test_an_empty_folder_says_no_pdf_was_found(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(main, ["ingest", "--no-dagster", str(tmp_path / "in"), "--warehouse",
                                       f"duckdb:///{tmp_path / 'w.duckdb'}", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0 and result.output.startswith("0 documents: no PDF found → duckdb:///")


def _ingest_cmd(folder, work, *extra):
    return [sys.executable, "-m", "pipelines.cli", "ingest", str(folder), "--warehouse",
            f"duckdb:///{work / 'w.duckdb'}", "--data-dir", str(work / "data"), *extra]


def test_second_run_against_the_same_warehouse_refuses_clearly(tmp_path):
    from filelock import FileLock

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.pdf").write_bytes(REF)
    with FileLock(f"{tmp_path / 'w.duckdb'}.lock"):  # what a first run holds while it works
        proc = subprocess.run(_ingest_cmd(tmp_path / "in", tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "another budgetdw run is writing to" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow  # kills a whole run mid-way and runs it again (test_isolation kills a worker by default)
def test_killed_run_leaves_warehouse_consistent_and_next_run_completes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):  # six distinct documents of the same content family
        (folder / f"doc{i}.pdf").write_bytes(REF + f"\n% copy {i}\n".encode())
    proc = subprocess.Popen(_ingest_cmd(folder, tmp_path, "--workers", "1"), stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    # Kill the whole run (main process and its worker) as soon as the first document is loaded.
    first = proc.stdout.readline()
    assert first.startswith("published"), first
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    engine = create_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with engine.connect() as conn:
        docs = conn.execute(text("SELECT COUNT(*) FROM document")).scalar()
        orphans = conn.execute(text(
            "SELECT COUNT(*) FROM fact_amount a WHERE NOT EXISTS "
            "(SELECT 1 FROM document d WHERE d.document_id = a.document_id)")).scalar()
    engine.dispose()
    assert 1 <= docs < 6 and orphans == 0
    time.sleep(0.5)
    done = subprocess.run(_ingest_cmd(folder, tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    engine = create_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT document_id) FROM document")).one() == (6, 6)
        per_doc = conn.execute(text("SELECT COUNT(*) FROM fact_amount GROUP BY document_id")).scalars().all()
    engine.dispose()
    assert len(set(per_doc)) == 1  # every document complete, none duplicated


def test_limits_against_pdf_bombs(tmp_path):
    from pipelines.extract.pdftext import Limits
    from pipelines.process import process_document
    from pipelines.store import store_raw

    source = store_raw(REFERENCE_PDF, tmp_path)
    pages = process_document(source, Limits(max_pages=20))
    assert (pages.status, pages.failure_kind) == ("failed", "too_many_pages")
    assert "35 pages, over the limit of 20" in pages.error
    size = process_document(source, Limits(max_bytes=100_000))
    assert (size.status, size.failure_kind) == ("failed", "too_large")


def test_a_document_over_the_time_limit_is_stopped_and_the_rest_go_on(tmp_path):
    from pipelines.run import Settings, process_all
    from pipelines.store import store_raw

    slow = store_raw(REFERENCE_PDF, tmp_path / "raw")
    (tmp_path / "small.pdf").write_bytes(REF + b"\n% other\n")
    other = store_raw(tmp_path / "small.pdf", tmp_path / "raw")
    settings = Settings("duckdb:///:memory:", tmp_path, workers=1, time_limit_s=0.05)
    # Results come as documents finish, not in input order.
    done = {doc.source.sha256: doc for doc in process_all([slow, other], settings)}
    first, second = done[slow.sha256], done[other.sha256]
    assert (first.status, first.failure_kind) == ("failed", "timeout")
    assert "stopped after 0.05 s" in first.error
    assert (second.status, second.failure_kind) == ("failed", "timeout")  # the same pages, the same limit
    relaxed = Settings("duckdb:///:memory:", tmp_path, workers=1, time_limit_s=120)
    assert [d.status for d in process_all([slow], relaxed)] == ["published"]
