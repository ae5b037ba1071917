"""The workers' fork server: imported by it, as its first preload, it does what the server is for.

It imports what the workers need (pipelines.workers.WORKER_IMPORTS: the pipeline and Great
Expectations, seconds of imports) once, so that every worker forked from it starts ready. Python's
cyclic garbage collector is off during those imports: they create hundreds of thousands of objects
that live as long as the process, and collecting while they accumulate only traverses them again
and again (≈10% of the import time, measured here). They are then frozen, out of any later
collection's reach, and each worker turns the collector back on as it starts (the pattern the gc
module's documentation gives for a process that forks without exec: disable early, freeze before
fork, enable in the child).

The server leaves when the main process exits. Python would then free GX, pandas and camelot object
by object (≈0.65 s on a 2-core VM) while the server still holds the run's stdout and stderr, so
whoever reads them to the end (a scheduler, a pipe, the benchmark) waits that long after the run.
The server has nothing to save: it reads no document and writes no file (the workers forked from
it leave through os._exit already), so it leaves without tearing its interpreter down.

Imported anywhere else, this module does nothing.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
from multiprocessing import forkserver


def _in_fork_server() -> bool:
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            return True
        frame = frame.f_back
    return False


def _leave_now() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if _in_fork_server():
    from pipelines.workers import WORKER_IMPORTS

    gc.disable()
    for _name in WORKER_IMPORTS:
        importlib.import_module(_name)
    gc.freeze()
    # Registered after the imports' own exit handlers, so it runs first of them: they only tidy up.
    atexit.register(_leave_now)
