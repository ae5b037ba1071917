"""Thin assets: each calls one stage of pipelines/ for one document partition."""

import dagster as dg

from pipelines.acquire import load_raw
from pipelines.load import connect, ensure_schema, load_document
from pipelines.process import ProcessedDocument, process_document, write_intermediate

from .partitions import documents
from .resources import BudgetdwSettings


@dg.asset(partitions_def=documents, group_name="documents", kinds={"pdf"})
def raw_pdf(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> dg.MaterializeResult:
    """The original PDF, unchanged, in the content-addressed raw store."""
    source = load_raw(context.partition_key, settings.raw_dir)
    return dg.MaterializeResult(metadata={
        "sha256": source.sha256, "source_uri": source.source_uri,
        "raw_path": dg.MetadataValue.path(str(source.raw_path)), "bytes": source.size,
    })


@dg.asset(partitions_def=documents, group_name="documents", deps=[raw_pdf], kinds={"python"})
def processed_document(context: dg.AssetExecutionContext, settings: BudgetdwSettings) -> ProcessedDocument:
    """Identified, extracted, normalised and validated tables of one document."""
    doc = process_document(load_raw(context.partition_key, settings.raw_dir))
    path = write_intermediate(doc, settings.raw_dir.parent / "extracted")
    context.add_output_metadata({
        "status": doc.status,
        "unit": doc.identity.unit_name if doc.identity else "",
        "fiscal_year": doc.identity.fiscal_year if doc.identity else 0,
        "tables": dg.MetadataValue.md("\n".join(
            ["| # | code | title | pages | rows |", "|---|---|---|---|---|"]
            + [f"| {t.table.seq} | {t.table.code} | {t.table.title} | {t.table.pages} | {len(t.table.body_rows)} |"
               for t in doc.tables])),
        "failed_checks": len(doc.failed_checks),
        "error": doc.error or "",
        "extracted_json": dg.MetadataValue.path(str(path)),
    })
    return doc


@dg.asset(partitions_def=documents, group_name="warehouse", pool="warehouse", kinds={"sql"})
def warehouse_document(settings: BudgetdwSettings, processed_document: ProcessedDocument) -> dg.MaterializeResult:
    """The document's rows in the warehouse (replaced atomically; quarantined rows stay out of views)."""
    engine = connect(settings.warehouse_url)
    try:
        ensure_schema(engine)
        load_document(engine, processed_document)
    finally:
        engine.dispose()
    return dg.MaterializeResult(metadata={"status": processed_document.status,
                                          "amounts": sum(len(t.cells) for t in processed_document.tables)})
