"""`budgetdw export`: every BI view as a file (CSV or Parquet), for users without a database.

DuckDB writes them itself (COPY). From PostgreSQL the rows are read through SQLAlchemy, written to a
temporary CSV exactly as the database returns them (Decimal as printed, never a float), read back by an
in-memory DuckDB with the view's own column types (NUMERIC(20,2) stays DECIMAL(20,2)) and written by the
same COPY: both engines give the same files. Rows are sorted on every column, so a file compares with the
previous export line by line.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from warehouse import views
from warehouse.migrate import bi_schema, view_column_types

FORMATS = {"csv": "(FORMAT CSV, HEADER)", "parquet": "(FORMAT PARQUET)"}
NULL = "\\N"  # in the temporary CSV only: an empty text stays an empty text


@dataclass(frozen=True)
class Exported:
    view: str
    rows: int
    path: Path


def export_views(engine: Engine, out_dir: Path, fmt: str,
                 on_view: Callable[[Exported], None] | None = None) -> list[Exported]:
    """Write DIR/<view>.<fmt> for every BI view, in the order of warehouse/views/."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    with engine.connect() as conn:
        schema = bi_schema(conn)
        for view in views():
            path = out_dir / f"{view.name}.{fmt}"
            if engine.dialect.name == "duckdb":
                conn.exec_driver_sql("SET TimeZone = 'UTC'")
                rows = _copy(conn.exec_driver_sql, f"SELECT * FROM {schema}.{view.name}", path, fmt)
            else:
                rows = _through_duckdb(conn, schema, view.name, path, fmt)
            done.append(Exported(view.name, rows, path))
            if on_view:
                on_view(done[-1])
    return done


def _copy(execute, select: str, path: Path, fmt: str) -> int:
    target = str(path).replace("'", "''")
    execute(f"COPY ({select} ORDER BY ALL) TO '{target}' {FORMATS[fmt]}")
    return execute(f"SELECT COUNT(*) FROM ({select})").fetchone()[0]


def _text(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # a Decimal as the database gave it (51744700.00), a timestamp in ISO form


def _through_duckdb(conn, schema: str, view: str, path: Path, fmt: str) -> int:
    import duckdb

    columns = view_column_types(conn, view, schema)
    with tempfile.TemporaryDirectory(prefix="budgetdw-export-") as tmp:
        staged = Path(tmp) / f"{view}.csv"
        with staged.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([name for name, _ in columns])
            result = conn.execution_options(stream_results=True).execute(text(f"SELECT * FROM {schema}.{view}"))
            for chunk in result.partitions(10_000):
                writer.writerows([_text(v) for v in row] for row in chunk)
        types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns)
        source = str(staged).replace("'", "''")
        db = duckdb.connect()
        try:
            db.execute("SET TimeZone = 'UTC'")
            select = (f"SELECT * FROM read_csv('{source}', header = true, nullstr = '{NULL}', "
                      f"quote = '\"', escape = '\"', columns = {{{types}}})")
            return _copy(db.execute, select, path, fmt)
        finally:
            db.close()
