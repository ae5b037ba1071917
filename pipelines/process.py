"""Process one document from its raw PDF to validated, normalised tables.

Each stage is a plain function; this module only chains them and turns any failure into a
document status with a one-line reason, so one bad document never stops a run.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .acquire import SourceDocument
from .extract import ExtractionError, extract_tables
from .identify import IdentificationError, Identity, identify
from .normalise import DocumentTotals, NormaliseError, NormalisedTable, document_totals, normalise_table
from .pdftext import PdfError, PdfText
from .validate import CheckResult, is_publishable, validate

log = logging.getLogger(__name__)

PUBLISHED, QUARANTINED, FAILED = "published", "quarantined", "failed"


@dataclass
class ProcessedDocument:
    source: SourceDocument
    status: str
    identity: Identity | None = None
    page_count: int | None = None
    tables: list[NormalisedTable] = field(default_factory=list)
    totals: DocumentTotals | None = None
    checks: list[CheckResult] = field(default_factory=list)
    error: str | None = None

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


def process_document(source: SourceDocument) -> ProcessedDocument:
    doc = ProcessedDocument(source, FAILED)
    try:
        with PdfText(source.raw_path) as pdf:
            doc.page_count = len(pdf)
            doc.identity = identify(pdf.pages, Path(source.source_uri).name)
            extracted = extract_tables(pdf, skip_pages=doc.identity.toc_pages)
        doc.tables = [normalise_table(t, doc.identity.money_unit, source.name) for t in extracted]
        doc.totals = document_totals(doc.tables)
        doc.checks = validate(doc.tables)
        doc.status = PUBLISHED if is_publishable(doc.checks) else QUARANTINED
    except (PdfError, IdentificationError, ExtractionError, NormaliseError) as exc:
        doc.error = f"{source.name}: {exc}" if source.name not in str(exc) else str(exc)
    except Exception as exc:  # unexpected: keep the run going, keep the detail in the log
        log.exception("unexpected failure on %s", source.source_uri)
        doc.error = f"{source.name}: internal error ({type(exc).__name__}: {exc})"
    return doc


def write_intermediate(doc: ProcessedDocument, out_dir: Path) -> Path:
    """Keep what was extracted as JSON beside the raw store, so every stage stays inspectable."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{doc.source.sha256}.json"
    payload = {
        "source": {"sha256": doc.source.sha256, "source_uri": doc.source.source_uri, "raw_path": str(doc.source.raw_path)},
        "status": doc.status,
        "error": doc.error,
        "identity": asdict(doc.identity) if doc.identity else None,
        "tables": [
            {
                "seq": t.table.seq, "code": t.table.code, "title": t.table.title, "number_label": t.table.number_label,
                "unit": t.unit, "pages": t.table.pages, "empty": t.table.empty, "note": t.table.note,
                "columns": t.table.columns, "header_rows": t.table.header_rows, "body_rows": t.table.body_rows,
                "row_pages": t.table.row_pages,
            }
            for t in doc.tables
        ],
        "checks": [asdict(c) for c in doc.checks],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
