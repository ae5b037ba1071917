"""The Dagster sensor path timed as a deployment runs it (issue 26.4): `dagster dev` on a fresh instance
(the repository's development instance, `.dagster/dagster.yaml`) watching a folder that holds the corpus;
from the `new_documents` sensor's first tick to every document's `warehouse_document` partition
materialised, to the end of the last batch run it requested, and to the BI views materialised after it
(the views_after_loads sensor's run).
`dagster dev`'s own start-up (webserver, daemon, code server) comes before the tick and is not counted;
what a run costs is: the queue, its process starting and importing the code location, its worker pool,
the reading and loading, and every event written to the instance.

Used by `bench/benchmark.py --dagster`, alternated with the CLI on the same documents.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from proc import process_tree, status_mb

REPO = Path(__file__).resolve().parent.parent
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


@dataclass
class SensorRun:
    to_materialised_s: float  # first tick → last warehouse_document partition materialised
    to_runs_done_s: float  # first tick → the last run of the batches ended
    runs: int
    tree_peak_mb: float  # the whole process tree's RSS (webserver, daemon, code servers, runs, workers), at its peak
    start_up_s: float  # dagster dev started → first tick (not counted above)
    timeline: dict[str, float]  # seconds after the first tick: each stage of the first run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sensor_run(corpus: Path, work: Path, workers: int = 2, timeout: float = 900) -> SensorRun:
    """Run `dagster dev` over a folder holding `corpus`'s PDFs until the sensor's runs have materialised
    every document, and time it from the instance's own records (tick and event timestamps)."""
    import dagster as dg

    files = sorted(corpus.glob("*.pdf"))
    inbox, home = work / "inbox", work / "dagster_home"
    inbox.mkdir(parents=True)
    home.mkdir(parents=True)
    for f in files:
        shutil.copy(f, inbox / f.name)
    shutil.copy(REPO / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home), "BUDGETDW_SOURCE_DIR": str(inbox),
           "BUDGETDW_DATA_DIR": str(work / "data"), "BUDGETDW_WAREHOUSE": f"duckdb:///{work / 'w.duckdb'}",
           "BUDGETDW_WORKERS": str(workers)}
    started = time.time()
    with (work / "dagster_dev.log").open("w") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "dagster"), "dev", "-w", "workspace.yaml",
                                 "-p", str(_free_port())], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            peak[0] = max(peak[0], sum(status_mb(p, "VmRSS") for p in process_tree(proc.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            key = dg.AssetKey("warehouse_document")
            while True:
                if time.time() - started > timeout:
                    raise SystemExit(f"dagster dev: not every document materialised in {timeout:.0f} s "
                                     f"(see {work / 'dagster_dev.log'})")
                if proc.poll() is not None:
                    raise SystemExit(f"dagster dev exited ({proc.returncode}): {work / 'dagster_dev.log'}")
                runs = instance.get_run_records()
                if (runs and len(instance.get_materialized_partitions(key)) >= len(files)
                        and all(r.dagster_run.status.value in FINISHED for r in runs)):
                    break
                time.sleep(0.5)
            views = dg.AssetKey(["views", "v_document"])  # the views_after_loads sensor's run, after the batch
            while instance.get_latest_materialization_event(views) is None and time.time() - started < timeout:
                time.sleep(0.5)
            ticks = [t for s in instance.all_instigator_state() if s.name == "new_documents"
                     for t in instance.get_ticks(s.instigator_origin_id, s.selector_id)]
            first_tick = min(t.timestamp for t in ticks)
            materialised = max(r.event_log_entry.timestamp for r in instance.fetch_materializations(
                key, limit=len(files) * 3).records)
            runs_done = max(r.end_time for r in runs)
            timeline = _timeline(instance, runs[-1].dagster_run.run_id, first_tick)
            view_event = instance.get_latest_materialization_event(views)
            if view_event:
                timeline["views materialised (refresh_views run)"] = round(view_event.timestamp - first_tick, 2)
            return SensorRun(materialised - first_tick, runs_done - first_tick, len(runs), peak[0],
                             first_tick - started, timeline)
    finally:
        done.set()
        sampler.join()
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _timeline(instance, run_id: str, first_tick: float) -> dict[str, float]:
    """When each stage of a run began, in seconds after the first tick: created (the tick's request),
    started (dequeued, its process up), each step started, first and last document materialised, ended."""
    import dagster as dg

    record = instance.get_run_record_by_id(run_id)
    marks = {"run created": record.create_timestamp.timestamp(), "run started": record.start_time}
    events = instance.all_logs(run_id)
    for e in events:
        if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            marks[f"step {e.dagster_event.step_key} started"] = e.timestamp
    loads = [e.timestamp for e in events if e.dagster_event and e.dagster_event.is_step_materialization
             and e.dagster_event.asset_key == dg.AssetKey("warehouse_document")]
    if loads:
        marks |= {"first document materialised": min(loads), "last document materialised": max(loads)}
    marks["run ended"] = record.end_time
    return {k: round(v - first_tick, 2) for k, v in marks.items()}


if __name__ == "__main__":
    import tempfile

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus" / "real"
    with tempfile.TemporaryDirectory() as tmp:
        print(sensor_run(corpus, Path(tmp)))
