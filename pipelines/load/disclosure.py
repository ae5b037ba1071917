"""A disclosure published over several files: its parts, and the check across them.

Beijing and Jiangsu publish some disclosures as a narrative-only file and a tables-only file
(pipelines/extract/parts.py decides which part a file holds). The parts of one disclosure share its
unit, scope, fiscal year and kind; v_document keys them by `disclosure_id` (disclosure_key below, the
same md5 computed in SQL) and keeps one current version per part, so neither part hides the other.

The narrative is checked against the tables of its companion here, in the loader, inside the
transaction that loads either of them: whichever part comes last finds the other already in the
warehouse, so the result does not depend on the input order, and it lands in check_result (and
v_check_result, the review page, the run report's warehouse) like any other check, on the narrative.
A query run by `budgetdw review` would have left it out of v_check_result. The rule is a warning
(expectations/rules.py, cross.companion_totals): a later load never changes the status another
document was published with.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import PurePath

from sqlalchemy import and_, delete, func, select, text

from expectations.rules import DISCLOSURE_RULES_BY_ID
from pipelines.extract.parts import NARRATIVE, TABLES
from pipelines.load.rows import insert_rows
from pipelines.model import check_key
from pipelines.money import UNIT_FACTORS, decimals_printed, parse_amount
from warehouse import derived, schema

CHECK_ID = "cross.companion_totals"
# The totals both parts state, by document column, with the words a reviewer reads.
TOTALS = {
    "income_total_yuan": "收入总计",
    "expenditure_total_yuan": "支出总计",
    "basic_total_yuan": "基本支出",
    "project_total_yuan": "项目支出",
    "three_public_total_yuan": "“三公”经费",
}
# Where a tables part prints its headline totals.
_TOTAL_TABLES = ("income_expenditure_summary", "income_summary", "expenditure_summary", "three_public")


def disclosure_key(unit_key: str | None, unit_scope: str | None, fiscal_year: int | None,
                   doc_kind: str | None) -> str | None:
    """The disclosure a document is part of: md5 of unit_key|scope|year|kind (v_document computes the
    same in SQL); None for a document whose unit, year or kind is unknown."""
    if not (unit_key and fiscal_year and doc_kind):
        return None
    return hashlib.md5(f"{unit_key}|{unit_scope or ''}|{fiscal_year}|{doc_kind}".encode()).hexdigest()


def check_companions(conn, doc_id: str) -> None:
    """After `doc_id` is loaded (same transaction): when it is a narrative or tables part, compare every
    narrative part of its disclosure with the current tables part, replacing earlier results."""
    d = schema.document.c
    this = conn.execute(select(d.unit_key, d.unit_scope, d.fiscal_year, d.doc_kind, d.part)
                        .where(d.document_id == doc_id)).one_or_none()
    if this is None or this.part not in (NARRATIVE, TABLES):
        return
    key = disclosure_key(this.unit_key, this.unit_scope, this.fiscal_year, this.doc_kind)
    if key is None:
        return
    if conn.dialect.name == "postgresql":
        # Two runs loading the two parts at once take turns: the later one sees the earlier one's part.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    scope = d.unit_scope.is_(None) if this.unit_scope is None else d.unit_scope == this.unit_scope
    parts = conn.execute(
        select(schema.document).where(and_(
            d.unit_key == this.unit_key, scope, d.fiscal_year == this.fiscal_year, d.doc_kind == this.doc_kind,
            d.part.in_((NARRATIVE, TABLES)), d.status != "failed"))
        .order_by(d.printed_date.desc().nulls_last(), d.file_date.desc().nulls_last(), d.document_id)).all()
    tables = next((p for p in parts if p.part == TABLES), None)  # the current tables part (v_document's order)
    if tables is None:
        return
    for narrative in (p for p in parts if p.part == NARRATIVE):
        _record(conn, narrative, tables)


def _record(conn, narrative, tables) -> None:
    c = schema.check_result.c
    conn.execute(delete(schema.check_result).where(c.document_id == narrative.document_id, c.check_id == CHECK_ID))
    results = [_compare(conn, narrative, tables, column, label) for column, label in TOTALS.items()
               if getattr(narrative, column) is not None and getattr(tables, column) is not None]
    if results:
        last = conn.execute(select(func.max(c.seq)).where(c.document_id == narrative.document_id)).scalar()
        start = -1 if last is None else last
        insert_rows(conn, schema.check_result, [
            dict(document_id=narrative.document_id, seq=start + 1 + i, check_id=CHECK_ID,
                 severity=DISCLOSURE_RULES_BY_ID[CHECK_ID].severity, **r)
            for i, r in enumerate(results)])
    # The narrative's checks counted again (v_document_overview reads the counts kept on its row).
    derived.count_rows(conn, "d.document_id = :narrative", {"narrative": narrative.document_id})


def _compare(conn, narrative, tables, column: str, label: str) -> dict:
    stated, printed = getattr(narrative, column), getattr(tables, column)
    claim = _stated(conn, narrative, stated)
    cell = _printed(conn, tables, printed)
    tolerance = (claim[2] if claim else _unseen(narrative)) + (cell[3] if cell else _unseen(tables))
    diff = stated - printed
    passed = abs(diff) <= tolerance
    where_stated = f"{claim[1]}, p.{claim[0]}" if claim else f"{stated:,.2f} 元, the sum of the parts it states"
    where_printed = f"{cell[1]} in {cell[2]}, p.{cell[0]}" if cell else f"{printed:,.2f} 元"
    message = (f"{label} stated in the prose ({where_stated}) = {label} of the tables part "
               f"{PurePath(tables.source_uri).name} ({where_printed}) "
               + ("holds" if passed else
                  f"does not hold: difference {diff:,.2f} 元, rounding tolerance {tolerance:,.2f} 元"))
    page = claim[0] if claim else None
    evidence = [{"role": "stated", "page": page, "text": claim[1]} if claim else
                {"role": "stated", "yuan": f"{stated:.2f}"},
                {"role": "printed", "document": PurePath(tables.source_uri).name, "page": cell[0], "table": cell[2],
                 "printed": cell[1]} if cell else {"role": "printed", "yuan": f"{printed:.2f}"}]
    return dict(passed=passed, observed=f"{printed:,.2f}", expected=f"{stated:,.2f}", message=message,
                table_seq=None, page=page, check_key=check_key(CHECK_ID, None, page, label),
                observed_yuan=printed, expected_yuan=stated, evidence=json.dumps(evidence, ensure_ascii=False))


def _precision(printed: str, yuan: Decimal) -> tuple[str, Decimal] | None:
    """The unit an amount was printed in and half a unit of its last printed digit, in yuan (“9146.79”
    for 91,467,900.00 元 → 万元, 50 元)."""
    value = parse_amount(printed)
    if not value:
        return None
    unit, factor = min(UNIT_FACTORS.items(), key=lambda item: abs(item[1] - abs(yuan / value)))
    return str(unit), Decimal(5) * Decimal(10) ** -(decimals_printed(printed) + 1) * factor


def _stated(conn, narrative, yuan: Decimal) -> tuple[int, str, Decimal] | None:
    """Page, printed text and half-unit of the first claim of the narrative stating this amount."""
    c = schema.fact_narrative_claim.c
    for page, printed, subject in conn.execute(
            select(c.page, c.amount_printed, c.subject)
            .where(c.document_id == narrative.document_id, c.amount_yuan == yuan).order_by(c.seq)):
        precision = _precision(printed, yuan) if printed else None
        if precision is not None:
            return page, f"{subject} {printed}{precision[0]}", precision[1]
    return None


def _printed(conn, tables, yuan: Decimal) -> tuple[int, str, str, Decimal] | None:
    """Page, table, its title and half-unit of the first summary-table cell printing this amount."""
    a, t = schema.fact_amount.c, schema.doc_table.c
    for page, printed, seq, title in conn.execute(
            select(a.page, a.amount_printed, a.table_seq, t.title)
            .join_from(schema.fact_amount, schema.doc_table,
                       and_(t.document_id == a.document_id, t.table_seq == a.table_seq))
            .where(a.document_id == tables.document_id, a.amount_yuan == yuan, a.table_code.in_(_TOTAL_TABLES))
            .order_by(a.table_seq, a.row_index, a.column_index)):
        precision = _precision(printed, yuan) if printed else None
        if precision is not None:
            return page, f"{printed}{precision[0]}", f"table {seq} “{title}”", precision[1]
    return None


def _unseen(document) -> Decimal:
    """The tolerance of a figure the file does not print as one amount (a “三公” total the prose gives
    as its three parts, a 基本支出 printed as 人员 + 公用): three amounts at 0.01 of its money unit."""
    factor = UNIT_FACTORS.get(document.money_unit or "万元", UNIT_FACTORS["万元"])
    return 3 * Decimal("0.005") * factor
