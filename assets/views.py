"""The BI views as assets, materialised after each document's load: how many of the view's rows are
the document's (`dagster/row_count`) and the view's columns with their meaning (`dagster/column_schema`,
from the database and warehouse/views/columns.tsv), so the asset catalog shows what a BI tool sees."""

from collections.abc import Iterator

import dagster as dg
from sqlalchemy import Connection, text

from assets.assets import DOMAIN, OWNERS, TRANSIENT_RETRY, warehouse_document
from assets.partitions import documents
from assets.resources import BudgetdwSettings
from pipelines.load.engine import open_warehouse
from pipelines.store import load_raw
from warehouse import view_column_comments, views
from warehouse.migrate import bi_schema

VIEW_SPECS = {
    v.name: dg.AssetSpec(key=["views", v.name], deps=[warehouse_document], group_name="bi_views", kinds={"sql"},
                         description=v.comment or f"warehouse/views/{v.file}", owners=OWNERS,
                         tags={**DOMAIN, "layer": "bi"},
                         metadata={"sql": f"warehouse/views/{v.file}", "dagster/table_name": f"bi.{v.name}"})
    for v in views()
}


def view_schema(conn: Connection, view: str, schema: str) -> dg.TableSchema:
    """The view's columns as the database types them, each with its meaning (中文 / English)."""
    meanings = view_column_comments()
    rows = conn.execute(text(
        "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns "
        "WHERE table_name = :view AND table_schema = :schema ORDER BY ordinal_position"),
        {"view": view, "schema": schema}).all()
    return dg.TableSchema(columns=[dg.TableColumn(name, _type(kind, precision, scale), description=meanings.get(name))
                                   for name, kind, precision, scale in rows])


def _type(kind: str, precision: int | None, scale: int | None) -> str:
    """decimal(20,2) on both engines (PostgreSQL's data_type says only numeric)."""
    kind = kind.lower()
    if kind.startswith(("numeric", "decimal")) and precision is not None:
        return f"decimal({precision},{scale or 0})"
    return kind


# Reads only, but DuckDB lets one process open its file at a time: in the `warehouse` pool, like the load.
@dg.multi_asset(specs=list(VIEW_SPECS.values()), partitions_def=documents, pool="warehouse",
                retry_policy=TRANSIENT_RETRY)
def bi_views(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> Iterator[dg.MaterializeResult]:
    """Every view, once the document is loaded: its rows of the document (all rows where the view has no
    document_id) and its column schema, tagged with the document's unit, year and kind as loaded."""
    sha = load_raw(context.partition_key, settings.raw_dir).sha256
    # Read only: warehouse_document brought the schema and its views up to date just before.
    engine = open_warehouse(settings.warehouse_url, migrate_schema=False)
    try:
        with engine.connect() as conn:
            bi = bi_schema(conn)
            loaded = conn.execute(text(
                f"SELECT unit_name, unit_scope, fiscal_year, doc_kind, status FROM {bi}.v_document "
                "WHERE document_id = :d"), {"d": sha}).one()
            metadata = {"status": loaded.status, "unit": loaded.unit_name or "", "unit_scope": loaded.unit_scope or "",
                        "fiscal_year": loaded.fiscal_year or 0, "doc_kind": loaded.doc_kind or ""}
            tags = {"budgetdw/status": loaded.status}  # the unit is in the metadata (assets.event_tags)
            if loaded.fiscal_year:
                tags |= {"budgetdw/fiscal_year": str(loaded.fiscal_year), "budgetdw/doc_kind": loaded.doc_kind}
            for name, spec in VIEW_SPECS.items():
                schema = view_schema(conn, name, bi)
                columns = {c.name for c in schema.columns}
                where, params = ("WHERE document_id = :d", {"d": sha}) if "document_id" in columns \
                    else ("", {})
                rows = conn.execute(text(f"SELECT COUNT(*) FROM {bi}.{name} {where}"), params).scalar()
                yield dg.MaterializeResult(asset_key=spec.key, tags=tags, metadata={
                    **metadata, "dagster/row_count": rows, "dagster/column_schema": schema,
                    "rows_counted": "the document's" if where else "all"})
    finally:
        engine.dispose()
