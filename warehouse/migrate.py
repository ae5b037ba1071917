"""Bring a warehouse to the current schema: Alembic migrations (warehouse/migrations/), then the
BI views (warehouse/views/*.sql), which hold no data and are dropped and recreated.

`budgetdw migrate` runs this as an explicit step; `budgetdw ingest` runs it once per run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text

from warehouse import view_column_comments, views

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# The key of the PostgreSQL advisory lock that migrations take ("budgetdw" as a 64-bit integer).
MIGRATION_LOCK = int.from_bytes(b"budgetdw", "big")


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """One process at a time brings a PostgreSQL warehouse to the current schema: migrations, reference
    dimensions and views (several runs starting at once on a fresh database would otherwise all create
    alembic_version, and all but one fail). A session-level advisory lock, on a connection of its own,
    held until the block ends; the others wait, then find nothing left to do. DuckDB has one writer
    process (pipelines/run.py's run lock): nothing to take."""
    if engine.dialect.name != "postgresql" or getattr(_held, "lock", False):  # (held already: ensure_schema)
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        conn.commit()
        _held.lock = True
        try:
            yield
        finally:
            _held.lock = False
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


_held = threading.local()


def upgrade(engine: Engine) -> None:
    """Apply every migration not applied yet (none on an up-to-date warehouse), under migration_lock."""
    from alembic import command

    with migration_lock(engine), engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


# The schema of the BI views, on both engines: what BI tools are pointed at (docs/bi.md). The same names
# in the warehouse's own schema (public, main) select from it, kept for one release for the queries
# written against them; they say so in their comment.
BI_SCHEMA = "bi"
DEFAULT_SCHEMAS = ("public", "main")


def bi_schema(conn) -> str:
    """`bi`; for a warehouse kept in a schema of its own (PostgreSQL's search_path, e.g. one per test or
    per environment in one database), `<schema>_bi`, so that two warehouses never share their views."""
    current = conn.execute(text("SELECT current_schema()")).scalar()
    return BI_SCHEMA if current in DEFAULT_SCHEMAS else f"{current}_{BI_SCHEMA}"


def create_views(engine: Engine) -> None:
    """(Re)create every BI view in the `bi` schema, in the order of their file names (later views use
    earlier ones), with a comment on the view and on each of its columns, so that a BI tool (or `\\d+`
    in psql) shows what they mean; then the same names in the default schema, for one release.

    The view files say `CREATE VIEW v_x` and name the views they read unqualified: the schema is
    applied here, for every view alike, so a view file never names it."""
    all_views = views()
    meanings = view_column_comments()
    with engine.begin() as conn:
        bi = bi_schema(conn)
        for view in reversed(all_views):
            conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))  # the old name first: it reads bi.*
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {bi}"))
        for view in reversed(all_views):
            conn.execute(text(f"DROP VIEW IF EXISTS {bi}.{view.name}"))
        for view in all_views:
            conn.execute(text(in_schema(view.sql, bi)))
            _comment(conn, f"{bi}.{view.name}", view.comment, meanings, bi)
        for view in all_views:
            conn.execute(text(f"CREATE VIEW {view.name} AS SELECT * FROM {bi}.{view.name}"))
            _comment(conn, view.name, f"Deprecated name, kept for one release: use {bi}.{view.name}. "
                     + view.comment, meanings)


@cache
def _view_names() -> re.Pattern:
    return re.compile(r"(?<![.\w])(" + "|".join(re.escape(v.name) for v in views()) + r")\b")


def in_schema(sql: str, schema: str) -> str:
    """`sql` with every BI view it names unqualified (v_document …) named in `schema`."""
    return _view_names().sub(lambda m: f"{schema}.{m.group(1)}", sql)


def in_bi(conn, sql: str) -> str:
    """`sql` reading the BI views of `conn`'s warehouse (bi_schema), not their deprecated names."""
    return in_schema(sql, bi_schema(conn))


def _comment(conn, view: str, comment: str, meanings: dict[str, str], schema: str | None = None) -> None:
    conn.execute(text(f"COMMENT ON VIEW {view} IS {_literal(comment)}"))
    for column in view_columns(conn, view.rpartition(".")[2], schema):
        if column in meanings:
            conn.execute(text(f"COMMENT ON COLUMN {view}.{column} IS {_literal(meanings[column])}"))


def view_columns(conn, view: str, schema: str | None = None) -> list[str]:
    """The columns of a view, in order, as the database sees them (in `schema`; default: the current one)."""
    return [name for name, _ in view_column_types(conn, view, schema)]


def view_column_types(conn, view: str, schema: str | None = None) -> list[tuple[str, str]]:
    """(column, type) of a view, in order, the type spelt as DuckDB spells it on both engines
    (DECIMAL(20,2), VARCHAR, …), so that one vocabulary describes the views wherever they live."""
    where = ":schema" if schema else "current_schema()"
    rows = conn.execute(text(
        "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns "
        f"WHERE table_name = :view AND table_schema = {where} ORDER BY ordinal_position"),
        {"view": view, "schema": schema}).all()
    if conn.dialect.name == "duckdb":
        return [(name, kind) for name, kind, _, _ in rows]
    return [(name, duckdb_type(kind, precision, scale)) for name, kind, precision, scale in rows]


# PostgreSQL's types (information_schema.columns.data_type) as DuckDB's.
_DUCKDB_TYPES = {"text": "VARCHAR", "character varying": "VARCHAR", "character": "VARCHAR", "integer": "INTEGER",
                 "bigint": "BIGINT", "smallint": "SMALLINT", "boolean": "BOOLEAN", "date": "DATE",
                 "timestamp with time zone": "TIMESTAMP WITH TIME ZONE", "timestamp without time zone": "TIMESTAMP",
                 "double precision": "DOUBLE", "real": "FLOAT"}


def duckdb_type(data_type: str, precision: int | None, scale: int | None) -> str:
    """A PostgreSQL column type as DuckDB's: NUMERIC(p,s) exactly; a numeric of no stated precision as
    VARCHAR (its exact text: DuckDB's DECIMAL holds at most 38 digits)."""
    if data_type == "numeric":
        return f"DECIMAL({precision},{scale})" if precision and precision <= 38 else "VARCHAR"
    return _DUCKDB_TYPES.get(data_type, "VARCHAR")


def _literal(comment: str) -> str:
    """A comment as an SQL string literal (COMMENT ON takes no bound parameters)."""
    return "'" + comment.replace("'", "''") + "'"
