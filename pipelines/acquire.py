"""Acquire: find PDFs and keep every original unchanged in a content-addressed raw store."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceDocument:
    sha256: str
    source_uri: str  # where it came from (path or URL)
    raw_path: Path  # write-once copy under the raw store, named by content
    size: int

    @property
    def name(self) -> str:
        return Path(self.source_uri).name


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_pdfs(paths: list[Path]) -> list[Path]:
    """PDF files named directly, or found (recursively, sorted) in named folders."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return found


def store_raw(path: Path, raw_dir: Path) -> SourceDocument:
    """Copy a PDF into raw_dir/<sha[:2]>/<sha>.pdf unless that content is already there."""
    path = Path(path)
    digest = sha256_file(path)
    target = raw_dir / digest[:2] / f"{digest}.pdf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)  # atomic: a crash never leaves a half-written original
        target.chmod(0o444)
    return SourceDocument(digest, str(path.resolve()), target, path.stat().st_size)
