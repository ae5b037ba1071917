"""The BI views as assets, materialised once per run after its documents are loaded (assets/batch.py):
how many rows the view holds (`dagster/row_count`) and the view's columns with their meaning
(`dagster/column_schema`, from the database and warehouse/views/columns.tsv), so the asset catalog shows
what a BI tool sees. Before any load, each view asset's definition carries the same schema, from
warehouse/views/view_columns.json (kept equal to both engines' by a test).

A view is one object in the warehouse, not one per document: the view assets are not partitioned, and are
materialised once after each successful batch run (the `refresh_views` job, requested by the
views_after_loads sensor; `budgetdw ingest --dagster` runs it after its batches), whatever the batch's
number of documents (issue 26: every view planned and materialised for every document made up more than
half of the events a document cost, each a write to the instance's event storage).
"""

from collections.abc import Iterator

import dagster as dg
from sqlalchemy import Connection, text

from assets.assets import DOMAIN, OWNERS, TRANSIENT_RETRY, warehouse_document
from assets.resources import BudgetdwSettings
from pipelines.load.engine import connect
from warehouse import declared_view_columns, view_column_comments, views
from warehouse.migrate import bi_schema, view_column_types


def table_schema(columns: list[tuple[str, str]], meanings: dict[str, str]) -> dg.TableSchema:
    """(column, type) pairs as Dagster's column schema, each column with its meaning (中文 / English,
    warehouse.view_column_comments: read once by the caller for all the views)."""
    return dg.TableSchema(columns=[dg.TableColumn(name, kind, description=meanings.get(name))
                                   for name, kind in columns])


def _view_specs() -> dict[str, dg.AssetSpec]:
    declared, meanings = declared_view_columns(), view_column_comments()
    return {v.name: dg.AssetSpec(key=["views", v.name], deps=[warehouse_document], group_name="bi_views",
                                 kinds={"sql"}, skippable=True, description=v.comment or f"warehouse/views/{v.file}",
                                 owners=OWNERS, tags={**DOMAIN, "layer": "bi"},
                                 metadata={"sql": f"warehouse/views/{v.file}", "dagster/table_name": f"bi.{v.name}",
                                           "dagster/column_schema": table_schema(declared[v.name], meanings)})
            for v in views()}


VIEW_SPECS = _view_specs()


def view_materialisations(conn: Connection) -> Iterator[dg.MaterializeResult]:
    """Every view as the warehouse now holds it: its rows and its columns as the database types them."""
    bi, meanings = bi_schema(conn), view_column_comments()
    for name, spec in VIEW_SPECS.items():
        rows = conn.execute(text(f"SELECT COUNT(*) FROM {bi}.{name}")).scalar()
        schema = table_schema(view_column_types(conn, name, bi), meanings)
        yield dg.MaterializeResult(asset_key=spec.key, metadata={"dagster/row_count": rows,
                                                                 "dagster/column_schema": schema})


@dg.multi_asset(specs=list(VIEW_SPECS.values()), name="bi_views", can_subset=True, pool="warehouse",
                retry_policy=TRANSIENT_RETRY)
def bi_views(settings: BudgetdwSettings) -> Iterator[dg.MaterializeResult]:
    """The views as the warehouse holds them after a batch's loads. In the `warehouse` pool, as the loads:
    a DuckDB file has one writing process, and another run's batch may be loading."""
    engine = connect(settings.warehouse_url)
    try:
        with engine.connect() as conn:
            yield from view_materialisations(conn)
    finally:
        engine.dispose()
