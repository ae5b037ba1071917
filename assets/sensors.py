"""Register every new PDF in the source folder as a document partition and request its run."""

from pathlib import Path

import dagster as dg

from pipelines.acquire import find_pdfs, store_raw

from .partitions import document_key, documents
from .resources import BudgetdwSettings

ingest_job = dg.define_asset_job("ingest_document", selection=dg.AssetSelection.all())


@dg.sensor(job=ingest_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def new_documents(context: dg.SensorEvaluationContext, settings: BudgetdwSettings) -> dg.SensorResult:
    known = set(context.instance.get_dynamic_partitions(documents.name))
    new_keys = []
    for pdf in find_pdfs([Path(settings.source_dir)]):
        key = document_key(store_raw(pdf, settings.raw_dir).sha256)
        if key not in known and key not in new_keys:
            new_keys.append(key)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=k, run_key=k) for k in new_keys],
        dynamic_partitions_requests=[documents.build_add_request(new_keys)] if new_keys else [],
    )

