"""The Dagster entry point named by workspace.yaml."""

import dagster as dg

from assets.assets import (
    acquired_sources,
    document_tables,
    narrative_claims,
    performance_targets,
    processed_document,
    raw_pdf,
    view_specs,
    warehouse_document,
)
from assets.checks import document_arithmetic
from assets.jobs import ingest_job
from assets.resources import settings_from_env
from assets.schedules import nightly_acquisition
from assets.sensors import new_documents

defs = dg.Definitions(
    assets=[acquired_sources, raw_pdf, processed_document, document_tables, narrative_claims, performance_targets,
            warehouse_document, *view_specs],
    asset_checks=[document_arithmetic],
    jobs=[ingest_job],
    schedules=[nightly_acquisition],
    sensors=[new_documents],
    resources={"settings": settings_from_env()},
)
