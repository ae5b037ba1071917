"""The jobs: a batch of document partitions through their assets, and the BI views after it."""

import dagster as dg

# One run per batch of document partitions (assets/batch.py), in the run's own process: the documents
# are read in time-limited worker processes of their own (pipelines/workers.py), and the batch is one
# step. Batches run in parallel as concurrent runs (deploy/dagster.yaml: max_concurrent_runs), their loads
# one at a time (the `warehouse` pool).
ingest_job = dg.define_asset_job(
    "ingest_document", selection=dg.AssetSelection.groups("documents", "warehouse"),
    executor_def=dg.in_process_executor)

# The BI views (assets/views.py), once after each successful ingest run (assets/sensors.py: views_after_loads)
# and after `budgetdw ingest --dagster`. A run of their own, not a step of the batch's: the batch's
# per-document assets are materialised event by event, not as step outputs, and Dagster skips a step whose
# upstream step yielded no output.
views_job = dg.define_asset_job("refresh_views", selection=dg.AssetSelection.groups("bi_views"),
                                executor_def=dg.in_process_executor)
