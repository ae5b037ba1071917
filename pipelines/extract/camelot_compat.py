"""The two places budgetdw reaches into camelot's internals, pinned to camelot-py 2.0.0.

Both change what camelot finds, not how fast: without them real tables are missed. They are
patched only for the duration of one `read_pdf` call (`camelot_patched`), and
tests/unit/extract/test_camelot_compat.py fails when camelot's version or the names used here
change, so an upgrade is a deliberate step.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

CAMELOT_VERSION = "2.0.0"

# Longest side of a thin filled shape that is still a ruling line, not a glyph drawn as a path.
RULE_MIN_LENGTH = 6.0


@contextmanager
def camelot_patched() -> Iterator[None]:
    """Run camelot with both adjustments below in force."""
    with _keep_sparse_grids(), _rules_drawn_as_thin_shapes():
        yield


@contextmanager
def _rules_drawn_as_thin_shapes() -> Iterator[None]:
    """Let camelot's vector engine see ruling lines drawn as thin filled paths that are not exact
    rectangles (Guangzhou and Zhuhai, 表1-12: a 0.75 pt bar whose corners are 797.25 and 798). The
    PDF layer reports them as curves, which the engine ignores, so it finds no grid on the page."""
    from camelot import image_processing
    from playa.miner import LTCurve, LTLine, LTRect

    original = image_processing._ruled_lines_from_layout
    tol = image_processing._LINE_AS_THIN_RECT_TOL

    def with_thin_shapes(layout):
        out = original(layout)
        for obj in image_processing._walk_layout_objects(layout):
            if (not isinstance(obj, LTCurve) or isinstance(obj, (LTLine, LTRect)) or not getattr(obj, "fill", False)
                    or getattr(obj, "stroke", False)):
                continue
            width, height = obj.x1 - obj.x0, obj.y1 - obj.y0
            if min(width, height) <= tol and max(width, height) >= RULE_MIN_LENGTH:
                if width >= height:
                    out.append((obj.x0, (obj.y0 + obj.y1) / 2, obj.x1, (obj.y0 + obj.y1) / 2))
                else:
                    out.append(((obj.x0 + obj.x1) / 2, obj.y0, (obj.x0 + obj.x1) / 2, obj.y1))
        return out

    image_processing._ruled_lines_from_layout = with_thin_shapes
    try:
        yield
    finally:
        image_processing._ruled_lines_from_layout = original


@contextmanager
def _keep_sparse_grids() -> Iterator[None]:
    """Let camelot keep ruled grids that are mostly blank.

    camelot 2.0 drops lattice grids that are ≥90% whitespace as detection noise; a table printed
    as “本表无数据” (header and an empty 合计 row) is exactly such a grid, and it must be kept as
    present and empty. Grids with no text at all are still dropped.
    """
    from camelot import handlers
    from camelot.parsers import Lattice

    class LatticeKeepingEmptyTables(Lattice):
        def _reject_table(self, table) -> bool:
            return not any(c.text.strip() for row in table.cells for c in row)

    original = handlers.PARSERS["lattice"]
    handlers.PARSERS["lattice"] = LatticeKeepingEmptyTables
    try:
        yield
    finally:
        handlers.PARSERS["lattice"] = original
