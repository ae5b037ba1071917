"""Process one document from its raw PDF to validated, normalised tables.

Each stage is a plain function; this module only chains them and turns any failure into a
document status with a one-line reason, so one bad document never stops a run.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from pipelines.catalog import ECON_TABLES, TableCode
from pipelines.extract.holdings import extract_holdings
from pipelines.extract.identify import IdentificationError, identify
from pipelines.extract.narrative import Claim, extract_claims, narrative_totals
from pipelines.extract.parts import document_part
from pipelines.extract.pdftext import (
    Limits,
    PdfError,
    PdfText,
    check_file,
    check_streams,
    file_date,
    printed_date,
)
from pipelines.extract.performance import parse_projects
from pipelines.extract.tables import ExtractionError, extract_tables
from pipelines.model import FAILED, PUBLISHED, QUARANTINED, LogLine, ProcessedDocument
from pipelines.normalise.econ import econ_rows
from pipelines.normalise.tables import DocumentTotals, NormaliseError, document_totals, normalise_table
from pipelines.store import SourceDocument
from pipelines.validate.checks import is_publishable, validate
from pipelines.validate.document_rules import document_checks

log = logging.getLogger(__name__)

def process_document(source: SourceDocument, limits: Limits = Limits(), engine: str = "vector") -> ProcessedDocument:
    """`engine` is camelot's line detection: "vector" (fast, default) or "combined" (the rendering
    path the benchmark compares against)."""
    doc = ProcessedDocument(source, FAILED)
    with _kept_log(doc.log):
        _process(doc, limits, engine)
    return doc


def _process(doc: ProcessedDocument, limits: Limits, engine: str) -> None:
    source = doc.source
    try:
        check_file(source.raw_path, limits)
        check_streams(source.raw_path, limits)
        with _timed(doc, "identify"):
            pdf = _open(source, limits, doc.notes)
        with pdf:  # read once: identification and the tables use the same pages and text
            with _timed(doc, "identify"):
                doc.page_count = len(pdf)
                if not pdf.has_text:
                    raise pdf.no_text_error()  # no_text_layer (a scan), or damaged (nothing on any page)
                doc.identity = identify(pdf.pages, Path(source.source_uri).name, pdf.metadata())
                doc.printed_date = printed_date(pdf.pages, doc.identity.fiscal_year)
                doc.file_date = file_date(pdf.metadata(), doc.identity.fiscal_year)
                pages = pdf.pages
            with _timed(doc, "extract"):
                extracted = extract_tables(pdf, skip_pages=doc.identity.toc_pages, engine=engine)
        with _timed(doc, "normalise"):
            doc.tables = [normalise_table(t, doc.identity.money_unit, source.name) for t in extracted]
            doc.totals = document_totals(doc.tables)
            doc.projects, doc.duplicate_forms = parse_projects(
                [t for t in extracted if t.code == TableCode.PERFORMANCE_TARGETS])
            doc.econ = [(t.table.seq, row) for t in doc.tables if t.table.code in ECON_TABLES for row in econ_rows(t)]
        with _timed(doc, "narrative"):
            table_pages = {p for t in extracted for p in t.pages}
            doc.claims = extract_claims(pages, doc.identity.fiscal_year,
                                        skip_pages=sorted(set(doc.identity.toc_pages) | table_pages))
            doc.holdings = extract_holdings(pages, skip_pages=sorted(table_pages))
            doc.part = document_part(pages, [t.code for t in extracted], table_pages, doc.identity.toc_pages,
                                     doc.identity.toc_tables, len(doc.claims))
            if not any(t.cells for t in doc.tables):
                doc.totals = _totals_from_claims(doc.claims, doc.identity.fiscal_year)
        with _timed(doc, "validate"):
            doc.checks = (document_checks(doc, pages)
                          + validate(doc.tables, doc.claims, doc.identity))
        doc.status = PUBLISHED if is_publishable(doc.checks) else QUARANTINED
    except PdfError as exc:
        doc.error, doc.failure_kind = f"{source.name}: {exc}", exc.kind
    except IdentificationError as exc:  # not_budget (“not a budget disclosure: looks like …”) or unidentified
        doc.error, doc.failure_kind = f"{source.name}: {exc}", exc.kind
    except (ExtractionError, NormaliseError) as exc:
        doc.error, doc.failure_kind = (str(exc) if source.name in str(exc) else f"{source.name}: {exc}"), "table"
    except MemoryError:  # the worker's address-space limit (pipelines/workers.py): a retry may fit
        doc.error, doc.failure_kind = f"{source.name}: ran out of memory at the worker memory limit", "memory_limit"
    except Exception as exc:  # unexpected: keep the run going, keep the detail in the log
        log.exception("unexpected failure on %s", source.source_uri)
        doc.error = f"{source.name}: internal error ({type(exc).__name__}: {exc}); details in the log"
        doc.failure_kind = "internal"


class _KeepLog(logging.Handler):
    """Keeps the records of one thread (the one reading the document) as LogLines."""

    def __init__(self, lines: list[LogLine]) -> None:
        super().__init__(logging.INFO)
        self.lines = lines
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(LogLine(record.levelname, record.name, message))


@contextmanager
def _kept_log(lines: list[LogLine]):
    handler = _KeepLog(lines)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)




def _totals_from_claims(claims: list[Claim], fiscal_year: int) -> DocumentTotals:
    """A narrative-only document (its tables were published in a separate file) states its
    totals in the prose; they are taken from there and marked as such."""
    found = narrative_totals(claims, fiscal_year)
    return DocumentTotals(**{k: v for k, v in found.items() if k in DocumentTotals.__dataclass_fields__},
                          source="narrative")


@contextmanager
def _timed(doc: ProcessedDocument, stage: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        doc.timings[stage] = doc.timings.get(stage, 0.0) + time.perf_counter() - start


def _open(source: SourceDocument, limits: Limits, notes: list[str]) -> PdfText:
    """Open the original, or a derived copy when it must be mended first; the original stays as is.

    A damaged file (broken cross-reference table) is rebuilt by qpdf; a file encrypted with only an
    owner password opens, but camelot refuses to extract from it, so it is decrypted (no password
    is needed for that) into a copy that is read instead.
    """
    try:
        pdf = PdfText(source.raw_path, limits)
    except PdfError as exc:
        if exc.kind != "damaged":
            raise
        return PdfText(_rewrite(source, "repaired", notes), limits)
    if pdf.encrypted:
        pdf.close()
        return PdfText(_rewrite(source, "decrypted", notes), limits)
    return pdf


def _rewrite(source: SourceDocument, how: str, notes: list[str]) -> Path:
    import pikepdf

    copy = source.raw_path.with_name(f"{source.sha256}.{how}.pdf")
    try:
        with pikepdf.open(source.raw_path) as pdf:
            pdf.save(copy)
    except pikepdf.PdfError as exc:
        # qpdf names the file by its path in the raw store: the document is named already, the path is noise
        why = str(exc).replace(f"{source.raw_path} ", "").replace(str(source.raw_path), "").strip(" :")
        raise PdfError("damaged", f"damaged PDF that qpdf could not repair: {why}") from exc
    notes.append(f"read from a {how} copy ({copy.name}); the original is kept unchanged")
    return copy


def read_and_keep(source: SourceDocument, limits: Limits, data_dir: Path) -> ProcessedDocument:
    """A worker's task: read the document and keep what was extracted beside the raw store, so the
    main process only loads (DuckDB has one writer; everything else runs in parallel).

    Here, not in pipelines.run, and with plain arguments, so that a worker never imports the
    loading side (SQLAlchemy and the database drivers)."""
    doc = process_document(source, limits)
    write_intermediate(doc, data_dir)
    return doc


def intermediate_path(doc: ProcessedDocument, data_dir: Path) -> Path:
    """Where the extracted JSON of a document is kept: data_dir/extracted/<sha256>.json."""
    return data_dir / "extracted" / f"{doc.source.sha256}.json"


def write_intermediate(doc: ProcessedDocument, data_dir: Path) -> Path:
    """Keep what was extracted as JSON beside the raw store, so every stage stays inspectable."""
    path = intermediate_path(doc, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "source": {"sha256": doc.source.sha256, "source_uri": doc.source.source_uri,
                   "raw_path": str(doc.source.raw_path)},
        "status": doc.status,
        "error": doc.error,
        "failure_kind": doc.failure_kind,
        "part": doc.part,
        "printed_date": doc.printed_date,
        "file_date": doc.file_date,
        "notes": doc.notes,
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
        "log": [asdict(line) for line in doc.log],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path
