"""What a reader of the warehouse sees, to compare two warehouses loaded from the same documents (issue 25:
any order of loading, any number of workers, a kill and rerun part way give the same warehouse)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

SNAPSHOT = {
    "versions": "SELECT document_id, source_uri, unit_name, fiscal_year, doc_kind, status, is_current, printed_date, "
                "file_date, error "
                "FROM v_document ORDER BY document_id",
    "published": "SELECT document_id FROM v_published_document ORDER BY document_id",
    "units": "SELECT unit_key, unit_name FROM dim_unit ORDER BY unit_key",
    "aliases": "SELECT alias, unit_key FROM dim_unit_alias ORDER BY alias",
    "subjects": "SELECT subject_code, subject_name, subject_level, parent_code, first_year, last_year "
                "FROM dim_function_subject ORDER BY subject_code",
    "amounts": "SELECT document_id, COUNT(*), SUM(amount_yuan) FROM fact_amount GROUP BY document_id "
               "ORDER BY document_id",
    "checks": "SELECT document_id, check_id, passed, message FROM check_result ORDER BY document_id, seq",
}


def warehouse_snapshot(url: str) -> dict[str, list]:
    """Every query of SNAPSHOT, without the load times (first_seen_at, loaded_at)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in SNAPSHOT.items()}
    finally:
        engine.dispose()
