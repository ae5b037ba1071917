"""Generators of hostile variants of the reference PDF (samples/), made by the tests that need them:
nothing binary is committed where a few lines of pikepdf make it."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from conftest import REFERENCE_PDF

HUGE_AMOUNT = b"9999999999999999999.99"  # 万元: 10^23 yuan, beyond NUMERIC(20,2)


def bound_twice(out: Path) -> Path:
    """The whole budget printed twice in one file (qpdf --empty --pages S S -- out.pdf): every table,
    the 三公 table included, appears twice."""
    with pikepdf.open(REFERENCE_PDF) as src, pikepdf.new() as pdf:
        pdf.pages.extend(src.pages)
        pdf.pages.extend(src.pages)
        pdf.save(out)
    return out


def huge_amount(out: Path, page: int = 12, old: bytes = b"3307.11") -> Path:
    """One table cell (工资福利支出 in the 基本支出 economic table, physical page 13) printing
    9999999999999999999.99 万元, squeezed (horizontal scaling) so it stays inside its cell."""
    with pikepdf.open(REFERENCE_PDF) as pdf:
        content = pdf.pages[page].Contents
        data = content.read_bytes()
        assert b"(" + old + b") Tj" in data
        content.write(data.replace(b"(" + old + b") Tj", b"30 Tz (" + HUGE_AMOUNT + b") Tj 100 Tz", 1))
        pdf.save(out)
    return out


def inflating(out: Path, inflated_bytes: int) -> Path:
    """A small PDF whose first page's content stream inflates to `inflated_bytes` (spaces: a valid, empty
    content stream), as a decompression bomb does."""
    chunk = zlib.compressobj(9)
    parts = [chunk.compress(b" " * (1 << 20)) for _ in range(inflated_bytes >> 20)]
    stream = b"".join(parts) + chunk.flush()
    with pikepdf.open(REFERENCE_PDF) as pdf:
        page = pdf.pages[0]
        bomb = pikepdf.Stream(pdf, stream)
        bomb.Filter = pikepdf.Name.FlateDecode
        page.Contents = pdf.make_indirect(pikepdf.Array([bomb, page.Contents]))
        pdf.save(out)
    return out


def killed_worker(*_args) -> None:
    """A worker's task that dies as a worker killed by the OOM killer or `kill -9` does (importable by
    the workers, which have tests/ on their path)."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def republished(src: Path, out: Path, mod_date: str | None) -> Path:
    """The same document exported again: the same pages in a new file (its own sha256) whose producer wrote
    `mod_date` (PDF form, "D:20250220093000+08'00'") as its ModDate and CreationDate, or no date at all."""
    with pikepdf.open(src) as pdf:
        for key in ("/ModDate", "/CreationDate"):
            if mod_date:
                pdf.docinfo[key] = mod_date
            elif key in pdf.docinfo:
                del pdf.docinfo[key]
        pdf.docinfo["/Subject"] = f"copy {out.name}"  # two copies with one date are two files all the same
        out.parent.mkdir(parents=True, exist_ok=True)
        pdf.save(out)
    return out


def page_tree_loop(out: Path) -> Path:
    """The sample with a /Pages node put first among the root's kids whose only kid is the root again: the
    page tree loops (pdfium cannot load page 1; qpdf: “Loop detected in /Pages structure”)."""
    with pikepdf.open(REFERENCE_PDF) as pdf:
        root = pdf.Root.Pages
        kids = list(root.Kids)
        loop = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Count=1, Parent=root))
        loop.Kids = pikepdf.Array([root])
        root.Kids = pikepdf.Array([loop, *kids])
        root.Count = len(kids) + 1
        pdf.save(out)
    return out


def deep_reference_chain(out: Path, depth: int = 50_000) -> Path:
    """The sample whose every page's contents sit behind a chain of `depth` indirect objects, each holding
    the next (the last holds page 1's content stream): too deep for pdfium to follow, so no page shows
    anything. One chain shared by all pages keeps the file at ≈3 MB."""
    with pikepdf.open(REFERENCE_PDF) as pdf:
        chain = pdf.pages[0].obj.Contents
        for _ in range(depth):
            chain = pdf.make_indirect(pikepdf.Array([chain]))
        for page in pdf.pages:
            page.obj.Contents = chain
        pdf.save(out)
    return out


def read_or_die(source, *args):
    """The worker's task (pipelines.process.read_and_keep), except that a file named die.pdf kills its worker
    as `kill -9` does: one document of a batch failing in a way trying again may help."""
    if source.source_uri.endswith("die.pdf"):
        killed_worker()
    from pipelines.process import read_and_keep

    return read_and_keep(source, *args)
