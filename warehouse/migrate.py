"""Bring a warehouse to the current schema: Alembic migrations (warehouse/migrations/), then the
BI views (warehouse/views/*.sql), which hold no data and are dropped and recreated.

`budgetdw migrate` runs this as an explicit step; `budgetdw ingest` runs it once per run.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from warehouse import views

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
    """(Re)create every BI view, in the order of their file names (later views use earlier ones)."""
    all_views = views()
    with engine.begin() as conn:
        for view in reversed(all_views):
            conn.execute(text(f"DROP VIEW IF EXISTS {view.name}"))
        for view in all_views:
            conn.execute(text(view.sql))
