"""Issue 25, Done when: a run over the real corpus with the hostile files mixed in publishes every good
document, ends with its summary, and gives the same warehouse whatever the order, the number of workers, or
a kill and rerun part way. Deterministic: the kill comes after a set number of loaded documents, not after
a time."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import POSTGRES_ENV, REAL_CORPUS, REFERENCE_PDF, REPO
from hostile_pdfs import (
    bound_twice,
    deep_reference_chain,
    huge_amount,
    inflating,
    page_tree_loop,
    republished,
)
from warehouse_snapshot import warehouse_snapshot

from pipelines.cli import main

pytestmark = pytest.mark.slow

# file: (status, failure_kind) of each hostile input; every other input is a good document.
HOSTILE = {
    "huge_2025.pdf": ("failed", "out_of_range"),
    "loop_2025.pdf": ("failed", "damaged"),
    "deep_2025.pdf": ("failed", "damaged"),
    "bomb_2025.pdf": ("failed", "too_large"),
    "empty_2025.pdf": ("failed", "empty"),
    "page_2025.pdf": ("failed", "not_pdf"),
}
GBK_NAME = "预算.pdf".encode("gbk")  # a file name as unzipping a Chinese archive leaves it


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """The real corpus, the sample (also under a GBK file name), a budget bound twice, two versions exported
    again (the sample dated 2025-01-10; sh-putuo-justice_2026 dated after its own 2026-03-09), and the
    hostile files."""
    if not REAL_CORPUS.exists():
        pytest.skip(f"real corpus not found at {REAL_CORPUS}")
    folder = tmp_path_factory.mktemp("corpus")
    for pdf in sorted(REAL_CORPUS.glob("*.pdf")):
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(REFERENCE_PDF, folder / REFERENCE_PDF.name)
    (Path(os.fsdecode(os.fsencode(folder) + b"/" + GBK_NAME))).write_bytes(REFERENCE_PDF.read_bytes())
    bound_twice(folder / "twice_2025.pdf")
    republished(REFERENCE_PDF, folder / "sample-again_2025.pdf", "D:20250110100000+08'00'")
    justice = REAL_CORPUS / "sh-putuo-justice_2026_unit-budget.pdf"
    republished(justice, folder / "justice-again_2026.pdf", "D:20260320090000+08'00'")
    huge_amount(folder / "huge_2025.pdf")
    page_tree_loop(folder / "loop_2025.pdf")
    deep_reference_chain(folder / "deep_2025.pdf")
    inflating(folder / "bomb_2025.pdf", 1 << 30)
    (folder / "empty_2025.pdf").write_bytes(b"")
    (folder / "page_2025.pdf").write_bytes(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>")
    return sorted(folder.iterdir())


def _ingest(inputs: list[Path], url: str, work: Path, workers: int):
    report = work / "report.json"
    result = CliRunner().invoke(main, [
        "ingest", "--no-dagster", *map(str, inputs), "--warehouse", url, "--data-dir", str(work / "data"),
        "--report", str(report), "--workers", str(workers)])
    return result, json.loads(report.read_text(encoding="utf-8"))


def _check_run(result, report, inputs: list[Path]) -> None:
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output  # the hostile documents failed, alone
    last = result.output.splitlines()[-1]
    # One document per content: the sample's GBK-named copy is the sample.
    assert last.startswith(f"{len(inputs) - 1} documents: {len(HOSTILE)} failed"), last
    for doc in report["documents"]:
        name = Path(doc["path"]).name
        if name in HOSTILE:
            assert (doc["status"], doc["failure_kind"]) == HOSTILE[name], doc
        else:
            assert doc["status"] in ("published", "quarantined"), doc  # every good document loaded


def _killed_after(count: int, inputs: list[Path], url: str, work: Path) -> int:
    """An ingest in its own process group, killed (SIGKILL, its workers too) right after its `count`-th
    loaded document: as a kill -9 part way, at a point fixed by the count, not by a clock."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pipelines.run import Settings, ingest\n"
        "loaded = []\n"
        "def done(doc):\n"
        "    loaded.append(doc)\n"
        f"    if len(loaded) == {count}:\n"
        "        os.killpg(0, signal.SIGKILL)\n"
        "ingest([os.fsdecode(a) for a in map(os.fsencode, sys.argv[3:])],\n"
        "       Settings(sys.argv[1], Path(sys.argv[2]), workers=2), on_document=done)\n")
    child = subprocess.run([sys.executable, "-c", script, url, str(work / "data"), *map(str, inputs)],
                           cwd=REPO, start_new_session=True, capture_output=True, timeout=900)
    return child.returncode


def test_the_corpus_with_hostile_files_gives_one_warehouse_in_any_order_workers_or_kill(corpus, tmp_path, request):
    urls = [f"duckdb:///{tmp_path / f'w{i}.duckdb'}" for i in range(3)]
    # In folder order with 2 workers.
    result, report = _ingest(corpus, urls[0], tmp_path / "a", workers=2)
    _check_run(result, report, corpus)
    first = warehouse_snapshot(urls[0])
    # Reversed, with one worker.
    result, report = _ingest(corpus[::-1], urls[1], tmp_path / "b", workers=1)
    _check_run(result, report, corpus)
    assert warehouse_snapshot(urls[1]) == first
    # Killed after 7 loaded documents, then run again to the end.
    assert _killed_after(7, corpus, urls[2], tmp_path / "c") == -signal.SIGKILL
    result, report = _ingest(corpus, urls[2], tmp_path / "c", workers=2)
    # 1 if a hostile file was left for the rerun, 0 if the killed run had recorded them all (unchanged now)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert result.output.splitlines()[-1].startswith(f"{len(corpus) - 1} documents:")
    assert sum(d["status"] == "unchanged" for d in report["documents"]) == 7  # what the killed run loaded
    assert warehouse_snapshot(urls[2]) == first
    # PostgreSQL, reversed with 2 workers: the same warehouse as DuckDB's.
    if os.environ.get(POSTGRES_ENV):
        postgres_url = request.getfixturevalue("postgres_url")  # a fresh schema, dropped afterwards
        result, report = _ingest(corpus[::-1], postgres_url, tmp_path / "d", workers=2)
        _check_run(result, report, corpus)
        assert warehouse_snapshot(postgres_url) == first

    # What the warehouse holds: the newest of each budget's versions by its own dates, whatever came first.
    current = {row[0] for row in first["versions"] if row[6]}  # is_current
    by_name = {Path(d["path"]).name: d["sha256"] for d in report["documents"]}
    assert by_name["justice-again_2026.pdf"] in current
    assert by_name["sh-putuo-justice_2026_unit-budget.pdf"] not in current
    assert by_name["sample-again_2025.pdf"] in current  # dated: the undated sample ranks below it
    assert hashlib.sha256(REFERENCE_PDF.read_bytes()).hexdigest() not in current  # read under its GBK name
    assert ("20805", "行政事业单位养老支出") in [s[:2] for s in first["subjects"]]  # the latest year's name
