"""Loading into the warehouse: the same results on DuckDB and PostgreSQL, idempotent reloads."""

import sys
from datetime import datetime
from decimal import Decimal

import pikepdf
import pytest
from conftest import REAL_CORPUS, REFERENCE_PDF, REPO, real_pdf
from sqlalchemy import create_engine, text

from pipelines.load import engine as warehouse_engine
from pipelines.load import rows as load_rows
from pipelines.load import writer as load
from pipelines.run import Settings, ingest
from warehouse import schema

DOC = "sh-putuo-justice_2026_unit-budget.pdf"
QUERIES = {
    "documents": "SELECT unit_name, fiscal_year, doc_kind, status, income_total_yuan, expenditure_total_yuan "
                 "FROM v_document ORDER BY unit_name",
    "subjects": "SELECT table_code, subject_code, subject_name, subject_level, parent_code, page "
                "FROM fact_subject_row ORDER BY table_seq, row_index",
    "amount_count": "SELECT COUNT(*), SUM(amount_yuan) FROM fact_amount",
    "checks": "SELECT COUNT(*), SUM(CASE WHEN passed THEN 1 ELSE 0 END) FROM v_check_result",
}


def _snapshot(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        snap = {k: [tuple(r) for r in conn.execute(text(q))] for k, q in QUERIES.items()}
    engine.dispose()
    return snap


def _load_twice(url, tmp_path):
    pdf = real_pdf(DOC)
    settings = Settings(url, tmp_path / "data")
    ingest([pdf], settings)
    first = _snapshot(url)
    ingest([pdf], settings)
    assert _snapshot(url) == first, "loading the same PDF twice must change nothing"
    return first


def test_duckdb_load_is_idempotent(duckdb_url, tmp_path):
    snap = _load_twice(duckdb_url, tmp_path)
    assert snap["documents"] == [
        ("上海市普陀区司法局", 2026, "unit_budget", "quarantined", Decimal("86959408.34"), Decimal("86959408.34"))
    ]
    assert ("expenditure_summary", "2040604", "基层司法业务", "项", "20406", 11) in snap["subjects"]


@pytest.mark.postgres
def test_postgres_gives_the_same_results_as_duckdb(duckdb_url, postgres_url, tmp_path):
    assert _load_twice(postgres_url, tmp_path / "pg") == _load_twice(duckdb_url, tmp_path / "duck")


def _republished_copy(tmp_path):
    """The reference PDF exported again: the same document published as a new file (new sha256) that its
    producer dated 2025-02-20, when the original's date (2000-01-01) is no evidence of a 2025 budget."""
    from hostile_pdfs import republished

    return republished(REFERENCE_PDF, tmp_path / "republished" / REFERENCE_PDF.name, "D:20250220093000+08'00'")


def _count(url, sql):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def test_newer_version_supersedes_older_and_history_stays(duckdb_url, tmp_path):
    settings = Settings(duckdb_url, tmp_path / "data")
    (old,) = ingest([REFERENCE_PDF], settings)
    (new,) = ingest([_republished_copy(tmp_path)], settings)
    assert old.source.sha256 != new.source.sha256
    assert _count(duckdb_url, "SELECT document_id FROM v_published_document") == [(new.source.sha256,)]
    assert sorted(_count(duckdb_url, "SELECT document_id, is_current FROM v_document")) == sorted(
        [(old.source.sha256, False), (new.source.sha256, True)])
    # Reloading the old file does not make it current again.
    ingest([REFERENCE_PDF], settings)
    assert _count(duckdb_url, "SELECT document_id FROM v_published_document") == [(new.source.sha256,)]
    assert _count(duckdb_url, "SELECT COUNT(*) FROM v_expenditure_by_subject") == [(20,)]


def test_documents_load_as_they_finish_and_the_newer_publication_stays_current(duckdb_url, tmp_path):
    """One worker reads the longest document first (pipelines/run.py): here the newer of two versions of
    one budget (its file dated 2025-02-20, the other 2025-01-10), given first. It is loaded first, and is the
    current version all the same: the documents' own dates decide, not the input order or the finishing
    order (issue 25.6)."""
    from hostile_pdfs import republished

    shortened = tmp_path / "shortened" / REFERENCE_PDF.name
    shortened.parent.mkdir()
    with pikepdf.open(REFERENCE_PDF) as pdf:
        del pdf.pages[-5:]  # the last performance tables
        pdf.docinfo["/ModDate"] = "D:20250110100000+08'00'"
        pdf.save(shortened)
    newer = republished(REFERENCE_PDF, tmp_path / "newer" / REFERENCE_PDF.name, "D:20250220093000+08'00'")
    finished = []
    full, short = ingest([newer, shortened], Settings(duckdb_url, tmp_path / "data", workers=1),
                         on_document=lambda doc: finished.append(doc.source.sha256))
    assert (short.page_count, full.page_count) == (30, 35)
    assert short.identity.unit_name == full.identity.unit_name == "阳泉市公安局城区分局"
    assert finished == [full.source.sha256, short.source.sha256]
    assert _count(duckdb_url, "SELECT document_id, file_date FROM v_document WHERE is_current") == [
        (full.source.sha256, datetime(2025, 2, 20, 9, 30))]


def test_failure_between_fact_tables_leaves_no_partial_document(duckdb_url, tmp_path, monkeypatch):
    settings = Settings(duckdb_url, tmp_path / "data")
    real_insert = load_rows.insert_rows

    def failing_insert(conn, table, rows, **kw):
        if table is schema.fact_subject_row and rows:
            raise OSError(28, "No space left on device (simulated)")
        real_insert(conn, table, rows, **kw)

    monkeypatch.setattr(load, "insert_rows", failing_insert)
    [doc] = ingest([REFERENCE_PDF], settings)  # the document's problem, not the run's
    monkeypatch.undo()
    assert (doc.status, doc.failure_kind) == ("failed", "warehouse_error")
    assert "cannot be loaded: OSError: [Errno 28] No space left on device" in doc.error
    for table in ("doc_table", "fact_amount", "fact_subject_row", "check_result"):
        assert _count(duckdb_url, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    assert _count(duckdb_url, "SELECT status, failure_kind FROM document") == [("failed", "warehouse_error")]
    ingest([REFERENCE_PDF], settings)  # a fault of the warehouse: the next run reads it again
    assert _count(duckdb_url, "SELECT status FROM v_document") == [("published",)]


@pytest.mark.postgres
def test_migrations_match_the_schema_on_postgres(postgres_url):
    """schema.py and the Alembic migrations describe the same warehouse (no drift)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(postgres_url)
    warehouse_engine.ensure_schema(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.slow
def test_loading_the_real_corpus_twice_changes_nothing(duckdb_url, tmp_path):
    if not REAL_CORPUS.exists():
        pytest.skip("real corpus not found")
    settings = Settings(duckdb_url, tmp_path / "data")
    summary = ("SELECT (SELECT COUNT(*) FROM document), (SELECT COUNT(*) FROM fact_amount), "
               "(SELECT SUM(amount_yuan) FROM fact_amount), (SELECT COUNT(*) FROM check_result), "
               "(SELECT COUNT(*) FROM dim_function_subject)")
    ingest([REAL_CORPUS], settings)
    first = _count(duckdb_url, summary)
    ingest([REAL_CORPUS], settings)
    assert _count(duckdb_url, summary) == first
    assert first[0][0] == 18


def test_data_dictionary_is_current():

    from warehouse.dictionary import render

    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed.strip() == render().strip(), \
        "run: .venv/bin/python -m warehouse.dictionary > docs/data-dictionary.md"


def test_three_public_trend_with_its_parts(duckdb_url, tmp_path):
    settings = Settings(duckdb_url, tmp_path / "data")
    ingest([REFERENCE_PDF, real_pdf("js-high-court_2017_dept-budget.pdf"),
            real_pdf("js-high-court_2018_dept-budget.pdf")], settings)
    rows = _count(duckdb_url, "SELECT unit_name, fiscal_year, three_public_yuan, outbound_yuan, reception_yuan, "
                              "vehicles_yuan, vehicle_operation_yuan FROM v_three_public_trend "
                              "ORDER BY unit_name, fiscal_year")
    D = Decimal
    assert rows == [
        # 江苏省高级人民法院 (p.17 / p.14, 万元): the “三公” 小计 670.12 = 180.00 + 185.72 + 304.40, not the
        # 合计 2,599.37 that adds 会议费 and 培训费.
        ("江苏省高级人民法院", 2017,
         D("6701200.00"), D("1800000.00"), D("1857200.00"), D("3044000.00"), D("3044000.00")),
        ("江苏省高级人民法院", 2018,
         D("6207500.00"), D("1700000.00"), D("1839500.00"), D("2668000.00"), D("2668000.00")),
        # 阳泉: only 公务用车运行维护费 (106.20 万元); blank parts are not zero.
        ("阳泉市公安局城区分局", 2025, D("1062000.00"), None, None, D("1062000.00"), D("1062000.00")),
    ]


def test_accepting_a_quarantined_document_publishes_it_with_who_when_why(duckdb_url, tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    (doc,) = ingest([real_pdf(DOC)], Settings(duckdb_url, tmp_path / "data"))
    assert doc.status == "quarantined"
    assert _count(duckdb_url, "SELECT COUNT(*) FROM v_published_document") == [(0,)]
    runner = CliRunner()
    refused = runner.invoke(main, ["accept", doc.source.sha256[:12], "--warehouse", duckdb_url, "--reason", " "])
    assert refused.exit_code != 0 and "reason is required" in refused.output
    done = runner.invoke(main, ["accept", doc.source.sha256[:12], "--warehouse", duckdb_url, "--by", "auditor",
                                "--reason", "p.11 typo confirmed with the bureau"])
    assert done.exit_code == 0, done.output
    assert _count(duckdb_url, "SELECT status, accepted_by, accepted_reason FROM v_document") == [
        ("quarantined", "auditor", "p.11 typo confirmed with the bureau")]
    assert _count(duckdb_url, "SELECT COUNT(*) FROM v_expenditure_by_subject") != [(0,)]
    # The decision outlives a reload of the same document.
    ingest([real_pdf(DOC)], Settings(duckdb_url, tmp_path / "data", force=True))
    assert _count(duckdb_url, "SELECT document_id FROM v_published_document") == [(doc.source.sha256,)]
    again = runner.invoke(main, ["accept", "ffff", "--warehouse", duckdb_url, "--reason", "x"])
    assert again.exit_code != 0 and "0 documents match" in again.output


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_review_lists_what_is_held_back_and_why_until_it_is_accepted(database, request, tmp_path):
    from click.testing import CliRunner

    from pipelines.cli import main

    url = request.getfixturevalue(database)
    warehouse_engine.open_warehouse(url).dispose()  # a warehouse with nothing loaded yet
    runner = CliRunner()
    empty = runner.invoke(main, ["review", "--warehouse", url])
    assert empty.exit_code == 0 and "no document held back" in empty.output
    broken = tmp_path / "in" / "broken.pdf"
    broken.parent.mkdir()
    broken.write_bytes(b"not a pdf at all")
    docs = ingest([REFERENCE_PDF, real_pdf(DOC), broken], Settings(url, tmp_path / "data"))
    assert [d.status for d in docs] == ["published", "quarantined", "failed"]
    justice = docs[1].source.sha256
    listed = runner.invoke(main, ["review", "--warehouse", url])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0] == f"quarantined {justice[:12]}  {DOC}  上海市普陀区司法局 2026 unit_budget"
    # Its six failed error checks, each naming table and page (the published 支出总表 does not add up).
    assert [line.split(":")[0].strip() for line in lines[1:7]] == [
        "hierarchy.subject_sum", "hierarchy.subject_sum", "row.total_equals_parts", "row.total_equals_parts",
        "cross.econ_basic_total", "cross.econ_basic_total"]
    assert "“2026年预算单位支出预算总表”, p.11: printed 64,840,547.00 元" in lines[1]
    assert lines[7] == f"failed      {docs[2].source.sha256[:12]}  broken.pdf"
    assert lines[8] == "    broken.pdf: not a PDF: the file does not start with %PDF-"
    assert lines[9].startswith("2 documents held back") and "阳泉" not in listed.output
    done = runner.invoke(main, ["accept", justice[:12], "--warehouse", url, "--reason", "confirmed"])
    assert done.exit_code == 0, done.output
    after = runner.invoke(main, ["review", "--warehouse", url]).output
    assert DOC not in after and "broken.pdf" in after and "1 document held back" in after


def test_review_and_accept_refuse_a_warehouse_file_that_is_not_there(tmp_path):
    # A mistyped --warehouse path: said so (exit 4), not created empty and reported as holding nothing.
    from click.testing import CliRunner

    from pipelines.cli import WAREHOUSE_UNAVAILABLE, main

    missing = tmp_path / "typo.duckdb"
    for args in (["review"], ["accept", "abc", "--reason", "x"]):
        run = CliRunner().invoke(main, [*args, "--warehouse", f"duckdb:///{missing}"])
        assert run.exit_code == WAREHOUSE_UNAVAILABLE, run.output
        assert f"no warehouse at duckdb:///{missing}: no such file" in run.output
        assert not missing.exists()


def test_migrate_then_review_while_a_bi_tool_reads_the_duckdb_file(tmp_path):
    # `budgetdw migrate` prepares the warehouse as an explicit step; `review` only reads: it opens the
    # file read-only and changes nothing, so it works while another process (a BI tool) has the
    # file open read-only. Before, review migrated and recreated every view, and failed on the lock.
    import subprocess

    from click.testing import CliRunner

    from pipelines.cli import main

    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    migrated = CliRunner().invoke(main, ["migrate", "--warehouse", url])
    assert migrated.exit_code == 0 and f"migrated → {url}" in migrated.output, migrated.output
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               "con = duckdb.connect(sys.argv[1], read_only=True)\n"
                               "print(con.execute('SELECT count(*) FROM v_document').fetchall()[0][0], flush=True)\n"
                               "time.sleep(60)", str(tmp_path / "w.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "0"  # the BI tool holds the file now
        review = CliRunner().invoke(main, ["review", "--warehouse", url])
        assert review.exit_code == 0, review.output
        assert "no document held back" in review.output
    finally:
        holder.kill()
        holder.wait()


def test_duckdb_bulk_insert_keeps_every_value_exact(duckdb_url):
    # DuckDB rows go in as columns of text in one statement (load._duckdb_insert_columns), not
    # executemany, and come back through SQLAlchemy's NUMERIC type (which used to round-trip them
    # through a float): amounts at the limit of NUMERIC(20, 2), exponent notation, booleans, times
    # and quotes must come back exactly as given.
    from datetime import datetime, timezone

    from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, Numeric, Table, Text, select

    probe = Table("bulk_probe", MetaData(), Column("id", Integer), Column("amount", Numeric(20, 2)),
                  Column("share", Numeric(9, 4)), Column("flag", Boolean), Column("seen_at", DateTime(timezone=True)),
                  Column("label", Text))
    rows = [
        dict(id=1, amount=Decimal("999999999999999999.99"), share=Decimal("-0.0001"), flag=True,
             seen_at=datetime(2026, 11, 28, 2, 0, 0, 123456, tzinfo=timezone.utc), label="一般公共预算 'quoted' \"x\""),
        dict(id=2, amount=Decimal("1E+2"), share=None, flag=False, seen_at=None, label=None),
        dict(id=3, amount=Decimal("-0.01"), share=Decimal("12.5"), flag=None, seen_at=None, label=""),
    ]
    engine = warehouse_engine.connect(duckdb_url)
    probe.metadata.create_all(engine)
    # A batch whose columns hold only NULLs (nothing to tell the type from) goes in too.
    nulls = [dict(id=4, amount=None, share=None, flag=None, seen_at=None, label=None)]
    with engine.begin() as conn:
        load_rows.insert_rows(conn, probe, rows)
        load_rows.insert_rows(conn, probe, nulls)
    with engine.connect() as conn:
        back = [r._asdict() for r in conn.execute(select(probe).order_by(probe.c.id))]
    engine.dispose()
    assert back == rows + nulls
    assert [type(r["amount"]) for r in back[:3]] == [Decimal] * 3
    assert str(back[1]["amount"]) == "100.00"


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_subjects_keep_the_years_they_were_seen_in_widened_in_one_statement(database, request, tmp_path):
    # 江苏省高级人民法院 2017 and 2018 print mostly the same function subjects. Whichever loads second
    # widens their years, in one UPDATE (it was one per subject: dozens of statements per document,
    # each a round trip on a remote PostgreSQL); each document names its subjects in one more (by rule:
    # the latest year's name).
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    updates = []

    def count(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("UPDATE DIM_FUNCTION_SUBJECT"):
            updates.append(statement)

    url = request.getfixturevalue(database)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        ingest([real_pdf("js-high-court_2017_dept-budget.pdf"), real_pdf("js-high-court_2018_dept-budget.pdf")],
               Settings(url, tmp_path / "data"))
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    widening = [u for u in updates if "first_year" in u]
    assert len(widening) == 1 and len(updates) == 3  # one widening; one naming per document
    years = {code: (lo, hi) for code, lo, hi in _count(
        url, "SELECT subject_code, first_year, last_year FROM dim_function_subject")}
    printed = _count(url, "SELECT s.subject_code, MIN(d.fiscal_year), MAX(d.fiscal_year) FROM fact_subject_row s "
                          "JOIN document d USING (document_id) WHERE s.subject_code IS NOT NULL GROUP BY 1")
    assert years == {code: (lo, hi) for code, lo, hi in printed}
    assert years["2040501"] == (2017, 2018)  # 法院 行政运行, in both
    assert sum(1 for span in years.values() if span == (2017, 2018)) == 15


def test_dimension_names_follow_a_rule_not_the_order_of_loading(tmp_path):
    # Issue 25: a subject's name was the first loaded document's. Now: the latest year's name (in one
    # year, the first in code-point order); a unit's name the fullest printed form. Either order, one result.
    # 江苏省人民检察院 names 2040405 公诉和审判监督 in 2017, 公诉、审判、侦查、执行等检察监督支出 in 2018.
    docs = [real_pdf("js-procuratorate_2017_dept-budget.pdf"), real_pdf("js-procuratorate_2018_dept-budget.pdf")]
    found = []
    for order in (docs, docs[::-1]):
        url = f"duckdb:///{tmp_path / f'w{len(found)}.duckdb'}"
        for pdf in order:
            ingest([pdf], Settings(url, tmp_path / "data"))
        found.append((_count(url, "SELECT subject_code, subject_name, first_year, last_year FROM dim_function_subject "
                                  "ORDER BY 1"),
                      _count(url, "SELECT unit_key, unit_name FROM dim_unit ORDER BY 1")))
    assert found[0] == found[1]
    names = {code: name for code, name, *_ in found[0][0]}
    assert names["2040405"] == "公诉、审判、侦查、执行等检察监督支出"  # the latest year's


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_the_committed_view_columns_are_what_each_engine_has(database, request):
    # warehouse/views/view_columns.json lets Dagster show each view's columns before any load; it must be
    # what a migrated warehouse has, on both engines (run: python -m warehouse.dictionary --view-columns).
    from warehouse import declared_view_columns
    from warehouse.dictionary import measured_view_columns

    engine = warehouse_engine.open_warehouse(request.getfixturevalue(database))
    measured = measured_view_columns(engine)
    engine.dispose()
    declared = declared_view_columns()
    assert measured == declared, "run: .venv/bin/python -m warehouse.dictionary --view-columns"
    assert ("expenditure_total_yuan", "DECIMAL(20,2)") in declared["v_document"]


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_every_view_and_view_column_says_what_it_means_and_money_is_numeric_20_2(database, request):
    # A BI tool (or psql's \d+) shows each view's and column's meaning in Chinese and English; before,
    # no view column had a comment, and the views' sums were plain numeric / DECIMAL(38,2).
    from warehouse import views
    from warehouse.migrate import view_columns

    url = request.getfixturevalue(database)
    engine = warehouse_engine.open_warehouse(url)
    with engine.connect() as conn:
        if engine.dialect.name == "duckdb":
            columns = conn.execute(text(
                "SELECT table_name, column_name, comment, data_type FROM duckdb_columns() "
                "WHERE schema_name = current_schema() AND table_name LIKE 'v!_%' ESCAPE '!'")).all()
            view_comments = dict(conn.execute(text(
                "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = current_schema()")).all())
        else:
            columns = conn.execute(text(
                "SELECT c.table_name, c.column_name, col_description(format('%I', c.table_name)::regclass, "
                "c.ordinal_position), format_type(a.atttypid, a.atttypmod) FROM information_schema.columns c "
                "JOIN pg_attribute a ON a.attrelid = format('%I', c.table_name)::regclass "
                "AND a.attname = c.column_name WHERE c.table_schema = current_schema() "
                "AND c.table_name LIKE 'v!_%' ESCAPE '!'")).all()
            view_comments = {v.name: conn.execute(text("SELECT obj_description(CAST(:v AS regclass), 'pg_class')"),
                                                  {"v": v.name}).scalar() for v in views()}
        assert len({v for v, *_ in columns}) == len(views()) == 15
        assert sum(len(view_columns(conn, v.name)) for v in views()) == len(columns)
    engine.dispose()
    assert [(v, c) for v, c, comment, _ in columns if not comment or " / " not in comment] == []
    assert all(view_comments[v.name] for v in views())
    money = {(v, c): kind for v, c, _, kind in columns if c.endswith("_yuan")}
    kinds = {kind.upper().replace(" ", "").replace("DECIMAL", "NUMERIC") for kind in money.values()}
    assert money and kinds == {"NUMERIC(20,2)"}, money


def test_class_view_falls_back_to_the_general_budget_table_where_the_summary_prints_no_subjects(tmp_path):
    # Jiangsu's 支出总表 prints only its totals (js-high-court 2017 p.13: 合计 28,849.38 万元); its function
    # subjects are in the 财政拨款/一般公共预算支出表. Before, the class view left such documents out.
    settings = Settings(f"duckdb:///{tmp_path / 'w.duckdb'}", tmp_path / "data")
    ingest([REFERENCE_PDF, real_pdf("js-high-court_2017_dept-budget.pdf")], settings)
    rows = _count(settings.warehouse_url,
                  "SELECT unit_name, class_code, class_name, total_yuan, doc_kind, phase, table_code "
                  "FROM v_expenditure_by_class_year ORDER BY unit_name, class_code")
    jiangsu = [r for r in rows if r[0] == "江苏省高级人民法院"]
    assert [r[1:5] for r in jiangsu] == [  # p.13, 万元: 23,513.11 / 2,347.13 / 2,989.14
        ("204", "公共安全支出", Decimal("235131100.00"), "dept_budget"),
        ("208", "社会保障和就业支出", Decimal("23471300.00"), "dept_budget"),
        ("221", "住房保障支出", Decimal("29891400.00"), "dept_budget")]
    assert {r[5] for r in rows} == {"budget"} and jiangsu[0][6] != "expenditure_summary"
    yangquan = [r for r in rows if r[0] == "阳泉市公安局城区分局"]
    assert [r[1] for r in yangquan] == ["201", "204", "208", "210", "221"]
    assert {r[6] for r in yangquan} == {"expenditure_summary"}  # its 支出总表 prints subjects: used first
