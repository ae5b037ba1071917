"""Generate the data dictionary (docs/data-dictionary.md) from the schema's own comments.

    .venv/bin/python -m warehouse.dictionary > docs/data-dictionary.md

A test checks the committed file is current, so the dictionary never drifts from the schema.
"""

from __future__ import annotations

from warehouse import view_column_comments, views
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


if __name__ == "__main__":
    print(render())
