"""What the loader keeps per document for the BI views (warehouse/derived.py, issue 26.7): the current and the
published version of each group, the table and check counts, the amounts summed by table and measure — right
after each load, reload and acceptance, on both engines, and equal to what counting the rows gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest
from conftest import REFERENCE_PDF
from sqlalchemy import text

from pipelines.load import engine as warehouse_engine
from pipelines.load.review import accept_check, accept_document
from pipelines.load.writer import load_document
from pipelines.model import PUBLISHED, QUARANTINED
from pipelines.process import process_document
from pipelines.store import SourceDocument, store_raw
from warehouse import derived
from warehouse.migrate import bi_schema

DATABASES = ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference budget, read once: its versions below are this document under other ids and dates."""
    doc = process_document(store_raw(REFERENCE_PDF, tmp_path_factory.mktemp("raw")))
    assert doc.status == PUBLISHED and doc.identity.unit_name == "阳泉市公安局城区分局"
    return doc


def _version(doc, n: int, day: int, status: str = PUBLISHED, checks: int | None = None):
    """Version n of the reference: its own id and file date (2025-01-`day`), a status, its first `checks`."""
    source = SourceDocument(f"{n:064x}", f"/in/v{n}.pdf", doc.source.raw_path, doc.source.size)
    return replace(doc, source=source, status=status, file_date=datetime(2025, 1, day),
                   checks=doc.checks if checks is None else doc.checks[:checks])


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql.replace("bi.", f"{bi_schema(conn)}.")))]


def _flags(engine) -> dict[str, tuple]:
    return {d[-2:]: (cur, pub) for d, cur, pub in _rows(
        engine, "SELECT document_id, is_current, is_published FROM document")}


def _published(engine) -> list[str]:
    return sorted(d[-2:] for (d,) in _rows(engine, "SELECT document_id FROM v_published_document"))


@pytest.mark.parametrize("database", DATABASES)
def test_current_and_published_follow_each_load_and_acceptance(database, request, reference):
    engine = warehouse_engine.open_warehouse(request.getfixturevalue(database))
    try:
        load_document(engine, _version(reference, 1, 10))
        assert _flags(engine) == {"01": (True, True)}
        # A newer version (by its file date) loaded: it is current and published, the first neither.
        load_document(engine, _version(reference, 2, 20))
        assert _flags(engine) == {"01": (False, False), "02": (True, True)}
        # An older version loaded after both changes nothing of theirs.
        load_document(engine, _version(reference, 3, 5))
        assert _flags(engine) == {"01": (False, False), "02": (True, True), "03": (False, False)}
        # The newest, quarantined: current, but the published views keep the newest publishable version.
        quarantined = _version(reference, 4, 25, QUARANTINED)
        load_document(engine, quarantined)
        assert _flags(engine)["04"] == (True, False) and _published(engine) == ["02"]
        assert _rows(engine, "SELECT document_id FROM v_document WHERE is_current") == [(f"{4:064x}",)]
        # Accepted: published now, in the same transaction as the acceptance.
        accept_document(engine, f"{4:064x}", "confirmed with the bureau", "auditor")
        assert _flags(engine) == {"01": (False, False), "02": (False, False), "03": (False, False),
                                  "04": (True, True)}
        # Version 2 reloaded as failed (say its file was read again by a newer parser): nothing else moves.
        load_document(engine, replace(_version(reference, 2, 20), status="failed", tables=[], checks=[]))
        assert _flags(engine)["04"] == (True, True) and _published(engine) == ["04"]
        # Version 4 reloaded quarantined again: the acceptance outlives the reload (document_acceptance).
        load_document(engine, quarantined)
        assert _published(engine) == ["04"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("database", DATABASES)
def test_accepting_each_failed_error_check_publishes_the_document(database, request, reference):
    engine = warehouse_engine.open_warehouse(request.getfixturevalue(database))
    try:
        failing = replace(reference.checks[0], passed=False, severity="error", message="a planted failure")
        doc = replace(_version(reference, 7, 10, QUARANTINED), checks=[failing, *reference.checks[1:]])
        load_document(engine, doc)
        assert _flags(engine) == {"07": (True, False)}
        accept_check(engine, f"{7:064x}", failing.check_id, "rounding confirmed", "auditor")
        assert _flags(engine) == {"07": (True, True)} and _published(engine) == ["07"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("database", DATABASES)
def test_counts_and_amount_sums_are_the_rows_counted_and_summed(database, request, reference):
    engine = warehouse_engine.open_warehouse(request.getfixturevalue(database))
    counted = """
        SELECT d.document_id, d.tables_found, d.checks_run, d.checks_failed, d.check_errors,
               (SELECT COUNT(*) FROM doc_table t WHERE t.document_id = d.document_id),
               (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id),
               (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id AND NOT c.passed),
               (SELECT COUNT(*) FROM check_result c
                WHERE c.document_id = d.document_id AND NOT c.passed AND c.severity = 'error')
        FROM document d ORDER BY d.document_id"""
    summed = """
        SELECT document_id, table_seq, table_code, measure, SUM(amount_yuan), COUNT(*) FROM fact_amount
        GROUP BY document_id, table_seq, table_code, measure"""
    kept = "SELECT document_id, table_seq, table_code, measure, amount_yuan, amounts FROM document_amount_sum"
    try:
        failing = replace(reference.checks[0], passed=False, severity="error", message="a planted failure")
        load_document(engine, replace(_version(reference, 1, 10), checks=[failing, *reference.checks[1:]]))
        load_document(engine, _version(reference, 2, 20, checks=10))
        rows = _rows(engine, counted)
        tables, checks = len(reference.tables), len(reference.checks)
        failed = [c for c in reference.checks[1:] if not c.passed]
        errors = [c for c in failed if c.severity == "error"]
        first_ten = [c for c in reference.checks[:10] if not c.passed]
        ten = (tables, 10, len(first_ten), len([c for c in first_ten if c.severity == "error"]))
        assert [r[1:5] for r in rows] == [(tables, checks, 1 + len(failed), 1 + len(errors)), ten]
        assert all(r[1:5] == r[5:] for r in rows)
        assert sorted(_rows(engine, kept), key=str) == sorted(_rows(engine, summed), key=str)
        # Each basic-expenditure row carries its table's code (v_basic_expenditure_by_econ joins no doc_table).
        assert _rows(engine, "SELECT COUNT(*), COUNT(k.table_code) FROM fact_basic_econ e LEFT JOIN doc_table k "
                     "ON k.document_id = e.document_id AND k.table_seq = e.table_seq "
                     "AND k.table_code = e.table_code") == [(2 * len(reference.econ),) * 2]
        assert reference.econ
        # Reloaded with fewer checks and no tables: counted again, its sums gone.
        load_document(engine, replace(_version(reference, 1, 10), tables=[], checks=reference.checks[:3]))
        rows = _rows(engine, counted)
        first_three = [c for c in reference.checks[:3] if not c.passed]
        three = (0, 3, len(first_three), len([c for c in first_three if c.severity == "error"]))
        assert [r[1:5] for r in rows] == [three, ten]
        assert sorted(_rows(engine, kept), key=str) == sorted(_rows(engine, summed), key=str)
        assert {r[0] for r in _rows(engine, kept)} == {f"{2:064x}"}
        # The view sums what v_amount holds, published documents only.
        assert _rows(engine, "SELECT SUM(amount_yuan), SUM(amounts) FROM bi.v_amount_sum") == _rows(
            engine, "SELECT SUM(amount_yuan), COUNT(*) FROM bi.v_amount")
        assert _rows(engine, "SELECT tables_found, checks_run, checks_failed, errors FROM bi.v_document_overview "
                     "ORDER BY document_id") == [three, ten]
    finally:
        engine.dispose()


def test_rows_written_by_hand_are_seen_once_refreshed(duckdb_url, reference):
    engine = warehouse_engine.open_warehouse(duckdb_url)
    try:
        load_document(engine, _version(reference, 1, 10))
        load_document(engine, _version(reference, 2, 20))
        with engine.begin() as conn:  # version 2 moved a year back by hand: both are current now
            conn.execute(text("UPDATE document SET fiscal_year = fiscal_year - 1 WHERE document_id = :d"),
                         {"d": f"{2:064x}"})
            conn.execute(text("DELETE FROM fact_amount WHERE document_id = :d AND table_seq > 1"), {"d": f"{1:064x}"})
            derived.refresh(conn, everything=True)
        assert _flags(engine) == {"01": (True, True), "02": (True, True)}
        assert _rows(engine, "SELECT SUM(amounts) FROM document_amount_sum WHERE document_id = :d".replace(
            ":d", f"'{1:064x}'")) == _rows(engine, f"SELECT COUNT(*) FROM fact_amount WHERE document_id = '{1:064x}'")
        assert _rows(engine, "SELECT COUNT(*) FROM v_published_document") == [(2,)]
        assert Decimal(_rows(engine, "SELECT SUM(amount_yuan) FROM bi.v_amount_sum")[0][0]) == Decimal(
            _rows(engine, "SELECT SUM(amount_yuan) FROM bi.v_amount")[0][0])
    finally:
        engine.dispose()


KEPT = {
    "document": "SELECT document_id, is_current, is_published, tables_found, checks_run, checks_failed, check_errors "
                "FROM document",
    "document_amount_sum": "SELECT document_id, table_seq, table_code, measure, amount_yuan, amounts "
                           "FROM document_amount_sum",
    "document_subject_sum": "SELECT document_id, table_seq, table_code, subject_code, subject_name, subject_level, "
                            "parent_code, page, total_yuan, basic_yuan, project_yuan FROM document_subject_sum",
}


@pytest.mark.parametrize("database", DATABASES)
def test_what_the_loader_keeps_is_what_the_rows_give(database, request, tmp_path):
    """The loader writes a document's counts and sums from the rows it loads (pipelines/load/kept.py), not
    by reading the facts back; warehouse/derived.py `refresh` computes them from the rows in SQL. Real
    documents: a disclosure in two files (the narrative's counts change when its tables part loads: the
    companion check), and the reference budget."""
    from conftest import real_pdf

    from pipelines.run import Settings, ingest

    url = request.getfixturevalue(database)
    pdfs = [real_pdf("js-cppcc-office_2017_dept-budget.pdf"), real_pdf("js-cppcc-office_2017_dept-budget-tables.pdf"),
            REFERENCE_PDF]
    docs = ingest(pdfs, Settings(url, tmp_path / "data", workers=1))
    engine = warehouse_engine.open_warehouse(url)
    try:
        loaded = {name: sorted(_rows(engine, sql), key=str) for name, sql in KEPT.items()}
        assert len(loaded["document"]) == 3 and all(row[3] is not None for row in loaded["document"])
        assert len(loaded["document_subject_sum"]) > 20 and len(loaded["document_amount_sum"]) > 20
        narrative = next(d for d in docs if d.part == "narrative").source.sha256
        assert _rows(engine, "SELECT COUNT(*) FROM check_result WHERE check_id = 'cross.companion_totals' "
                     f"AND document_id = '{narrative}'") != [(0,)]
        with engine.begin() as conn:
            for table in ("document_amount_sum", "document_subject_sum"):
                conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text("UPDATE document SET is_current = NULL, is_published = NULL, tables_found = NULL, "
                              "checks_run = NULL, checks_failed = NULL, check_errors = NULL"))
            derived.refresh(conn, everything=True)
        assert {name: sorted(_rows(engine, sql), key=str) for name, sql in KEPT.items()} == loaded
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_two_versions_loaded_at_once_leave_one_current(postgres_url, reference):
    """Two runs loading two versions of one budget at the same moment: each ranks the unit's versions in its
    own transaction, and without the unit's lock each would see only itself and call itself current."""
    from concurrent.futures import ThreadPoolExecutor

    engine = warehouse_engine.open_warehouse(postgres_url)
    try:
        for round_ in range(6):
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM document"))
            versions = [_version(reference, 10 * round_ + 1, 10), _version(reference, 10 * round_ + 2, 20)]
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda doc: load_document(engine, doc), versions))
            newer = f"{10 * round_ + 2:064x}"[-2:]
            assert _flags(engine) == {f"{10 * round_ + 1:064x}"[-2:]: (False, False), newer: (True, True)}, round_
    finally:
        engine.dispose()
