import os
from pathlib import Path

import dagster as dg

from pipelines import DEFAULT_WAREHOUSE
from pipelines.acquire.sources import FolderSource, SourcesConfig, load_config
from pipelines.extract.pdftext import Limits
from pipelines.run import Settings


class BudgetdwSettings(dg.ConfigurableResource):
    """Where documents come from and where everything goes; set per environment, not per asset."""

    source_dir: str = "samples"
    sources_file: str = ""  # a sources YAML (sources.example.yaml); empty: only source_dir
    data_dir: str = "data"
    warehouse_url: str = DEFAULT_WAREHOUSE

    max_pages: int = 1000
    max_bytes: int = 200 * 1024 * 1024
    time_limit_s: float = 300.0  # per document; a document over it is stopped and reported as failed
    workers: int = 2  # documents of a batch read at once (worker processes), as `budgetdw ingest --workers`
    memory_limit_mb: int = 4096  # address space of one worker; 0: no limit (`budgetdw ingest --memory-limit`)

    @property
    def raw_dir(self) -> Path:
        return Path(self.data_dir) / "raw"

    def sources(self, web: bool = True) -> SourcesConfig:
        """What to acquire: the watched folder, as a folder source, and with `web` the sources
        file's sources. A folder source stores a file only once it is a whole PDF (one still being
        copied in ends short of %%EOF): a file caught half-written is left for a later evaluation,
        not stored as a broken document."""
        config = load_config(self.sources_file) if web and self.sources_file else SourcesConfig()
        folder = FolderSource(name="source_dir", path=Path(self.source_dir))
        return config.model_copy(update={"sources": [folder, *config.sources]})

    @property
    def limits(self) -> Limits:
        return Limits(max_bytes=self.max_bytes, max_pages=self.max_pages)

    def ingest_settings(self) -> Settings:
        """The same settings as `budgetdw ingest` takes, so that both read documents alike."""
        return Settings(self.warehouse_url, Path(self.data_dir), workers=self.workers,
                        time_limit_s=self.time_limit_s, limits=self.limits,
                        memory_limit_mb=self.memory_limit_mb or None)

    @classmethod
    def from_ingest_settings(cls, settings: Settings) -> "BudgetdwSettings":
        return cls(data_dir=str(settings.data_dir), warehouse_url=settings.warehouse_url,
                   max_pages=settings.limits.max_pages, max_bytes=settings.limits.max_bytes,
                   time_limit_s=settings.time_limit_s, workers=settings.workers,
                   memory_limit_mb=settings.memory_limit_mb or 0)


def settings_from_env() -> BudgetdwSettings:
    return BudgetdwSettings(
        source_dir=os.environ.get("BUDGETDW_SOURCE_DIR", "samples"),
        sources_file=os.environ.get("BUDGETDW_SOURCES", ""),
        data_dir=os.environ.get("BUDGETDW_DATA_DIR", "data"),
        warehouse_url=os.environ.get("BUDGETDW_WAREHOUSE", DEFAULT_WAREHOUSE),
        workers=int(os.environ.get("BUDGETDW_WORKERS", "2")),
    )
