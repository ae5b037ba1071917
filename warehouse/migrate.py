"""Bring a warehouse to the current schema: Alembic migrations (warehouse/migrations/), then the
BI views (warehouse/views/*.sql), which hold no data and are dropped and recreated.

`budgetdw migrate` runs this as an explicit step; `budgetdw ingest` runs it once per run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


def create_views(engine: Engine) -> None:
    """(Re)create every BI view, in the order of their file names (later views use earlier ones),
    with a comment on the view and on each of its columns, so that a BI tool (or `\\d+` in psql)
    shows what they mean."""
    all_views = views()
    meanings = view_column_comments()
    with engine.begin() as conn:
        for view in reversed(all_views):
            conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
        for view in all_views:
            conn.execute(text(view.sql))
            conn.execute(text(f"COMMENT ON VIEW {view.name} IS {_literal(view.comment)}"))
            for column in view_columns(conn, view.name):
                if column in meanings:
                    conn.execute(text(f"COMMENT ON COLUMN {view.name}.{column} IS {_literal(meanings[column])}"))


def view_columns(conn, view: str) -> list[str]:
    """The columns of a view, in order, as the database sees them."""
    if conn.dialect.name == "duckdb":
        query = ("SELECT column_name FROM duckdb_columns() WHERE table_name = :view "
                 "AND schema_name = current_schema() ORDER BY column_index")
    else:
        query = ("SELECT column_name FROM information_schema.columns WHERE table_name = :view "
                 "AND table_schema = current_schema() ORDER BY ordinal_position")
    return [name for (name,) in conn.execute(text(query), {"view": view})]


def _literal(comment: str) -> str:
    """A comment as an SQL string literal (COMMENT ON takes no bound parameters)."""
    return "'" + comment.replace("'", "''") + "'"
