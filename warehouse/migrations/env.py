"""Alembic environment: the same migrations build DuckDB (default) and PostgreSQL.

Run through `budgetdw migrate` / `pipelines.load.engine.ensure_schema`, which pass an open connection;
`alembic -c alembic.ini …` (developers, e.g. autogenerate against PostgreSQL) reads the URL from
BUDGETDW_WAREHOUSE.
"""

import os

from alembic import context
from alembic.ddl.impl import DefaultImpl
from sqlalchemy import create_engine

from warehouse.schema import metadata


class DuckDBImpl(DefaultImpl):
    """duckdb_engine ships no Alembic dialect implementation; DuckDB's DDL is standard enough."""

    __dialect__ = "duckdb"
    transactional_ddl = True


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(os.environ.get("BUDGETDW_WAREHOUSE", "duckdb:///budgetdw.duckdb"))
    with engine.begin() as conn:
        run(conn)
