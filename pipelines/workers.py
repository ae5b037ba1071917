"""Where the document worker processes come from: a fork server with the heavy imports done.

Importing Great Expectations takes seconds, more than processing a typical document, even without
the libraries it loads for features budgetdw never uses (expectations/gx_import.py). The workers
are forked from a server process that imports it (and the extraction code) once, so every worker, and
every replacement of one stopped at the time limit, starts ready. `budgetdw ingest` starts it
before its own imports when the run may read documents (a new local PDF, anything to download), so
that both import at once; otherwise it starts when the first document needs reading, and a run with
nothing new never pays for it. When the run ends the server leaves at once, skipping the
interpreter's teardown (pipelines/worker_server.py).

A fork server, not plain fork: the main process may run threads (the pool's, a database
driver's), which fork would copy in an unknown state; the server is a fresh single-threaded
process. multiprocessing moves each worker to the main process's working directory, but its
environment is the server's, as it was when the server started: configure workers through their
arguments, never through environment variables set later.

Only the standard library is imported here, so that starting the server costs nothing.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
from multiprocessing import forkserver

WORKER_IMPORTS = ["pipelines.process", "expectations.gx_import"]  # what every worker needs imported
# worker_server imports WORKER_IMPORTS itself, with the collector off (see there); listed again, they
# are preloaded even where it could not tell that it runs in the server.
WORKER_PRELOAD = ["pipelines.worker_server", *WORKER_IMPORTS]


def worker_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context of the workers, its fork server started (once per process)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    forkserver.ensure_running()
    return context


def worker_pool(workers: int):
    """A pebble ProcessPool of `workers` processes forked from the server, each ready as it starts."""
    from pebble import ProcessPool

    return ProcessPool(max_workers=workers, context=worker_context(), initializer=worker_started)


def worker_started() -> None:
    """Run once in each worker as it starts (the pool's initializer).

    The garbage collector, off in the server, comes back on. The ≈200,000 objects inherited from
    the server (modules, GX's classes) live as long as the worker. The server froze them: they are
    not traversed by every full collection (≈6% of a worker's time, measured here), nor their
    pages copied by the collector writing to them.

    Log records are kept with the document being read, from INFO up; the main process writes
    them to the run's log.

    tqdm gets a thread lock: GX's progress bars (off, but tqdm objects all the same) would make it
    create its process-shared lock, a named semaphore that a worker stopped while it exits at the
    end of a run leaves behind, for the resource tracker to report on the run's stderr. Workers
    print no progress bars.
    """
    gc.freeze()  # (what the server froze already, and whatever it did not, e.g. where it was not recognised)
    gc.enable()
    # Records reach the document's log (pipelines/process.py) from INFO up, as in the main process.
    logging.getLogger().setLevel(logging.INFO)
    from tqdm import tqdm  # imported by GX already

    tqdm.set_lock(threading.RLock())
