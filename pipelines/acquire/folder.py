"""Local inputs: PDF files named directly, or found in folders."""

from __future__ import annotations

from pathlib import Path


def find_pdfs(paths: list[Path], exclude: list[Path] = (), refused: list[tuple[Path, str]] | None = None) -> list[Path]:
    """PDF files named directly, or found (recursively, sorted) in named folders.

    Folders in `exclude` (the data dir with its raw store and repaired copies) are never searched,
    so ingesting “.” does not ingest budgetdw's own copies. A symbolic link inside a folder that leads
    out of it (to /etc/passwd, to another disk) is not followed: it is added to `refused` as (path,
    reason), for the caller to report. Links within the folder are followed; a file named directly is
    taken wherever it leads.
    """
    skip = [Path(e).resolve() for e in exclude]
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            top = p.resolve()
            for q in sorted(p.rglob("*")):
                if q.suffix.lower() != ".pdf" or not q.is_file():
                    continue
                target = q.resolve()
                if any(target.is_relative_to(s) for s in skip):
                    continue
                if not target.is_relative_to(top):
                    if refused is not None:
                        refused.append((q, f"a symbolic link to {target}, outside the folder {p}; not followed"))
                    continue
                found.append(q)
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return found


def is_url(text: str) -> bool:
    return str(text).startswith(("http://", "https://"))
