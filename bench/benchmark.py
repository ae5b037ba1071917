"""Benchmark budgetdw on the real corpus against the naive baseline, and print the figures.

    .venv/bin/python bench/benchmark.py [--corpus ../shared/corpus/real] [--out bench/results.md]

Measures, on this machine:
- per document and stage (identify, extract, normalise, validate, load): wall time, pages/s;
- the naive baseline: camelot.read_pdf(pages="all", flavor="lattice") on every document, in one
  process, timed from process start; `budgetdw ingest` on the same documents, timed from process
  start, with 1 and with 2 workers; the ratio;
- a rerun with nothing new;
- peak memory (max RSS) of any process of an ingest run;
- that the fast path (vector engine, with its fallback) extracts the same amounts as the slow
  path (camelot's default rendering engine on every page).
Results go to --out (Markdown) with the machine noted. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed_process(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds and peak RSS (MB, any process of the command tree) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, max(peak, before) / 1024, proc.returncode


BASELINE = """
import sys, camelot
for path in sys.argv[1:]:
    camelot.read_pdf(path, pages="all", flavor="lattice")
"""


def stage_table(files: list[Path], workdir: Path) -> tuple[list[dict], dict]:
    from pipelines.acquire import store_raw
    from pipelines.load import connect, ensure_schema, load_document
    from pipelines.process import process_document

    engine = connect(f"duckdb:///{workdir / 'stages.duckdb'}")
    ensure_schema(engine)
    rows, same = [], {}
    for f in files:
        source = store_raw(f, workdir / "raw")
        fast = process_document(source)
        start = time.perf_counter()
        load_document(engine, fast)
        fast.timings["load"] = time.perf_counter() - start
        slow = process_document(source, engine="combined")
        same[f.name] = _amounts(fast) == _amounts(slow)
        total = sum(fast.timings.values())
        rows.append({"document": f.name, "pages": fast.page_count, **{k: round(v, 3) for k, v in fast.timings.items()},
                     "total": round(total, 3), "pages_per_s": round((fast.page_count or 0) / total, 1),
                     "slow_extract": round(slow.timings.get("extract", 0.0), 3)})
    engine.dispose()
    return rows, same


def _amounts(doc) -> list[tuple]:
    return sorted((t.table.code, c.page, c.row_label, c.column_name, c.amount.printed)
                  for t in doc.tables for c in t.cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "real")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {args.corpus}")
    py = sys.executable
    cli = [py, "-m", "pipelines.cli", "ingest", "--no-dagster", str(args.corpus)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"{len(files)} documents from {args.corpus}")
        base_wall, base_rss, _ = timed_process([py, "-c", BASELINE, *map(str, files)])
        print(f"naive baseline (camelot lattice on every page): {base_wall:.1f} s")
        runs = {}
        for workers in (1, 2):
            wh = tmp / f"w{workers}.duckdb"
            runs[workers] = timed_process(cli + ["--warehouse", f"duckdb:///{wh}", "--data-dir", str(tmp / f"d{workers}"),
                                                 "--workers", str(workers)])
            print(f"budgetdw ingest, {workers} worker(s): {runs[workers][0]:.1f} s, peak RSS {runs[workers][1]:.0f} MB")
        rerun = timed_process(cli + ["--warehouse", f"duckdb:///{tmp / 'w2.duckdb'}", "--data-dir", str(tmp / "d2")])
        print(f"rerun with nothing new: {rerun[0]:.1f} s")
        rows, same = stage_table(files, tmp)
    pages = sum(r["pages"] for r in rows)
    ratio = runs[2][0] / base_wall
    summary = {
        "machine": f"{platform.node()} · {platform.platform()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "versions": {p: metadata.version(p) for p in ("camelot-py", "pypdfium2", "duckdb", "SQLAlchemy")},
        "documents": len(files), "pages": pages,
        "baseline_s": round(base_wall, 2), "ingest_1_worker_s": round(runs[1][0], 2),
        "ingest_2_workers_s": round(runs[2][0], 2), "ratio_to_baseline": round(ratio, 3),
        "speedup_2_workers": round(runs[1][0] / runs[2][0], 2), "rerun_s": round(rerun[0], 2),
        "peak_rss_mb": round(max(runs[1][1], runs[2][1])), "same_amounts_as_slow_path": all(same.values()),
        "documents_differing": [k for k, v in same.items() if not v],
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    stages = ["identify", "extract", "normalise", "validate", "load"]
    lines = [
        f"# Benchmark ({time.strftime('%Y-%m-%d')})", "", f"Machine: {summary['machine']}  ",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in summary["versions"].items()), "",
        "| figure | value |", "|---|---|",
        *(f"| {k} | {v} |" for k, v in summary.items() if k not in ("machine", "versions")), "",
        "Per document (seconds; `slow_extract` = camelot's rendering engine on every page):", "",
        "| document | pages | " + " | ".join(stages) + " | total | pages/s | slow_extract |",
        "|---|---:|" + "---:|" * (len(stages) + 3),
        *(f"| {r['document']} | {r['pages']} | " + " | ".join(str(r.get(s, "")) for s in stages)
          + f" | {r['total']} | {r['pages_per_s']} | {r['slow_extract']} |" for r in rows),
        "", "Reproduce: `.venv/bin/python bench/benchmark.py` (needs ../shared/corpus/real).", "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
