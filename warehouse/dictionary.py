"""Generate the data dictionary (docs/data-dictionary.md) from the schema's own comments, and each
view's columns with their types (warehouse/views/view_columns.json) from a freshly migrated warehouse.

    .venv/bin/python -m warehouse.dictionary --view-columns     # after a view or migration changes
    .venv/bin/python -m warehouse.dictionary > docs/data-dictionary.md

Tests check both committed files are current, so the dictionary never drifts from the schema.
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine

from warehouse import VIEW_COLUMNS_FILE, declared_view_columns, view_column_comments, views
from warehouse.migrate import bi_schema, create_views, upgrade, view_column_types
from warehouse.schema import metadata


def render() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from `warehouse/schema.py` and `warehouse/views/*.sql` by "
        "`python -m warehouse.dictionary`; do not edit by hand. Money columns are NUMERIC(20,2) in yuan.",
        "",
        "## Views (schema `bi`: what BI tools query)",
        "",
        "Query them as `bi.v_document` … (docs/bi.md); the names without `bi.` are kept for one release.",
        "",
        "| view | what it holds |",
        "|---|---|",
        *(f"| `{v.name}` | {v.comment} |" for v in views()),
        "",
        "### View columns",
        "",
        "A column name means the same in every view (`warehouse/views/columns.tsv`; each view column carries it "
        "as its database comment).",
        "",
        "| column | 中文 / English |",
        "|---|---|",
        *(f"| `{name}` | {meaning} |" for name, meaning in view_column_comments().items()),
        "",
        "### Columns of each view",
        "",
        *(f"- `{view}`: " + ", ".join(f"`{name}` {kind}" for name, kind in columns)
          for view, columns in declared_view_columns().items()),
        "",
        "## Tables",
        "",
    ]
    for table in metadata.sorted_tables:
        lines += [f"### `{table.name}`", "", table.comment or "", "",
                  "| column | type | key | description |", "|---|---|---|---|"]
        for col in table.columns:
            key = "PK" if col.primary_key else ""
            lines.append(f"| `{col.name}` | {col.type} | {key} | {col.comment or ''} |")
        lines.append("")
    return "\n".join(lines)


def measured_view_columns(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """Each view's (column, type) in a migrated warehouse, as warehouse.migrate.view_column_types spells them."""
    with engine.connect() as conn:
        bi = bi_schema(conn)
        return {v.name: view_column_types(conn, v.name, bi) for v in views()}


def write_view_columns() -> Path:
    """Migrate a throw-away DuckDB warehouse and write its views' columns to warehouse/views/view_columns.json."""
    with tempfile.TemporaryDirectory(prefix="budgetdw-dictionary-") as tmp:
        engine = create_engine(f"duckdb:///{tmp}/w.duckdb")
        try:
            upgrade(engine)
            create_views(engine)
            columns = measured_view_columns(engine)
        finally:
            engine.dispose()
    target = Path(str(resources.files("warehouse").joinpath("views", VIEW_COLUMNS_FILE)))
    views_json = (f'  "{view}": [\n' + ",\n".join(f"    {json.dumps(list(column))}" for column in cols) + "\n  ]"
                  for view, cols in columns.items())  # a line per column: reviewable diffs
    target.write_text("{\n" + ",\n".join(views_json) + "\n}\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    if "--view-columns" in sys.argv[1:]:
        print(f"wrote {write_view_columns()}")
    else:
        print(render())
