"""Extraction on real published documents (../shared/corpus/real)."""

from decimal import Decimal

from conftest import real_pdf
from pipelines.acquire import store_raw
from pipelines.process import PUBLISHED, QUARANTINED, process_document


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
