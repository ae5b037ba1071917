"""Opening a warehouse: a URL budgetdw cannot use is one line, exit 4, and never shows a secret."""

import pytest
from click.testing import CliRunner

from pipelines.cli import WAREHOUSE_UNAVAILABLE, main
from pipelines.load.engine import shown_url


@pytest.mark.parametrize(("url", "says"), [
    # A database SQLAlchemy knows whose driver is not installed: was a ModuleNotFoundError traceback, exit 1.
    ("mysql://user@localhost/budget", "no driver installed: MySQLdb"),
    # A port that is not a number: was a ValueError traceback, exit 1.
    ("postgresql+psycopg://user@127.0.0.1:fivefour/budget", "invalid literal for int()"),
    ("not a url at all", "is not a database URL"),
])
def test_an_unusable_warehouse_url_is_one_line_and_exit_4(url, says):
    run = CliRunner().invoke(main, ["migrate", "--warehouse", url])
    assert run.exit_code == WAREHOUSE_UNAVAILABLE, run.output
    assert says in run.output and "Traceback" not in run.output
    assert len(run.output.strip().splitlines()) == 1


def test_a_refused_connection_is_one_line_without_the_password():
    url = "postgresql+psycopg://budget:s3cret-pw@127.0.0.1:1/budget?password=s3cret-pw&sslmode=disable"
    run = CliRunner().invoke(main, ["migrate", "--warehouse", url])
    assert run.exit_code == WAREHOUSE_UNAVAILABLE, run.output
    assert "s3cret-pw" not in run.output and "Connection refused" in run.output
    assert len(run.output.strip().splitlines()) == 1


def test_shown_url_hides_passwords_in_the_user_part_and_the_query():
    assert shown_url("postgresql+psycopg://u:pw@db.example/budget?password=pw2&sslmode=require") == (
        "postgresql+psycopg://u:***@db.example/budget?password=***&sslmode=require")
    assert shown_url("duckdb:///budgetdw.duckdb") == "duckdb:///budgetdw.duckdb"


def test_an_unencoded_at_in_the_password_is_refused_not_half_printed():
    # "p@zzq9" unencoded: SQLAlchemy would read "zzq9@host" as the host and print it.
    url = "postgresql+psycopg://u:p@zzq9@127.0.0.1:1/budget"
    with pytest.raises(ValueError, match="unencoded '@'"):
        shown_url(url)
    run = CliRunner().invoke(main, ["migrate", "--warehouse", url])
    assert run.exit_code == WAREHOUSE_UNAVAILABLE and "zzq9" not in run.output, run.output


def test_a_duckdb_warehouse_loads_on_one_thread_leaving_the_cores_to_the_readers(tmp_path):
    # Every connection of the engine, not only the one that set it: DuckDB's threads is the database's.
    from sqlalchemy import text

    from pipelines.load.engine import connect, load_on_one_thread

    engine = connect(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with engine.connect() as before:
        load_on_one_thread(engine)
        assert before.execute(text("SELECT current_setting('threads')")).scalar() == 1
    with engine.connect() as after:
        assert after.execute(text("SELECT current_setting('threads')")).scalar() == 1
    engine.dispose()
