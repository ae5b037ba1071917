"""Warehouse schema (SQLAlchemy Core), BI views as SQL files, and the data dictionary."""

from __future__ import annotations

import csv
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
