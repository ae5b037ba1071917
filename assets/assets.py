"""Thin assets: acquisition, then each stage of pipelines/ for the document partitions.

Lineage in the UI: acquired_sources → raw_pdf → processed_document (identified, extracted,
validated) → its tables, narrative claims and performance targets → warehouse_document (with one
check per rule family, assets/checks.py) → every BI view (assets/views.py). The per-document assets are
materialised together, many partitions in one run (assets/batch.py).

Partition keys are hashed (they reach SQL); what a person searches by — unit, fiscal year, kind —
is on each materialisation as tags and metadata, and on the run as tags (budgetdw/unit …).
"""

from pathlib import Path

import dagster as dg

from assets.partitions import documents
from assets.resources import BudgetdwSettings
from pipelines import PARSER_VERSION
from pipelines.acquire.crawl import acquire_sources
from pipelines.load.engine import shown_url
from pipelines.model import ProcessedDocument
from pipelines.process import intermediate_path
from pipelines.review_page.report import report_name
from pipelines.store import SourceDocument

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


# The per-document assets. One Dagster run materialises many document partitions at once (assets/batch.py:
# a batch, read in parallel by the worker pool and loaded by one writer as `budgetdw ingest` does), so they
# are the specs of one multi-asset, each partition still materialised with its own metadata.
def _spec(name: str, group: str, layer: str, kinds: set[str], deps: list, description: str,
          versioned: bool = True) -> dg.AssetSpec:
    return dg.AssetSpec(name, partitions_def=documents, group_name=group, kinds=kinds, deps=deps, skippable=True,
                        code_version=PARSER_VERSION if versioned else None, owners=OWNERS,
                        tags={**DOMAIN, "layer": layer}, description=description)


raw_pdf = _spec("raw_pdf", "documents", "raw", {"pdf"}, [acquired_sources],
                "The original PDF, unchanged, in the content-addressed raw store.", versioned=False)
processed_document = _spec(
    "processed_document", "documents", "staging", {"python"}, [raw_pdf],
    "The document identified, its tables extracted and normalised, its prose read, its numbers checked (see "
    "the asset checks). Read in a worker process, as `budgetdw ingest` reads it: a document over the time "
    "limit, or one that crashes the PDF library, fails alone.")
document_tables = _spec("document_tables", "documents", "staging", {"pandas"}, [processed_document],
                        "The standard tables found (收支总表 … 项目支出表), with their pages and amounts.")
narrative_claims = _spec("narrative_claims", "documents", "staging", {"python"}, [processed_document],
                         "Amounts, shares and changes the prose states, with page and sentence.")
performance_targets = _spec("performance_targets", "documents", "staging", {"python"}, [processed_document],
                            "Projects of the 绩效目标表 with their indicators; repeated forms are reported.")
warehouse_document = _spec(
    "warehouse_document", "warehouse", "warehouse", {"sql"}, [document_tables, narrative_claims, performance_targets],
    "The document's rows in the warehouse, replaced in one transaction. Quarantined documents are loaded but "
    "stay out of the published views. Inside the document's error boundary, as `budgetdw ingest` loads: a "
    "load the warehouse refuses (an amount beyond its range, a key repeated) fails the document, recorded as "
    "failed with its reason.")
DOCUMENT_SPECS = [raw_pdf, processed_document, document_tables, narrative_claims, performance_targets,
                  warehouse_document]


def raw_pdf_metadata(source: SourceDocument) -> dict:
    return {"sha256": source.sha256, "source_uri": source.source_uri,
            "raw_path": dg.MetadataValue.path(str(source.raw_path)), "bytes": source.size}


def processed_metadata(doc: ProcessedDocument, data_dir: Path) -> dict:
    path = intermediate_path(doc, data_dir)  # none when the worker was stopped
    return {
        **document_metadata(doc),
        "error": doc.error or "",
        "notes": "; ".join(doc.notes),
        "warnings": dg.MetadataValue.md("\n".join(f"- `{line.logger}` {line.message}" for line in doc.warnings)
                                        or "none"),
        "seconds": dg.MetadataValue.json({k: round(v, 3) for k, v in doc.timings.items()}),
        "extracted_json": dg.MetadataValue.path(str(path)) if path.exists() else "",
    }


def _md_table(header: list[str], rows: list[list]) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


def tables_metadata(doc: ProcessedDocument) -> dict:
    tables = doc.tables
    return {
        **document_metadata(doc),
        "tables": len(tables),
        "amounts": sum(len(t.cells) for t in tables),
        "preview": _md_table(["#", "code", "title", "pages", "rows", "amounts"], [
            [t.table.seq, t.table.code, t.table.title, t.table.page_label, len(t.table.body_rows), len(t.cells)]
            for t in tables]),
    }


def claims_metadata(doc: ProcessedDocument) -> dict:
    claims = doc.claims
    return {
        **document_metadata(doc),
        "claims": len(claims),
        "preview": _md_table(["page", "subject", "amount", "percent", "change", "change %"], [
            [c.page, c.subject, c.amount.printed if c.amount else "", c.percent or "",
             c.change_amount.printed if c.change_amount else "", c.change_percent or ""] for c in claims[:30]]),
    }


def targets_metadata(doc: ProcessedDocument) -> dict:
    return {
        **document_metadata(doc),
        "projects": len(doc.projects),
        "indicators": sum(len(p.indicators) for p in doc.projects),
        "duplicate_forms": dg.MetadataValue.md(
            "\n".join(f"- p.{d.page} {d.name}: {d.reason}" for d in doc.duplicate_forms) or "none"),
    }


def warehouse_metadata(doc: ProcessedDocument, settings: BudgetdwSettings) -> dict:
    reports = Path(settings.data_dir) / "reports"
    document = doc.source.sha256
    return {
        **document_metadata(doc),
        "error": doc.error or "",
        "amounts": sum(len(t.cells) for t in doc.tables),
        # The document's review page (README: review pages), where `budgetdw report` writes it.
        "review_page": dg.MetadataValue.path(str(reports / report_name(document))),
        "review_page_command": dg.MetadataValue.text(
            f"budgetdw report {document[:16]} --out {reports} --data-dir {settings.data_dir} "
            f"--warehouse '{shown_url(settings.warehouse_url)}'"),
    }


def document_materialisations(doc: ProcessedDocument, partition: str,
                              settings: BudgetdwSettings) -> list[dg.AssetMaterialization]:
    """One materialisation of each per-document asset for the document's partition, as loaded, each with
    the document's unit, year, kind and status (metadata) and year, kind, status (tags)."""
    tags = event_tags(document_tags(doc))
    metadata = {
        raw_pdf.key: raw_pdf_metadata(doc.source),
        processed_document.key: processed_metadata(doc, Path(settings.data_dir)),
        document_tables.key: tables_metadata(doc),
        narrative_claims.key: claims_metadata(doc),
        performance_targets.key: targets_metadata(doc),
        warehouse_document.key: warehouse_metadata(doc, settings),
    }
    return [dg.AssetMaterialization(key, partition=partition, metadata=meta,
                                    tags=None if key == raw_pdf.key else tags)
            for key, meta in metadata.items()]


# A load can fail for a passing reason: the DuckDB file held by another process (a BI tool, a CLI
# run), a database restarting. Opening the warehouse is tried again, with growing pauses, before the run
# fails (assets/batch.py); a document whose own load failed so is requested again by the sensor.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL)
