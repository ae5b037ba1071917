"""The Dagster graph runs the same pipeline code for one document partition."""

import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest
from conftest import POSTGRES_ENV, REFERENCE_PDF, REPO, real_pdf
from sqlalchemy import create_engine, text

from assets.batch import loaded_listener
from assets.definitions import defs
from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from assets.views import VIEW_SPECS
from pipelines.store import store_raw


def test_definitions_load():
    names = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"acquired_sources", "raw_pdf", "processed_document", "document_tables", "narrative_claims",
            "performance_targets", "warehouse_document", "views/v_document", "views/v_narrative_claim"} <= names
    schedule = defs.get_schedule_def("nightly_acquisition")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")


def test_sensor_registers_and_graph_materialises(tmp_path, duckdb_url):
    pdf = real_pdf("sh-putuo-justice_2026_unit-budget.pdf")
    source_dir = tmp_path / "incoming"
    source_dir.mkdir()
    (source_dir / pdf.name).write_bytes(pdf.read_bytes())
    settings = BudgetdwSettings(source_dir=str(source_dir), data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url)
    instance = dg.DagsterInstance.ephemeral()

    sensor = defs.get_sensor_def("new_documents")
    result = sensor(dg.build_sensor_context(instance=instance, resources={"settings": settings}))
    key = document_key(store_raw(pdf, tmp_path / "data" / "raw").sha256)
    assert [r.partition_key for r in result.run_requests] == [key]

    doc = _read_and_load(instance, key, settings)
    assert doc.identity.unit_name == "上海市普陀区司法局"
    assert doc.status == "quarantined"


def test_sensor_leaves_a_file_still_being_copied_in_for_a_later_evaluation(tmp_path, duckdb_url):
    # The sensor looks at the watched folder every minute; a PDF caught half-copied ends short of
    # %%EOF. Stored, it would become a broken document of its own. It is stored once whole.
    source_dir = tmp_path / "incoming"
    source_dir.mkdir()
    whole = REFERENCE_PDF.read_bytes()
    arriving = source_dir / "budget.pdf"
    arriving.write_bytes(whole[: len(whole) // 2])
    settings = BudgetdwSettings(source_dir=str(source_dir), data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url)
    instance = dg.DagsterInstance.ephemeral()
    sensor = defs.get_sensor_def("new_documents")

    early = sensor(dg.build_sensor_context(instance=instance, resources={"settings": settings}))
    assert early.run_requests == [] and not list((tmp_path / "data" / "raw").glob("*/*.pdf"))

    arriving.write_bytes(whole)
    later = sensor(dg.build_sensor_context(instance=instance, resources={"settings": settings}))
    sha = hashlib.sha256(whole).hexdigest()
    assert [r.partition_key for r in later.run_requests] == [document_key(sha)]
    assert [p.stem for p in (tmp_path / "data" / "raw").glob("*/*.pdf")] == [sha]


def test_a_failed_document_is_requested_again_on_a_later_tick(tmp_path, duckdb_url):
    # Before, the sensor's run key (the partition key) was never requested twice: a document whose
    # run failed for a passing reason stayed failed until someone forced it.
    settings = BudgetdwSettings(source_dir=str(tmp_path / "incoming"), data_dir=str(tmp_path / "data"),
                                warehouse_url=duckdb_url)
    (tmp_path / "incoming").mkdir()
    instance = dg.DagsterInstance.ephemeral()
    key = "0123456789abcdef"  # registered, but its original is not (yet) in the raw store: the run fails
    instance.add_dynamic_partitions(documents.name, [key])
    job = defs.resolve_job_def("ingest_document")
    sensor = defs.get_sensor_def("new_documents")
    attempts = []
    for _ in range(3):
        run = job.execute_in_process(partition_key=key, instance=instance, resources={"settings": settings},
                                     raise_on_error=False)
        assert not run.success
        tick = sensor(dg.build_sensor_context(instance=instance, resources={"settings": settings}))
        attempts.append([(r.partition_key, r.run_key) for r in tick.run_requests])
    assert attempts == [[(key, f"{key}:attempt2")], [(key, f"{key}:attempt3")], []]  # then left for a person


def test_the_readme_dagster_home_is_shipped_with_one_warehouse_writer(tmp_path):
    # `DAGSTER_HOME=$PWD/.dagster dagster dev` refused a folder that does not exist on a fresh clone.
    import shutil

    shipped = REPO / ".dagster" / "dagster.yaml"
    shutil.copy(shipped, tmp_path / "dagster.yaml")
    instance = dg.DagsterInstance.from_config(str(tmp_path))
    concurrency = instance.get_settings("concurrency")
    assert concurrency["pools"]["default_limit"] == 1 and concurrency["runs"]["max_concurrent_runs"] == 2
    instance.dispose()


def test_nightly_acquisition_stores_whole_pdfs_and_lists_the_rest(tmp_path, duckdb_url):
    source_dir = tmp_path / "incoming"
    source_dir.mkdir()
    whole = REFERENCE_PDF.read_bytes()
    (source_dir / "budget.pdf").write_bytes(whole)
    (source_dir / "arriving.pdf").write_bytes(whole[:1000])
    settings = BudgetdwSettings(source_dir=str(source_dir), data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url)
    result = dg.materialize([defs.get_assets_def("acquired_sources")], resources={"settings": settings})
    [materialisation] = result.asset_materializations_for_node("acquired_sources")
    assert materialisation.metadata["documents"].value == 1
    problems = materialisation.metadata["fetch_problems"].value
    assert "`truncated`" in problems and "arriving.pdf" in problems and "budget.pdf" not in problems
    assert [p.stem for p in (tmp_path / "data" / "raw").glob("*/*.pdf")] == [hashlib.sha256(whole).hexdigest()]


def _run_partition(instance, key, settings):
    """Run the ingest job for one document partition (a batch of one, assets/batch.py): the run's result and
    the document as loaded."""
    instance.add_dynamic_partitions(documents.name, [key])
    heard = []
    token = loaded_listener.set(heard.append)
    try:
        out = defs.resolve_job_def("ingest_document").execute_in_process(
            partition_key=key, instance=instance, resources={"settings": settings}, raise_on_error=False)
    finally:
        loaded_listener.reset(token)
    [doc] = heard
    return out, doc


def _read_and_load(instance, key, settings):
    out, doc = _run_partition(instance, key, settings)
    assert out.success
    return doc


def _ingest_through_dagster(tmp_path, monkeypatch, dagster_home):
    from click.testing import CliRunner

    from pipelines.cli import main

    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    warehouse = f"duckdb:///{tmp_path / 'w.duckdb'}"
    result = CliRunner().invoke(main, [
        "ingest", "--dagster", str(REFERENCE_PDF), str(real_pdf("sh-putuo-justice_2026_unit-budget.pdf")),
        "--warehouse", warehouse, "--data-dir", str(tmp_path / "data")])
    return result, warehouse


def test_cli_ingest_runs_the_asset_graph_and_leaves_materialisations(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    result, warehouse = _ingest_through_dagster(tmp_path, monkeypatch, home)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sorted(ln.split()[0] for ln in lines if ln.startswith(("published", "quarantined"))) == [
        "published", "quarantined"]
    assert "2 documents: 1 published, 1 quarantined" in lines[-1]
    instance = dg.DagsterInstance.get()
    # one run for both documents (a batch: assets/batch.py), then one for the views (assets/views.py)
    record, views_record = sorted(instance.get_run_records(), key=lambda r: r.create_timestamp)
    assert record.dagster_run.tags["budgetdw/documents"] == "2"
    assert views_record.dagster_run.job_name == "refresh_views"
    for asset in ("raw_pdf", "processed_document", "document_tables", "narrative_claims", "performance_targets",
                  "warehouse_document"):
        assert len(instance.get_materialized_partitions(dg.AssetKey(asset))) == 2, asset
    # Events a document costs (each one written to the instance, issue 26): its six assets planned and
    # materialised and seven check results; the views once, after the batch, not once per document.
    kinds = Counter(e.dagster_event.event_type for e in instance.all_logs(record.dagster_run.run_id)
                    if e.dagster_event)
    assert kinds[dg.DagsterEventType.ASSET_MATERIALIZATION] == 2 * 6
    assert kinds[dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED] == 2 * 6
    assert kinds[dg.DagsterEventType.ASSET_CHECK_EVALUATION] == 2 * 7
    views = Counter(e.dagster_event.event_type for e in instance.all_logs(views_record.dagster_run.run_id)
                    if e.dagster_event)
    assert views[dg.DagsterEventType.ASSET_MATERIALIZATION] == len(VIEW_SPECS)
    [v_document] = instance.fetch_materializations(dg.AssetKey(["views", "v_document"]), limit=5).records
    assert v_document.event_log_entry.asset_materialization.metadata["dagster/row_count"].value == 2
    # The quarantined document's check failed, the reference's passed; both were loaded.
    from sqlalchemy import create_engine, text

    engine = create_engine(warehouse)
    with engine.connect() as conn:
        statuses = sorted(s for (s,) in conn.execute(text("SELECT status FROM v_document")))
    engine.dispose()
    assert statuses == ["published", "quarantined"]


@pytest.mark.postgres
@pytest.mark.slow  # a whole --dagster ingest again, with the instance in PostgreSQL
def test_production_profile_keeps_dagster_history_in_postgres(tmp_path, monkeypatch):
    """deploy/dagster.yaml: run and event storage on PostgreSQL (dagster-postgres)."""
    import os
    import uuid

    from sqlalchemy import create_engine, make_url, text

    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run sets it to the local PostgreSQL server)")
    base = make_url(os.environ[POSTGRES_ENV])
    db = f"budgetdw_dagster_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {db}"))
    try:
        home = tmp_path / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text((REPO / "deploy" / "dagster.yaml").read_text(encoding="utf-8"))
        dagster_url = base.set(drivername="postgresql+psycopg2", database=db, query={})
        monkeypatch.setenv("DAGSTER_PG_URL", dagster_url.render_as_string(hide_password=False))
        result, _ = _ingest_through_dagster(tmp_path, monkeypatch, home)
        assert result.exit_code == 0, result.output
        instance = dg.DagsterInstance.get()
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert len(instance.get_materialized_partitions(dg.AssetKey("warehouse_document"))) == 2
        instance.dispose()
        dagster_db = create_engine(base.set(database=db))
        with dagster_db.connect() as conn:
            # both documents in one run, then the views' run
            assert conn.execute(text("SELECT pipeline_name FROM runs ORDER BY create_timestamp")).scalars().all() == [
                "ingest_document", "refresh_views"]
        dagster_db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        admin.dispose()


def test_a_document_over_the_time_limit_fails_alone_in_the_asset_graph(tmp_path, duckdb_url):
    # The asset reads the document in a worker process with the per-document time limit, as the
    # CLI does: a document that hangs the PDF library fails and is recorded with why. Trying again may help
    # (a loaded machine), so its partition fails, for the sensor to request it again (assets/batch.py).
    settings = BudgetdwSettings(data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url, time_limit_s=0.05)
    key = document_key(store_raw(REFERENCE_PDF, tmp_path / "data" / "raw").sha256)
    instance = dg.DagsterInstance.ephemeral()
    out, doc = _run_partition(instance, key, settings)
    assert not out.success and instance.get_materialized_partitions(dg.AssetKey("warehouse_document")) == set()
    assert (doc.status, doc.failure_kind) == ("failed", "timeout")
    assert "stopped after 0.05 s, the per-document time limit" in doc.error
    engine = create_engine(duckdb_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status, error FROM v_document")).one() == ("failed", doc.error)
    engine.dispose()


def test_a_scheduled_document_run_reads_and_loads_in_one_process(tmp_path, monkeypatch):
    # A run the daemon launches for a partition the sensor added runs the job's executor in a run
    # process of its own; `dagster job execute` does the same. A process per step imported Dagster
    # and the code location again for each of the seven steps (≈20 s a document against ≈10 s).
    import os
    import subprocess
    import sys

    home = tmp_path / "dagster_home"
    home.mkdir()
    warehouse = f"duckdb:///{tmp_path / 'w.duckdb'}"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    env = {**os.environ, "BUDGETDW_DATA_DIR": str(tmp_path / "data"), "BUDGETDW_WAREHOUSE": warehouse}
    key = document_key(store_raw(REFERENCE_PDF, tmp_path / "data" / "raw").sha256)
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(documents.name, [key])
    run = subprocess.run([str(Path(sys.executable).parent / "dagster"), "job", "execute", "-m", "assets.definitions",
                          "-j", "ingest_document", "--tags", f'{{"dagster/partition": "{key}"}}'],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]

    with dg.DagsterInstance.get() as instance:
        [record] = instance.get_run_records()
        assert record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
        events = [e.dagster_event for e in instance.all_logs(record.dagster_run.run_id) if e.dagster_event]
    steps = {e.step_key for e in events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
    assert steps == {"documents_batch"}  # the per-document assets and their checks: one step
    materialised = {e.asset_key.to_user_string() for e in events
                    if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION}
    assert {"raw_pdf", "processed_document", "warehouse_document"} <= materialised
    run_pid = next(e.pid for e in events if e.event_type == dg.DagsterEventType.RUN_START)
    assert {e.pid for e in events if e.event_type == dg.DagsterEventType.STEP_START} == {run_pid}
    engine = create_engine(warehouse)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status, expenditure_total_yuan FROM v_document")).one() == (
            "published", Decimal("51744700.00"))
    engine.dispose()


# --- Lineage a data team can read (issue 24, part 2) ---------------------------------------------


def test_every_view_asset_shows_its_column_schema_before_any_load():
    # Issue #24's Done-when: "every view asset has a column schema" in the catalog, not only once materialised.
    from warehouse import views

    specs = {s.key.to_user_string(): s for a in defs.assets if isinstance(a, dg.AssetsDefinition)
             for s in a.specs}
    for view in views():
        schema = specs[f"views/{view.name}"].metadata["dagster/column_schema"]
        assert schema.columns, view.name
        assert all(c.description for c in schema.columns), view.name
    v_document = {c.name: c for c in specs["views/v_document"].metadata["dagster/column_schema"].columns}
    assert v_document["income_total_yuan"].type == "DECIMAL(20,2)"
    assert v_document["document_id"].description.startswith("文档标识")


def test_the_asset_graph_has_no_orphan_and_acquisition_feeds_raw_pdf():
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    assert dg.AssetKey("acquired_sources") in graph.get(dg.AssetKey("raw_pdf")).parent_keys
    assert [k.to_user_string() for k in keys if not graph.get(k).parent_keys and not graph.get(k).child_keys] == []
    for key in keys:
        node = graph.get(key)
        assert node.owners == ["team:budgetdw"] and node.tags["domain"] == "public_budgets", key
    from pipelines import PARSER_VERSION

    assert graph.get(dg.AssetKey("processed_document")).code_version == PARSER_VERSION
    assert graph.get(dg.AssetKey("warehouse_document")).code_version == PARSER_VERSION


def test_one_check_per_rule_family_blocking_where_the_family_has_error_rules():
    from expectations.rules import FAMILIES

    specs = {k.name: s for s in defs.get_assets_def("warehouse_document").check_specs for k in [s.key]} or {
        s.key.name: s for c in defs.asset_checks for s in c.check_specs}
    assert set(specs) == {f"{f}_rules" for f in FAMILIES} | {"identity_rules", "completeness_rules"}
    # hierarchy, row: error rules only; cross: both; narrative, wording: warnings only (expectations/rules.py)
    assert {n for n, s in specs.items() if s.blocking} == {"hierarchy_rules", "row_rules", "cross_rules",
                                                            "identity_rules", "completeness_rules"}
    assert specs["hierarchy_rules"].description.startswith(FAMILIES["hierarchy"])
    assert "hierarchy.subject_sum" in specs["hierarchy_rules"].description


def test_an_error_rule_blocks_only_where_the_quarantine_did_not_contain_it():
    from types import SimpleNamespace

    from assets.checks import check_severity
    from pipelines.model import Status

    error = ["a failed error-severity result"]
    assert check_severity(SimpleNamespace(status=Status.QUARANTINED), error) == dg.AssetCheckSeverity.WARN
    assert check_severity(SimpleNamespace(status=Status.PUBLISHED), error) == dg.AssetCheckSeverity.ERROR
    assert check_severity(SimpleNamespace(status=Status.PUBLISHED), []) == dg.AssetCheckSeverity.WARN


def _materialise_document(instance, pdf, tmp_path, duckdb_url):
    settings = BudgetdwSettings(data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url)
    key = document_key(store_raw(pdf, tmp_path / "data" / "raw").sha256)
    instance.add_dynamic_partitions(documents.name, [key])
    run, doc = _run_partition(instance, key, settings)
    return key, run, doc


@pytest.mark.parametrize("database", ["duckdb_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_a_published_document_then_every_view_is_materialised_with_its_rows_and_column_schema(
        tmp_path, database, request):
    instance = dg.DagsterInstance.ephemeral()
    url = request.getfixturevalue(database)
    key, run, doc = _materialise_document(instance, REFERENCE_PDF, tmp_path, url)
    assert run.success
    # The views_after_loads sensor answers the batch's success with a run of the views job.
    context = dg.build_run_status_sensor_context(sensor_name="views_after_loads", dagster_event=next(
        e for e in run.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS), dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run.run_id))
    request_ = defs.get_sensor_def("views_after_loads")(context)
    assert request_.run_key == f"views-after:{run.run_id}"
    views_run = defs.resolve_job_def("refresh_views").execute_in_process(
        instance=instance, resources={"settings": BudgetdwSettings(data_dir=str(tmp_path / "data"),
                                                                   warehouse_url=url)})
    # Unit, year and kind as printed on the reference's cover (p.1: 阳泉市公安局城区分局 2025年度单位预算公开).
    expected_tags = {"budgetdw/unit": "阳泉市公安局城区分局", "budgetdw/fiscal_year": "2025",
                     "budgetdw/doc_kind": "unit_budget", "budgetdw/status": "published"}
    assert expected_tags.items() <= instance.get_run_by_id(run.run_id).tags.items()  # runs searchable by unit
    runs = instance.get_runs(dg.RunsFilter(tags={"budgetdw/unit": "阳泉市公安局城区分局"}))
    assert [r.run_id for r in runs] == [run.run_id]
    materialisations = {m.asset_key.to_user_string(): m for m in run.get_asset_materialization_events()}
    for asset in ("processed_document", "warehouse_document", "document_tables"):
        m = materialisations[asset].step_materialization_data.materialization
        # Dagster allows no Chinese in an event's tag values: the unit is in the metadata and the run's tags.
        assert {k: v for k, v in expected_tags.items() if k != "budgetdw/unit"}.items() <= m.tags.items(), asset
        assert (m.metadata["unit"].value, m.metadata["fiscal_year"].value) == ("阳泉市公安局城区分局", 2025), asset
    from warehouse import views

    assert not any(asset.startswith("views/") for asset in materialisations)
    materialisations = {m.asset_key.to_user_string(): m for m in views_run.get_asset_materialization_events()}
    assert set(materialisations) == {f"views/{v.name}" for v in views()}
    v_document = materialisations["views/v_document"].step_materialization_data.materialization.metadata
    assert v_document["dagster/row_count"].value == 1  # the view's rows: the warehouse holds this document only
    columns = {c.name: c for c in v_document["dagster/column_schema"].value.columns}
    assert columns["document_id"].description.startswith("文档标识（原始PDF的sha256）")
    assert columns["expenditure_total_yuan"].type == "DECIMAL(20,2)"  # on both engines
    checks = materialisations["views/v_check_result"].step_materialization_data.materialization.metadata
    assert checks["dagster/row_count"].value == len(doc.checks) > 0
    evaluations = {e.check_name: e for e in run.get_asset_check_evaluations()}
    assert len(evaluations) == 7 and all(e.passed for n, e in evaluations.items() if n != "narrative_rules")


def test_a_quarantined_document_is_loaded_its_checks_fail_as_warnings_and_its_run_succeeds(tmp_path, duckdb_url):
    # The real corpus's quarantined document (inconsistencies printed on pp.11/14/19): quarantine is the
    # pipeline working, so a folder holding it gives no failed run (issue #24's Done-when).
    instance = dg.DagsterInstance.ephemeral()
    key, run, doc = _materialise_document(instance, real_pdf("sh-putuo-justice_2026_unit-budget.pdf"), tmp_path,
                                          duckdb_url)
    assert run.success
    assert doc.status == "quarantined"
    failed_errors = {c.check_id.split(".")[0] for c in doc.failed_checks if c.severity == "error"}
    evaluations = {e.check_name: e for e in run.get_asset_check_evaluations()}
    failing = {n for n, e in evaluations.items() if not e.passed}
    assert {f"{f}_rules" for f in failed_errors} <= failing and failed_errors
    assert all(evaluations[n].severity == dg.AssetCheckSeverity.WARN for n in failing)
    materialised = {m.asset_key.to_user_string() for m in run.get_asset_materialization_events()}
    assert "warehouse_document" in materialised
    engine = create_engine(duckdb_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM v_document")).scalar() == "quarantined"
    engine.dispose()
    settings = BudgetdwSettings(source_dir=str(tmp_path / "none"), data_dir=str(tmp_path / "data"),
                                warehouse_url=duckdb_url)
    (tmp_path / "none").mkdir()
    tick = defs.get_sensor_def("new_documents")(dg.build_sensor_context(instance=instance,
                                                                        resources={"settings": settings}))
    assert tick.run_requests == []  # the same numbers would fail the same way: left for a person (budgetdw accept)
