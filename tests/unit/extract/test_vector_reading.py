"""What camelot's vector engine is asked to read (pipelines/extract/tables.py): only pages that draw
paths, with its text layout's box ordering off. Both save time and neither may change a cell."""

from __future__ import annotations

from pathlib import Path

import camelot
from conftest import real_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipelines.extract.pdftext import PdfText
from pipelines.extract.tables import LAYOUT, extract_tables

# 上海市普陀区社会福利院 2024 unit budget: six pages of prose, nine of ruled tables, a closing page of prose.
WELFARE_HOME = "sh-putuo-welfare-home_2024_unit-budget.pdf"
PROSE_PAGES = [1, 2, 3, 4, 5, 6, 16]
TABLE_PAGES = list(range(7, 16))


def _cells(path: Path, pages: list[int], **kwargs) -> list[list[list[str]]]:
    tables = camelot.read_pdf(str(path), pages=",".join(map(str, pages)), flavor="lattice", split_text=True,
                              suppress_stdout=True, **kwargs)
    return [t.data for t in tables]


def test_pages_of_prose_draw_no_paths_and_the_vector_engine_finds_no_grid_on_them():
    path = real_pdf(WELFARE_HOME)
    with PdfText(path) as pdf:
        assert [p.number for p in pdf.pages if not pdf.draws_paths(p.number)] == PROSE_PAGES
        # So leaving them out loses nothing: camelot finds no table there.
        assert _cells(path, PROSE_PAGES) == []
        tables = extract_tables(pdf)
    assert sorted({p for t in tables for p in t.pages}) == TABLE_PAGES
    assert tables[0].pages == [7] and tables[0].body_rows[0][:2] == ["一、财政拨款收入", "9,501,164"]


def test_box_ordering_off_reads_the_same_cells_as_camelots_defaults():
    path = real_pdf(WELFARE_HOME)
    ours = _cells(path, TABLE_PAGES, layout_kwargs=LAYOUT)
    assert ours == _cells(path, TABLE_PAGES)
    assert ["1、一般公共预算资金", "9,501,164", "二、社会保障和就业支出", "11,281,624", "6,540,674", "2,120,950",
            "2,620,000"] in ours[0]


def _pdf(path: Path, *, grid_in_form: bool) -> Path:
    """A page of text; with `grid_in_form`, a ruled grid drawn inside a form XObject, as some producers
    wrap a whole page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 800, "Budget 2025")
    if grid_in_form:
        c.beginForm("grid")
        for i in range(4):
            c.line(72, 700 - 20 * i, 372, 700 - 20 * i)
            c.line(72 + 100 * i, 700, 72 + 100 * i, 640)
        c.endForm()
        c.doForm("grid")
    c.showPage()
    c.save()
    return path


def test_paths_inside_a_form_xobject_count_and_text_alone_draws_none(tmp_path):
    with PdfText(_pdf(tmp_path / "form.pdf", grid_in_form=True)) as pdf:
        assert pdf.draws_paths(1)
    with PdfText(_pdf(tmp_path / "text.pdf", grid_in_form=False)) as pdf:
        assert not pdf.draws_paths(1)
