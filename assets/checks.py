"""Validation results as asset checks on the loaded document: one check per rule family.

A failed rule shows as a failed check of its family, never silently. What it means for the run:
- the document fails an error rule and is quarantined (loaded for inspection, left out of the published
  views): that is the pipeline working, so the check fails with WARN severity and the run succeeds
  (a folder with a quarantined document gives no failed run);
- a family holding an error-severity rule is blocking: should a document ever be *published* while one
  of its error rules failed (the quarantine gate broken), the check fails with ERROR severity, the run
  fails and the BI view assets are not materialised;
- warnings fail with WARN severity.
"""

from collections.abc import Iterator

import dagster as dg

from assets.assets import processed_document, warehouse_document
from assets.partitions import documents
from expectations.rules import FAMILIES, RULES
from pipelines.model import ProcessedDocument, Severity, Status

# Rules on the document as a whole (pipelines/validate/document_rules.py): decided in Python, not by a
# GX suite, so the rule catalog lists no family for them.
DOCUMENT_FAMILIES = {
    "identity": "The document's identity (unit, year, kind) rests on enough evidence, names a real unit and "
                "agrees with its headings; a year in the file name that the content contradicts is a warning.",
    "completeness": "Every table the 目录 lists is in the document (or in the disclosure's separate tables file).",
}
DOCUMENT_SEVERITIES = {family: {Severity.ERROR, Severity.WARNING} for family in DOCUMENT_FAMILIES}


def family_severities() -> dict[str, set[str]]:
    """The severities each family's rules can fail with."""
    out: dict[str, set[str]] = {f: set() for f in FAMILIES}
    for rule in RULES:
        out[rule.family].add(rule.severity)
    return {**out, **DOCUMENT_SEVERITIES}


def family_of(check_id: str) -> str:
    return check_id.split(".", 1)[0]


def _description(family: str) -> str:
    meaning = FAMILIES.get(family) or DOCUMENT_FAMILIES[family]
    rules = [r.id for r in RULES if r.family == family]
    where = f" Rules: {', '.join(rules)} (docs/rules.md)." if rules else " (pipelines/validate/document_rules.py)"
    return meaning + where


def check_severity(doc: ProcessedDocument, errors: list) -> dg.AssetCheckSeverity:
    """ERROR (blocking) only where an error rule failed and the document was published anyway."""
    contained = doc.status != Status.PUBLISHED
    return dg.AssetCheckSeverity.ERROR if errors and not contained else dg.AssetCheckSeverity.WARN


CHECK_SPECS = [
    dg.AssetCheckSpec(f"{family}_rules", asset=warehouse_document.key, partitions_def=documents,
                      additional_deps=[processed_document.key],
                      description=_description(family), blocking=Severity.ERROR in severities,
                      metadata={"family": family, "severities": ", ".join(sorted(severities))})
    for family, severities in family_severities().items()
]


def rule_family_evaluations(doc: ProcessedDocument, partition: str) -> Iterator[dg.AssetCheckEvaluation]:
    """One result per rule family for the document of `partition`. Evaluated in the run that loads it
    (assets/batch.py), which covers many partitions: each result names its partition."""
    for spec in CHECK_SPECS:
        family = spec.metadata["family"]
        results = [c for c in doc.checks if family_of(c.check_id) == family]
        failed = [c for c in results if not c.passed]
        errors = [c for c in failed if c.severity == Severity.ERROR]
        lines = [f"- {c.severity} p.{c.page} `{c.check_id}`: {c.message}" for c in failed[:50]]
        if doc.error:  # never read: nothing was checked, and its rows are out of the published views anyway
            lines = [f"- not checked: {doc.error}"]
        yield dg.AssetCheckEvaluation(
            asset_key=warehouse_document.key, check_name=spec.name, partition=partition, blocking=spec.blocking,
            passed=not failed and doc.error is None,
            severity=check_severity(doc, errors),
            description=f"{len(failed)} of {len(results)} results failed ({len(errors)} errors)",
            metadata={"results": len(results), "failed": len(failed), "errors": len(errors),
                      "failures": dg.MetadataValue.md("\n".join(lines) or "none")},
        )
