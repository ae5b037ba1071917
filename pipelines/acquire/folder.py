"""Local inputs: PDF files named directly, or found in folders."""

from __future__ import annotations

from pathlib import Path


def find_pdfs(paths: list[Path], exclude: list[Path] = ()) -> list[Path]:
    """PDF files named directly, or found (recursively, sorted) in named folders.

    Folders in `exclude` (the data dir with its raw store and repaired copies) are never searched,
    so ingesting “.” does not ingest budgetdw's own copies.
    """
    skip = [Path(e).resolve() for e in exclude]
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(
                q for q in p.rglob("*")
                if q.is_file() and q.suffix.lower() == ".pdf"
                and not any(q.resolve().is_relative_to(s) for s in skip)))
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return found


def is_url(text: str) -> bool:
    return str(text).startswith(("http://", "https://"))
