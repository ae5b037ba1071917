"""Final accounts (决算) as first-class documents (issue 22): totals, budget against actual.

Values read by hand from the PDFs' pages (pypdfium2 text dumps).
"""

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, real_pdf
from sqlalchemy import create_engine, text

from pipelines.process import process_document
from pipelines.run import Settings, ingest
from pipelines.store import store_raw

FINAL = "sh-putuo-finance-bureau_2024_dept-final.pdf"
BUDGET = "sh-putuo-finance-bureau_2025_dept-budget.pdf"
NATIONAL = REPO.parent / "shared" / "corpus" / "national"


def _process(path: Path, tmp_path):
    return process_document(store_raw(path, tmp_path / "raw"))


def _totals(doc) -> tuple:
    t = doc.totals
    return (t.income_total, t.current_year_income, t.carryover_in,
            t.expenditure_total, t.current_year_expenditure, t.carryover_out)


def test_a_final_accounts_totals_are_its_zongji_lines(tmp_path):
    # 收入支出决算总表 pp.6-7 (万元): 本年收入合计 2,946.25 | 本年支出合计 2,940.05; 年初结转和结余 49.14 |
    # 年末结转和结余 55.34; 总计 2,995.39 | 总计 2,995.39. The income total was taken from 本年收入合计.
    doc = _process(real_pdf(FINAL), tmp_path)
    assert _totals(doc) == (Decimal("29953900.00"), Decimal("29462500.00"), Decimal("491400.00"),
                            Decimal("29953900.00"), Decimal("29400500.00"), Decimal("553400.00"))


def test_a_budget_without_carry_overs_is_its_own_current_year(tmp_path):
    # 2025年部门财务收支预算总表 p.9 (元): 收入总计 31,214,205.80 | 支出总计 31,214,205.80, no 上年结转 line.
    doc = _process(real_pdf(BUDGET), tmp_path)
    assert _totals(doc) == (Decimal("31214205.80"), Decimal("31214205.80"), None,
                            Decimal("31214205.80"), Decimal("31214205.80"), None)


def test_a_jiangsu_budget_prints_a_blank_carry_over(tmp_path):
    # 收支总表 (万元): 当年收入小计 24,169.74, 上年结转资金 blank, 收入合计 24,169.74; 当年支出小计 24,169.74,
    # 结转下年资金 blank, 支出合计 24,169.74.
    doc = _process(real_pdf("js-procuratorate_2019_dept-budget.pdf"), tmp_path)
    total = Decimal("241697400.00")
    assert _totals(doc) == (total, total, None, total, total, None)


def test_a_budget_with_a_carry_over_adds_it_to_the_year(tmp_path):
    # 珠海市商务局 2026 表1 收支总体情况表 p.7 (万元): 本年收入合计 46,403.97 + 上年结转结余 19,904.01 = 收入总计
    # 66,307.98; 本年支出合计 66,307.98, 结转结余下年 0.00, 支出总计 66,307.98.
    path = NATIONAL / "077_珠海" / "2026年珠海市商务局部门预算.pdf"
    if not path.exists():
        pytest.skip(f"national corpus not found at {NATIONAL}")
    doc = _process(path, tmp_path)
    assert _totals(doc) == (Decimal("663079800.00"), Decimal("464039700.00"), Decimal("199040100.00"),
                            Decimal("663079800.00"), Decimal("663079800.00"), Decimal("0.00"))


DOCUMENT_TOTALS = ("SELECT doc_kind, income_total_yuan, current_year_income_yuan, carryover_in_yuan, "
                   "expenditure_total_yuan, current_year_expenditure_yuan, carryover_out_yuan "
                   "FROM v_document ORDER BY fiscal_year")


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def _load_both(url: str, tmp_path) -> None:
    ingest([real_pdf(FINAL), real_pdf(BUDGET)], Settings(url, tmp_path / "data"))


EXPECTED_DOCUMENTS = [
    ("dept_final", Decimal("29953900.00"), Decimal("29462500.00"), Decimal("491400.00"),
     Decimal("29953900.00"), Decimal("29400500.00"), Decimal("553400.00")),
    ("dept_budget", Decimal("31214205.80"), Decimal("31214205.80"), None,
     Decimal("31214205.80"), Decimal("31214205.80"), None),
]


def test_v_document_states_totals_current_year_and_carry_overs_on_duckdb(duckdb_url, tmp_path):
    _load_both(duckdb_url, tmp_path)
    assert _query(duckdb_url, DOCUMENT_TOTALS) == EXPECTED_DOCUMENTS


@pytest.mark.postgres
def test_v_document_states_totals_current_year_and_carry_overs_on_postgres(postgres_url, tmp_path):
    _load_both(postgres_url, tmp_path)
    assert _query(postgres_url, DOCUMENT_TOTALS) == EXPECTED_DOCUMENTS
