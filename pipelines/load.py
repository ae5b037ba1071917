"""Load one processed document into the warehouse, atomically and idempotently.

The document's rows are replaced inside one transaction: loading the same PDF twice changes
nothing, and a failure part-way leaves the previous state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, func, insert, make_url, select, text, update
from sqlalchemy.exc import ArgumentError, DBAPIError

from warehouse import schema, views

from . import DEFAULT_WAREHOUSE, PARSER_VERSION
from .catalog import MEASURES, TABLE_KINDS
from .econ import load_catalog
from .normalise import three_public_parts
from .process import PUBLISHED, QUARANTINED, ProcessedDocument


def connect(url: str = DEFAULT_WAREHOUSE) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "duckdb":
        # duckdb_engine declares no native DECIMAL, so SQLAlchemy would pass every NUMERIC it reads
        # through a float ("%.2f" % value): wrong beyond 15 digits. The DuckDB driver does return
        # exact Decimals; take them as they are.
        engine.dialect.supports_native_decimal = True
    return engine


class WarehouseUnavailable(RuntimeError):
    """The warehouse URL is not one budgetdw can use, or its database cannot be opened."""


def open_warehouse(url: str, existing: bool = False) -> Engine:
    """connect() and ensure_schema(), failing with an error that names the warehouse (its password
    hidden) and says why: a URL no installed driver takes, a server that refuses the connection, a
    file that is not a DuckDB database. `existing`: commands that only read or amend what runs
    loaded refuse a DuckDB file that is not there (a mistyped path), rather than create it empty."""
    usable = "give duckdb:///file.duckdb or postgresql+psycopg://user@host/database"
    try:
        shown = shown_url(url)
    except ArgumentError:
        raise WarehouseUnavailable(f"{url!r} is not a database URL; {usable}") from None
    database = duckdb_file(url)
    if existing and database is not None and not Path(database).exists():
        raise WarehouseUnavailable(f"no warehouse at {shown}: no such file (budgetdw ingest creates it)")
    try:
        engine = connect(url)
    except ArgumentError as exc:  # e.g. a database type no installed driver handles
        raise WarehouseUnavailable(f"{shown} is not a warehouse URL budgetdw can use ({exc}); {usable}") from None
    try:
        ensure_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise WarehouseUnavailable(f"cannot open the warehouse {shown}: {exc.orig}") from None
    return engine


def duckdb_file(url: str) -> str | None:
    """The database file a DuckDB warehouse URL names, as written; None for an in-memory DuckDB,
    any other database, or text that is no URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "duckdb" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def shown_url(url: str) -> str:
    """A warehouse URL as it may be printed or logged: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _alembic_config(connection) -> "AlembicConfig":
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(schema.__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def ensure_schema(engine: Engine) -> None:
    """Migrate the warehouse to the current schema, load reference dimensions, (re)create views.

    Safe to run on every start: migrations apply once, views are dropped and recreated because
    they hold no data.
    """
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    with engine.begin() as conn:
        _seed_reference_dimensions(conn)
        all_views = views()
        for view in reversed(all_views):
            conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
        for view in all_views:
            conn.execute(text(view.sql))


def _seed_reference_dimensions(conn) -> None:
    """Measures and table kinds come from pipelines/catalog.py, the one place they are defined."""
    have = {m for (m,) in conn.execute(select(schema.dim_measure.c.measure))}
    _insert_many(conn, schema.dim_measure, [
        dict(measure=m.key, name_zh=m.name_zh, name_en=m.name_en, kind=m.kind) for m in MEASURES if m.key not in have
    ])
    have = set(conn.execute(select(schema.dim_econ_subject.c.classification, schema.dim_econ_subject.c.code)).all())
    _insert_many(conn, schema.dim_econ_subject, [
        dict(classification=e.classification, code=e.code, name=e.name, level=e.level, parent_code=e.parent_code)
        for e in load_catalog() if (e.classification, e.code) not in have
    ])
    have = {k for (k,) in conn.execute(select(schema.dim_table_kind.c.table_code))}
    _insert_many(conn, schema.dim_table_kind, [
        dict(table_code=k.code, name_zh=k.name_zh, name_en=k.name_en) for k in TABLE_KINDS if k.code not in have
    ])


def unit_key(unit_name: str) -> str:
    """One key for the printed variants of a unit name (中共江苏省委办公厅 = 江苏省委办公厅)."""
    key = re.sub(r"\s+", "", unit_name)
    key = re.sub(r"^中国共产党(.+?)委员会", r"\1委", key)
    key = re.sub(r"^中共", "", key)
    return key


def load_document(engine: Engine, doc: ProcessedDocument, seen_at: datetime | None = None) -> None:
    """Load one processed document in one transaction, replacing an earlier load of it.

    `seen_at` (default: now) becomes its first_seen_at unless it was loaded before; the newest
    version of a unit's budget is the current one.
    """
    ident, totals = doc.identity, doc.totals
    doc_id = doc.source.sha256
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Concurrent runs loading the same document take turns instead of interleaving.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": doc_id})
        first_seen = conn.execute(
            select(schema.document.c.first_seen_at).where(schema.document.c.document_id == doc_id)).scalar()
        if first_seen is not None:  # loaded before: replace its rows (a new document has none)
            for table in schema.DOCUMENT_TABLES:
                conn.execute(delete(table).where(table.c.document_id == doc_id))
        key = unit_key(ident.unit_name) if ident else None
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
        ))
        _insert_many(conn, schema.doc_table, [
            dict(document_id=doc_id, table_seq=t.table.seq, table_code=t.table.code, title=t.table.title,
                 number_label=t.table.number_label, money_unit=t.table.unit,
                 pages=",".join(map(str, t.table.pages)), row_count=len(t.table.body_rows), is_empty=t.table.empty)
            for t in doc.tables
        ])
        _insert_many(conn, schema.fact_amount, [
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
        _insert_many(conn, schema.fact_subject_row, rows)
        _update_subjects(conn, subjects, ident.fiscal_year if ident else None)
        _insert_facts_from_text(conn, doc_id, doc)
        _insert_many(conn, schema.check_result, [
            dict(document_id=doc_id, seq=i, check_id=c.check_id, severity=c.severity, passed=c.passed,
                 observed=c.observed, expected=c.expected, message=c.message, table_seq=c.table_seq, page=c.page)
            for i, c in enumerate(doc.checks)
        ])


def _yuan(amount) -> Decimal | None:
    return amount.yuan if amount is not None else None


def _insert_facts_from_text(conn, doc_id: str, doc: ProcessedDocument) -> None:
    """Claims, projects and their indicators, economic subjects and holdings of one document."""
    _insert_many(conn, schema.fact_narrative_claim, [
        dict(document_id=doc_id, seq=i, page=c.page, subject=c.subject, subject_code=c.subject_code, year=c.year,
             amount_printed=c.amount.printed if c.amount else None, amount_yuan=_yuan(c.amount),
             percent=c.percent, percent_of=c.percent_of,
             change_printed=c.change_amount.printed if c.change_amount else None,
             change_yuan=_yuan(c.change_amount), change_percent=c.change_percent, direction=c.direction,
             compared_with=c.compared_with, measure=c.measure, text=c.text)
        for i, c in enumerate(doc.claims)
    ])
    forms = [(p, None) for p in doc.projects] + [(d.project, d) for d in doc.duplicate_forms]
    _insert_many(conn, schema.project, [
        dict(document_id=doc_id, project_seq=i, name=p.name, department=p.department,
             implementing_unit=p.implementing_unit, attribute=p.attribute, period=p.period,
             funds_unit=p.funds.unit, funds_total_period_yuan=_yuan(p.funds.total_period),
             funds_total_year_yuan=_yuan(p.funds.total_year),
             central_year_yuan=_yuan(p.funds.year.get("中央财政资金")),
             provincial_year_yuan=_yuan(p.funds.year.get("省级财政资金")),
             local_year_yuan=_yuan(p.funds.year.get("市县（区）财政资金")),
             self_raised_year_yuan=_yuan(p.funds.year.get("单位自筹")),
             other_year_yuan=_yuan(p.funds.year.get("其他资金")),
             pages=",".join(map(str, p.pages)),
             duplicate_of=dup.duplicate_of if dup else None, duplicate_reason=dup.reason if dup else None)
        for i, (p, dup) in enumerate(forms)
    ])
    _insert_many(conn, schema.fact_performance_indicator, [
        dict(document_id=doc_id, project_seq=i, side=side, row_seq=r, page=ind.page, level1=ind.level1,
             level2=ind.level2, level3=ind.level3, target_text=ind.target_text,
             target_operator=ind.target_operator, target_value=ind.target_value, target_unit=ind.target_unit)
        for i, (p, _) in enumerate(forms)
        for side, indicators in (("period", p.period_indicators), ("year", p.year_indicators))
        for r, ind in enumerate(indicators)
    ])
    _insert_many(conn, schema.fact_basic_econ, [
        dict(document_id=doc_id, table_seq=seq, row_seq=i, page=e.page, printed_code=e.printed_code,
             printed_name=e.printed_name, econ_code=e.econ_code, econ_name=e.econ_name,
             gov_econ_code=e.gov_econ_code, gov_econ_name=e.gov_econ_name, econ_level=e.level, resolved=e.resolved,
             personnel_yuan=_yuan(e.personnel), public_yuan=_yuan(e.public), total_yuan=_yuan(e.total))
        for i, (seq, e) in enumerate(doc.econ)
    ])
    _insert_many(conn, schema.fact_three_public, [
        dict(document_id=doc_id, part=p.part, phase=p.phase, amount_yuan=p.amount, page=p.page)
        for t in doc.tables if t.table.code == "three_public" for p in three_public_parts(t)
    ])
    _insert_many(conn, schema.fact_holding, [
        dict(document_id=doc_id, seq=i, page=h.page, kind=h.kind, label=h.label, quantity=h.quantity,
             unit=h.unit, text=h.text)
        for i, h in enumerate(doc.holdings)
    ])


def _ensure_unit(conn, key: str, printed_name: str) -> None:
    if conn.execute(select(schema.dim_unit.c.unit_key).where(schema.dim_unit.c.unit_key == key)).first() is None:
        conn.execute(insert(schema.dim_unit).values(unit_key=key, unit_name=printed_name))
    alias = schema.dim_unit_alias
    if conn.execute(select(alias.c.alias).where(alias.c.alias == printed_name)).first() is None:
        conn.execute(insert(alias).values(alias=printed_name, unit_key=key))


def _update_subjects(conn, subjects: dict, year: int | None) -> None:
    """Add new function subjects; widen the years each known one has been seen in."""
    dim = schema.dim_function_subject
    known = {c: (lo, hi) for c, lo, hi in conn.execute(select(dim.c.subject_code, dim.c.first_year, dim.c.last_year))}
    _insert_many(conn, dim, [
        dict(subject_code=c, subject_name=r.subject_name, subject_level=r.level, parent_code=r.parent_code,
             first_year=year, last_year=year)
        for c, r in subjects.items() if c not in known
    ])
    if year is None:
        return
    widened = sorted(c for c, (lo, hi) in known.items()
                     if c in subjects and (lo is None or hi is None or not lo <= year <= hi))
    if widened:  # one statement, however many (a round trip each on a remote PostgreSQL)
        conn.execute(update(dim).where(dim.c.subject_code.in_(widened)).values(
            first_year=func.least(func.coalesce(dim.c.first_year, year), year),
            last_year=func.greatest(func.coalesce(dim.c.last_year, year), year)))


def _insert_many(conn, table, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "duckdb":
        _duckdb_insert_columns(conn, table, rows)
    else:
        conn.execute(insert(table), rows)


def _duckdb_insert_columns(conn, table, rows: list[dict]) -> None:
    """DuckDB runs an executemany row by row (≈1 ms a row): insert the rows in one statement
    instead, each column bound as one list and unnested (a few ms for a table of hundreds of rows,
    without building a pandas frame, which the main process then never imports). Every value goes
    in as text and DuckDB casts it to the column's type, so amounts stay exact (no float, no type
    guessed from a sample)."""
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    values = ", ".join(["unnest(?::VARCHAR[])"] * len(columns))
    raw = conn.connection.driver_connection  # the DuckDB connection of this transaction
    raw.execute(f"INSERT INTO {quote(table.name)} ({names}) SELECT {values}",
                [[_as_text(row[c]) for row in rows] for c in columns])


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class AcceptError(ValueError):
    pass


def accept_document(engine: Engine, document: str, reason: str, accepted_by: str) -> str:
    """Publish a quarantined document deliberately: who, when and why are recorded, and its
    numbers appear in the published views. `document` is its id (sha256) or a unique prefix."""
    if not reason.strip():
        raise AcceptError("a reason is required")
    with engine.begin() as conn:
        matches = conn.execute(select(schema.document.c.document_id, schema.document.c.status).where(
            schema.document.c.document_id.startswith(document, autoescape=True))).all()
        if len(matches) != 1:
            raise AcceptError(f"{len(matches)} documents match {document!r}; give more of its sha256")
        (doc_id, status), = matches
        if status != QUARANTINED:
            raise AcceptError(f"document {doc_id[:16]} is {status}, not quarantined: nothing to accept")
        conn.execute(delete(schema.document_acceptance).where(schema.document_acceptance.c.document_id == doc_id))
        conn.execute(insert(schema.document_acceptance).values(
            document_id=doc_id, accepted_by=accepted_by, accepted_at=datetime.now(timezone.utc), reason=reason))
    return doc_id


@dataclass(frozen=True)
class HeldBack:
    """A current document the published views leave out, and why."""
    document_id: str
    status: str  # quarantined | failed
    unit_name: str | None
    fiscal_year: int | None
    doc_kind: str | None
    source_uri: str
    error: str | None  # why a failed document could not be read
    failed_errors: list[tuple[str, str]]  # the error-severity checks that failed: id, message (naming the page)


def held_back(engine: Engine) -> list[HeldBack]:
    """The current versions that are not published and not accepted, as first seen: quarantined
    documents with the error checks that failed, failed documents with their error."""
    with engine.connect() as conn:
        docs = conn.execute(text(
            "SELECT document_id, status, unit_name, fiscal_year, doc_kind, source_uri, error FROM v_document "
            "WHERE is_current AND status <> :published AND accepted_by IS NULL "
            "ORDER BY first_seen_at, document_id"), {"published": PUBLISHED}).all()
        c = schema.check_result.c
        errors: dict[str, list] = {}
        for doc_id, check_id, message in conn.execute(
                select(c.document_id, c.check_id, c.message)
                .where(c.document_id.in_([d.document_id for d in docs]), c.severity == "error", ~c.passed)
                .order_by(c.document_id, c.seq)):
            errors.setdefault(doc_id, []).append((check_id, message))
    return [HeldBack(*d, failed_errors=errors.get(d.document_id, [])) for d in docs]


def loaded_versions(engine: Engine) -> dict[str, str]:
    """document_id → parser version of what is already in the warehouse (for skipping reruns)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(schema.document.c.document_id, schema.document.c.parser_version)).all())
