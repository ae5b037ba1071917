"""Insert many rows fast on either engine, amounts exact."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert


def insert_rows(conn, table, rows: list[dict]) -> None:
    if not rows:
        return
    if conn.dialect.name == "duckdb":
        _duckdb_insert_columns(conn, table, rows)
    else:
        conn.execute(insert(table), rows)


def _duckdb_insert_columns(conn, table, rows: list[dict]) -> None:
    """DuckDB runs an executemany row by row, one round trip each: insert the rows in one statement
    instead, each column bound as one list and unnested (without building a pandas frame, which the
    main process then never imports). Every value goes
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
