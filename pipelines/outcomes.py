"""What a run keeps of each document for its summary and report: on disk as the document is done, not in
memory, so that the main process of a run of 30,000 documents is as small as one of 18 (issue 26.5)."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from pipelines.model import DocumentOutcome


class RunOutcomes(Sequence[DocumentOutcome]):
    """The run's DocumentOutcomes, each pickled into an unnamed temporary file as it is added; in memory only
    where each one starts. A sequence in the order `in_order` gives (the inputs'), read back one at a time;
    the file goes when the object does."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=directory, prefix="outcomes-")
        self._where: dict[str, tuple[int, int]] = {}  # sha256 → offset and length of its pickle
        self._order: list[str] = []

    def add(self, outcome: DocumentOutcome) -> None:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(data)
        if outcome.source.sha256 not in self._where:
            self._order.append(outcome.source.sha256)
        self._where[outcome.source.sha256] = (offset, len(data))

    def in_order(self, sha256s: Iterable[str]) -> RunOutcomes:
        """Order the outcomes as `sha256s` (the inputs' order, not the order they finished in)."""
        position = {sha: i for i, sha in enumerate(sha256s)}
        self._order.sort(key=position.__getitem__)
        return self

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> DocumentOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> list[DocumentOutcome]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._read(sha) for sha in self._order[index]]
        return self._read(self._order[index])

    def __iter__(self) -> Iterator[DocumentOutcome]:
        for sha in list(self._order):
            yield self._read(sha)

    def _read(self, sha256: str) -> DocumentOutcome:
        offset, length = self._where[sha256]
        self._file.seek(offset)
        return pickle.loads(self._file.read(length))
