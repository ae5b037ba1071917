"""The main job: acquire PDFs, process each on its own, load, and report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .acquire import find_pdfs, store_raw
from .load import connect, ensure_schema, load_document
from .process import ProcessedDocument, process_document, write_intermediate


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    data_dir: Path  # raw/ (originals by sha256) and extracted/ (intermediate JSON)


def ingest(paths: list[Path], settings: Settings,
           on_document: Callable[[ProcessedDocument], None] | None = None) -> list[ProcessedDocument]:
    engine = connect(settings.warehouse_url)
    ensure_schema(engine)
    results = []
    try:
        for pdf in find_pdfs(paths):
            source = store_raw(pdf, settings.data_dir / "raw")
            doc = process_document(source)
            write_intermediate(doc, settings.data_dir / "extracted")
            load_document(engine, doc)
            results.append(doc)
            if on_document:
                on_document(doc)
    finally:
        engine.dispose()
    return results


def report_entry(doc: ProcessedDocument) -> dict:
    ident = doc.identity
    return {
        "path": doc.source.source_uri,
        "sha256": doc.source.sha256,
        "unit_name": ident.unit_name if ident else None,
        "fiscal_year": ident.fiscal_year if ident else None,
        "doc_kind": ident.doc_kind if ident else None,
        "money_unit": ident.money_unit if ident else None,
        "status": doc.status,
        "toc_tables": ident.toc_tables if ident else None,
        "tables": [{"code": t.table.code, "title": t.table.title, "pages": t.table.pages} for t in doc.tables],
        "checks_failed": [
            {"check_id": c.check_id, "severity": c.severity, "message": c.message, "page": c.page}
            for c in doc.failed_checks
        ],
        "error": doc.error,
    }
