import dagster as dg

# One partition per document, keyed by the first 16 hex digits of its sha256 (comma-free, stable).
documents = dg.DynamicPartitionsDefinition(name="document")


def document_key(sha256: str) -> str:
    return sha256[:16]
