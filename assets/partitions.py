import os

import dagster as dg

# One partition per document, keyed by the first 16 hex digits of its sha256 (comma-free, stable).
documents = dg.DynamicPartitionsDefinition(name="document")


def document_key(sha256: str) -> str:
    return sha256[:16]


def batch_size() -> int:
    """Documents per run at most (assets/batch.py): the sensor's batches of new documents and a backfill's
    runs (BackfillPolicy.multi_run). BUDGETDW_BATCH_SIZE, default 50: a run's ≈2 s of start-up is shared by
    its documents, while a run still ends (and shows its documents) every few minutes."""
    return max(1, int(os.environ.get("BUDGETDW_BATCH_SIZE", "50")))


# The tags Dagster gives a run over a range of partitions (dagster._core.storage.tags; not exported).
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def range_tags(first: str, last: str) -> dict[str, str]:
    """A run's tags for the partitions first … last (in the order they were added)."""
    return {RANGE_START: first, RANGE_END: last}
