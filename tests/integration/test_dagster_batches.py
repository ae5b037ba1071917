"""Batched Dagster runs (issue 26): one run reads and loads many document partitions with the CLI's code
path, each partition keeping its own materialisations and check results, a bad document failing alone."""

from decimal import Decimal

import dagster as dg
from conftest import REFERENCE_PDF, query_rows, real_pdf

from assets.batch import loaded_listener
from assets.definitions import defs
from assets.partitions import document_key
from assets.resources import BudgetdwSettings
from pipelines.store import store_raw

JUSTICE = "sh-putuo-justice_2026_unit-budget.pdf"  # quarantined: its 支出总表 does not add up (p.11)


def _tick(instance, settings):
    return defs.get_sensor_def("new_documents")(dg.build_sensor_context(instance=instance,
                                                                       resources={"settings": settings}))


def test_documents_and_backfills_run_in_batches_of_the_configured_size(monkeypatch):
    batch = defs.get_assets_def("warehouse_document")
    assert batch.backfill_policy == dg.BackfillPolicy.multi_run(max_partitions_per_run=50)
    # The per-document assets are one step: one run reads and loads a whole batch. The views are one object
    # each, materialised after each batch by a run of their own (assets/views.py), not once per document.
    assert {k.to_user_string() for k in batch.keys} >= {"raw_pdf", "processed_document", "warehouse_document"}
    views = defs.get_assets_def(dg.AssetKey(["views", "v_document"]))
    assert views.partitions_def is None and not any(k.path[0] == "views" for k in batch.keys)
    assert set(defs.resolve_job_def("refresh_views").asset_layer.executable_asset_keys) == set(views.keys)
    from assets.sensors import batch_requests

    monkeypatch.setenv("BUDGETDW_BATCH_SIZE", "2")
    keys = [f"{i:016x}" for i in range(5)]
    requests = batch_requests(keys, {})
    assert [(r.partition_key_range and tuple(r.partition_key_range), r.partition_key) for r in requests] == [
        ((keys[0], keys[1]), None), ((keys[2], keys[3]), None), (None, keys[4])]
    assert [r.tags.get("budgetdw/documents") for r in requests] == ["2", "2", None]


def test_a_batch_records_each_document_and_fails_only_the_bad_one_which_is_retried_alone(
        tmp_path, duckdb_url, monkeypatch):
    from hostile_pdfs import read_or_die

    import pipelines.run as run

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "a-reference.pdf").write_bytes(REFERENCE_PDF.read_bytes())
    (incoming / "b-justice.pdf").write_bytes(real_pdf(JUSTICE).read_bytes())
    (incoming / "die.pdf").write_bytes(REFERENCE_PDF.read_bytes() + b"\n% another file\n")
    settings = BudgetdwSettings(source_dir=str(incoming), data_dir=str(tmp_path / "data"), warehouse_url=duckdb_url)
    raw = tmp_path / "data" / "raw"
    good, justice, bad = (document_key(store_raw(incoming / n, raw).sha256)
                          for n in ("a-reference.pdf", "b-justice.pdf", "die.pdf"))
    instance = dg.DagsterInstance.ephemeral()

    tick = _tick(instance, settings)
    [request] = tick.run_requests  # three new documents: one run
    [add] = tick.dynamic_partitions_requests  # as the daemon applies it
    instance.add_dynamic_partitions(add.partitions_def_name, add.partition_keys)
    assert tuple(request.partition_key_range) == (good, bad) and request.tags["budgetdw/documents"] == "3"
    assert instance.get_dynamic_partitions("document") == [good, justice, bad]

    job = defs.resolve_job_def("ingest_document")
    heard = []
    token = loaded_listener.set(heard.append)
    monkeypatch.setattr(run, "read_and_keep", read_or_die)  # die.pdf's worker is killed, as `kill -9` does
    try:
        batch = job.execute_in_process(instance=instance, resources={"settings": settings}, tags=request.tags,
                                       raise_on_error=False)
    finally:
        monkeypatch.undo()
        loaded_listener.reset(token)
    assert not batch.success
    assert sorted((document_key(d.source.sha256), d.status, d.failure_kind) for d in heard) == sorted(
        [(good, "published", None), (justice, "quarantined", None), (bad, "failed", "crashed")])

    # The others are recorded, each partition on its own; the bad one's partition is the failed one.
    warehouse_document = dg.AssetKey("warehouse_document")
    assert instance.get_materialized_partitions(warehouse_document) == {good, justice}
    status = instance.get_status_by_partition(warehouse_document, [good, justice, bad],
                                              defs.get_assets_def("warehouse_document").partitions_def)
    assert status[bad] == dg.AssetPartitionStatus.FAILED
    events = {(e.asset_key.to_user_string(), e.step_materialization_data.materialization.partition):
              e.step_materialization_data.materialization for e in batch.get_asset_materialization_events()}
    assert events[("warehouse_document", justice)].metadata["unit"].value == "上海市普陀区司法局"
    assert events[("warehouse_document", justice)].metadata["status"].value == "quarantined"
    assert events[("warehouse_document", good)].metadata["fiscal_year"].value == 2025
    assert events[("warehouse_document", good)].tags["budgetdw/doc_kind"] == "unit_budget"
    evaluations = batch.get_asset_check_evaluations()
    assert sorted({e.partition for e in evaluations}) == sorted([good, justice])
    assert len(evaluations) == 14  # seven rule families for each recorded document
    justice_failing = {e.check_name for e in evaluations if e.partition == justice and not e.passed}
    assert {"hierarchy_rules", "row_rules", "cross_rules"} <= justice_failing
    [failure] = [e.step_failure_data.error.message for e in batch.all_events if e.is_step_failure]
    assert "1 of 3 documents failed (the others are recorded)" in failure
    assert f"{bad}: die.pdf: the worker reading it crashed (signal 9)" in failure
    assert sorted(query_rows(duckdb_url, "SELECT status, failure_kind FROM document")) == [
        ("failed", "crashed"), ("published", None), ("quarantined", None)]
    assert query_rows(duckdb_url, "SELECT expenditure_total_yuan FROM v_document WHERE status = 'published'") == [
        (Decimal("51744700.00"),)]  # the reference prints 5174.47 万元 (ground_truth.json)

    # The sensor requests the bad document again, alone, not the batch.
    retry = _tick(instance, settings).run_requests
    assert [(r.partition_key, r.run_key) for r in retry] == [(bad, f"{bad}:attempt2")]
    again = job.execute_in_process(instance=instance, resources={"settings": settings}, partition_key=bad,
                                   tags=retry[0].tags, raise_on_error=False)
    assert again.success
    assert instance.get_materialized_partitions(warehouse_document) == {good, justice, bad}
    assert _tick(instance, settings).run_requests == []
    assert sorted(s for (s,) in query_rows(duckdb_url, "SELECT status FROM v_document")) == [
        "published", "published", "quarantined"]


def test_cli_dagster_runs_one_range_per_stretch_of_neighbouring_partitions():
    # A run covers a range, and a range holds every partition between its ends: documents to do that sit
    # apart among the instance's partitions (registered by earlier runs) go in runs of their own, so a
    # document already loaded between them is not read again; a run holds at most a batch (an in-process
    # run keeps its events in memory).
    from assets.run import contiguous

    order = ["a", "b", "c", "d", "e"]
    assert contiguous(["d", "a", "b"], order, 50) == [["a", "b"], ["d"]]
    assert contiguous(["e", "c", "a"], order, 50) == [["a"], ["c"], ["e"]]
    assert contiguous(order[::-1], order, 50) == [order]
    assert contiguous(order, order, 2) == [["a", "b"], ["c", "d"], ["e"]]
