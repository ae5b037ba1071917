"""Extraction on real published documents (../shared/corpus/real)."""

from decimal import Decimal

from conftest import real_pdf

from pipelines.model import PUBLISHED, QUARANTINED
from pipelines.process import process_document
from pipelines.store import store_raw


def _process(name, tmp_path):
    return process_document(store_raw(real_pdf(name), tmp_path / "raw"))


def test_shanghai_unit_budget_in_yuan(tmp_path):
    doc = _process("sh-putuo-justice_2026_unit-budget.pdf", tmp_path)
    ident = doc.identity
    assert (ident.unit_name, ident.fiscal_year, ident.doc_kind, ident.money_unit) == (
        "上海市普陀区司法局", 2026, "unit_budget", "元")
    assert doc.totals.income_total == Decimal("86959408.34")
    assert doc.totals.expenditure_total == Decimal("86959408.34")
    spend = next(t for t in doc.tables if t.table.code == "expenditure_summary")
    assert spend.table.pages == [11, 12]
    # Subject codes printed split into 类/款/项 columns are joined into 7-digit codes.
    row = next(r for r in spend.subject_rows if r.subject_code == "2040604")
    assert row.subject_name == "基层司法业务"
    assert row.parent_code == "20406" and row.level == "项"
    assert row.amounts["total"].yuan == Decimal("21703947.00")
    assert row.amounts["project"].printed == "21,703,947.00"


def test_shanghai_published_error_is_caught_with_page(tmp_path):
    # The published 支出总表 prints 项目支出 64,840,547.00 on the 行政运行 (2040601) row, whose 合计
    # is 14,348,853.34 = its 基本支出: the row does not add up, and neither does 司法 (20406).
    doc = _process("sh-putuo-justice_2026_unit-budget.pdf", tmp_path)
    assert doc.status == QUARANTINED
    failed = [c for c in doc.failed_checks if c.table_seq == 3]
    assert {c.check_id for c in failed} == {"hierarchy.subject_sum", "row.total_equals_parts"}
    row_check = next(c for c in failed if c.check_id == "row.total_equals_parts")
    assert row_check.page == 11
    assert "2040601" in row_check.message
    assert row_check.observed == "79,189,400.34" and row_check.expected == "14,348,853.34"


def test_jiangsu_word_document(tmp_path):
    doc = _process("js-high-court_2017_dept-budget.pdf", tmp_path)
    ident = doc.identity
    assert (ident.unit_name, ident.fiscal_year, ident.doc_kind, ident.money_unit) == (
        "江苏省高级人民法院", 2017, "dept_budget", "万元")
    assert ident.toc_tables == 12
    assert doc.status == PUBLISHED
    assert doc.tables[0].table.code == "income_expenditure_summary"
    assert doc.tables[0].table.pages == [11, 12]


def test_text_the_vector_engine_loses_is_recovered(tmp_path):
    # On p.15 of this Word-made PDF, camelot's vector engine drops the label 上年结转和结余资金 (its
    # cell is split by a ruling line it reads from the drawing operators); the page is read again
    # with the rendering engine.
    doc = _process("js-procuratorate_2019_dept-budget.pdf", tmp_path)
    income = next(t for t in doc.tables if t.table.code == "income_summary")
    assert income.table.pages == [15]
    assert ["上年结转和结余资金", "小计", ""] in income.table.body_rows


def test_header_only_first_page_takes_the_columns_of_its_continuation(tmp_path):
    # js-high-court 2018 prints only “收入 | 支出” of its 财政拨款收支总表 at the foot of p.10; the
    # table goes on at the top of p.11 in four columns. Read in the two columns of p.10, names and
    # amounts were joined into one cell (“一、一般公共预算33,172.15”) and no amount was read.
    doc = _process("js-high-court_2018_dept-budget.pdf", tmp_path)
    summary = next(t for t in doc.tables if t.table.code == "appropriation_summary")
    assert summary.table.pages == [10, 11]
    assert summary.table.columns == ["收入/项目名称", "收入/金额", "支出/支出用途/项目名称", "支出/支出用途/金额"]
    assert summary.table.body_rows[0] == ["一、一般公共预算", "33,172.15", "一、基本支出", "18,570.82"]
    amounts = {(c.row_label, c.column_name): c.amount.yuan for c in summary.cells}
    assert amounts[("一、基本支出", "支出/支出用途/金额")] == Decimal("185708200.00")
    assert amounts[("收入合计", "收入/金额")] == Decimal("331721500.00")


def test_split_code_captions_printed_on_the_total_row_go_to_the_header(tmp_path):
    # The Putuo final account prints “科目编码” over 类 | 款 | 项, and 类 | 款 | 项 on the same ruled
    # line as 合计 and its amounts. Read as body, they hid the code columns: no subject row at all.
    doc = _process("sh-putuo-finance-bureau_2024_dept-final.pdf", tmp_path)
    spend = next(t for t in doc.tables if t.table.code == "expenditure_summary")
    assert spend.table.columns[:4] == ["项目/支出功能分类/科目编码/类", "项目/支出功能分类/科目编码/款",
                                       "项目/支出功能分类/科目编码/项", "项目/科目名称"]
    total = spend.subject_rows[0]
    assert (total.subject_code, total.subject_name, total.amounts["total"].yuan) == (
        None, "合计", Decimal("29400500.00"))
    row = next(r for r in spend.subject_rows if r.subject_code == "2010601")
    assert (row.subject_name, row.parent_code, row.level) == ("行政运行", "20106", "项")
    assert {k: a.yuan for k, a in row.amounts.items()} == {
        "total": Decimal("15118900.00"), "basic": Decimal("15035200.00"), "project": Decimal("83700.00")}


def test_columns_divided_only_in_the_header_are_read_as_one(tmp_path):
    # p.16: the header's line between 功能科目代码 and 功能科目名称 is right of the body's line
    # between code and name; the names landed under 功能科目代码 and no subject row was read.
    doc = _process("js-procuratorate_2019_dept-budget.pdf", tmp_path)
    table = next(t for t in doc.tables if t.table.code == "appropriation_expenditure")
    assert table.table.columns == ["功能科目代码", "功能科目名称", "金额"]
    row = next(r for r in table.subject_rows if r.subject_code == "2040410")
    assert (row.subject_name, row.parent_code, row.amounts["total"].yuan) == (
        "检察监督", "20404", Decimal("11856000.00"))
    assert len([r for r in table.subject_rows if r.subject_code]) == 16


def test_a_label_broken_by_the_page_is_joined_again(tmp_path):
    # “当 年 收 入” ends p.8 with its amount; “小计” alone begins p.9.
    doc = _process("js-npc-office_2017_dept-budget.pdf", tmp_path)
    summary = next(t for t in doc.tables if t.table.code == "income_expenditure_summary")
    assert summary.table.pages == [7, 8, 9]
    assert not any(row[0] == "小计" for row in summary.table.body_rows)
    cell = next(c for c in summary.cells if c.row_label == "当年收入小计")
    assert (cell.page, cell.amount.yuan) == (8, Decimal("136490700.00"))
