"""How far a long run is: N/M and the time left, for a person at a terminal and for a CI log.

On a terminal a one-line bar is redrawn in place on stderr (cleared before any other line is printed,
so the per-document lines stay whole). In a log (stderr not a TTY, or TERM=dumb) nothing is redrawn:
a plain line every `every` seconds of a step, so a long run shows it is moving and a short one prints
nothing more than its own lines.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
CLEAR_LINE = "\r\x1b[K"


def clock_text(seconds: float) -> str:
    """0:42, 12:05, 1:02:05."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """One step at a time (`start`), advanced item by item (`advance`); `echo` prints a line of its own
    around the bar."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, every: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        if tty is None:
            tty = bool(getattr(self.stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"
        self.tty, self.every, self.clock = tty, every, clock
        self.step: str | None = None
        self.unit = ""
        self.total: int | None = None
        self.done = 0
        self.started = self.last_line = 0.0
        self.drawn = False

    def start(self, step: str, total: int | None = None, unit: str = "") -> None:
        """A new step: `total` items when known (documents to read), else a count so far (a crawl)."""
        self.clear()
        self.step, self.total, self.unit, self.done = step, total, unit, 0
        self.started = self.last_line = self.clock()
        self.draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.draw()

    def text(self) -> str:
        elapsed = self.clock() - self.started
        unit = f" {self.unit}" if self.unit else ""
        if not self.total:
            return f"{self.step}: {self.done}{unit} so far, {clock_text(elapsed)} elapsed"
        share = min(1.0, self.done / self.total)
        filled = math.floor(share * BAR_WIDTH)
        left = f"{clock_text(elapsed / self.done * (self.total - self.done))} left" if self.done else "time left: …"
        return (f"{self.step}: {self.done}/{self.total}{unit} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{share:4.0%}, {left}")

    def draw(self) -> None:
        if self.step is None:
            return
        if self.tty:
            self.stream.write(CLEAR_LINE + self.text())
            self.stream.flush()
            self.drawn = True
        elif self.clock() - self.last_line >= self.every:
            self.stream.write(self.text() + "\n")
            self.stream.flush()
            self.last_line = self.clock()

    def clear(self) -> None:
        if self.drawn:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.drawn = False

    def echo(self, line: str, out: Callable[[str], None] | None = None) -> None:
        """Print a line (with `out`, e.g. click.echo to stdout) without tearing the bar."""
        self.clear()
        (out or (lambda s: self.stream.write(s + "\n")))(line)
        if self.tty:
            self.draw()

    def close(self) -> None:
        self.clear()
        self.step = None
