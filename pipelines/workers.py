"""Where the document worker processes come from: multiprocessing's fork server, with the heavy
imports preloaded (`set_forkserver_preload`).

Importing Great Expectations takes seconds, more than processing a typical document. The fork
server imports it (and the extraction code) once, so every worker, and every replacement of one
stopped at the time limit, starts ready. `budgetdw ingest` starts the server before its own
imports when the run may read documents (a new local PDF, anything to download), so that both
import at once; otherwise it starts when the first document needs reading, and a run with nothing
new never pays for it.

A fork server, not plain fork: the main process may run threads (the pool's, a database
driver's), which fork would copy in an unknown state; the server is a fresh single-threaded
process. multiprocessing moves each worker to the main process's working directory, but its
environment is the server's, as it was when the server started: configure workers through their
arguments, never through environment variables set later.

Only the standard library is imported here, so that starting the server costs nothing.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from multiprocessing import forkserver
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pebble import ProcessPool

# What every worker needs imported: the pipeline, and Great Expectations (without the libraries it
# imports for features budgetdw never uses) with budgetdw's custom expectation registered.
WORKER_IMPORTS = ["pipelines.process", "expectations.lazy_gx"]


def worker_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context of the workers, its fork server started (once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_IMPORTS)
    forkserver.ensure_running()
    return context


def worker_pool(workers: int, memory_limit_mb: int | None = None, marker_dir: str | None = None) -> ProcessPool:
    """A pebble ProcessPool of `workers` processes forked from the server, each ready as it starts, each
    limited to `memory_limit_mb` of address space (None or 0: no limit); see limit_memory()."""
    from pebble import ProcessPool

    return ProcessPool(max_workers=workers, context=worker_context(), initializer=worker_started,
                       initargs=(memory_limit_mb, marker_dir))


def worker_started(memory_limit_mb: int | None = None, marker_dir: str | None = None) -> None:
    """Run once in each worker as it starts (the pool's initializer).

    Log records are kept with the document being read, from INFO up; the main process writes
    them to the run's log.

    tqdm gets a thread lock: GX's progress bars (off, but tqdm objects all the same) would make it
    create its process-shared lock, a named semaphore that a worker stopped while it exits at the
    end of a run leaves behind, for the resource tracker to report on the run's stderr. Workers
    print no progress bars.
    """
    # Records reach the document's log (pipelines/process.py) from INFO up, as in the main process.
    logging.getLogger().setLevel(logging.INFO)
    from tqdm import tqdm  # imported by GX already

    tqdm.set_lock(threading.RLock())
    if memory_limit_mb:
        limit_memory(memory_limit_mb << 20, marker_dir)


def limit_memory(limit: int, marker_dir: str | None) -> None:
    """Bound this worker's address space (RLIMIT_AS) to `limit` bytes: a decompression bomb that would
    inflate a content stream to gigabytes fails its document alone, not the machine. Python code then
    meets a MemoryError; a PDF library (pdfium) that cannot allocate aborts the worker instead. So that
    such a death can be told from a crash, a watcher notes in `marker_dir/worker-<pid>.memory` while the
    worker's address space is near the limit (≥ 80 %), and clears the note when it falls back."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    if marker_dir:
        threading.Thread(target=_watch_memory, args=(limit, memory_marker(marker_dir, os.getpid())),
                         name="budgetdw-memory-watch", daemon=True).start()


def memory_marker(marker_dir: str, pid: int) -> str:
    """Where a worker notes that it is near its memory limit."""
    return os.path.join(marker_dir, f"worker-{pid}.memory")


def _watch_memory(limit: int, marker: str, every: float = 0.02) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    near = False
    while True:
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * page
        if size >= 0.8 * limit and not near:
            os.makedirs(os.path.dirname(marker), exist_ok=True)
            with open(marker, "w") as f:
                f.write(str(size))
            near = True
        elif size < 0.5 * limit and near:
            os.unlink(marker)
            near = False
        time.sleep(every)
