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
import threading
from multiprocessing import forkserver
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pebble import ProcessPool

# What every worker needs imported: the pipeline, and Great Expectations with budgetdw's custom
# expectation registered.
WORKER_IMPORTS = ["pipelines.process", "expectations.custom"]


def worker_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context of the workers, its fork server started (once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_IMPORTS)
    forkserver.ensure_running()
    return context


def worker_pool(workers: int) -> ProcessPool:
    """A pebble ProcessPool of `workers` processes forked from the server, each ready as it starts."""
    from pebble import ProcessPool

    return ProcessPool(max_workers=workers, context=worker_context(), initializer=worker_started)


def worker_started() -> None:
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
