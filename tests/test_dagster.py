"""The Dagster graph runs the same pipeline code for one document partition."""

import dagster as dg

from assets.definitions import defs
from assets.partitions import document_key, documents
from assets.resources import BudgetdwSettings
from conftest import real_pdf
from pipelines.acquire import store_raw


def test_definitions_load():
    names = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert names == {"acquired_sources", "raw_pdf", "processed_document", "warehouse_document"}
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

    instance.add_dynamic_partitions(documents.name, [key])
    out = dg.materialize(
        [defs.get_assets_def("raw_pdf"), defs.get_assets_def("processed_document"),
         defs.get_assets_def("warehouse_document")],
        partition_key=key, instance=instance, resources={"settings": settings}, raise_on_error=False,
    )
    assert out.success
    doc = out.output_for_node("processed_document")
    assert doc.identity.unit_name == "上海市普陀区司法局"
    assert doc.status == "quarantined"
