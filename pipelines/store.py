"""The one place that knows the data folder's layout.

data/raw/<sha256[:2]>/<sha256>.pdf    every original, unchanged, read-only, named by its content
data/raw/<sha256[:2]>/<sha256>.sources  every path or URL it came from, one a line
data/raw/<sha256[:2]>/<sha256>.repaired.pdf / .decrypted.pdf  derived copies a document is read from
data/extracted/<sha256>.json          what was extracted from it
data/fetch_log.jsonl, data/budgetdw.log  the crawl's memory and the runs' log
"""

from __future__ import annotations

import functools
import hashlib
import os
from contextlib import nullcontext
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


def sha256_file(path: Path, copy_to: Path | None = None) -> str:
    """The file's sha256; with `copy_to`, the file is copied there in the same read, so the digest
    is that of exactly the bytes copied.

    Without `copy_to`, a file hashed before in this process and unchanged since (same inode, size
    and modification time) is not read again: a rerun's check for new files and its acquisition,
    or a sensor's evaluations, read each known file once.
    """
    if copy_to is None:
        st = os.stat(path)
        return _sha256_unchanged(os.path.abspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    return _read_sha256(path, copy_to)


@functools.lru_cache(maxsize=65536)
def _sha256_unchanged(path: str, dev: int, inode: int, size: int, mtime_ns: int) -> str:
    return _read_sha256(Path(path))


def _read_sha256(path: Path, copy_to: Path | None = None) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f, open(copy_to, "wb") if copy_to else nullcontext() as out:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            if out:
                out.write(chunk)
    return h.hexdigest()


def stored_path(raw_dir: Path, sha256: str) -> Path:
    """Where the raw store keeps the original with this content: raw_dir/<sha[:2]>/<sha>.pdf."""
    return raw_dir / sha256[:2] / f"{sha256}.pdf"


def store_raw(path: Path, raw_dir: Path) -> SourceDocument:
    """Copy a PDF into raw_dir/<sha[:2]>/<sha>.pdf unless that content is already there."""
    return store_raw_as(path, raw_dir, path_text(Path(path).resolve()))


def path_text(path: Path | str) -> str:
    """A file's path as text that any UTF-8 file, terminal, JSON report or database takes. A part of the
    path (a folder's or the file's name) whose bytes are not UTF-8 — a GBK name, as unzipping a Chinese
    archive leaves it — has each byte outside ASCII written %XX, as in a URL (b"\\xd4\\xa4\\xcb\\xe3.pdf",
    预算.pdf in GBK, is “%D4%A4%CB%E3.pdf”); every other part stays as it is. The file itself is read by
    its path, never by this text."""
    parts = []
    for part in os.fsencode(path).split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append("".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in part))
    return "/".join(parts)


def store_raw_as(path: Path, raw_dir: Path, source_uri: str, digest: str | None = None) -> SourceDocument:
    """store_raw for a file whose real source is elsewhere (a URL downloaded to a temp file):
    the content is stored the same way, and source_uri is what its .sources file records.
    `digest` is the file's sha256 when the caller has just computed it."""
    path = Path(path)
    source_uri = path_text(source_uri)  # (a caller's own text, made safe the same way)
    digest = digest or sha256_file(path)
    target = stored_path(raw_dir, digest)
    if not target.exists():
        # The copy is hashed as it is made and named by what it holds: a file that changed since
        # it was hashed (still being written into a watched folder) is never stored under the
        # digest of other bytes.
        raw_dir.mkdir(parents=True, exist_ok=True)
        tmp = raw_dir / f".{digest}.{os.getpid()}.part"
        try:
            digest = sha256_file(path, copy_to=tmp)
            target = stored_path(raw_dir, digest)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp.chmod(0o444)
                tmp.replace(target)  # atomic: a crash never leaves a half-written original
        finally:
            tmp.unlink(missing_ok=True)
    # The same content under several names or URLs is one document with several sources.
    sources = target.with_suffix(".sources")
    known = sources.read_text(encoding="utf-8").splitlines() if sources.exists() else []
    if source_uri not in known:
        with open(sources, "a", encoding="utf-8") as f:
            f.write(source_uri + "\n")
    return SourceDocument(digest, source_uri, target, target.stat().st_size)


def load_raw(sha256_prefix: str, raw_dir: Path) -> SourceDocument:
    """A stored original by (a prefix of) its sha256, under the first of its sources in code-point order, as
    `budgetdw ingest` reads a content that came under several names (pipelines/run.py acquire): not the first
    recorded, which depends on the order files happened to arrive in."""
    matches = sorted((raw_dir / sha256_prefix[:2]).glob(f"{sha256_prefix}*.pdf"))
    if len(matches) != 1:
        raise FileNotFoundError(f"{len(matches)} stored PDFs match {sha256_prefix!r} in {raw_dir}")
    target = matches[0]
    sources = target.with_suffix(".sources")
    names = sources.read_text(encoding="utf-8").splitlines() if sources.exists() else []
    uri = min(filter(None, names), default=str(target))
    return SourceDocument(target.stem, uri, target, target.stat().st_size)
