"""Imported by the workers' fork server, last of its preloads: the server leaves without tearing
down its interpreter.

The server leaves when the main process exits. Python would then free GX, pandas and camelot object
by object (≈0.65 s on a 2-core VM) while the server still holds the run's stdout and stderr, so
whoever reads them to the end (a scheduler, a pipe, the benchmark) waits that long after the run.
The server has nothing to save: it reads no document and writes no file (the workers forked from
it leave through os._exit already). Imported anywhere else, this module does nothing.
"""

from __future__ import annotations

import atexit
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
    # Registered last, so it runs first of the exit handlers: the others only tidy up.
    atexit.register(_leave_now)
