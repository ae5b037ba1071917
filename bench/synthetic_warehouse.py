"""A synthetic warehouse of many documents, made of real rows, and the BI queries timed on it (issue 26.7).

    .venv/bin/python bench/synthetic_warehouse.py [--documents 30000] [--template real.duckdb]
        [--duckdb FILE] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--keep] [--out FILE]

The template is a warehouse that `budgetdw ingest` loaded from real documents (without --template, the real
corpus, ../shared/corpus/real, is ingested into a temporary one). Document i of the synthetic warehouse is
template document i mod T (T documents), copy k = i div T: its rows in every document table are the template's,
under a new document_id (md5(id:k) || md5(k:id), 64 hex digits), unit `<unit_key>#<k div 3>` named
`<unit_name>（合成<k div 3>）`, and fiscal year `year - 10 * (k mod 3)`. A copy keeps the template's unit and
year structure (the real corpus spans fewer than 10 years per unit), so its versions, statuses and published
documents are the template's: every sum over a copy equals the template's. Rows are copied inside the
database (INSERT … SELECT from the template's rows joined to the copies), never row by row from Python.

Then each query of QUERIES runs 3 times on each engine (fetching every row); the fastest and the first
are reported, with PostgreSQL's plan of each under --explain. PostgreSQL builds in a schema of its own
(and `<schema>_bi` for its views), dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.load.engine import duckdb_file, open_warehouse  # noqa: E402
from warehouse.migrate import bi_schema  # noqa: E402

# Every table keyed by document, copied once per synthetic document.
DOCUMENT_TABLES = ("document", "doc_table", "fact_amount", "fact_subject_row", "check_result", "fact_basic_econ",
                   "fact_narrative_claim", "project", "fact_performance_indicator", "fact_holding",
                   "fact_three_public", "document_amount_sum", "document_subject_sum")
# What a copy changes in the document row; every other column (and every column of the other tables but
# document_id) is the template's: what the loader keeps per document (warehouse/derived.py: is_current,
# is_published, the counts, document_amount_sum, document_subject_sum) too, as the loader would have kept
# it for the copy, whose unit and year keep the template's versions, statuses and rows (the template must be
# a warehouse of this schema: ingest_template makes one).
DOCUMENT_MAPPED = {"document_id": "m.document_id", "unit_key": "m.unit_key", "unit_name": "m.unit_name",
                   "fiscal_year": "m.fiscal_year", "source_uri": "'synthetic:' || m.document_id"}
UNITS_PER_COPY_GROUP = 3  # copies k = 3j, 3j+1, 3j+2 are one unit, 0, 10 and 20 years back

# The README's example queries, and sums of the widest views by unit and year (issue 26, Done when).
QUERIES = {
    "readme_class_year": """
SELECT unit_name, fiscal_year, class_code, class_name, total_yuan, basic_yuan, project_yuan
FROM bi.v_expenditure_by_class_year ORDER BY unit_name, fiscal_year, total_yuan DESC""",
    "readme_basic_share": """
SELECT d.unit_name, d.fiscal_year, c.amount_yuan, c.percent, d.basic_total_yuan, c.page
FROM bi.v_narrative_claim c JOIN bi.v_document d USING (document_id)
WHERE c.subject = '基本支出' AND c.percent IS NOT NULL""",
    "readme_basic_by_econ": """SELECT document_id, econ_code, econ_name, gov_econ_code, total_yuan
FROM bi.v_basic_expenditure_by_econ WHERE econ_level = '类'""",
    "readme_projects": """
SELECT project_name, level2, level3, target_operator, target_value, target_unit, target_text
FROM bi.v_performance_indicator ORDER BY project_name""",
    "readme_held_back": """
SELECT d.unit_name, c.message FROM bi.v_check_result c JOIN bi.v_document d USING (document_id)
WHERE NOT c.passed AND c.severity = 'error'""",
    "sum_amount_unit_year_table": """
SELECT unit_name, fiscal_year, table_code, SUM(amount_yuan) AS amount_yuan, COUNT(*) AS n
FROM bi.v_amount GROUP BY unit_name, fiscal_year, table_code""",
    # The same sums from the amounts summed per document at load (v_amount_sum): the same rows.
    "sum_amount_sum_unit_year_table": """
SELECT unit_name, fiscal_year, table_code, SUM(amount_yuan) AS amount_yuan, SUM(amounts) AS n
FROM bi.v_amount_sum GROUP BY unit_name, fiscal_year, table_code""",
    # By unit and year only (the words), from each view.
    "sum_amount_unit_year": """
SELECT unit_name, fiscal_year, SUM(amount_yuan) AS amount_yuan, COUNT(*) AS n
FROM bi.v_amount GROUP BY unit_name, fiscal_year""",
    "sum_amount_sum_unit_year": """
SELECT unit_name, fiscal_year, SUM(amount_yuan) AS amount_yuan, SUM(amounts) AS n
FROM bi.v_amount_sum GROUP BY unit_name, fiscal_year""",
    "sum_class_year_unit_year": """
SELECT unit_name, fiscal_year, SUM(total_yuan) AS total_yuan, SUM(basic_yuan) AS basic_yuan,
       SUM(project_yuan) AS project_yuan
FROM bi.v_expenditure_by_class_year GROUP BY unit_name, fiscal_year""",
    "sum_overview_unit_year": """
SELECT unit_name, fiscal_year, COUNT(*) AS documents, SUM(tables_found) AS tables_found,
       SUM(checks_run) AS checks_run, SUM(checks_failed) AS checks_failed, SUM(errors) AS errors
FROM bi.v_document_overview GROUP BY unit_name, fiscal_year""",
    "sum_subject_unit_year": """SELECT unit_name, fiscal_year, SUM(total_yuan) AS total_yuan
FROM bi.v_expenditure_by_subject GROUP BY unit_name, fiscal_year""",
}


def ingest_template(corpora: list[Path], workdir: Path) -> Path:
    """A template warehouse: `budgetdw ingest` of the real documents (a DuckDB file)."""
    target = workdir / "template.duckdb"
    subprocess.run([sys.executable, "-c", "from pipelines.cli import main; main()", "ingest", *map(str, corpora),
                    "--no-dagster",
                    "--warehouse", f"duckdb:///{target}", "--data-dir", str(workdir / "data")],
                   check=False, stdout=subprocess.DEVNULL)
    if not target.exists():
        raise SystemExit(f"could not ingest {corpora} into a template warehouse")
    return target


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_name = :t AND table_schema = current_schema() "
        "ORDER BY ordinal_position"), {"t": table})]


def _copy_template_in(engine, template: Path) -> None:
    """The template's rows as temporary tables tpl_<table> on the target's connection."""
    tables = (*DOCUMENT_TABLES, "dim_unit", "dim_function_subject")
    if engine.dialect.name == "duckdb":
        with engine.begin() as conn:
            conn.execute(text(f"ATTACH '{template}' AS tpl (READ_ONLY)"))
            for t in tables:
                conn.execute(text(f"CREATE TABLE tpl_{t} AS SELECT * FROM tpl.main.{t}"))
            conn.execute(text("DETACH tpl"))
        return
    import duckdb

    source = duckdb.connect(str(template), read_only=True)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for t in tables:
            cols = [r[0] for r in source.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
                "ORDER BY ordinal_position", [t]).fetchall()]
            cur.execute(f"CREATE TABLE tpl_{t} (LIKE {t})")
            with cur.copy(f"COPY tpl_{t} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {', '.join(cols)} FROM main.{t}").fetchall():
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
        source.close()


def fill(url: str, template: Path, documents: int) -> dict:
    """Migrate the warehouse at `url` and fill it with `documents` synthetic documents; their counts."""
    engine = open_warehouse(url)
    try:
        _copy_template_in(engine, template)
        started = time.perf_counter()
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL synchronous_commit = off"))
            n_template = conn.execute(text("SELECT COUNT(*) FROM tpl_document")).scalar()
            copies = -(-documents // n_template)
            conn.execute(text(f"""
CREATE TABLE synth_map AS
SELECT t.document_id AS template_id, g.k AS copy_no,
       md5(t.document_id || ':' || CAST(g.k AS VARCHAR(12))) || md5(CAST(g.k AS VARCHAR(12)) || ':' || t.document_id)
           AS document_id,
       t.unit_key || '#' || CAST(CAST(FLOOR(g.k / {UNITS_PER_COPY_GROUP}.0) AS INTEGER) AS VARCHAR(12)) AS unit_key,
       t.unit_name || '（合成' || CAST(CAST(FLOOR(g.k / {UNITS_PER_COPY_GROUP}.0) AS INTEGER) AS VARCHAR(12)) || '）'
           AS unit_name,
       t.fiscal_year - 10 * (g.k % {UNITS_PER_COPY_GROUP}) AS fiscal_year
FROM (SELECT document_id, unit_key, unit_name, fiscal_year,
             ROW_NUMBER() OVER (ORDER BY document_id) - 1 AS r FROM tpl_document) t
CROSS JOIN generate_series(0, {copies - 1}) AS g(k)
WHERE g.k * {n_template} + t.r < {documents}"""))
            counts = {}
            for table in DOCUMENT_TABLES:
                cols = _columns(conn, table)
                mapped = DOCUMENT_MAPPED if table == "document" else {"document_id": "m.document_id"}
                select = ", ".join(mapped.get(c, f"t.{c}") for c in cols)
                # In the order documents are loaded: each document's rows together, copy after copy.
                conn.execute(text(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} "
                                  f"FROM tpl_{table} t JOIN synth_map m ON m.template_id = t.document_id "
                                  f"ORDER BY m.copy_no, m.template_id"))
                counts[table] = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            conn.execute(text("""
INSERT INTO dim_unit (unit_key, unit_name, region, parent_unit_key)
SELECT m.unit_key, MIN(m.unit_name), MIN(u.region), MIN(u.parent_unit_key)
FROM synth_map m JOIN tpl_document d ON d.document_id = m.template_id
LEFT JOIN tpl_dim_unit u ON u.unit_key = d.unit_key
WHERE m.unit_key IS NOT NULL AND m.unit_key NOT IN (SELECT unit_key FROM dim_unit)
GROUP BY m.unit_key"""))
            conn.execute(text("""
INSERT INTO dim_function_subject SELECT * FROM tpl_dim_function_subject t
WHERE t.subject_code NOT IN (SELECT subject_code FROM dim_function_subject)"""))
            for t in (*DOCUMENT_TABLES, "dim_unit", "dim_function_subject"):
                conn.execute(text(f"DROP TABLE tpl_{t}"))
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))  # what autovacuum does on a warehouse in use
        counts["fill_s"] = round(time.perf_counter() - started, 1)
        return counts
    finally:
        engine.dispose()


def run_queries(url: str, repeat: int = 3, explain: bool = False, timeout_s: int = 300,
                only: list[str] | None = None, settings: list[str] = ()) -> dict[str, dict]:
    """Each query `repeat` times, every row fetched: seconds of the first and the fastest run, rows.
    A PostgreSQL query still running after `timeout_s` is cancelled and reported as such. `settings`:
    PostgreSQL session settings (`work_mem=256MB`, `jit=off`), as a BI role's would be."""
    engine = create_engine(url) if duckdb_file(url) is None else create_engine(url, connect_args={"read_only": True})
    out = {}
    try:
        with engine.connect() as conn:
            bi = bi_schema(conn)
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"SET statement_timeout = '{timeout_s}s'"))
                for setting in settings:
                    key, _, value = setting.partition("=")
                    conn.execute(text(f"SET {key} = '{value}'"))
            for name, sql in QUERIES.items():
                if only and name not in only:
                    continue
                sql = sql.replace("bi.", f"{bi}.")
                times, cpu = [], []
                try:
                    for _ in range(repeat):
                        t0, c0 = time.perf_counter(), time.process_time()
                        rows = conn.execute(text(sql)).fetchall()
                        times.append(time.perf_counter() - t0)
                        cpu.append(time.process_time() - c0)
                except OperationalError as exc:  # statement_timeout
                    conn.rollback()
                    out[name] = {"first_s": f"> {timeout_s}", "best_s": f"> {timeout_s}", "rows": None,
                                 "error": str(exc.orig).splitlines()[0]}
                else:
                    out[name] = {"first_s": round(times[0], 3), "best_s": round(min(times), 3),
                                 "median_s": round(statistics.median(times), 3), "rows": len(rows),
                                 # this process's CPU seconds (DuckDB's every thread; PostgreSQL: the fetching
                                 # only): what a loaded machine does not inflate as it does the wall time
                                 "cpu_s": round(min(cpu), 3)}
                if explain:
                    plan = conn.execute(text("EXPLAIN ANALYZE " + sql)).fetchall()
                    out[name]["plan"] = "\n".join(str(r[-1]) for r in plan)
                print(engine.dialect.name, name, {k: v for k, v in out[name].items() if k != "plan"}, flush=True)
                if explain:
                    print(out[name]["plan"], flush=True)
    finally:
        engine.dispose()
    return out


def postgres_schema(base: str) -> tuple[str, str]:
    """A fresh schema on the server: (its name, the URL that puts it first on the search_path)."""
    schema = f"synthetic_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return schema, f"{base}{sep}options=-csearch_path%3D{schema}"


def drop_postgres_schema(base: str, schema: str) -> None:
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema}_bi CASCADE"))
    admin.dispose()


def _table(results: dict[str, dict[str, dict]]) -> list[str]:
    engines = list(results)
    lines = ["| query | " + " | ".join(f"{e} best (first) s | {e} rows" for e in engines) + " |",
             "|---|" + "---:|---:|" * len(engines)]
    for q in QUERIES:
        cells = []
        for e in engines:
            r = results[e].get(q, {})
            cells += [f"{r.get('best_s')} ({r.get('first_s')})", str(r.get("rows"))]
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=30000)
    parser.add_argument("--template", type=Path, help="a DuckDB warehouse of real documents")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[REPO.parent / "shared" / "corpus" / "real"],
                        help="folders of real documents for the template (without --template)")
    parser.add_argument("--duckdb", type=Path, help="the DuckDB file to build (default: a temporary one)")
    parser.add_argument("--postgres", help="a PostgreSQL URL; the warehouse is built in a schema of its own")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema (its name is printed)")
    parser.add_argument("--existing", action="store_true", help="time the queries of --duckdb / --postgres "
                        "(a schema URL) as they are, building nothing")
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (default 3)")
    parser.add_argument("--timeout", type=int, default=300, help="PostgreSQL statement timeout, seconds")
    parser.add_argument("--query", action="append", help="time only this query (repeatable)")
    parser.add_argument("--pg-setting", action="append", default=[],
                        help="a PostgreSQL session setting for the queries, e.g. work_mem=256MB (repeatable)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="budgetdw-synthetic-") as tmp:
        template = None if args.existing else args.template or ingest_template(args.corpus, Path(tmp))
        results, counts = {}, {}
        targets = []
        if args.duckdb or not args.postgres:
            targets.append(("duckdb", f"duckdb:///{args.duckdb or Path(tmp) / 'synthetic.duckdb'}", None))
        if args.postgres:
            if args.existing:
                targets.append(("postgresql", args.postgres, None))
            else:
                schema, url = postgres_schema(args.postgres)
                print(f"PostgreSQL schema {schema}", flush=True)
                targets.append(("postgresql", url, schema))
        for name, url, schema in targets:
            try:
                if not args.existing:
                    counts[name] = fill(url, template, args.documents)
                    print(name, counts[name], flush=True)
                results[name] = run_queries(url, args.repeat, args.explain, args.timeout, args.query,
                                            args.pg_setting if name == "postgresql" else ())
            finally:
                if schema and not args.keep:
                    drop_postgres_schema(args.postgres, schema)
        print("\n".join(_table(results)))


if __name__ == "__main__":
    main()
