"""The job the sensor requests: one document partition through its assets."""

import dagster as dg

# One run per document partition, its steps in the run's own process: they are a short chain, and
# the document is already read in a time-limited worker process of its own (pipelines/workers.py).
# A process per step (Dagster's default) imports Dagster and this code location again for each of
# the eight steps, which doubled a run's time. Documents run in parallel as
# concurrent runs (deploy/dagster.yaml: max_concurrent_runs).
ingest_job = dg.define_asset_job(
    "ingest_document", selection=dg.AssetSelection.groups("documents", "warehouse", "bi_views"),
    executor_def=dg.in_process_executor)
