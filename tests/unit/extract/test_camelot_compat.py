"""The camelot adjustments of pipelines/extract/camelot_compat.py, pinned to the camelot release
they were written for: each changes what camelot finds on a PDF drawn here, and is undone after."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import camelot
import pytest
from camelot import handlers, image_processing
from camelot.parsers import Lattice
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipelines.extract.camelot_compat import CAMELOT_VERSION, camelot_patched

ROWS, COLS, LEFT, TOP, ROW_H, COL_W = 12, 4, 72, 760, 20, 110


def _grid_pdf(path: Path, *, thin_shapes: bool, labels: dict[tuple[int, int], str]) -> Path:
    """A ruled grid; its rules drawn as stroked lines, or (Guangzhou and Zhuhai's way) as thin
    filled paths whose corners are not an exact rectangle, which the PDF layer reports as curves."""
    c = canvas.Canvas(str(path), pagesize=A4)
    right, bottom = LEFT + COLS * COL_W, TOP - ROWS * ROW_H

    def rule(x0: float, y0: float, x1: float, y1: float) -> None:
        if not thin_shapes:
            c.line(x0, y0, x1, y1)
            return
        p = c.beginPath()
        if y0 == y1:  # horizontal bar 0.75 pt high, one corner 0.25 pt off
            p.moveTo(x0, y0)
            p.lineTo(x1, y0)
            p.lineTo(x1, y0 + 0.75)
            p.lineTo(x0, y0 + 0.5)
        else:
            p.moveTo(x0, y0)
            p.lineTo(x0 + 0.75, y0)
            p.lineTo(x0 + 0.75, y1)
            p.lineTo(x0 + 0.5, y1)
        p.close()
        c.drawPath(p, stroke=0, fill=1)

    for r in range(ROWS + 1):
        rule(LEFT, TOP - r * ROW_H, right, TOP - r * ROW_H)
    for k in range(COLS + 1):
        rule(LEFT + k * COL_W, bottom, LEFT + k * COL_W, TOP)
    for (r, k), text in labels.items():
        c.drawString(LEFT + k * COL_W + 4, TOP - (r + 1) * ROW_H + 6, text)
    c.save()
    return path


def _tables_found(path: Path, patched: bool) -> int:
    def read() -> int:
        return len(camelot.read_pdf(str(path), pages="1", flavor="lattice", engine="vector", suppress_stdout=True))

    if not patched:
        return read()
    with camelot_patched():
        return read()


def test_pinned_to_the_camelot_release_and_internals_it_was_written_for():
    # An upgrade of camelot must be a deliberate step: re-measure both adjustments, then move the pin.
    assert metadata.version("camelot-py") == CAMELOT_VERSION
    assert handlers.PARSERS["lattice"] is Lattice
    assert callable(Lattice._reject_table)
    for name in ("_ruled_lines_from_layout", "_walk_layout_objects", "_LINE_AS_THIN_RECT_TOL"):
        assert hasattr(image_processing, name), name


def test_a_mostly_blank_grid_is_kept(tmp_path):
    # An empty table printed as header + 合计 (“本表无数据”): camelot drops it as ≥90% whitespace.
    pdf = _grid_pdf(tmp_path / "sparse.pdf", thin_shapes=False, labels={(0, 0): "Item", (11, 0): "Total"})
    assert _tables_found(pdf, patched=False) == 0
    assert _tables_found(pdf, patched=True) == 1


def test_a_grid_without_any_text_is_still_dropped(tmp_path):
    pdf = _grid_pdf(tmp_path / "blank.pdf", thin_shapes=False, labels={})
    assert _tables_found(pdf, patched=True) == 0


def test_rules_drawn_as_thin_filled_shapes_make_a_grid(tmp_path):
    labels = {(r, k): f"{r}.{k}" for r in range(ROWS) for k in range(COLS)}
    pdf = _grid_pdf(tmp_path / "thin.pdf", thin_shapes=True, labels=labels)
    assert _tables_found(pdf, patched=False) == 0
    with camelot_patched():
        tables = camelot.read_pdf(str(pdf), pages="1", flavor="lattice", engine="vector", suppress_stdout=True)
    assert len(tables) == 1
    assert tables[0].shape == (ROWS, COLS)
    assert tables[0].df.iloc[3, 2] == "3.2"


def test_camelot_is_left_as_it_was():
    parser, lines = handlers.PARSERS["lattice"], image_processing._ruled_lines_from_layout
    with pytest.raises(RuntimeError), camelot_patched():
        assert handlers.PARSERS["lattice"] is not parser
        assert image_processing._ruled_lines_from_layout is not lines
        raise RuntimeError("a failing read")
    assert handlers.PARSERS["lattice"] is parser
    assert image_processing._ruled_lines_from_layout is lines
