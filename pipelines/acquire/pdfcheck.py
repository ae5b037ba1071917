"""Is it a whole PDF: the checks every download and every folder file pass before they are stored."""

from __future__ import annotations

from pathlib import Path

HEAD_BYTES = 1024  # %PDF- must appear within the first 1024 bytes, %%EOF within the last 1024


def looks_like_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:HEAD_BYTES]


def has_eof(path: Path) -> bool:
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - 4 * HEAD_BYTES))
        tail = f.read().rstrip(b"\x00\r\n\t \x0c")
    return b"%%EOF" in tail[-HEAD_BYTES:]


def snippet(head: bytes) -> str:
    """The start of a body that is not a PDF, for a message."""
    text = head[:60].decode("utf-8", errors="replace")
    return " ".join(text.split())[:40]
