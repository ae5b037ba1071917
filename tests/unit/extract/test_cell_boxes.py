"""Every table cell keeps its box on the page (issue 23 part 3): the box, in PDF points of the unrotated
page, holds the text printed in the cell, read back through pdfium's text layer."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import REFERENCE_PDF, REPO

from pipelines.extract.pdftext import PdfText
from pipelines.extract.tables import extract_tables
from pipelines.money import clean_cell
from pipelines.normalise.tables import normalise_table

YANTAI = REPO.parent / "shared" / "corpus" / "national" / "025_烟台" / "2026年烟台市工业和信息化局部门预算.pdf"


def cells_of(path: Path, pages: list[int] | None = None):
    with PdfText(path) as pdf:
        skip = [p.number for p in pdf.pages if pages and p.number not in pages]
        tables = extract_tables(pdf, skip_pages=skip)
    return [(t.table, c) for t in (normalise_table(t, "万元", path.name) for t in tables) for c in t.cells]


def text_in_box(doc: pdfium.PdfDocument, page: int, box) -> str:
    x0, y0, x1, y1 = box
    return "".join(doc[page - 1].get_textpage().get_text_bounded(left=x0, bottom=y0, right=x1, top=y1).split())


def test_each_cell_box_holds_its_printed_amount():
    cells = cells_of(REFERENCE_PDF)
    doc = pdfium.PdfDocument(str(REFERENCE_PDF))
    assert len(cells) > 200
    for table, c in cells:
        assert c.bbox is not None, (table.title, c.row_label, c.column_name)
        assert clean_cell(text_in_box(doc, c.page, c.bbox)) == clean_cell(c.amount.printed), (table.title, c)
    # p.9, 2025年预算支出总表, 合计 row: 5174.47 | 4214.92 | 959.55, left to right, on one line
    total = {c.column_name: c for t, c in cells if t.title == "2025年预算支出总表" and c.row_label == "合计"}
    boxes = [total[f"2025年预算数/{m}"].bbox for m in ("合计", "基本支出", "项目支出")]
    assert [total[f"2025年预算数/{m}"].amount.printed for m in ("合计", "基本支出", "项目支出")] == [
        "5174.47", "4214.92", "959.55"]
    assert boxes[0][2] <= boxes[1][0] and boxes[1][2] <= boxes[2][0]  # side by side
    assert boxes[0][1] == boxes[1][1] == boxes[2][1]  # on one row


def test_boxes_of_a_rotated_page_are_in_the_unrotated_frame():
    # Yantai prints 公开表2-12 landscape on portrait media (/Rotate 90): camelot reads the page as shown,
    # the box is kept where pdfium's text layer has the text.
    if not YANTAI.exists():
        pytest.skip(f"national corpus not found at {YANTAI.parent}")
    doc = pdfium.PdfDocument(str(YANTAI))
    assert doc[9].get_rotation() == 90
    cells = cells_of(YANTAI, [10])
    assert cells
    for _, c in cells:
        assert clean_cell(text_in_box(doc, c.page, c.bbox)) == clean_cell(c.amount.printed)
    # p.10 收入总体情况表, 合计 row: 合计 5,328.06, 财政拨款收入/小计 5,298.06
    total = {c.column_name: c.amount.printed for _, c in cells if c.row_label == "合计"}
    assert total["合计"] == "5,328.06" and total["财政拨款收入/小计"] == "5,298.06"
