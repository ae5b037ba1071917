"""Benchmark budgetdw on the real corpus against the naive baseline, and print the figures.

    .venv/bin/python bench/benchmark.py [--corpus ../shared/corpus/real] [--out bench/results.md]

Measures, on this machine:
- the machine itself: a fixed CPU-bound loop timed alone (how steady it is) and two at once (how
  far two processes scale here: the bound on any 2-worker speedup);
- per document and stage (identify, extract, normalise, validate, load): wall time, pages/s;
- the naive baseline: camelot.read_pdf(pages="all", flavor="lattice") on every document, in one
  process, timed from process start; `budgetdw ingest` on the same documents, timed from process
  start, with 1 and with 2 workers (--repeat times each, alternated; the medians count); the ratio;
- a rerun with nothing new;
- peak memory (high-water RSS) of the main process and of the largest worker of an ingest run;
- that the fast path (vector engine, with its fallback) extracts the same amounts as the slow
  path (camelot's default rendering engine on every page).
Results go to --out (Markdown) with the machine noted. Not a test: nothing here asserts.

    .venv/bin/python bench/benchmark.py --dagster [--repeat 3]

measures only the Dagster paths against the CLI's (issue 26), 2 workers, on the same documents into fresh
warehouses, alternated: `budgetdw ingest --no-dagster`; `budgetdw ingest --dagster` (batched in-process
Dagster runs, assets/batch.py, instance in a fresh DAGSTER_HOME); and the sensor under `dagster dev` on a
fresh development instance, from its first tick to every partition materialised (bench/sensor_path.py),
with the peak RSS of dagster dev's whole process tree. Each round's ratios, and a section appended to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from proc import process_tree, status_mb  # noqa: E402  (bench/, the script's folder)


def timed_process(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds of a command, and the peak RSS (MB) of its main process and of the largest
    other process of its tree (the workers are grandchildren, forked from a server process, so
    getrusage cannot see them: /proc is read every 250 ms for each process's high-water mark, which
    the kernel keeps; the workers live the whole run. Sampling every 50 ms took ≈6% of a core, which
    slowed the 2-worker runs, that use both cores, and not the 1-worker runs)."""
    peaks: dict[int, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            for pid in process_tree(proc.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), status_mb(pid, "VmHWM"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-2000:]}")
    main_peak = peaks.pop(proc.pid, 0.0)
    return wall, main_peak, max(peaks.values(), default=0.0)


CPU_LOOP = "s = 0\nfor i in range(30_000_000): s += i"


def cpu_check(repeat: int = 3) -> tuple[list[float], float]:
    """What this machine gives: a fixed CPU-bound loop timed alone (its spread shows how steady the
    machine is), and how two of them at once scale (2.0 = two real cores). VMs differ here; the
    2-worker speedup cannot exceed what this shows."""
    alone, scaling = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", CPU_LOOP], check=True)
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        pair = [subprocess.Popen([sys.executable, "-c", CPU_LOOP]) for _ in range(2)]
        for proc in pair:
            proc.wait()
        scaling.append(2 * alone[-1] / (time.perf_counter() - start))
    return alone, statistics.median(scaling)


BASELINE = """
import sys, camelot
for path in sys.argv[1:]:
    camelot.read_pdf(path, pages="all", flavor="lattice")
"""


def stage_table(files: list[Path], workdir: Path) -> tuple[list[dict], dict]:
    from pipelines.load.engine import connect, ensure_schema
    from pipelines.load.writer import load_document
    from pipelines.process import process_document
    from pipelines.store import store_raw

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
    parser.add_argument("--repeat", type=int, default=5, help="ingest runs per worker count (the median is reported)")
    parser.add_argument("--dagster", action="store_true", help="only the Dagster path against the CLI's, alternated")
    args = parser.parse_args()
    if args.dagster:
        return dagster_comparison(args.corpus, args.out, args.repeat)
    files = sorted(args.corpus.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {args.corpus}")
    py = sys.executable
    cli = [py, "-m", "pipelines.cli", "ingest", "--no-dagster", str(args.corpus)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"{len(files)} documents from {args.corpus}")
        loop_s, two_core_scaling = cpu_check()
        print(f"CPU check: a fixed loop takes {min(loop_s):.2f}–{max(loop_s):.2f} s; "
              f"two at once scale {two_core_scaling:.2f}×")
        base_wall, base_rss, _ = timed_process([py, "-c", BASELINE, *map(str, files)])
        print(f"naive baseline (camelot lattice on every page): {base_wall:.1f} s")
        # What every run pays before its first document: the workers' fork server importing
        # pipelines and Great Expectations (pipelines/workers.py; the figure includes interpreter
        # start and exit).
        worker_start = timed_process([py, "-c", "import importlib, pipelines.workers as w; "
                                      "[importlib.import_module(m) for m in w.WORKER_IMPORTS]"])[0]
        print(f"worker start-up (imports): {worker_start:.1f} s")
        runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        for rep in range(args.repeat):  # alternated, so that drifts of the machine hit both alike
            for workers in (1, 2):
                name = f"w{workers}r{rep}"
                run = timed_process(cli + ["--warehouse", f"duckdb:///{tmp / name}.duckdb", "--data-dir",
                                           str(tmp / name), "--workers", str(workers)])
                runs[workers].append(run)
                print(f"budgetdw ingest, {workers} worker(s): {run[0]:.1f} s "
                      f"(peak RSS: main {run[1]:.0f} MB, largest worker {run[2]:.0f} MB)")
        rerun = timed_process(cli + ["--warehouse", f"duckdb:///{tmp / 'w2r0'}.duckdb",
                                     "--data-dir", str(tmp / "w2r0")])
        print(f"rerun with nothing new: {rerun[0]:.1f} s")
        rows, same = stage_table(files, tmp)
    pages = sum(r["pages"] for r in rows)
    one, two = (statistics.median(r[0] for r in runs[w]) for w in (1, 2))
    summary = {
        "machine": f"{platform.node()} · {platform.platform()} · {os.cpu_count()} cores · "
                   f"Python {platform.python_version()}",
        "versions": {p: metadata.version(p) for p in ("camelot-py", "pypdfium2", "duckdb", "SQLAlchemy")},
        "cpu_loop_s": [round(t, 2) for t in loop_s], "cpu_two_at_once_scale": round(two_core_scaling, 2),
        "documents": len(files), "pages": pages,
        "baseline_s": round(base_wall, 2),
        "ingest_1_worker_s": round(one, 2), "ingest_2_workers_s": round(two, 2),
        "ingest_runs_s": {f"{w} worker(s)": [round(r[0], 2) for r in runs[w]] for w in (1, 2)},
        "ratio_to_baseline": round(two / base_wall, 3), "speedup_2_workers": round(one / two, 2),
        # Each repetition's 1-worker run over the 2-worker run next to it (drifts of a shared
        # machine hit a pair alike): how much the medians above can be trusted.
        "speedup_2_workers_by_pair": [round(a[0] / b[0], 2) for a, b in zip(runs[1], runs[2], strict=True)],
        "rerun_s": round(rerun[0], 2), "worker_start_s": round(worker_start, 2),
        # Estimate: both runs minus what neither can share out (the main process's set-up, as long
        # as a rerun takes, and the workers' start-up): how the reading of documents itself scales.
        "speedup_2_workers_after_start_up": round((one - rerun[0] - worker_start) / (two - rerun[0] - worker_start), 2),
        "peak_rss_main_mb": round(max(r[1] for w in runs for r in runs[w])),
        "peak_rss_worker_mb": round(max(r[2] for w in runs for r in runs[w])),
        "same_amounts_as_slow_path": all(same.values()),
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
    args.out.write_text("\n".join(lines) + other_sections(args.out), encoding="utf-8")
    print(f"written to {args.out}")


def other_sections(out: Path) -> str:
    """The sections other measurements keep in the results file (`## …`: --dagster, scale.py, the synthetic
    warehouse): this run replaces only its own part, above them."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    start = text.find("\n## ")
    return text[start:] if start >= 0 else ""


def dagster_comparison(corpus: Path, out: Path, repeat: int) -> None:
    """The Dagster paths against the CLI on the same documents, alternated (a drift of a shared machine hits
    a round alike), 2 workers, each run into a fresh warehouse and Dagster instance: `budgetdw ingest
    --no-dagster`; `budgetdw ingest --dagster` (in-process batched runs); the sensor under `dagster dev`, from
    its first tick to every partition materialised (bench/sensor_path.py)."""
    from sensor_path import sensor_run

    files = sorted(corpus.glob("*.pdf"))
    runs: dict[str, list[tuple[float, float, float]]] = {"cli": [], "dagster": [], "sensor": []}
    timelines = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for rep in range(repeat):
            for path in runs:
                work = tmp / f"{path}{rep}"
                if path == "sensor":
                    sensor = sensor_run(corpus, work)
                    runs[path].append((sensor.to_materialised_s, sensor.tree_peak_mb, 0.0))
                    timelines.append(sensor.timeline)
                    print(f"sensor: {sensor.to_materialised_s:.1f} s from the first tick to all materialised "
                          f"({sensor.runs} run(s); process tree peak {sensor.tree_peak_mb:.0f} MB); {sensor.timeline}")
                    continue
                (work / "dagster_home").mkdir(parents=True)
                os.environ["DAGSTER_HOME"] = str(work / "dagster_home")
                try:
                    run = timed_process([sys.executable, "-m", "pipelines.cli", "ingest", str(corpus),
                                         "--dagster" if path == "dagster" else "--no-dagster",
                                         "--warehouse", f"duckdb:///{work / 'w.duckdb'}", "--data-dir",
                                         str(work / "data"), "--workers", "2"])
                finally:
                    os.environ.pop("DAGSTER_HOME", None)
                runs[path].append(run)
                print(f"{path}: {run[0]:.1f} s (peak RSS: main {run[1]:.0f} MB, largest worker {run[2]:.0f} MB)")
    medians = {p: statistics.median(r[0] for r in runs[p]) for p in runs}
    by_round = {p: [round(d[0] / c[0], 2) for c, d in zip(runs["cli"], runs[p], strict=True)]
                for p in ("dagster", "sensor")}
    names = {"cli": "`budgetdw ingest --no-dagster`", "dagster": "`budgetdw ingest --dagster` (in-process batched run)",
             "sensor": "`dagster dev`, the sensor: first tick → all partitions materialised"}
    lines = [
        "", f"## Dagster paths against the CLI ({time.strftime('%Y-%m-%d %H:%M')} UTC, `bench/benchmark.py --dagster`)",
        "", f"{len(files)} documents, 2 workers, {repeat} alternated rounds; machine: {platform.node()}, "
        f"{os.cpu_count()} cores; load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.", "",
        "| path | runs (s) | median s | s / document | × CLI (medians) | main peak MB | largest worker peak MB |",
        "|---|---|---|---|---|---|---|",
        *(f"| {names[p]} | {', '.join(f'{r[0]:.1f}' for r in runs[p])} | {medians[p]:.1f} | "
          f"{medians[p] / len(files):.2f} | {medians[p] / medians['cli']:.2f} | "
          + (f"whole tree {max(r[1] for r in runs[p]):.0f} | — |" if p == "sensor" else
             f"{max(r[1] for r in runs[p]):.0f} | {max(r[2] for r in runs[p]):.0f} |")
          for p in runs),
        "", f"By round, × the CLI: in-process {', '.join(map(str, by_round['dagster']))}; "
        f"sensor {', '.join(map(str, by_round['sensor']))}.", "",
        "The sensor's run, seconds after the first tick (each round): "
        + "; ".join(", ".join(f"{k} {v}" for k, v in t.items()) for t in timelines) + ".", "",
    ]
    print("\n".join(lines))
    with out.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
