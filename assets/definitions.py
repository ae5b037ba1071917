"""The Dagster entry point named by workspace.yaml."""

import dagster as dg

from assets.assets import (
    acquired_sources,
    document_tables,
    narrative_claims,
    performance_targets,
    processed_document,
    raw_pdf,
    warehouse_document,
)
from assets.checks import rule_families
from assets.jobs import ingest_job
from assets.resources import settings_from_env
from assets.schedules import nightly_acquisition
from assets.sensors import new_documents
from assets.views import bi_views

defs = dg.Definitions(
    assets=[acquired_sources, raw_pdf, processed_document, document_tables, narrative_claims, performance_targets,
            warehouse_document, bi_views],
    asset_checks=[rule_families],
    jobs=[ingest_job],
    schedules=[nightly_acquisition],
    sensors=[new_documents],
    resources={"settings": settings_from_env()},
)
