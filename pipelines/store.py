"""The one place that knows the data folder's layout.

data/raw/<sha256[:2]>/<sha256>.pdf    every original, unchanged, read-only, named by its content
data/raw/<sha256[:2]>/<sha256>.sources  every path or URL it came from, one a line
data/raw/<sha256[:2]>/<sha256>.repaired.pdf / .decrypted.pdf  derived copies a document is read from
data/raw/.stat/<h[:2]>/<h>.json        a local file's size, mtime_ns and inode when it was stored, and its
                                      sha256 (h: the sha256 of its path): a rerun does not read it again
data/extracted/<sha256>.json          what was extracted from it
data/fetch_log.jsonl, data/budgetdw.log  the crawl's memory and the runs' log
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


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


def store_raw(path: Path, raw_dir: Path, source_uri: str | None = None) -> SourceDocument:
    """Copy a local PDF into raw_dir/<sha[:2]>/<sha>.pdf unless that content is already there.

    A file the raw store has recorded under this path, unchanged since (`recorded_sha256`), is not read
    at all: a rerun with nothing new costs a stat and a small read per file, not a hash of every input.
    Otherwise it is hashed, and its size, mtime_ns and inode are recorded with the digest."""
    path = Path(path)
    source_uri = source_uri or path_text(path.resolve())
    before = os.stat(path)
    digest = recorded_sha256(path, raw_dir, source_uri)
    if digest:
        return store_raw_as(path, raw_dir, source_uri, digest)
    doc = store_raw_as(path, raw_dir, source_uri)
    _record_stat(path, raw_dir, source_uri, doc.sha256, before)
    return doc


# A file modified less than this before it is recorded is not recorded: a change within the file system's
# timestamp granularity (a jiffy on ext4, 2 s on FAT) would leave size and mtime as recorded (git's
# "racily clean" entries). Such a file is hashed again next time, and recorded then.
RECENT_NS = 2_000_000_000
STAT_DIR = ".stat"


def _stat_record(raw_dir: Path, source_uri: str) -> Path:
    h = hashlib.sha256(source_uri.encode("utf-8")).hexdigest()
    return raw_dir / STAT_DIR / h[:2] / f"{h}.json"


def _stat_key(st: os.stat_result) -> dict[str, int]:
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def recorded_sha256(path: Path, raw_dir: Path, source_uri: str | None = None) -> str | None:
    """The sha256 the raw store recorded for the local file at `path` (`source_uri`: its path as store_raw
    records it), when the file's size, mtime_ns and inode are still those recorded and the original is still
    stored; else None (no record: a raw store written before records were kept, a new or changed file)."""
    source_uri = source_uri or path_text(Path(path).resolve())
    try:
        record = json.loads(_stat_record(raw_dir, source_uri).read_text(encoding="utf-8"))
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("path") != source_uri:
        return None
    if {k: record.get(k) for k in ("size", "mtime_ns", "inode")} != _stat_key(st):
        return None
    digest = record.get("sha256")
    if not isinstance(digest, str) or not stored_path(raw_dir, digest).exists():
        return None
    return digest


def local_sha256(path: Path, raw_dir: Path, source_uri: str | None = None) -> str:
    """A local file's sha256: the raw store's record of it when it is unchanged since, else read."""
    return recorded_sha256(path, raw_dir, source_uri) or sha256_file(path)


def _record_stat(path: Path, raw_dir: Path, source_uri: str, digest: str, before: os.stat_result) -> None:
    """Record the file's size, mtime_ns and inode with its digest, if it is still as it was before it was
    hashed and was not modified in the last RECENT_NS. Failing to record only costs a hash next time."""
    try:
        st = os.stat(path)
        if _stat_key(st) != _stat_key(before) or time.time_ns() - st.st_mtime_ns < RECENT_NS:
            return
        target = _stat_record(raw_dir, source_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps({"path": source_uri, "sha256": digest, **_stat_key(st)}), encoding="utf-8")
        tmp.replace(target)  # atomic: a reader sees the old record or the new one
    except OSError as exc:
        log.debug("could not record %s in the raw store: %s", source_uri, exc)


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
