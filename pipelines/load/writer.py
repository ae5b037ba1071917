"""Load one processed document into the warehouse, atomically and idempotently.

The document's rows are replaced inside one transaction: loading the same PDF twice changes
nothing, and a failure part-way leaves the previous state.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, text, update

from pipelines import PARSER_VERSION
from pipelines.catalog import FUND_SOURCES
from pipelines.load import kept
from pipelines.load.disclosure import check_companions
from pipelines.load.rows import RowsRefused, ValueOutOfRange, insert_rows
from pipelines.model import FAILED, ProcessedDocument
from pipelines.normalise.tables import three_public_parts
from warehouse import derived, schema

# project's columns for catalog.FUND_SOURCES, in its order.
FUND_COLUMNS = (
    "central_year_yuan", "provincial_year_yuan", "local_year_yuan", "self_raised_year_yuan", "other_year_yuan")
log = logging.getLogger(__name__)


def unit_key(unit_name: str) -> str:
    """One key for the printed variants of a unit name (中共江苏省委办公厅 = 江苏省委办公厅)."""
    key = re.sub(r"\s+", "", unit_name)
    key = re.sub(r"^中国共产党(.+?)委员会", r"\1委", key)
    key = re.sub(r"^中共", "", key)
    return key


def load_document(engine: Engine, doc: ProcessedDocument, seen_at: datetime | None = None) -> None:
    """Load one processed document in one transaction, replacing an earlier load of it.

    `seen_at` (default: now) becomes its first_seen_at unless it was loaded before: history only. Which
    version of a unit's budget is current is decided by the documents' own publication evidence
    (printed_date, then file_date, then document_id: warehouse/views/010_v_document.sql), never by when
    they were loaded, so a kill and rerun, or another order of finishing, leaves the same current version.
    """
    ident, totals = doc.identity, doc.totals
    doc_id = doc.source.sha256
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Concurrent runs loading the same document take turns instead of interleaving.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": doc_id})
        earlier = conn.execute(select(schema.document.c.first_seen_at, schema.document.c.unit_key)
                               .where(schema.document.c.document_id == doc_id)).one_or_none()
        first_seen, earlier_unit = earlier if earlier else (None, None)
        key = unit_key(ident.unit_name) if ident else None
        units = sorted({u for u in (earlier_unit, key) if u})  # whose versions this load may reorder
        for unit in units:
            derived.unit_lock(conn, unit)
        if first_seen is not None:  # loaded before: replace its rows (a new document has none)
            for table in schema.DOCUMENT_TABLES:
                conn.execute(delete(table).where(table.c.document_id == doc_id))
        if key:
            _ensure_unit(conn, key, ident.unit_name)
        conn.execute(insert(schema.document).values(
            document_id=doc_id,
            unit_key=key,
            unit_name=ident.unit_name if ident else None,
            fiscal_year=ident.fiscal_year if ident else None,
            doc_kind=ident.doc_kind if ident else None,
            money_unit=ident.money_unit if ident else None,
            source_uri=doc.source.source_uri,
            raw_path=str(doc.source.raw_path),
            page_count=doc.page_count,
            toc_tables=ident.toc_tables if ident else None,
            status=doc.status,
            error=doc.error,
            parser_version=PARSER_VERSION,
            first_seen_at=first_seen or seen_at or now,
            loaded_at=now,
            income_total_yuan=totals.income_total if totals else None,
            expenditure_total_yuan=totals.expenditure_total if totals else None,
            basic_total_yuan=totals.basic_total if totals else None,
            project_total_yuan=totals.project_total if totals else None,
            three_public_total_yuan=totals.three_public_total if totals else None,
            totals_source=totals.source if totals else None,
            unit_scope=ident.unit_scope if ident else None,
            identity_confidence=Decimal(f"{ident.confidence:.2f}") if ident else None,
            identity_evidence=_evidence_json(ident),
            part=doc.part,
            current_year_income_yuan=totals.current_year_income if totals else None,
            current_year_expenditure_yuan=totals.current_year_expenditure if totals else None,
            carryover_in_yuan=totals.carryover_in if totals else None,
            carryover_out_yuan=totals.carryover_out if totals else None,
            printed_date=doc.printed_date,
            file_date=doc.file_date,
            **kept.counts(doc),
        ))
        if doc.failure_kind:
            conn.execute(update(schema.document).where(schema.document.c.document_id == doc_id)
                         .values(failure_kind=doc.failure_kind))
        insert_rows(conn, schema.doc_table, [
            dict(document_id=doc_id, table_seq=t.table.seq, table_code=t.table.code, title=t.table.title,
                 number_label=t.table.number_label, money_unit=t.table.unit,
                 pages=",".join(map(str, t.table.pages)), row_count=len(t.table.body_rows), is_empty=t.table.empty)
            for t in doc.tables
        ])
        insert_rows(conn, schema.fact_amount, [
            dict(document_id=doc_id, table_seq=t.table.seq, table_code=t.table.code, row_index=c.row_index,
                 column_index=c.column_index, page=c.page, row_label=c.row_label, subject_code=c.subject_code,
                 column_name=c.column_name, measure=c.measure, amount_printed=c.amount.printed,
                 amount_yuan=c.amount.yuan)
            for t in doc.tables for c in t.cells
        ])
        subjects = {}
        rows = []
        for t in doc.tables:
            for r in t.subject_rows:
                rows.append(dict(document_id=doc_id, table_seq=t.table.seq, table_code=t.table.code,
                                 row_index=r.row_index, page=r.page, subject_code=r.subject_code,
                                 subject_name=r.subject_name, subject_level=r.level, parent_code=r.parent_code))
                if r.subject_code:
                    subjects.setdefault(r.subject_code, r)
        insert_rows(conn, schema.fact_subject_row, rows)
        _update_subjects(conn, subjects, ident.fiscal_year if ident else None)
        _insert_facts_from_text(conn, doc_id, doc)
        insert_rows(conn, schema.check_result, [
            dict(document_id=doc_id, seq=i, check_id=c.check_id, severity=c.severity, passed=c.passed,
                 observed=c.observed, expected=c.expected, message=c.message, table_seq=c.table_seq, page=c.page,
                 check_key=c.check_key, observed_yuan=c.observed_yuan, expected_yuan=c.expected_yuan,
                 # the operands of a failed check (a passed one's would only weigh on the warehouse)
                 evidence=json.dumps(list(c.evidence), ensure_ascii=False) if c.evidence and not c.passed else None)
            for i, c in enumerate(doc.checks)
        ])
        # What the views read instead of summing the facts (warehouse/derived.py), from the rows just written.
        insert_rows(conn, schema.document_amount_sum, kept.amount_sums(doc_id, doc))
        insert_rows(conn, schema.document_subject_sum, kept.subject_sums(doc_id, doc))
        check_companions(conn, doc_id)  # the other part of a disclosure split over two files
        # Its unit's current and published versions, in this transaction: the views never see the document
        # without them.
        derived.rank_versions(conn, units, [doc_id])


# Failure kinds a later run may not meet again: the document is read again by the next run, without --force.
RETRY_MAY_HELP = frozenset({"timeout", "crashed", "memory_limit", "warehouse_error"})
_WAREHOUSE_FAULTS = {"OperationalError", "InterfaceError", "IOException", "OutOfMemoryException",
                     "ConnectionException", "DiskFull"}


def load_or_fail(engine: Engine, doc: ProcessedDocument, seen_at: datetime | None = None) -> ProcessedDocument:
    """load_document inside the document's own error boundary: a load the warehouse refuses (an amount
    beyond NUMERIC(20,2), a key repeated, a lost connection) becomes the document's problem — status
    failed, a failure kind, one line naming the document and the table (and the page, where the row
    says) — and its document row is still recorded, without its facts. Never raises for a document."""
    try:
        load_document(engine, doc, seen_at)
        return doc
    except Exception as exc:  # noqa: BLE001 - one document's load never stops the run
        kind, why = _load_failure(exc)
        # The terminal has the document's line; the log file keeps the traceback.
        log.info("%s: cannot be loaded (%s): %s", doc.source.source_uri, kind, why, exc_info=True)
    failed = ProcessedDocument(doc.source, FAILED, identity=doc.identity, page_count=doc.page_count,
                               error=f"{doc.source.name}: cannot be loaded: {why}", failure_kind=kind,
                               notes=doc.notes, timings=doc.timings, log=doc.log,
                               printed_date=doc.printed_date, file_date=doc.file_date)
    try:
        load_document(engine, failed, seen_at)
    except Exception:  # noqa: BLE001 - the warehouse is gone: the run's report still says what happened
        log.exception("%s: its failure could not be recorded in the warehouse either", doc.source.source_uri)
        failed.notes.append("its failure could not be recorded in the warehouse")
    return failed


def _load_failure(exc: Exception) -> tuple[str, str]:
    """The failure kind and one-line reason of a load the warehouse refused."""
    if isinstance(exc, ValueOutOfRange):
        return "out_of_range", str(exc)
    cause = exc.__cause__ if isinstance(exc, RowsRefused) and exc.__cause__ else exc
    names = {type(cause).__name__, type(getattr(cause, "orig", None)).__name__}
    kind = "warehouse_error" if names & _WAREHOUSE_FAULTS or isinstance(cause, OSError) else "load_error"
    return kind, str(exc) if isinstance(exc, RowsRefused) else " ".join(f"{type(exc).__name__}: {exc}".split())[:400]


def _evidence_json(ident) -> str | None:
    """What decided the document's unit, year and kind, as JSON (field, value, source, page, text, weight)."""
    if ident is None or not ident.evidence:
        return None
    return json.dumps([asdict(e) for e in ident.evidence], ensure_ascii=False)


def _yuan(amount) -> Decimal | None:
    return amount.yuan if amount is not None else None


def _insert_facts_from_text(conn, doc_id: str, doc: ProcessedDocument) -> None:
    """Claims, projects and their indicators, economic subjects and holdings of one document."""
    insert_rows(conn, schema.fact_narrative_claim, [
        dict(document_id=doc_id, seq=i, page=c.page, subject=c.subject, subject_code=c.subject_code, year=c.year,
             amount_printed=c.amount.printed if c.amount else None, amount_yuan=_yuan(c.amount),
             percent=c.percent, percent_of=c.percent_of,
             change_printed=c.change_amount.printed if c.change_amount else None,
             change_yuan=_yuan(c.change_amount), change_percent=c.change_percent, direction=c.direction,
             compared_with=c.compared_with, measure=c.measure, text=c.text)
        for i, c in enumerate(doc.claims)
    ])
    forms = [(p, None) for p in doc.projects] + [(d.project, d) for d in doc.duplicate_forms]
    insert_rows(conn, schema.project, [
        dict(document_id=doc_id, project_seq=i, name=p.name, department=p.department,
             implementing_unit=p.implementing_unit, attribute=p.attribute, period=p.period,
             funds_unit=p.funds.unit, funds_total_period_yuan=_yuan(p.funds.total_period),
             funds_total_year_yuan=_yuan(p.funds.total_year),
             **{column: _yuan(p.funds.year.get(source))
                for column, source in zip(FUND_COLUMNS, FUND_SOURCES, strict=True)},
             pages=",".join(map(str, p.pages)),
             duplicate_of=dup.duplicate_of if dup else None, duplicate_reason=dup.reason if dup else None)
        for i, (p, dup) in enumerate(forms)
    ])
    insert_rows(conn, schema.fact_performance_indicator, [
        dict(document_id=doc_id, project_seq=i, side=side, row_seq=r, page=ind.page, level1=ind.level1,
             level2=ind.level2, level3=ind.level3, target_text=ind.target_text,
             target_operator=ind.target_operator, target_value=ind.target_value, target_unit=ind.target_unit)
        for i, (p, _) in enumerate(forms)
        for side, indicators in (("period", p.period_indicators), ("year", p.year_indicators))
        for r, ind in enumerate(indicators)
    ])
    table_codes = {t.table.seq: t.table.code for t in doc.tables}
    insert_rows(conn, schema.fact_basic_econ, [
        dict(document_id=doc_id, table_seq=seq, table_code=table_codes.get(seq), row_seq=i, page=e.page,
             printed_code=e.printed_code, printed_name=e.printed_name, econ_code=e.econ_code, econ_name=e.econ_name,
             gov_econ_code=e.gov_econ_code, gov_econ_name=e.gov_econ_name, econ_level=e.level, resolved=e.resolved,
             personnel_yuan=_yuan(e.personnel), public_yuan=_yuan(e.public), total_yuan=_yuan(e.total))
        for i, (seq, e) in enumerate(doc.econ)
    ])
    insert_rows(conn, schema.fact_three_public, [
        dict(document_id=doc_id, part=p.part, phase=p.phase, amount_yuan=p.amount, page=p.page)
        for p in _three_public_facts(doc)
    ])
    insert_rows(conn, schema.fact_holding, [
        dict(document_id=doc_id, seq=i, page=h.page, kind=h.kind, label=h.label, quantity=h.quantity,
             unit=h.unit, text=h.text)
        for i, h in enumerate(doc.holdings)
    ])


def _three_public_facts(doc: ProcessedDocument) -> list:
    """The document's “三公” parts, one per part and phase: a document that prints its 三公 table more
    than once (the whole budget bound twice, a table repeated in an annex) states each part once more;
    the first table that prints a part gives it, every printing stays in fact_amount with its own table.
    A repeat that prints another amount is logged with both pages."""
    found: dict[tuple[str, str], object] = {}
    for t in sorted((t for t in doc.tables if t.table.code == "three_public"), key=lambda t: t.table.seq):
        for p in three_public_parts(t):
            first = found.setdefault((p.part, p.phase), p)
            if first is not p and first.amount != p.amount:
                log.warning("%s: 三公 %s (%s) printed as %s on page %s and as %s on page %s; the first is loaded",
                            doc.source.name, p.part, p.phase, first.amount, first.page, p.amount, p.page)
    return list(found.values())


def _ensure_unit(conn, key: str, printed_name: str) -> None:
    """The unit and this printed form of its name, added when new. Its name is the fullest printed form
    (the longest, then the first in code-point order), whichever document is loaded first: the same
    documents give the same dimension in any order, and two runs adding one unit cannot collide."""
    insert_rows(conn, schema.dim_unit, [dict(unit_key=key, unit_name=printed_name)], skip_existing=True)
    dim = schema.dim_unit
    conn.execute(update(dim).where(
        dim.c.unit_key == key,
        or_(func.length(dim.c.unit_name) < len(printed_name),
            and_(func.length(dim.c.unit_name) == len(printed_name), dim.c.unit_name > printed_name)),
    ).values(unit_name=printed_name))
    insert_rows(conn, schema.dim_unit_alias, [dict(alias=printed_name, unit_key=key)], skip_existing=True)


def _update_subjects(conn, subjects: dict, year: int | None) -> None:
    """Add new function subjects; name each by the latest fiscal year that prints it (of two names printed
    in one year, the first in code-point order), not by the document that happened to load first; widen
    the years each known one has been seen in. Two runs adding one subject cannot collide."""
    dim = schema.dim_function_subject
    known = {c: (lo, hi) for c, lo, hi in conn.execute(select(dim.c.subject_code, dim.c.first_year, dim.c.last_year))}
    insert_rows(conn, dim, [
        dict(subject_code=c, subject_name=r.subject_name, subject_level=r.level, parent_code=r.parent_code,
             first_year=year, last_year=year)
        for c, r in subjects.items() if c not in known
    ], skip_existing=True)
    if year is None:
        return
    _rename_subjects(conn, {c: r.subject_name for c, r in subjects.items() if r.subject_name}, year)
    widened = sorted(c for c, (lo, hi) in known.items()
                     if c in subjects and (lo is None or hi is None or not lo <= year <= hi))
    if widened:  # one statement, however many (a round trip each on a remote PostgreSQL)
        conn.execute(update(dim).where(dim.c.subject_code.in_(widened)).values(
            first_year=func.least(func.coalesce(dim.c.first_year, year), year),
            last_year=func.greatest(func.coalesce(dim.c.last_year, year), year)))


def _rename_subjects(conn, names: dict[str, str], year: int) -> None:
    """The names a document of `year` prints replace those of earlier years, and in the same year a name
    first in code-point order; one statement for the document (run before its years are widened)."""
    if not names:
        return
    binds, values = {"year": year}, []
    for i, (code, name) in enumerate(sorted(names.items())):
        binds[f"c{i}"], binds[f"n{i}"] = code, name
        values.append(f"(:c{i}, :n{i})")
    conn.execute(text(
        "UPDATE dim_function_subject AS d SET subject_name = v.name "
        f"FROM (VALUES {', '.join(values)}) AS v(code, name) "
        "WHERE d.subject_code = v.code AND d.subject_name IS DISTINCT FROM v.name "
        "AND (d.last_year IS NULL OR d.last_year < :year "
        "OR (d.last_year = :year AND (d.subject_name IS NULL OR v.name < d.subject_name)))"), binds)
