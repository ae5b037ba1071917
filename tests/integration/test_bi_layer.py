"""The BI layer as a data team meets it: views in a `bi` schema with their meaning on every view and
column, on DuckDB and PostgreSQL; the old names kept for one release; every view exported as files."""

from decimal import Decimal

import pytest
from conftest import POSTGRES_TWIN, REFERENCE_PDF
from sqlalchemy import text

from pipelines.load.engine import open_warehouse
from pipelines.run import Settings, ingest
from warehouse import views
from warehouse.migrate import bi_schema

DATABASES = ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)]


def _bi_columns(conn, schema: str) -> list[tuple[str, str, str | None]]:
    """(view, column, comment) of every column of the views in `schema`."""
    if conn.dialect.name == "duckdb":
        return conn.execute(text("SELECT table_name, column_name, comment FROM duckdb_columns() "
                                 "WHERE schema_name = :s"), {"s": schema}).all()
    return conn.execute(text(
        "SELECT c.relname, a.attname, col_description(c.oid, a.attnum) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE n.nspname = :s AND c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped"), {"s": schema}).all()


def _view_comment(conn, schema: str, view: str) -> str | None:
    if conn.dialect.name == "duckdb":
        return conn.execute(text("SELECT comment FROM duckdb_views() WHERE schema_name = :s AND view_name = :v"),
                            {"s": schema, "v": view}).scalar()
    return conn.execute(text("SELECT obj_description(CAST(:v AS regclass), 'pg_class')"),
                        {"v": f"{schema}.{view}"}).scalar()


@pytest.mark.parametrize("database", DATABASES)
def test_every_view_is_in_the_bi_schema_and_every_bi_column_says_what_it_means(database, request, tmp_path):
    url = request.getfixturevalue(database)
    ingest([REFERENCE_PDF], Settings(url, tmp_path / "data", workers=1))
    engine = open_warehouse(url)
    with engine.connect() as conn:
        bi, own = bi_schema(conn), conn.execute(text("SELECT current_schema()")).scalar()
        # DuckDB's main → bi; the test's PostgreSQL schema (search_path) → <schema>_bi, never shared
        assert bi == ("bi" if own == "main" else f"{own}_bi")
        columns = _bi_columns(conn, bi)
        assert {v for v, *_ in columns} == {v.name for v in views()}
        assert [(v, c) for v, c, comment in columns if not comment or " / " not in comment] == []
        assert all(_view_comment(conn, bi, v.name) == v.comment for v in views())
        # The old names answer the same rows, for one release, and say where the view is now.
        for v in views():
            assert conn.execute(text(f"SELECT COUNT(*) FROM {v.name}")).scalar() == \
                conn.execute(text(f"SELECT COUNT(*) FROM {bi}.{v.name}")).scalar(), v.name
            assert _view_comment(conn, own, v.name).startswith(
                f"Deprecated name, kept for one release: use {bi}.{v.name}.")
        # The reference's 支出总计 as its 收支总表 prints it (p.6: 5174.47 万元).
        assert str(conn.execute(text(f"SELECT expenditure_total_yuan FROM {bi}.v_document")).scalar()) == "51744700.00"
    engine.dispose()




def _export(url: str, out, fmt: str):
    from click.testing import CliRunner

    from pipelines.cli import main

    return CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out), "--warehouse", url])


@pytest.mark.parametrize("database", ["duckdb_url", POSTGRES_TWIN])
def test_export_writes_every_bi_view_as_csv_and_parquet_with_exact_amounts(database, request, tmp_path):
    import duckdb

    url = request.getfixturevalue(database)
    ingest([REFERENCE_PDF], Settings(url, tmp_path / "data", workers=1))
    for fmt in ("csv", "parquet"):
        result = _export(url, tmp_path / fmt, fmt)
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / fmt).iterdir()) == sorted(f"{v.name}.{fmt}" for v in views())
        assert result.output.splitlines()[-1].startswith(f"{len(views())} views → {tmp_path / fmt} ({fmt}, from ")
    # The reference's 支出总计 (p.6: 5174.47 万元) and its 支出总表's 201 一般公共服务支出 (p.9: 5.18 万元), to
    # the fen, as text in the CSV and as DECIMAL(20,2) in the Parquet file: no float on the way.
    with (tmp_path / "csv" / "v_document.csv").open(encoding="utf-8") as f:
        import csv

        [row] = list(csv.DictReader(f))
    assert (row["unit_name"], row["expenditure_total_yuan"]) == ("阳泉市公安局城区分局", "51744700.00")
    db = duckdb.connect()
    parquet = str(tmp_path / "parquet" / "v_document.parquet")
    assert db.execute(f"SELECT typeof(expenditure_total_yuan), expenditure_total_yuan FROM '{parquet}'").fetchone() \
        == ("DECIMAL(20,2)", Decimal("51744700.00"))
    subjects = str(tmp_path / "parquet" / "v_expenditure_by_subject.parquet")
    assert db.execute(f"SELECT total_yuan FROM '{subjects}' WHERE subject_code = '201'").fetchone() == (
        Decimal("51800.00"),)
    engine = open_warehouse(url)
    with engine.connect() as conn:
        for v in views():  # every row of every view
            counted = db.execute(f"SELECT COUNT(*) FROM '{tmp_path / 'parquet' / v.name}.parquet'").fetchone()[0]
            assert counted == conn.execute(text(f"SELECT COUNT(*) FROM {bi_schema(conn)}.{v.name}")).scalar(), v.name
    engine.dispose()
    db.close()


@pytest.mark.postgres
@pytest.mark.slow  # two whole exports; each engine's export is tested by the test above
def test_both_engines_export_the_same_files(request, tmp_path):
    # The same document loaded in DuckDB and in PostgreSQL gives the same CSV, byte for byte (rows sorted,
    # amounts as the database holds them), for the views that hold no load time.
    postgres = request.getfixturevalue("postgres_url")
    duck = f"duckdb:///{tmp_path / 'w.duckdb'}"
    for name, url in (("duck", duck), ("pg", postgres)):
        ingest([REFERENCE_PDF], Settings(url, tmp_path / "data", workers=1))
        assert _export(url, tmp_path / name, "csv").exit_code == 0
    for view in ("v_amount", "v_expenditure_by_subject", "v_expenditure_by_class_year", "v_project",
                 "v_three_public_trend", "v_basic_expenditure_by_econ"):
        duck_csv = (tmp_path / "duck" / f"{view}.csv").read_bytes()
        assert duck_csv == (tmp_path / "pg" / f"{view}.csv").read_bytes(), view


@pytest.mark.parametrize("database", ["duckdb_url", POSTGRES_TWIN])
def test_the_example_questions_of_docs_bi_run_on_both_engines(database, request, tmp_path):
    import re

    from conftest import REPO

    doc = (REPO / "docs" / "bi.md").read_text(encoding="utf-8")
    questions = re.findall(r"```sql\n(--.*?)```", doc.partition("## Example questions")[2], re.S)
    assert len(questions) == 8
    url = request.getfixturevalue(database)
    ingest([REFERENCE_PDF], Settings(url, tmp_path / "data", workers=1))
    engine = open_warehouse(url)
    with engine.connect() as conn:
        answers = [conn.execute(text(q.replace("bi.", f"{bi_schema(conn)}."))).all() for q in questions]
        every_amount = conn.execute(text(f"SELECT SUM(amount_yuan), COUNT(*) FROM {bi_schema(conn)}.v_amount")).one()
    engine.dispose()
    # Every amount summed by unit, year and table (v_amount_sum): what summing v_amount gives.
    assert (sum(r.amount_yuan for r in answers[4]), sum(r.amounts for r in answers[4])) == tuple(every_amount)
    # The reference's 支出总表 (p.9): 201 一般公共服务支出 5.18 万元, 204 公共安全支出 4045.42 万元.
    by_class = {(r.class_code, r.class_name): r.total_yuan for r in answers[0]}
    assert by_class[("201", "一般公共服务支出")] == Decimal("51800.00")
    assert by_class[("204", "公共安全支出")] == Decimal("40454200.00")
    assert [(r.unit_name, r.expenditure_total_yuan) for r in answers[1]] == [
        ("阳泉市公安局城区分局", Decimal("51744700.00"))]
    assert answers[7] == []  # published: no error failed


def test_export_from_a_warehouse_without_bi_views_names_the_fix(tmp_path):
    # A warehouse made by an older version has no bi schema: one line and budgetdw migrate, no traceback.
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    engine = open_warehouse(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA bi CASCADE"))
    engine.dispose()
    result = _export(url, tmp_path / "out", "csv")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: cannot read the warehouse {url}: ")
    assert result.output.rstrip().endswith("(an older warehouse: budgetdw migrate brings it to this version)")
