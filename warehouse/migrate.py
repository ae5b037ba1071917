"""Bring a warehouse to the current schema: Alembic migrations (warehouse/migrations/), then the
BI views (warehouse/views/*.sql), which hold no data and are dropped and recreated.

`budgetdw migrate` runs this as an explicit step; `budgetdw ingest` runs it once per run.
"""

from __future__ import annotations

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


def upgrade(engine: Engine) -> None:
    """Apply every migration not applied yet (none on an up-to-date warehouse)."""
    from alembic import command

    with engine.begin() as conn:
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
