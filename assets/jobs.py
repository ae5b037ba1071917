"""The job the sensor requests: a batch of document partitions through their assets."""

import dagster as dg

# One run per batch of document partitions (assets/batch.py), in the run's own process: the documents
# are read in time-limited worker processes of their own (pipelines/workers.py), and the batch is one
# step. Batches run in parallel as concurrent runs (deploy/dagster.yaml: max_concurrent_runs), their loads
# one at a time (the `warehouse` pool).
ingest_job = dg.define_asset_job(
    "ingest_document", selection=dg.AssetSelection.groups("documents", "warehouse", "bi_views"),
    executor_def=dg.in_process_executor)
