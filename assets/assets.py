"""Thin assets: acquisition, then each stage of pipelines/ for one document partition.

Lineage in the UI: acquired_sources → raw_pdf → processed_document (identified, extracted,
validated) → its tables, narrative claims and performance targets → warehouse_document (with one
check per rule family, assets/checks.py) → every BI view (assets/views.py).

Partition keys are hashed (they reach SQL); what a person searches by — unit, fiscal year, kind —
is on each materialisation as tags and metadata, and on the run as tags (budgetdw/unit …).
"""

from pathlib import Path

import dagster as dg

from assets.partitions import documents
from assets.resources import BudgetdwSettings
from pipelines import PARSER_VERSION
from pipelines.acquire.crawl import acquire_sources
from pipelines.load.engine import open_warehouse, shown_url
from pipelines.load.writer import load_or_fail
from pipelines.model import ProcessedDocument
from pipelines.process import intermediate_path
from pipelines.review_page.report import report_name
from pipelines.run import process_all
from pipelines.store import load_raw

OWNERS = ["team:budgetdw"]
DOMAIN = {"domain": "public_budgets"}


def document_tags(doc: ProcessedDocument) -> dict[str, str]:
    """Unit, fiscal year and kind of a document, as run tags: the UI's run list filters by them."""
    if not doc.identity:
        return {"budgetdw/status": str(doc.status)}
    i = doc.identity
    return {"budgetdw/unit": i.unit_name[:200], "budgetdw/fiscal_year": str(i.fiscal_year),
            "budgetdw/doc_kind": str(i.doc_kind), "budgetdw/status": str(doc.status)}


def event_tags(tags: dict[str, str]) -> dict[str, str]:
    """The same on a materialisation. Dagster allows only [A-Za-z0-9_.-] in an asset event's tag values, so
    the unit's name (Chinese) is in its metadata and the run's tags, not in the event's tags."""
    return {k: v for k, v in tags.items() if k != "budgetdw/unit"}


def document_metadata(doc: ProcessedDocument) -> dict[str, str | int]:
    """The same, as metadata: shown beside every materialisation of the partition."""
    i = doc.identity
    return {"status": str(doc.status), "unit": i.unit_name if i else "",
            "unit_scope": (i.unit_scope or "") if i else "", "fiscal_year": i.fiscal_year if i else 0,
            "doc_kind": str(i.doc_kind) if i else ""}


@dg.asset(group_name="acquire", kinds={"http"}, retry_policy=dg.RetryPolicy(max_retries=2, delay=60),
          owners=OWNERS, tags={**DOMAIN, "layer": "raw"})
def acquired_sources(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> dg.MaterializeResult:
    """Every configured source (the folder, and the web sources of the sources file) fetched into
    the raw store. Downloads nothing unchanged; every fault is listed, none stops the run."""
    results = acquire_sources(settings.sources(), Path(settings.data_dir))
    stored = {r.document.sha256 for r in results if r.ok and r.document}
    problems = [r for r in results if not r.ok]
    for r in problems:
        context.log.warning(r.line())
    return dg.MaterializeResult(metadata={
        "documents": len(stored),
        "fetch_problems": dg.MetadataValue.md("\n".join(f"- `{r.outcome}` {r.url}: {r.message}" for r in problems)
                                              or "none"),
    })


@dg.asset(partitions_def=documents, group_name="documents", kinds={"pdf"}, deps=[acquired_sources],
          owners=OWNERS, tags={**DOMAIN, "layer": "raw"})
def raw_pdf(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> dg.MaterializeResult:
    """The original PDF, unchanged, in the content-addressed raw store."""
    source = load_raw(context.partition_key, settings.raw_dir)
    return dg.MaterializeResult(metadata={
        "sha256": source.sha256, "source_uri": source.source_uri,
        "raw_path": dg.MetadataValue.path(str(source.raw_path)), "bytes": source.size,
    })


@dg.asset(partitions_def=documents, group_name="documents", deps=[raw_pdf], kinds={"python"},
          code_version=PARSER_VERSION, owners=OWNERS, tags={**DOMAIN, "layer": "staging"})
def processed_document(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> dg.Output[ProcessedDocument]:
    """The document identified, its tables extracted and normalised, its prose read, its numbers
    checked (see the asset check). Read in a worker process, as `budgetdw ingest` reads it: a
    document over the time limit, or one that crashes the PDF library, fails alone."""
    source = load_raw(context.partition_key, settings.raw_dir)
    [doc] = process_all([source], settings.ingest_settings())
    path = intermediate_path(doc, Path(settings.data_dir))  # none when the worker was stopped
    tags = document_tags(doc)
    context.instance.add_run_tags(context.run.run_id, tags)  # runs searchable by unit, year, kind
    return dg.Output(doc, tags=event_tags(tags), metadata={
        **document_metadata(doc),
        "error": doc.error or "",
        "notes": "; ".join(doc.notes),
        "warnings": dg.MetadataValue.md("\n".join(f"- `{line.logger}` {line.message}" for line in doc.warnings)
                                        or "none"),
        "seconds": dg.MetadataValue.json({k: round(v, 3) for k, v in doc.timings.items()}),
        "extracted_json": dg.MetadataValue.path(str(path)) if path.exists() else "",
    })


def _md_table(header: list[str], rows: list[list]) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(partitions_def=documents, group_name="documents", kinds={"pandas"}, code_version=PARSER_VERSION,
          owners=OWNERS, tags={**DOMAIN, "layer": "staging"})
def document_tables(processed_document: ProcessedDocument) -> dg.MaterializeResult:
    """The standard tables found (收支总表 … 项目支出表), with their pages and amounts."""
    tables = processed_document.tables
    return dg.MaterializeResult(tags=event_tags(document_tags(processed_document)), metadata={
        **document_metadata(processed_document),
        "tables": len(tables),
        "amounts": sum(len(t.cells) for t in tables),
        "preview": _md_table(["#", "code", "title", "pages", "rows", "amounts"], [
            [t.table.seq, t.table.code, t.table.title, t.table.page_label, len(t.table.body_rows), len(t.cells)]
            for t in tables]),
    })


@dg.asset(partitions_def=documents, group_name="documents", kinds={"python"}, code_version=PARSER_VERSION,
          owners=OWNERS, tags={**DOMAIN, "layer": "staging"})
def narrative_claims(processed_document: ProcessedDocument) -> dg.MaterializeResult:
    """Amounts, shares and changes the prose states, with page and sentence."""
    claims = processed_document.claims
    return dg.MaterializeResult(tags=event_tags(document_tags(processed_document)), metadata={
        **document_metadata(processed_document),
        "claims": len(claims),
        "preview": _md_table(["page", "subject", "amount", "percent", "change", "change %"], [
            [c.page, c.subject, c.amount.printed if c.amount else "", c.percent or "",
             c.change_amount.printed if c.change_amount else "", c.change_percent or ""] for c in claims[:30]]),
    })


@dg.asset(partitions_def=documents, group_name="documents", kinds={"python"}, code_version=PARSER_VERSION,
          owners=OWNERS, tags={**DOMAIN, "layer": "staging"})
def performance_targets(processed_document: ProcessedDocument) -> dg.MaterializeResult:
    """Projects of the 绩效目标表 with their indicators; repeated forms are reported."""
    doc = processed_document
    return dg.MaterializeResult(tags=event_tags(document_tags(doc)), metadata={
        **document_metadata(doc),
        "projects": len(doc.projects),
        "indicators": sum(len(p.indicators) for p in doc.projects),
        "duplicate_forms": dg.MetadataValue.md(
            "\n".join(f"- p.{d.page} {d.name}: {d.reason}" for d in doc.duplicate_forms) or "none"),
    })


# A load can fail for a passing reason: the DuckDB file held by another process (a BI tool, a CLI
# run), a database restarting. It is tried again, with growing pauses, before the run fails.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL)


@dg.asset(partitions_def=documents, group_name="warehouse", pool="warehouse", kinds={"sql"},
          deps=[document_tables, narrative_claims, performance_targets], retry_policy=TRANSIENT_RETRY,
          code_version=PARSER_VERSION, owners=OWNERS, tags={**DOMAIN, "layer": "warehouse"})
def warehouse_document(settings: BudgetdwSettings, processed_document: ProcessedDocument) -> dg.MaterializeResult:
    """The document's rows in the warehouse, replaced in one transaction. Quarantined documents
    are loaded but stay out of the published views. DuckDB has one writer: the `warehouse` pool
    runs these one at a time. Inside the document's error boundary, as `budgetdw ingest` loads: a
    load the warehouse refuses (an amount beyond its range, a key repeated) fails the document, recorded
    as failed with its reason; only a fault of the warehouse itself fails the step, for the retry policy."""
    engine = open_warehouse(settings.warehouse_url)
    try:
        loaded = load_or_fail(engine, processed_document)
    finally:
        engine.dispose()
    if loaded.failure_kind == "warehouse_error":  # the warehouse's own fault: TRANSIENT_RETRY tries again
        raise dg.Failure(description=loaded.error, allow_retries=True)
    processed_document = loaded  # as recorded: failed, with its reason, where the load was refused
    reports = Path(settings.data_dir) / "reports"
    document = processed_document.source.sha256
    return dg.MaterializeResult(tags=event_tags(document_tags(processed_document)), metadata={
        **document_metadata(processed_document),
        "error": processed_document.error or "",
        "amounts": sum(len(t.cells) for t in processed_document.tables),
        # The document's review page (README: review pages), where `budgetdw report` writes it.
        "review_page": dg.MetadataValue.path(str(reports / report_name(document))),
        "review_page_command": dg.MetadataValue.text(
            f"budgetdw report {document[:16]} --out {reports} --data-dir {settings.data_dir} "
            f"--warehouse '{shown_url(settings.warehouse_url)}'"),
    })
