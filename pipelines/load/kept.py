"""What the warehouse keeps per document for the BI views (warehouse/derived.py), computed from the rows the
loader is writing rather than read back from the fact tables: its table and check counts, its amounts summed
by table and measure, its expenditure by function subject. warehouse/derived.py `refresh` computes the same
from the rows in SQL (tests/integration/test_kept_per_document.py holds the two equal)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from pipelines.model import ProcessedDocument
from pipelines.money import CENT
from warehouse.derived import SUBJECT_MEASURES, SUBJECT_TABLES


def _stored(yuan: Decimal) -> Decimal:
    """An amount as NUMERIC(20,2) stores it (rounded half away from zero, as both engines do)."""
    return Decimal(yuan).quantize(CENT, rounding=ROUND_HALF_UP)


def counts(doc: ProcessedDocument) -> dict[str, int]:
    """tables_found, checks_run, checks_failed, check_errors: its doc_table and check_result rows counted."""
    failed = [c for c in doc.checks if not c.passed]
    return dict(tables_found=len(doc.tables), checks_run=len(doc.checks), checks_failed=len(failed),
                check_errors=sum(c.severity == "error" for c in failed))


def amount_sums(doc_id: str, doc: ProcessedDocument) -> list[dict]:
    """document_amount_sum's rows: its fact_amount rows summed by table and measure."""
    sums: dict[tuple, list] = {}
    for t in doc.tables:
        for c in t.cells:
            row = sums.setdefault((t.table.seq, t.table.code, c.measure), [Decimal(0), 0])
            row[0] += _stored(c.amount.yuan)
            row[1] += 1
    return [dict(document_id=doc_id, table_seq=seq, table_code=code, measure=measure, amount_yuan=total, amounts=n)
            for (seq, code, measure), (total, n) in sums.items()]


def subject_sums(doc_id: str, doc: ProcessedDocument) -> list[dict]:
    """document_subject_sum's rows: the subject rows of the one table that gives the document's expenditure by
    subject (warehouse/derived.py SUBJECT_TABLE: the first by SUBJECT_TABLES' order, then by table order, that
    has a subject code), each with its total, basic and project amounts summed."""
    candidates = [t for t in doc.tables if t.table.code in SUBJECT_TABLES
                  and any(r.subject_code for r in t.subject_rows)]
    if not candidates:
        return []
    t = min(candidates, key=lambda t: (SUBJECT_TABLES.index(t.table.code), t.table.seq))
    by_row: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for c in t.cells:
        if c.measure in SUBJECT_MEASURES:
            by_row[c.row_index][c.measure].append(_stored(c.amount.yuan))
    groups: dict[tuple, dict[str, list[Decimal]]] = {}
    for r in t.subject_rows:
        if not r.subject_code:
            continue
        group = groups.setdefault((r.subject_code, r.subject_name, r.level, r.parent_code, r.page),
                                  {m: [] for m in SUBJECT_MEASURES})
        for measure, amounts in by_row.get(r.row_index, {}).items():
            group[measure] += amounts
    return [dict(document_id=doc_id, table_seq=t.table.seq, table_code=t.table.code, subject_code=code,
                 subject_name=name, subject_level=level, parent_code=parent, page=page,
                 **{f"{m}_yuan": sum(amounts[m]) if amounts[m] else None for m in SUBJECT_MEASURES})
            for (code, name, level, parent, page), amounts in groups.items()]
