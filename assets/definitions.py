"""The Dagster entry point named by workspace.yaml."""

import dagster as dg

from assets.assets import acquired_sources
from assets.batch import documents_batch
from assets.jobs import ingest_job, views_job
from assets.resources import settings_from_env
from assets.schedules import nightly_acquisition
from assets.sensors import new_documents, views_after_loads
from assets.views import bi_views

defs = dg.Definitions(
    assets=[acquired_sources, documents_batch, bi_views],
    jobs=[ingest_job, views_job],
    schedules=[nightly_acquisition],
    sensors=[new_documents, views_after_loads],
    resources={"settings": settings_from_env()},
)
