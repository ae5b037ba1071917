"""Per-document cost and main-process memory as the number of documents grows (issue 26.4, 26.5).

    .venv/bin/python bench/scale.py [--corpus ../shared/corpus/real] [--copies 1 20] [--paths cli dagster]

Each real document is copied `copies` times, each copy made distinct (its /Info /Title changed with
pikepdf, so its sha256 differs: a new document to the warehouse, the same pages to read), and the whole
folder is ingested into a fresh warehouse by `budgetdw ingest` (`--no-dagster`: the CLI's path;
`--dagster`: one in-process Dagster run over all of them, assets/batch.py), 2 workers. Printed per run:
documents, wall seconds, seconds per document, and the peak RSS of the main process and of the largest
worker (bench/benchmark.py timed_process). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from benchmark import timed_process  # noqa: E402


def distinct_copies(corpus: Path, copies: int, out: Path) -> Path:
    """`copies` copies of every PDF of `corpus` under out/copies-N (copy 0 the file itself)."""
    import pikepdf

    folder = out / f"copies-{copies}"
    for pdf in sorted(corpus.glob("*.pdf")):
        for i in range(copies):
            target = folder / f"copy{i:02d}" / pdf.name
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if i == 0:
                target.write_bytes(pdf.read_bytes())
                continue
            with pikepdf.open(pdf) as doc:
                title = str(doc.docinfo.get("/Title", ""))
                doc.docinfo["/Title"] = f"{title} (copy {i})"
                doc.save(target)
    return folder


def run(folder: Path, path: str, work: Path) -> dict:
    work.mkdir(parents=True)
    env_home = work / "dagster_home"
    env_home.mkdir()
    cmd = [str(REPO / ".venv" / "bin" / "budgetdw"), "ingest", str(folder), "--warehouse",
           f"duckdb:///{work / 'w.duckdb'}", "--data-dir", str(work / "data"), "--workers", "2",
           "--dagster" if path == "dagster" else "--no-dagster"]
    os.environ["DAGSTER_HOME"] = str(env_home)
    try:
        wall, main_mb, worker_mb = timed_process(cmd)
    finally:
        os.environ.pop("DAGSTER_HOME", None)
    documents = sum(1 for _ in folder.rglob("*.pdf"))
    return {"path": path, "documents": documents, "wall_s": wall, "per_document_s": wall / documents,
            "main_peak_mb": main_mb, "worker_peak_mb": worker_mb}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "real")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--paths", nargs="+", default=["cli"], choices=["cli", "dagster"])
    parser.add_argument("--work", type=Path, default=None, help="where copies and warehouses go (a temp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="budgetdw-scale-"))
    print("| path | documents | wall s | s / document | main process peak MB | largest worker peak MB |")
    print("|---|---|---|---|---|---|")
    for copies in args.copies:
        folder = distinct_copies(args.corpus, copies, work)
        for path in args.paths:
            r = run(folder, path, work / f"run-{path}-{copies}-{os.getpid()}")
            print(f"| {r['path']} | {r['documents']} | {r['wall_s']:.1f} | {r['per_document_s']:.2f} | "
                  f"{r['main_peak_mb']:.0f} | {r['worker_peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
