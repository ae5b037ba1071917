"""The note a template prints under an empty table is kept with the table (issue 23: the last false
alarms of the labelled set, tests/fixtures/flags/labelled.json, were these notes not recognised)."""

import pytest
from conftest import real_pdf

from pipelines.catalog import EMPTY_TABLE_WORDS
from pipelines.extract.pdftext import PdfText
from pipelines.extract.tables import extract_tables


@pytest.mark.parametrize("name, page, note", [
    # Jiangsu 2017 表七, under a grid printing only its 合计 row
    ("js-cppcc-office_2017_dept-budget-tables.pdf", 7, "注：我单位无2017年政府性基金支出安排。"),
    # Jiangsu 2018 公开10表
    ("js-cppcc-office_2018_dept-budget-tables.pdf", 10, "注：本部门无该项目"),
    # Jiangsu 2017 (a full disclosure): the note in brackets, half-width opening, full-width closing
    ("js-npc-office_2017_dept-budget.pdf", 15, "(无政府性基金支出）"),
])
def test_the_note_under_an_empty_table_is_kept(name, page, note):
    with PdfText(real_pdf(name)) as pdf:
        tables = extract_tables(pdf, skip_pages=[p.number for p in pdf.pages if p.number != page])
    fund = [t for t in tables if t.title == "财政拨款政府性基金支出预算表"]
    assert len(fund) == 1 and fund[0].empty
    assert fund[0].note == note


@pytest.mark.parametrize("line", ["此表为空", "说明：本部门无相关收支项目。", "注：本部门无该项目", "无",
                                  "注：我单位无2017年政府性基金支出安排。", "(无政府性基金支出）", "（无三公经费支出）",
                                  "本部门无该项目。"])
def test_empty_table_wordings(line):
    assert EMPTY_TABLE_WORDS.search(line)


@pytest.mark.parametrize("line", ["财政拨款政府性基金支出预算表", "2026年政府采购预算表", "单位：万元",
                                  "无偿援助支出", "其中：无形资产购置", "无息贷款收入"])
def test_titles_and_labels_are_not_empty_table_notes(line):
    assert not EMPTY_TABLE_WORDS.search(line)
