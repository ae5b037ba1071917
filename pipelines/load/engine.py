"""Open a warehouse: the URL checked, the connection made, the schema migrated once per run.

Read-only commands (`budgetdw review`) open without migrating (`migrate=False`), so they work while a
BI tool holds the views; the migrations themselves are warehouse/migrate.py.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError

from pipelines import DEFAULT_WAREHOUSE
from pipelines.catalog import MEASURES, TABLE_KINDS
from pipelines.load.rows import insert_rows
from pipelines.normalise.econ import load_catalog
from warehouse import migrate, schema


def connect(url: str = DEFAULT_WAREHOUSE, read_only: bool = False) -> Engine:
    """An engine for the warehouse URL. `read_only` opens a DuckDB file read-only, so that it can be
    read while BI tools hold it open (DuckDB allows one writing process or many reading ones)."""
    is_duckdb = duckdb_file(url) is not None
    args: dict = {}
    if is_duckdb:
        # A file DuckDB takes for another database's (an SQLite file) must not make it download and load
        # code from the network: extensions are neither installed nor loaded automatically.
        args["config"] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        if read_only:
            args["read_only"] = True
    engine = create_engine(url, connect_args=args)
    if engine.dialect.name == "duckdb":
        # duckdb_engine declares no native DECIMAL, so SQLAlchemy would pass every NUMERIC it reads
        # through a float ("%.2f" % value): wrong beyond 15 digits. The DuckDB driver does return
        # exact Decimals; take them as they are.
        engine.dialect.supports_native_decimal = True
    return engine


def load_on_one_thread(engine: Engine) -> None:
    """While the worker pool reads documents on every core, DuckDB's own thread pool (one thread per core)
    only competes with it: a document's load is small inserts, which gain nothing from more threads.
    Measured: 1.3% faster over the real corpus with 2 workers, 4 of 4 alternated pairs (bench/results.md).
    DuckDB's `threads` is a setting of the database, so every connection of the engine has it."""
    if engine.dialect.name == "duckdb":
        with engine.connect() as conn:
            conn.exec_driver_sql("SET threads = 1")


class WarehouseUnavailable(RuntimeError):
    """The warehouse URL is not one budgetdw can use, or its database cannot be opened."""


def open_warehouse(url: str, existing: bool = False, migrate_schema: bool = True) -> Engine:
    """connect() and ensure_schema(), failing with an error that names the warehouse (its password
    hidden) and says why: a URL no installed driver takes, a server that refuses the connection, a
    file that is not a DuckDB database. `existing`: commands that only read or amend what runs
    loaded refuse a DuckDB file that is not there (a mistyped path), rather than create it empty.
    `migrate_schema=False`: a command that only reads; nothing is changed, and a DuckDB file is
    opened read-only."""
    usable = "give duckdb:///file.duckdb or postgresql+psycopg://user@host/database"
    try:
        shown = shown_url(url)
    except (ArgumentError, ValueError) as exc:  # no URL at all, a port that is not a number, an unencoded @
        raise WarehouseUnavailable(f"{_without_credentials(url)!r} is not a database URL budgetdw can use "
                                   f"({exc}); {usable}") from None
    database = duckdb_file(url)
    if existing and database is not None and not Path(database).exists():
        raise WarehouseUnavailable(f"no warehouse at {shown}: no such file (budgetdw ingest creates it)")
    try:
        engine = connect(url, read_only=not migrate_schema)
    except ArgumentError as exc:  # e.g. a database type SQLAlchemy does not know
        raise WarehouseUnavailable(f"{shown} is not a warehouse URL budgetdw can use ({exc}); {usable}") from None
    except ImportError as exc:  # a database SQLAlchemy knows, whose driver is not installed (mysql://)
        raise WarehouseUnavailable(f"{shown} is not a warehouse budgetdw can use (no driver installed: "
                                   f"{exc.name or exc}); {usable}") from None
    try:
        if migrate_schema:
            ensure_schema(engine)
        else:
            with engine.connect():  # a read-only command: connect, change nothing
                pass
    except DBAPIError as exc:
        engine.dispose()
        reason = " ".join(str(exc.orig).split())  # one line (libpq adds a hint on a line of its own)
        raise WarehouseUnavailable(f"cannot open the warehouse {shown}: {reason}") from None
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


# Query parameters that carry a secret (libpq and drivers take the password there too).
SECRET_PARAMETERS = {"password", "passwd", "pwd", "sslpassword", "sslkey"}


def shown_url(url: str) -> str:
    """A warehouse URL as it may be printed or logged: its password hidden, in the user part and in
    the query (…/db?password=…). A URL whose credentials hold an unencoded '@' raises ValueError
    rather than print the part of the password after it as if it were the host."""
    if "@" in _credentials(url).rpartition("@")[0]:
        raise ValueError("the user or password holds an unencoded '@' (write it as %40)")
    parsed = make_url(url)
    hidden = {k: "***" for k in parsed.query if k.lower() in SECRET_PARAMETERS}
    return parsed.update_query_dict(hidden).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def _credentials(url: str) -> str:
    """What stands between '://' and the host: user and password, '@' included."""
    netloc = url.partition("://")[2].partition("/")[0]
    return netloc.rpartition("@")[0] + "@" if "@" in netloc else ""


def _without_credentials(url: str) -> str:
    """A URL that could not be parsed, printable: what stands before its host is hidden."""
    credentials = _credentials(url)
    return url.replace(credentials, "***@", 1) if credentials else url


def ensure_schema(engine: Engine) -> None:
    """Migrate the warehouse to the current schema (warehouse/migrate.py), load the reference
    dimensions, (re)create the views. Safe on every start: migrations apply once."""
    with migrate.migration_lock(engine):  # several runs starting at once take turns (PostgreSQL)
        migrate.upgrade(engine)
        with engine.begin() as conn:
            _seed_reference_dimensions(conn)
        migrate.create_views(engine)


def _seed_reference_dimensions(conn) -> None:
    """Measures and table kinds come from pipelines/catalog.py, the one place they are defined."""
    have = {m for (m,) in conn.execute(select(schema.dim_measure.c.measure))}
    insert_rows(conn, schema.dim_measure, [
        dict(measure=m.key, name_zh=m.name_zh, name_en=m.name_en, kind=m.kind) for m in MEASURES if m.key not in have
    ])
    have = set(conn.execute(select(schema.dim_econ_subject.c.classification, schema.dim_econ_subject.c.code)).all())
    insert_rows(conn, schema.dim_econ_subject, [
        dict(classification=e.classification, code=e.code, name=e.name, level=e.level, parent_code=e.parent_code)
        for e in load_catalog() if (e.classification, e.code) not in have
    ])
    have = {k for (k,) in conn.execute(select(schema.dim_table_kind.c.table_code))}
    insert_rows(conn, schema.dim_table_kind, [
        dict(table_code=k.code, name_zh=k.name_zh, name_en=k.name_en) for k in TABLE_KINDS if k.code not in have
    ])
