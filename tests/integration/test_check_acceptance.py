"""Evidence and per-check acceptance in the warehouse (issue 23 parts 3 and 4), on DuckDB and PostgreSQL.

sh-putuo-justice_2026_unit-budget.pdf is quarantined by six failed error checks: its 支出总表 (p.11)
prints a 合计 of 64,840,547.00 元 where its 类 rows add up to twice that (129,681,094.00), and its economic
table disagrees with the 基本支出 it prints.
"""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import POSTGRES_TWIN, query_rows, real_pdf
from sqlalchemy import create_engine, text

from pipelines.cli import main
from pipelines.run import Settings, ingest

DOC = "sh-putuo-justice_2026_unit-budget.pdf"


def failed_errors(url, doc_id):
    return query_rows(url, "SELECT check_key, check_id, accepted, accepted_scope, accepted_by, accepted_reason "
                     "FROM v_check_result WHERE document_id = :d AND severity = 'error' AND NOT passed "
                     "ORDER BY check_key", d=doc_id)


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_failed_checks_carry_evidence_and_numbers(database, request, tmp_path):
    url = request.getfixturevalue(database)
    (doc,) = ingest([real_pdf(DOC)], Settings(url, tmp_path / "data"))
    (observed, expected, evidence), = query_rows(
        url, "SELECT observed_yuan, expected_yuan, evidence FROM v_check_result WHERE document_id = :d "
             "AND check_id = 'hierarchy.subject_sum' AND NOT passED AND message LIKE '%p.11%' "
             "ORDER BY check_key LIMIT 1", d=doc.source.sha256)
    assert (observed, expected) == (Decimal("129681094.00"), Decimal("64840547.00"))
    operands = json.loads(evidence)
    stated = operands[0]
    assert stated["role"] == "stated" and stated["page"] == 11 and stated["printed"] == "64,840,547.00"
    assert stated["table"] == "2026年预算单位支出预算总表" and len(stated["bbox"]) == 4
    assert {o["role"] for o in operands[1:]} == {"part"} and all("bbox" in o for o in operands)
    # Kept for failed checks only; every money check has its numbers.
    assert query_rows(url, "SELECT COUNT(*) FROM v_check_result WHERE passed AND evidence IS NOT NULL") == [(0,)]
    assert query_rows(url, "SELECT COUNT(*) FROM v_check_result WHERE check_id LIKE 'hierarchy.%' "
                     "AND (observed_yuan IS NULL OR expected_yuan IS NULL)") == [(0,)]
    # A prose check carries its sentence and page; it compares percentages, not amounts.
    (sentence, observed), = query_rows(
        url, "SELECT evidence, observed_yuan FROM v_check_result WHERE document_id = :d AND NOT passed "
             "AND check_id = 'narrative.change_percent' AND page = 7", d=doc.source.sha256)
    (op,) = json.loads(sentence)
    assert op["page"] == 7 and op["text"].startswith("2025年当年预算执行数为241.76万元") and observed is None


@pytest.mark.parametrize("database", ["duckdb_url", POSTGRES_TWIN])
def test_accepting_each_failed_check_accepts_the_document(database, request, tmp_path):
    url = request.getfixturevalue(database)
    (doc,) = ingest([real_pdf(DOC)], Settings(url, tmp_path / "data"))
    doc_id = doc.source.sha256
    assert doc.status == "quarantined"
    checks = failed_errors(url, doc_id)
    assert sorted(c[1] for c in checks) == ["cross.econ_basic_total"] * 2 + ["hierarchy.subject_sum"] * 2 + [
        "row.total_equals_parts"] * 2
    assert all(c[2] is False and c[3] is None for c in checks)
    runner = CliRunner()

    def accept(check, reason="checked against the 2026 budget approved by the district"):
        return runner.invoke(main, ["accept", doc_id[:12], "--check", check, "--reason", reason,
                                    "--by", "auditor", "--warehouse", url])

    # A rule id that failed twice names no one check: the keys are listed to choose from.
    ambiguous = accept("hierarchy.subject_sum")
    assert ambiguous.exit_code != 0 and "2 failed checks" in ambiguous.output
    assert all(key in ambiguous.output for key, check_id, *_ in checks if check_id == "hierarchy.subject_sum")
    assert accept(checks[0][0], " ").exit_code != 0  # a reason is required
    assert accept("0000000000").exit_code != 0  # no such check
    for key, *_ in checks[:-1]:
        done = accept(key[:8])  # a prefix will do
        assert done.exit_code == 0, done.output
        assert f"accepted check {key}" in done.output
    # One error check still failing and not accepted: held back, and listed with its key.
    assert query_rows(url, "SELECT COUNT(*) FROM v_published_document") == [(0,)]
    review = runner.invoke(main, ["review", "--warehouse", url]).output
    assert f"[check {checks[-1][0]}]" in review and f"[check {checks[0][0]}]" not in review
    assert accept(checks[-1][0]).exit_code == 0
    # Every failed error check accepted: the document counts as accepted, its status stays quarantined.
    assert query_rows(url, "SELECT document_id FROM v_published_document") == [(doc_id,)]
    assert query_rows(url, "SELECT status, accepted_by FROM v_document") == [("quarantined", None)]
    assert "no document held back" in runner.invoke(main, ["review", "--warehouse", url]).output
    accepted = failed_errors(url, doc_id)
    assert all(c[2:] == (True, "check", "auditor", "checked against the 2026 budget approved by the district")
               for c in accepted)
    # Kept across a reload of the same document: the checks have the same keys.
    ingest([real_pdf(DOC)], Settings(url, tmp_path / "data", force=True))
    assert failed_errors(url, doc_id) == accepted
    assert query_rows(url, "SELECT document_id FROM v_published_document") == [(doc_id,)]
    # Warnings are not accepted by accepting the errors.
    assert query_rows(url, "SELECT COUNT(*) FROM v_check_result WHERE document_id = :d AND severity = 'warning' "
                     "AND NOT passed AND accepted", d=doc_id) == [(0,)]


def test_review_of_a_warehouse_older_than_per_check_acceptance_says_migrate(duckdb_url, tmp_path):
    from pipelines.load import engine as warehouse_engine

    warehouse_engine.open_warehouse(duckdb_url).dispose()
    engine = create_engine(duckdb_url)
    with engine.begin() as conn:  # as before migration 0009
        conn.execute(text("DROP VIEW v_published_document"))
        conn.execute(text("DROP TABLE check_acceptance"))
    engine.dispose()
    run = CliRunner().invoke(main, ["review", "--warehouse", duckdb_url])
    assert run.exit_code == 1 and "budgetdw migrate brings it to this version" in run.output, run.output
