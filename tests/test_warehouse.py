"""Loading into the warehouse: the same results on DuckDB and PostgreSQL, idempotent reloads."""

from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from conftest import real_pdf
from pipelines.ingest import Settings, ingest

DOC = "sh-putuo-justice_2026_unit-budget.pdf"
QUERIES = {
    "documents": "SELECT unit_name, fiscal_year, doc_kind, status, income_total_yuan, expenditure_total_yuan "
                 "FROM v_document ORDER BY unit_name",
    "subjects": "SELECT table_code, subject_code, subject_name, subject_level, parent_code, page "
                "FROM fact_subject_row ORDER BY table_seq, row_index",
    "amount_count": "SELECT COUNT(*), SUM(amount_yuan) FROM fact_amount",
    "checks": "SELECT COUNT(*), SUM(CASE WHEN passed THEN 1 ELSE 0 END) FROM v_check_result",
}


def _snapshot(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        snap = {k: [tuple(r) for r in conn.execute(text(q))] for k, q in QUERIES.items()}
    engine.dispose()
    return snap


def _load_twice(url, tmp_path):
    pdf = real_pdf(DOC)
    settings = Settings(url, tmp_path / "data")
    ingest([pdf], settings)
    first = _snapshot(url)
    ingest([pdf], settings)
    assert _snapshot(url) == first, "loading the same PDF twice must change nothing"
    return first


def test_duckdb_load_is_idempotent(duckdb_url, tmp_path):
    snap = _load_twice(duckdb_url, tmp_path)
    assert snap["documents"] == [
        ("上海市普陀区司法局", 2026, "unit_budget", "quarantined", Decimal("86959408.34"), Decimal("86959408.34"))
    ]
    assert ("expenditure_summary", "2040604", "基层司法业务", "项", "20406", 11) in snap["subjects"]


@pytest.mark.postgres
def test_postgres_gives_the_same_results_as_duckdb(duckdb_url, postgres_url, tmp_path):
    assert _load_twice(postgres_url, tmp_path / "pg") == _load_twice(duckdb_url, tmp_path / "duck")
