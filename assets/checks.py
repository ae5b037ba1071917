"""Validation results as asset checks: error-severity failures block publishing."""

import dagster as dg

from assets.assets import processed_document
from assets.partitions import documents
from pipelines.model import ProcessedDocument, Severity


@dg.asset_check(asset=processed_document, partitions_def=documents,
                description="The document's own arithmetic, within printed rounding")
def document_arithmetic(processed_document: ProcessedDocument) -> dg.AssetCheckResult:
    """Fails with ERROR severity when an error-severity rule fails. It does not block the load:
    a quarantined document is loaded for inspection, and the warehouse's published views leave it
    out (that is where publishing is blocked)."""
    failed = processed_document.failed_checks
    errors = [c for c in failed if c.severity == Severity.ERROR]
    lines = [f"- {c.severity} p.{c.page} `{c.check_id}`: {c.message}" for c in failed[:50]]
    return dg.AssetCheckResult(
        passed=not errors and processed_document.error is None,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "checks": len(processed_document.checks),
            "failed": len(failed),
            "failures": dg.MetadataValue.md("\n".join(lines) or "none"),
            "error": processed_document.error or "",
        },
    )
