"""What a review page shows, read from the warehouse's views (the tables they read where a document is
not in the published views: a quarantined document's charts are its own numbers, not the published ones)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, text

from pipelines.store import stored_path
from warehouse.migrate import in_bi


@dataclass(frozen=True)
class Document:
    document_id: str
    unit_name: str | None
    unit_scope: str | None
    unit_key: str | None
    fiscal_year: int | None
    doc_kind: str | None
    status: str
    is_current: bool
    money_unit: str | None
    source_uri: str
    raw_path: str | None
    page_count: int | None
    income_total_yuan: Decimal | None
    expenditure_total_yuan: Decimal | None
    basic_total_yuan: Decimal | None
    project_total_yuan: Decimal | None
    three_public_total_yuan: Decimal | None
    identity_confidence: Decimal | None
    error: str | None
    accepted_by: str | None
    accepted_reason: str | None
    parser_version: str | None
    toc_tables: int | None
    tables_found: int
    checks_run: int
    checks_failed: int
    errors: int


_DOCUMENT_COLUMNS = ", ".join(
    ["v.document_id", "v.unit_name", "v.unit_scope", "v.unit_key", "v.fiscal_year", "v.doc_kind", "v.status",
     "v.is_current", "v.money_unit", "v.source_uri", "d.raw_path", "v.page_count", "v.income_total_yuan",
     "v.expenditure_total_yuan", "v.basic_total_yuan", "v.project_total_yuan", "v.three_public_total_yuan",
     "v.identity_confidence", "v.error", "v.accepted_by", "v.accepted_reason", "v.parser_version", "v.toc_tables",
     "o.tables_found", "o.checks_run", "o.checks_failed", "o.errors"])


class NoSuchDocument(LookupError):
    pass


def documents(conn: Connection, prefixes: tuple[str, ...] = ()) -> list[Document]:
    """Every document (or those whose sha256 starts with one of `prefixes`), by unit, year and kind.
    A prefix that matches nothing raises NoSuchDocument naming it."""
    rows = conn.execute(text(in_bi(conn,
        f"SELECT {_DOCUMENT_COLUMNS} FROM v_document v JOIN document d ON d.document_id = v.document_id "
        "JOIN v_document_overview o ON o.document_id = v.document_id "
        "ORDER BY v.unit_name, v.unit_scope, v.fiscal_year, v.doc_kind, v.first_seen_at, v.document_id"))).all()
    docs = [Document(*row) for row in rows]
    if not prefixes:
        return docs
    wanted = [p.lower() for p in prefixes]
    for prefix in wanted:
        if not any(d.document_id.startswith(prefix) for d in docs):
            raise NoSuchDocument(f"no document's sha256 starts with {prefix!r}")
    return [d for d in docs if any(d.document_id.startswith(p) for p in wanted)]


def original_pdf(doc: Document, data_dir: Path | None) -> Path | None:
    """The original in the raw store: where the load recorded it, else under data_dir (a warehouse copied
    from another machine keeps the other machine's path)."""
    candidates = [Path(doc.raw_path)] if doc.raw_path else []
    if data_dir is not None:
        candidates.append(stored_path(data_dir / "raw", doc.document_id))
    return next((p for p in candidates if p.is_file()), None)


@dataclass(frozen=True)
class ClassRow:
    class_code: str
    class_name: str
    total_yuan: Decimal | None
    basic_yuan: Decimal | None
    project_yuan: Decimal | None


# The tables v_expenditure_by_subject reads, in its order of preference.
SUBJECT_TABLES = ("expenditure_summary", "general_budget_expenditure", "appropriation_expenditure")


def expenditure_by_class(conn: Connection, doc: Document) -> tuple[list[ClassRow], str]:
    """Expenditure by function class (类), largest first, and where it was read from: v_expenditure_by_class_year
    for a published document, else the same rows of the document's own tables."""
    rows = conn.execute(text(in_bi(conn,
        "SELECT class_code, class_name, total_yuan, basic_yuan, project_yuan, table_code "
        "FROM v_expenditure_by_class_year WHERE document_id = :d")), {"d": doc.document_id}).all()
    source = "v_expenditure_by_class_year"
    if not rows:
        found = conn.execute(text(
            "SELECT r.subject_code, r.subject_name, "
            "SUM(CASE WHEN a.measure = 'total' THEN a.amount_yuan END), "
            "SUM(CASE WHEN a.measure = 'basic' THEN a.amount_yuan END), "
            "SUM(CASE WHEN a.measure = 'project' THEN a.amount_yuan END), r.table_code, r.table_seq "
            "FROM fact_subject_row r LEFT JOIN fact_amount a ON a.document_id = r.document_id "
            "AND a.table_seq = r.table_seq AND a.row_index = r.row_index "
            "WHERE r.document_id = :d AND r.subject_level = '类' AND r.table_code IN "
            "('expenditure_summary', 'general_budget_expenditure', 'appropriation_expenditure') "
            "GROUP BY r.subject_code, r.subject_name, r.table_code, r.table_seq"), {"d": doc.document_id}).all()
        if found:
            best = min((SUBJECT_TABLES.index(r[5]), r[6]) for r in found)
            rows = [r[:6] for r in found if (SUBJECT_TABLES.index(r[5]), r[6]) == best]
            source = "document tables"
    if not rows:
        return [], source
    source += f" ({rows[0][5]})"
    classes = [ClassRow(*r[:5]) for r in rows]
    return sorted(classes, key=lambda c: (-(c.total_yuan or 0), c.class_code)), source


THREE_PUBLIC_PARTS = (("outbound", "因公出国（境）费"), ("reception", "公务接待费"),
                      ("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行维护费"))


@dataclass(frozen=True)
class ThreePublic:
    phase: str
    total_yuan: Decimal | None
    parts: list[tuple[str, Decimal | None]]  # (name, amount) in THREE_PUBLIC_PARTS order


def three_public(conn: Connection, doc: Document) -> tuple[list[ThreePublic], str]:
    """“三公” by item and phase: v_three_public_trend for a published document, else fact_three_public."""
    rows = conn.execute(text(in_bi(conn,
        "SELECT phase, three_public_yuan, outbound_yuan, reception_yuan, vehicle_purchase_yuan, "
        "vehicle_operation_yuan FROM v_three_public_trend WHERE document_id = :d ORDER BY phase")),
        {"d": doc.document_id}).all()
    source = "v_three_public_trend"
    if not rows:
        facts: dict[str, dict[str, Decimal]] = {}
        for phase, part, amount in conn.execute(text(
                "SELECT phase, part, amount_yuan FROM fact_three_public WHERE document_id = :d"),
                {"d": doc.document_id}):
            facts.setdefault(phase, {})[part] = amount
        rows = [(phase, p.get("total"), *(p.get(k) for k, _ in THREE_PUBLIC_PARTS))
                for phase, p in sorted(facts.items())]
        source = "fact_three_public"
    names = [name for _, name in THREE_PUBLIC_PARTS]
    return [ThreePublic(r[0], r[1], list(zip(names, r[2:], strict=True))) for r in rows], source


@dataclass(frozen=True)
class YearTotals:
    fiscal_year: int
    document_id: str
    expenditure_total_yuan: Decimal | None
    basic_total_yuan: Decimal | None
    project_total_yuan: Decimal | None
    three_public_total_yuan: Decimal | None


def earlier_years(conn: Connection, doc: Document) -> list[YearTotals]:
    """The published documents of the same unit, scope and kind for earlier fiscal years, then this one."""
    if doc.unit_key is None or doc.fiscal_year is None:
        return []
    columns = "fiscal_year, document_id, expenditure_total_yuan, basic_total_yuan, project_total_yuan, " \
              "three_public_total_yuan"
    earlier = conn.execute(text(in_bi(conn,
        f"SELECT {columns} FROM v_document WHERE unit_key = :unit AND unit_scope IS NOT DISTINCT FROM :scope "
        "AND doc_kind = :kind AND fiscal_year < :year "
        "AND document_id IN (SELECT document_id FROM v_published_document) ORDER BY fiscal_year")),
        {"unit": doc.unit_key, "scope": doc.unit_scope, "kind": doc.doc_kind, "year": doc.fiscal_year}).all()
    if not earlier:
        return []
    this = YearTotals(doc.fiscal_year, doc.document_id, doc.expenditure_total_yuan, doc.basic_total_yuan,
                      doc.project_total_yuan, doc.three_public_total_yuan)
    return [YearTotals(*r) for r in earlier] + [this]


@dataclass(frozen=True)
class FailedCheck:
    check_id: str
    severity: str
    observed: str | None
    expected: str | None
    message: str
    table_seq: int | None
    page: int | None
    evidence: str | None = None  # JSON: the operands, a table cell's with its bbox (v_check_result.evidence)
    accepted_scope: str | None = None  # check | document: accepted deliberately (budgetdw accept)
    check_key: str | None = None  # what budgetdw accept DOCUMENT --check names it by

    def cells(self) -> list[dict]:
        """The operands printed in a table cell whose box the evidence gives (page, bbox, printed)."""
        operands = json.loads(self.evidence) if self.evidence else []
        return [o for o in operands if o.get("bbox") and o.get("page")]


def failed_checks(conn: Connection, document_id: str) -> list[FailedCheck]:
    """Every check that failed, errors first, by page."""
    rows = conn.execute(text(in_bi(conn,
        "SELECT check_id, severity, observed, expected, message, table_seq, page, evidence, accepted_scope, check_key "
        "FROM v_check_result "
        "WHERE document_id = :d AND NOT passed "
        "ORDER BY CASE severity WHEN 'error' THEN 0 ELSE 1 END, page, table_seq, check_id, message")),
        {"d": document_id}).all()
    return [FailedCheck(*r) for r in rows]


@dataclass(frozen=True)
class TableFound:
    table_seq: int
    table_code: str
    table_name: str | None
    title: str | None
    number_label: str | None
    money_unit: str | None
    pages: str | None
    row_count: int | None
    is_empty: bool | None


def tables_found(conn: Connection, document_id: str) -> list[TableFound]:
    rows = conn.execute(text(
        "SELECT t.table_seq, t.table_code, k.name_zh, t.title, t.number_label, t.money_unit, t.pages, t.row_count, "
        "t.is_empty FROM doc_table t LEFT JOIN dim_table_kind k ON k.table_code = t.table_code "
        "WHERE t.document_id = :d ORDER BY t.table_seq"), {"d": document_id}).all()
    return [TableFound(*r) for r in rows]
