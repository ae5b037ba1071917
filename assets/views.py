"""The BI views as assets, materialised after each document's load: how many of the view's rows are
the document's (`dagster/row_count`) and the view's columns with their meaning (`dagster/column_schema`,
from the database and warehouse/views/columns.tsv), so the asset catalog shows what a BI tool sees.
Before any load, each view asset's definition carries the same schema, from
warehouse/views/view_columns.json (kept equal to both engines' by a test)."""

from collections.abc import Iterator

import dagster as dg
from sqlalchemy import Connection, text

from assets.assets import DOMAIN, OWNERS, warehouse_document
from assets.partitions import documents
from warehouse import declared_view_columns, view_column_comments, views
from warehouse.migrate import bi_schema, view_column_types


def table_schema(columns: list[tuple[str, str]]) -> dg.TableSchema:
    """(column, type) pairs as Dagster's column schema, each column with its meaning (中文 / English)."""
    meanings = view_column_comments()
    return dg.TableSchema(columns=[dg.TableColumn(name, kind, description=meanings.get(name))
                                   for name, kind in columns])


VIEW_SPECS = {
    v.name: dg.AssetSpec(key=["views", v.name], deps=[warehouse_document], group_name="bi_views", kinds={"sql"},
                         partitions_def=documents, skippable=True,
                         description=v.comment or f"warehouse/views/{v.file}", owners=OWNERS,
                         tags={**DOMAIN, "layer": "bi"},
                         metadata={"sql": f"warehouse/views/{v.file}", "dagster/table_name": f"bi.{v.name}",
                                   "dagster/column_schema": table_schema(declared_view_columns()[v.name])})
    for v in views()
}


def view_schemas(conn: Connection) -> tuple[str, dict[str, dg.TableSchema]]:
    """The schema the views live in, and each view's columns as the database types them: read once per run."""
    bi = bi_schema(conn)
    return bi, {name: table_schema(view_column_types(conn, name, bi)) for name in VIEW_SPECS}


def view_materialisations(conn: Connection, bi: str, schemas: dict[str, dg.TableSchema], sha256: str,
                          partition: str) -> Iterator[dg.AssetMaterialization]:
    """Every view for the document just loaded (assets/batch.py): its rows of the document (all rows where
    the view has no document_id) and its column schema, tagged with the document's unit, year and kind as
    loaded."""
    loaded = conn.execute(text(
        f"SELECT unit_name, unit_scope, fiscal_year, doc_kind, status FROM {bi}.v_document "
        "WHERE document_id = :d"), {"d": sha256}).one()
    metadata = {"status": loaded.status, "unit": loaded.unit_name or "", "unit_scope": loaded.unit_scope or "",
                "fiscal_year": loaded.fiscal_year or 0, "doc_kind": loaded.doc_kind or ""}
    tags = {"budgetdw/status": loaded.status}  # the unit is in the metadata (assets.event_tags)
    if loaded.fiscal_year:
        tags |= {"budgetdw/fiscal_year": str(loaded.fiscal_year), "budgetdw/doc_kind": loaded.doc_kind}
    for name, spec in VIEW_SPECS.items():
        schema = schemas[name]
        where, params = ("WHERE document_id = :d", {"d": sha256}) \
            if "document_id" in {c.name for c in schema.columns} else ("", {})
        rows = conn.execute(text(f"SELECT COUNT(*) FROM {bi}.{name} {where}"), params).scalar()
        yield dg.AssetMaterialization(spec.key, partition=partition, tags=tags, metadata={
            **metadata, "dagster/row_count": rows, "dagster/column_schema": schema,
            "rows_counted": "the document's" if where else "all"})
