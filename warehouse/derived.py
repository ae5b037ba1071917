"""What the warehouse keeps per document so that the BI views need not work it out over every document at
every query (issue 26.7: PostgreSQL took 6–12 s for sums over a 30,000-document warehouse).

- document.is_current: the newest version of its unit (or, without one, of itself), scope, year, kind and
  part, by the documents' own publication evidence (printed_date, then file_date, then document_id);
- document.is_published: the version the published views show (v_published_document): the newest of its
  group that is publishable (passed every error check, or was accepted as a whole, or each failed error
  check of it was accepted);
- document.tables_found, checks_run, checks_failed, check_errors: its doc_table and check_result rows
  counted (v_document_overview);
- document_amount_sum: its amounts summed by table and measure (v_amount_sum);
- document_subject_sum: its expenditure by function subject, from the one table that gives it (SUBJECT_TABLE),
  with the total, basic and project amounts of each subject row summed (v_expenditure_by_subject).

They change in the transaction that changes what they are kept from: the loader's (pipelines/load/writer.py:
rank_versions over the document's unit; its counts and sums from the rows it writes, pipelines/load/kept.py),
`budgetdw accept`'s (pipelines/load/review.py: rank_versions), check_companions' (count_rows of the narrative
part it adds checks to). `refresh` recomputes them all from the rows: the migration that added them (0011),
and rows written by hand (a test, a repair in SQL), which the views see once it runs. The ranking and the
publishable rule live here only; the views read the flags. tests/integration/test_kept_per_document.py
checks that what the loader writes is what `refresh` computes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text

# A document's version group: its unit (itself, without one), scope, year, kind and part. Every version of a
# group shares its unit_key, so recomputing whole units recomputes whole groups.
VERSION_GROUP = "COALESCE(d.unit_key, d.document_id), d.unit_scope, d.fiscal_year, d.doc_kind, d.part"
VERSION_ORDER = "d.printed_date DESC NULLS LAST, d.file_date DESC NULLS LAST, d.document_id"
PUBLISHABLE = """(d.status = 'published'
    OR (d.status = 'quarantined' AND EXISTS (
            SELECT 1 FROM document_acceptance a WHERE a.document_id = d.document_id))
    OR (d.status = 'quarantined'
        AND EXISTS (SELECT 1 FROM check_acceptance k WHERE k.document_id = d.document_id)
        AND NOT EXISTS (
            SELECT 1 FROM check_result c
            WHERE c.document_id = d.document_id AND c.severity = 'error' AND NOT c.passed
              AND NOT EXISTS (SELECT 1 FROM check_acceptance k
                              WHERE k.document_id = c.document_id AND k.check_key = c.check_key))))"""

# The table a document's expenditure by subject is read from: its 支出总表 (expenditure summary) or, where
# that prints no subjects (Jiangsu prints only its totals), its 一般公共预算支出表, else its 财政拨款支出表.
SUBJECT_TABLE = """
    SELECT document_id, table_seq FROM (
        SELECT r.document_id, r.table_seq,
               ROW_NUMBER() OVER (PARTITION BY r.document_id ORDER BY
                   CASE r.table_code WHEN 'expenditure_summary' THEN 1 WHEN 'general_budget_expenditure' THEN 2
                                     ELSE 3 END, r.table_seq) AS n
        FROM fact_subject_row r
        WHERE r.subject_code IS NOT NULL
          AND r.table_code IN ('expenditure_summary', 'general_budget_expenditure', 'appropriation_expenditure')
          AND r.{mine}
    ) ranked WHERE n = 1"""


# The measures v_expenditure_by_subject sums, and the subject tables in the order one is chosen (SUBJECT_TABLE).
SUBJECT_MEASURES = ("total", "basic", "project")
SUBJECT_TABLES = ("expenditure_summary", "general_budget_expenditure", "appropriation_expenditure")


def refresh(conn, documents: Iterable[str] = (), *, everything: bool = False) -> None:
    """Recompute everything kept for `documents` (and the versions of their units), or for every document:
    after rows were written by hand (a test, a repair in SQL), and by the migration that added them. The
    loader ranks versions (rank_versions) and writes a document's counts and sums from the rows it loads,
    never scanning the fact tables for them: DuckDB has no index on a fact table's document_id, and each
    statement here reads every fact row (≈50 ms a table at 30,000 documents)."""
    documents = sorted(set(documents))
    if not everything and not documents:
        return
    where, binds = ("TRUE", {}) if everything else _documents(documents)
    units = [u for (u,) in conn.execute(text(f"SELECT DISTINCT d.unit_key FROM document d WHERE {where}"), binds)]
    rank_versions(conn, units, documents, everything=everything)
    count_rows(conn, where, binds)
    mine = f"document_id IN (SELECT d.document_id FROM document d WHERE {where})"
    conn.execute(text(f"DELETE FROM document_amount_sum WHERE {mine}"), binds)
    conn.execute(text(f"""
INSERT INTO document_amount_sum (document_id, table_seq, table_code, measure, amount_yuan, amounts)
SELECT document_id, table_seq, table_code, measure, SUM(amount_yuan), COUNT(*)
FROM fact_amount WHERE {mine}
GROUP BY document_id, table_seq, table_code, measure"""), binds)
    conn.execute(text(f"DELETE FROM document_subject_sum WHERE {mine}"), binds)
    conn.execute(text(f"""
INSERT INTO document_subject_sum (document_id, table_seq, table_code, subject_code, subject_name, subject_level,
                                  parent_code, page, total_yuan, basic_yuan, project_yuan)
SELECT r.document_id, r.table_seq, r.table_code, r.subject_code, r.subject_name, r.subject_level, r.parent_code,
       r.page,
       CAST(SUM(CASE WHEN a.measure = 'total' THEN a.amount_yuan END) AS NUMERIC(20, 2)),
       CAST(SUM(CASE WHEN a.measure = 'basic' THEN a.amount_yuan END) AS NUMERIC(20, 2)),
       CAST(SUM(CASE WHEN a.measure = 'project' THEN a.amount_yuan END) AS NUMERIC(20, 2))
FROM fact_subject_row r
JOIN ({SUBJECT_TABLE.format(mine=mine)}) s ON s.document_id = r.document_id AND s.table_seq = r.table_seq
LEFT JOIN fact_amount a
    ON a.document_id = r.document_id AND a.table_seq = r.table_seq AND a.row_index = r.row_index
WHERE r.subject_code IS NOT NULL AND r.{mine}
GROUP BY r.document_id, r.table_seq, r.table_code, r.subject_code, r.subject_name, r.subject_level, r.parent_code,
         r.page"""), binds)


def rank_versions(conn, units: Iterable[str | None] = (), documents: Iterable[str] = (), *,
                  everything: bool = False) -> None:
    """is_current and is_published of every version of `units` (unit_key) and of `documents` (a document
    without a unit is a group of its own), or of every document: reads the document table, and the
    acceptance and check tables of quarantined documents only. On PostgreSQL the caller holds unit_lock
    for each unit, so two transactions never rank one group from different snapshots."""
    units = sorted({u for u in units if u})
    documents = sorted(set(documents))
    if not everything and not units and not documents:
        return
    binds: dict[str, str] = {}
    terms = []
    if units:
        binds |= {f"u{i}": u for i, u in enumerate(units)}
        terms.append(f"d.unit_key IN ({', '.join(f':u{i}' for i in range(len(units)))})")
    if documents:
        where, more = _documents(documents)
        binds |= more
        terms.append(where)
    scope = "TRUE" if everything else " OR ".join(terms)
    conn.execute(text(f"""
UPDATE document SET is_current = r.is_current, is_published = r.is_published
FROM (
    SELECT document_id,
           ROW_NUMBER() OVER (PARTITION BY {VERSION_GROUP} ORDER BY {VERSION_ORDER}) = 1 AS is_current,
           publishable AND ROW_NUMBER() OVER (PARTITION BY {VERSION_GROUP}, publishable ORDER BY {VERSION_ORDER}) = 1
               AS is_published
    FROM (SELECT d.*, {PUBLISHABLE} AS publishable FROM document d WHERE {scope}) d
) r
WHERE document.document_id = r.document_id
  -- only the rows that change: a load rewrites no other version's row when the ranking stays
  AND (document.is_current IS DISTINCT FROM r.is_current OR document.is_published IS DISTINCT FROM r.is_published)
"""), binds)


def count_rows(conn, where: str, binds: dict) -> None:
    """tables_found, checks_run, checks_failed, check_errors of the documents `d` that `where` selects,
    counted from their rows (the loader writes a loaded document's own; check_companions recounts the
    narrative part whose checks it adds)."""
    conn.execute(text(f"""
UPDATE document SET tables_found = n.tables_found, checks_run = n.checks_run, checks_failed = n.checks_failed,
                    check_errors = n.check_errors
FROM (
    SELECT d.document_id,
           (SELECT COUNT(*) FROM doc_table t WHERE t.document_id = d.document_id) AS tables_found,
           (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id) AS checks_run,
           (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id AND NOT c.passed)
               AS checks_failed,
           (SELECT COUNT(*) FROM check_result c
            WHERE c.document_id = d.document_id AND NOT c.passed AND c.severity = 'error') AS check_errors
    FROM document d WHERE {where}
) n
WHERE document.document_id = n.document_id"""), binds)


def _documents(documents: list[str]) -> tuple[str, dict[str, str]]:
    binds = {f"d{i}": d for i, d in enumerate(documents)}
    return f"d.document_id IN ({', '.join(f':d{i}' for i in range(len(documents)))})", binds


def unit_lock(conn, unit: str) -> None:
    """On PostgreSQL, the transaction's turn at the versions of one unit (until it ends): loads and
    acceptances of the same unit's documents rank its versions one after the other. Take it before
    changing any of the unit's rows (then row locks cannot cross it), units in sorted order."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"unit:{unit}"})
