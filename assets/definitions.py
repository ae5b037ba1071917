"""The Dagster entry point named by workspace.yaml."""

import dagster as dg

from .assets import processed_document, raw_pdf, warehouse_document
from .checks import document_arithmetic
from .resources import settings_from_env
from .sensors import ingest_job, new_documents

defs = dg.Definitions(
    assets=[raw_pdf, processed_document, warehouse_document],
    asset_checks=[document_arithmetic],
    jobs=[ingest_job],
    sensors=[new_documents],
    resources={"settings": settings_from_env()},
)
