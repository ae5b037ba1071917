import os
from pathlib import Path

import dagster as dg

from pipelines.load import DEFAULT_WAREHOUSE


class BudgetdwSettings(dg.ConfigurableResource):
    """Where documents come from and where everything goes; set per environment, not per asset."""

    source_dir: str = "samples"
    sources_file: str = ""  # a sources YAML (sources.example.yaml); empty: only source_dir
    data_dir: str = "data"
    warehouse_url: str = DEFAULT_WAREHOUSE

    @property
    def raw_dir(self) -> Path:
        return Path(self.data_dir) / "raw"


def settings_from_env() -> BudgetdwSettings:
    return BudgetdwSettings(
        source_dir=os.environ.get("BUDGETDW_SOURCE_DIR", "samples"),
        sources_file=os.environ.get("BUDGETDW_SOURCES", ""),
        data_dir=os.environ.get("BUDGETDW_DATA_DIR", "data"),
        warehouse_url=os.environ.get("BUDGETDW_WAREHOUSE", DEFAULT_WAREHOUSE),
    )
