"""Acquisition on a nightly schedule."""

import dagster as dg

from assets.assets import acquired_sources

nightly_acquisition = dg.ScheduleDefinition(
    name="nightly_acquisition",
    target=dg.AssetSelection.assets(acquired_sources),
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
