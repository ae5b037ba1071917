"""The fetch log, <data_dir>/fetch_log.jsonl: one JSON line per request, the crawl's memory between runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from pipelines.acquire.results import PAGE_READ, STORED_OUTCOMES, UNCHANGED

FETCH_LOG_NAME = "fetch_log.jsonl"


class FetchLog:
    """Append-only JSON lines, one per URL visited; remembers the latest good state of every URL."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @cached_property
    def _state(self) -> dict[str, dict]:
        """Read on first use: storing a folder's files (the sensor's, every minute) never needs it,
        and the log grows with every night's crawl."""
        state: dict[str, dict] = {}
        if self.path.exists():
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue  # a line cut by a crash
                    if isinstance(entry, dict) and "url" in entry:
                        _remember(state, entry)
        return state

    def known(self, url: str) -> dict | None:
        """The latest entry for url that stored a PDF or read a page, or None."""
        return self._state.get(url)

    def append(self, entry: dict) -> dict:
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        _remember(self._state, entry)
        return entry


def _remember(state: dict[str, dict], entry: dict) -> None:
    """Keep the latest entry of each URL that stored a PDF or read a page."""
    if entry.get("outcome") in STORED_OUTCOMES and entry.get("sha256"):
        state[entry["url"]] = entry
    elif entry.get("outcome") == PAGE_READ or (entry.get("outcome") == UNCHANGED and entry.get("kind") != "pdf"):
        state[entry["url"]] = entry
