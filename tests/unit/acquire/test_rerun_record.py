"""A rerun with nothing new does not hash its inputs again (issue 26.5): the raw store records a local file's
size, mtime_ns and inode with its sha256 when it stores it, and a file unchanged since is not read."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from click.testing import CliRunner

import pipelines.store as store
from pipelines.acquire.crawl import acquire_sources
from pipelines.acquire.results import DOWNLOADED, UNCHANGED
from pipelines.acquire.sources import FolderSource, SourcesConfig

PDF = b"%PDF-1.4\n" + b"x" * 1000 + b"\n%%EOF\n"
OTHER = b"%PDF-1.4\n" + b"y" * 1000 + b"\n%%EOF\n"  # another content of the same size
HOUR_NS = 3600 * 10**9


def _write(path, data, age_hours: float = 5):
    path.write_bytes(data)
    when = time.time_ns() - int(age_hours * HOUR_NS)
    os.utime(path, ns=(when, when))


@pytest.fixture
def hashed(monkeypatch):
    """Every file the store hashes (every read for a digest goes through _read_sha256), in a process that has
    hashed nothing yet (as a rerun's new process)."""
    store._sha256_unchanged.cache_clear()
    calls = []
    real = store._read_sha256

    def spy(path, copy_to=None):
        calls.append(os.path.basename(path))
        return real(path, copy_to)

    monkeypatch.setattr(store, "_read_sha256", spy)
    yield calls
    store._sha256_unchanged.cache_clear()


def _new_process(calls):
    store._sha256_unchanged.cache_clear()
    calls.clear()


def test_an_untouched_file_is_not_hashed_again_and_is_the_same_document(tmp_path, hashed):
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF)
    first = store.store_raw(pdf, raw)
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert hashed == ["budget.pdf", "budget.pdf"]  # hashed, then copied (hashing the copy as it is made)

    _new_process(hashed)
    again = store.store_raw(pdf, raw)
    assert hashed == []
    assert again == first  # sha256, source, raw path and size
    assert (raw / first.sha256[:2] / f"{first.sha256}.sources").read_text(encoding="utf-8").splitlines() == [
        store.path_text(pdf.resolve())]


def test_a_file_touched_to_a_new_mtime_is_hashed_again(tmp_path, hashed):
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF, age_hours=5)
    first = store.store_raw(pdf, raw)
    _new_process(hashed)
    _write(pdf, PDF, age_hours=3)  # same bytes, touched
    again = store.store_raw(pdf, raw)
    assert hashed == ["budget.pdf"]  # read for its digest; the content is stored already, not copied again
    assert again == first
    _new_process(hashed)
    assert store.store_raw(pdf, raw) == first and hashed == []  # recorded with its new mtime


def test_a_file_replaced_by_other_content_of_the_same_size_is_seen(tmp_path, hashed):
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF, age_hours=5)
    first = store.store_raw(pdf, raw)
    _new_process(hashed)
    _write(pdf, OTHER, age_hours=4)
    assert pdf.stat().st_size == len(PDF)
    second = store.store_raw(pdf, raw)
    assert second.sha256 == hashlib.sha256(OTHER).hexdigest() != first.sha256
    assert second.raw_path.read_bytes() == OTHER and first.raw_path.read_bytes() == PDF


def test_a_raw_store_without_records_hashes_and_then_records(tmp_path, hashed):
    # A raw store written before records were kept (only .pdf and .sources) stays usable: its files are hashed.
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF)
    first = store.store_raw(pdf, raw)
    for record in (raw / store.STAT_DIR).rglob("*.json"):
        record.unlink()
    _new_process(hashed)
    assert store.store_raw(pdf, raw) == first and hashed == ["budget.pdf"]
    _new_process(hashed)
    assert store.store_raw(pdf, raw) == first and hashed == []


@pytest.mark.parametrize("record", ["not json", '{"path": "elsewhere.pdf"}', "[1, 2]"])
def test_a_damaged_or_foreign_record_is_not_trusted(tmp_path, hashed, record):
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF)
    first = store.store_raw(pdf, raw)
    (target,) = (raw / store.STAT_DIR).rglob("*.json")
    target.write_text(record, encoding="utf-8")
    _new_process(hashed)
    assert store.store_raw(pdf, raw) == first and hashed == ["budget.pdf"]


def test_a_record_whose_original_is_gone_is_not_trusted(tmp_path, hashed):
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    _write(pdf, PDF)
    first = store.store_raw(pdf, raw)
    first.raw_path.chmod(0o644)
    first.raw_path.unlink()
    _new_process(hashed)
    again = store.store_raw(pdf, raw)
    assert again == first and again.raw_path.read_bytes() == PDF  # hashed and stored again


def test_a_file_modified_a_moment_ago_is_not_recorded(tmp_path, hashed):
    # It may change again within the timestamp's granularity, leaving size and mtime as recorded.
    pdf, raw = tmp_path / "budget.pdf", tmp_path / "raw"
    pdf.write_bytes(PDF)
    first = store.store_raw(pdf, raw)
    assert not list((raw / store.STAT_DIR).rglob("*.json"))
    _new_process(hashed)
    assert store.store_raw(pdf, raw) == first and hashed == ["budget.pdf"]


def test_a_folder_source_rerun_reads_no_unchanged_file(tmp_path, hashed):
    # The sensor's and --sources' way in (crawl.store_folder): the same record.
    folder, data = tmp_path / "in", tmp_path / "data"
    folder.mkdir()
    _write(folder / "a.pdf", PDF)
    _write(folder / "b.pdf", OTHER)
    config = SourcesConfig(sources=[FolderSource(path=folder)])
    first = acquire_sources(config, data)
    assert [r.outcome for r in first] == [DOWNLOADED, DOWNLOADED]
    _new_process(hashed)
    _write(folder / "b.pdf", PDF, age_hours=1)  # b now holds a's content
    again = acquire_sources(config, data)
    assert hashed == ["b.pdf"]
    assert [(r.outcome, r.sha256) for r in again] == [(UNCHANGED, first[0].sha256), ("duplicate", first[0].sha256)]


def test_the_cli_rerun_hashes_no_unchanged_input(tmp_path, hashed):
    from pipelines.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "not-a-budget.pdf", PDF)  # fails to read (not a real PDF); stored all the same
    args = ["ingest", "--no-dagster", str(folder), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
            "--data-dir", str(tmp_path / "data"), "--workers", "1"]
    assert CliRunner().invoke(main, args).exit_code == 1
    _new_process(hashed)
    CliRunner().invoke(main, args)
    assert hashed == []
