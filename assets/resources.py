import os
from pathlib import Path

import dagster as dg

from pipelines import DEFAULT_WAREHOUSE
from pipelines.pdftext import Limits


class BudgetdwSettings(dg.ConfigurableResource):
    """Where documents come from and where everything goes; set per environment, not per asset."""

    source_dir: str = "samples"
    sources_file: str = ""  # a sources YAML (sources.example.yaml); empty: only source_dir
    data_dir: str = "data"
    warehouse_url: str = DEFAULT_WAREHOUSE

    max_pages: int = 1000
    max_bytes: int = 200 * 1024 * 1024

    @property
    def raw_dir(self) -> Path:
        return Path(self.data_dir) / "raw"

    @property
    def limits(self) -> Limits:
        return Limits(max_bytes=self.max_bytes, max_pages=self.max_pages)


def settings_from_env() -> BudgetdwSettings:
    return BudgetdwSettings(
        source_dir=os.environ.get("BUDGETDW_SOURCE_DIR", "samples"),
        sources_file=os.environ.get("BUDGETDW_SOURCES", ""),
        data_dir=os.environ.get("BUDGETDW_DATA_DIR", "data"),
        warehouse_url=os.environ.get("BUDGETDW_WAREHOUSE", DEFAULT_WAREHOUSE),
    )
