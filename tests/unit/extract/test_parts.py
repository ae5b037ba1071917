"""Which part of its disclosure a file holds, from its content (the corpus cases are in
tests/integration/test_disclosure_parts.py)."""

from pipelines.extract.parts import FULL, NARRATIVE, TABLES, attachment_note, document_part, prose_sentences
from pipelines.extract.pdftext import Page


def _pages(*texts):
    return [Page(i + 1, text, 595.0, 842.0) for i, text in enumerate(texts)]


PROSE = "一、部门主要职责。负责本部门工作。二、收支预算情况。收入预算 9,146.79 万元。支出预算 9,146.79 万元。基本支出。"


def test_notes_that_the_tables_are_elsewhere():
    # Jiangsu (js-cppcc-office 2017 p.7), Beijing (p.8), a note broken over two lines (Beijing
    # 规划和自然资源委员会 p.12).
    assert attachment_note(_pages("", "2017 年度部门预算公开表附后。")) == (2, "2017年度部门预算公开表附后。")
    assert attachment_note(_pages("附件：北京市人民政府办公厅 2026 年度部门预算报表")) == (
        1, "附件：北京市人民政府办公厅2026年度部门预算报表")
    assert attachment_note(_pages("附件：北京市规划和自然资源委员会 2026 年度部门预\n算报表")) == (
        1, "附件：北京市规划和自然资源委员会2026年度部门预算报表")
    # Prose mentioning tables is no such note.
    assert attachment_note(_pages("详细情况见下表。", "政府采购预算表中列示。",
                                  "第二部分 2026 年度部门预算报表")) is None


def test_a_narrative_prints_no_budget_table_and_says_where_they_are():
    pages = _pages("目录\n第二部分 2026 年度部门预算报表", PROSE, "附件：北京市公安局 2026 年度部门预算报表")
    assert document_part(pages, [], [], [1], None, claims=34) == NARRATIVE
    # A 目录 listing tables says as much.
    assert document_part(_pages(PROSE), [], [], [], 12, claims=30) == NARRATIVE
    # Performance forms after the prose are no budget tables.
    assert document_part(pages, ["performance_targets", "unclassified"], [4], [1], None, claims=34) == NARRATIVE
    # No tables and no word of them elsewhere: a full disclosure that lost its tables (the 目录 check says so).
    assert document_part(_pages(PROSE), [], [], [], None, claims=30) == FULL


def test_a_tables_only_file_prints_no_narrative():
    tables = ["income_expenditure_summary", "income_summary", "expenditure_summary"]
    pages = _pages("收支预算总表\n部门：江苏省政协办公厅 单位：万元",
                   "收入预算总表\n注：我单位无2017年政府性基金支出安排。")
    assert prose_sentences(pages, [1, 2]) == 0
    assert document_part(pages, tables, [1, 2], [], None, claims=0) == TABLES
    # The same tables after a narrative: a full disclosure.
    full = _pages(PROSE, PROSE, "收支预算总表", "收入预算总表")
    assert document_part(full, tables, [3, 4], [], 3, claims=12) == FULL
