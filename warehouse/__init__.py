"""Warehouse schema (SQLAlchemy Core), BI views as SQL files, and the data dictionary."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class View:
    name: str  # v_document …
    file: str  # 010_v_document.sql (the number orders creation: later views use earlier ones)
    sql: str

    @property
    def comment(self) -> str:
        return " ".join(ln.removeprefix("--").strip() for ln in self.sql.splitlines() if ln.startswith("--"))


def views() -> list[View]:
    """The BI views of warehouse/views/, in creation order."""
    out = []
    for f in sorted(resources.files("warehouse").joinpath("views").iterdir(), key=lambda p: p.name):
        if f.name.endswith(".sql"):
            sql = f.read_text(encoding="utf-8")
            out.append(View(re.search(r"CREATE\s+VIEW\s+(\w+)", sql, re.I).group(1), f.name, sql))
    return out


def view_column_comments() -> dict[str, str]:
    """What every column name the views use means, in Chinese and English ("中文 / English"), from
    warehouse/views/columns.tsv: one meaning per name across all views (document_id is the same
    everywhere), commented on every view column by warehouse/migrate.py."""
    text = resources.files("warehouse").joinpath("views", "columns.tsv").read_text(encoding="utf-8")
    return {row["column"]: f"{row['中文']} / {row['English']}"
            for row in csv.DictReader(text.splitlines(), delimiter="\t")}


VIEW_COLUMNS_FILE = "view_columns.json"


def declared_view_columns() -> dict[str, list[tuple[str, str]]]:
    """Each view's (column, type), in order, as a migrated warehouse has them (warehouse/views/view_columns.json,
    written by `python -m warehouse.dictionary --view-columns`; a test keeps it equal to what DuckDB and
    PostgreSQL report), so that a view's columns are known without a database: Dagster's asset catalog shows
    them before any document is loaded."""
    text = resources.files("warehouse").joinpath("views", VIEW_COLUMNS_FILE).read_text(encoding="utf-8")
    return {view: [(name, kind) for name, kind in columns] for view, columns in json.loads(text).items()}
