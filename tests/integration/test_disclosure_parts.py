"""A disclosure published over two files is one disclosure: its narrative part and its tables part are
both current, in whichever order they are loaded, share one disclosure_id, and the narrative is checked
against the tables of its companion (issue 21, part 2).

Values read from the PDFs: js-cppcc-office_2017_dept-budget.pdf (the narrative, 20 pages) states on
p.7 “收入预算总计 9,146.79 万元” and “支出预算总计 9,146.79 万元”, on p.8 “基本支出预算数为 5,916.27 万元”
and “项目支出预算数为 3,123.68 万元”, and on p.7 “2017 年度部门预算公开表附后”; its tables are
js-cppcc-office_2017_dept-budget-tables.pdf (13 pages, no narrative): 收支预算总表 p.1 支出总计 9,146.79,
基本支出 5,916.27, 项目支出 3,123.68, 单位预留机动经费 106.84; the “三公” table p.11 676.10 万元.
"""

import hashlib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REAL_CORPUS, real_pdf
from sqlalchemy import text
from test_identity_corpus import NATIONAL_CORPUS

from pipelines.fidelity import fidelity, summarise
from pipelines.load.disclosure import disclosure_key
from pipelines.load.engine import open_warehouse
from pipelines.load.writer import load_or_fail
from pipelines.process import process_document
from pipelines.run import Settings, ingest
from pipelines.store import store_raw
from warehouse import schema

NARRATIVE = "js-cppcc-office_2017_dept-budget.pdf"
TABLES = "js-cppcc-office_2017_dept-budget-tables.pdf"
# file: (part, unit, fiscal year)
PARTS = {
    NARRATIVE: ("narrative", "江苏省政协办公厅", 2017),
    TABLES: ("tables", "江苏省政协办公厅", 2017),
    "js-cppcc-office_2018_dept-budget-tables.pdf": ("tables", "江苏省政协办公厅", 2018),
    "js-party-committee-office_2017_dept-budget-tables.pdf": ("tables", "中国共产党江苏省委员会办公厅", 2017),
    "js-high-court_2017_dept-budget.pdf": ("full", "江苏省高级人民法院", 2017),
}
BEIJING = ["2026年北京市人民政府办公厅部门预算.pdf", "2026年北京市公安局部门预算.pdf"]
DISCLOSURE = hashlib.md5("江苏省政协办公厅||2017|dept_budget".encode()).hexdigest()
CURRENT = ("SELECT document_id, part, disclosure_id, status, income_total_yuan, expenditure_total_yuan, "
           "basic_total_yuan, project_total_yuan, three_public_total_yuan, totals_source "
           "FROM v_document WHERE is_current ORDER BY part")
COMPANION = ("SELECT document_id, passed, observed, expected, page, severity FROM v_check_result "
             "WHERE check_id = 'cross.companion_totals' ORDER BY document_id, observed, page")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """Each document processed once; the tests load them in the orders they need."""
    raw = tmp_path_factory.mktemp("raw")
    paths = [real_pdf(name) for name in PARTS] + [NATIONAL_CORPUS / "002_北京" / name for name in BEIJING]
    return {p.name: process_document(store_raw(p, raw)) for p in paths if p.exists()}


def _load(url: str, docs: list) -> list:
    """Load in this order, each seen a second after the one before (as a later run would)."""
    engine = open_warehouse(url)
    start = datetime(2026, 12, 4, tzinfo=timezone.utc)
    for i, doc in enumerate(docs):
        load_or_fail(engine, doc, seen_at=start + timedelta(seconds=i))
    with engine.connect() as conn:
        rows = {name: [tuple(r) for r in conn.execute(text(q))] for name, q in
                (("current", CURRENT), ("companion", COMPANION),
                 ("published", "SELECT document_id, part, disclosure_id FROM v_published_document ORDER BY part"))}
    engine.dispose()
    return rows


def test_each_file_is_the_part_its_content_says(docs):
    for name, (part, unit, year) in PARTS.items():
        doc = docs[name]
        assert (doc.part, doc.identity.unit_name, doc.identity.fiscal_year) == (part, unit, year), name
    for name in BEIJING:  # narrative-only: “附件：北京市…2026 年度部门预算报表” on the last page, no table
        if name in docs:
            assert docs[name].part == "narrative" and not docs[name].tables, name
            assert docs[name].status == "published"
    narrative = docs[NARRATIVE]
    # Its 目录 lists 12 tables and none is in it: not missing, published in its companion.
    toc = next(c for c in narrative.checks if c.check_id == "completeness.toc_tables")
    assert toc.passed and "published in a separate file" in toc.message


def test_the_two_parts_are_one_disclosure_in_either_order(docs, tmp_path):
    pair = [docs[NARRATIVE], docs[TABLES]]
    forward = _load(f"duckdb:///{tmp_path / 'forward.duckdb'}", pair)
    backward = _load(f"duckdb:///{tmp_path / 'backward.duckdb'}", pair[::-1])
    assert forward == backward
    n, t = docs[NARRATIVE].source.sha256, docs[TABLES].source.sha256
    assert forward["current"] == [
        (n, "narrative", DISCLOSURE, "published", Decimal("91467900.00"), Decimal("91467900.00"),
         Decimal("59162700.00"), Decimal("31236800.00"), Decimal("6761000.00"), "narrative"),
        (t, "tables", DISCLOSURE, "published", Decimal("91467900.00"), Decimal("91467900.00"),
         Decimal("59162700.00"), Decimal("31236800.00"), Decimal("6761000.00"), "tables"),
    ]
    assert forward["published"] == [(n, "narrative", DISCLOSURE), (t, "tables", DISCLOSURE)]
    assert disclosure_key("江苏省政协办公厅", None, 2017, "dept_budget") == DISCLOSURE
    # The narrative's prose against the tables part: 收入/支出总计 (p.7), 基本/项目支出 (p.8), “三公” (the sum
    # of the three parts the prose states: no page of its own).
    assert forward["companion"] == [
        (n, True, "31,236,800.00", "31,236,800.00", 8, "warning"),
        (n, True, "59,162,700.00", "59,162,700.00", 8, "warning"),
        (n, True, "6,761,000.00", "6,761,000.00", None, "warning"),
        (n, True, "91,467,900.00", "91,467,900.00", 7, "warning"),
        (n, True, "91,467,900.00", "91,467,900.00", 7, "warning"),
    ]


def test_one_run_with_both_parts_in_either_input_order(tmp_path):
    narrative, tables = real_pdf(NARRATIVE), real_pdf(TABLES)
    current = []
    for i, inputs in enumerate(([narrative, tables], [tables, narrative])):
        url = f"duckdb:///{tmp_path / f'{i}.duckdb'}"
        ingest(inputs, Settings(url, tmp_path / f"data{i}"))
        engine = open_warehouse(url)
        with engine.connect() as conn:
            current.append(conn.execute(text(
                "SELECT source_uri, part, disclosure_id FROM v_document WHERE is_current ORDER BY part")).all())
        engine.dispose()
    assert current[0] == current[1]
    assert [(Path(uri).name, part, key) for uri, part, key in current[0]] == [
        (NARRATIVE, "narrative", DISCLOSURE), (TABLES, "tables", DISCLOSURE)]


def test_a_new_version_supersedes_within_its_part_only(docs, tmp_path):
    # The tables file published again (re-exported: a new file, same content, dated after the original's
    # D:20171026104623): it supersedes the earlier tables file, not the narrative, and the narrative is
    # checked again against it.
    from hostile_pdfs import republished

    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    _load(url, [docs[NARRATIVE], docs[TABLES]])
    copy = republished(real_pdf(TABLES), tmp_path / "again" / TABLES, "D:20171101090000+08'00'")
    again = ingest([copy], Settings(url, tmp_path / "data"))[0]
    engine = open_warehouse(url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT document_id, part, is_current FROM v_document ORDER BY part, is_current")
                                ).all()
        messages = conn.execute(text(
            "SELECT message FROM v_check_result WHERE check_id = 'cross.companion_totals'")).scalars().all()
    engine.dispose()
    assert [tuple(v) for v in versions] == [
        (docs[NARRATIVE].source.sha256, "narrative", True),
        (docs[TABLES].source.sha256, "tables", False), (again.source.sha256, "tables", True)]
    assert len(messages) == 5 and all("holds" in m for m in messages)
    assert "基本支出 stated in the prose (基本支出 5,916.27万元, p.8) = 基本支出 of the tables part " \
           f"{TABLES} (5,916.27万元 in table 1 “收支预算总表”, p.1) holds" in messages
    assert any(m.startswith("“三公”经费 stated in the prose (6,761,000.00 元, the sum of the parts it states) = ")
               for m in messages)


def test_a_narrative_alone_has_no_companion_to_check(docs, tmp_path):
    rows = _load(f"duckdb:///{tmp_path / 'w.duckdb'}", [docs[NARRATIVE], docs["js-high-court_2017_dept-budget.pdf"]])
    assert rows["companion"] == []
    assert [(part, status) for _, part, _, status, *_ in rows["current"]] == [
        ("full", "published"), ("narrative", "published")]


@pytest.mark.postgres
def test_postgres_gives_the_same_disclosure_as_duckdb(docs, postgres_url, tmp_path):
    pair = [docs[TABLES], docs[NARRATIVE]]
    assert _load(postgres_url, pair) == _load(f"duckdb:///{tmp_path / 'w.duckdb'}", pair[::-1])


@pytest.mark.postgres
def test_two_runs_loading_the_two_parts_at_once_still_check_them(docs, postgres_url):
    # Each load checks against what is committed: two concurrent loads of one disclosure take turns (on the
    # unit's dimension row, and on the disclosure's advisory lock), so the later one sees the earlier's part.
    from concurrent.futures import ThreadPoolExecutor

    engine = open_warehouse(postgres_url)
    for _ in range(4):
        with engine.begin() as conn:  # an empty warehouse each round
            for table in schema.DOCUMENT_TABLES:
                conn.execute(table.delete())
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda doc: load_or_fail(engine, doc), [docs[NARRATIVE], docs[TABLES]]))
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT COUNT(*) FROM v_check_result WHERE check_id = 'cross.companion_totals' AND passed")
            ).scalar() == 5
            assert conn.execute(text("SELECT COUNT(*) FROM v_document WHERE is_current AND status = 'published'")
                                ).scalar() == 2
    engine.dispose()


def test_fidelity_of_the_parts_and_its_summary(docs):
    results = [fidelity(docs[name]) for name in PARTS]
    narrative, tables = results[0], results[1]
    assert (narrative.part, narrative.toc_tables, narrative.tables_found, narrative.sum_checks) == (
        "narrative", 12, 0, 0)
    assert (tables.part, tables.tables_classified, tables.totals_add_up) == ("tables", 12, True)
    assert tables.sum_checks > 0 and tables.sum_checks_held == tables.sum_checks
    (jiangsu, everything) = summarise(results)
    assert jiangsu.group == "江苏省" and jiangsu.folders == {REAL_CORPUS.name}
    assert (jiangsu.documents, jiangsu.identified, jiangsu.narrative_parts) == (5, 5, 1)
    # Only the high court's budget lists its tables (12, all found); the narrative's are in its companion.
    assert (jiangsu.listing, jiangsu.complete, jiangsu.tables_listed, jiangsu.tables_found) == (1, 1, 12, 12)
    assert (jiangsu.with_totals, jiangsu.totals_add_up) == (4, 4)
    assert everything.group == "all" and everything.documents == 5


def test_the_run_report_names_each_file_part_and_disclosure(docs):
    # The report JSON (budgetdw ingest --report) says what v_document says: the two 2017 files of the
    # 政协办公厅 are the narrative and the tables part of one disclosure; the 2018 tables are another.
    from pipelines.run import report_entry

    entries = {name: report_entry(docs[name]) for name in PARTS}
    assert [(entries[n]["part"], entries[n]["disclosure_id"]) for n in (NARRATIVE, TABLES)] == [
        ("narrative", DISCLOSURE), ("tables", DISCLOSURE)]
    assert entries["js-cppcc-office_2018_dept-budget-tables.pdf"]["disclosure_id"] == hashlib.md5(
        "江苏省政协办公厅||2018|dept_budget".encode()).hexdigest()
    assert entries["js-high-court_2017_dept-budget.pdf"]["part"] == "full"
