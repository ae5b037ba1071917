"""How well a document was understood: the tool a maintainer runs on a new province's files."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.catalog import UNCLASSIFIED, TableCode
from pipelines.model import ProcessedDocument


@dataclass
class Fidelity:
    name: str
    status: str
    doc_kind: str | None
    unit_name: str | None
    fiscal_year: int | None
    toc_tables: int | None
    tables_found: int
    tables_classified: int
    rows: int
    amounts: int
    checks: int
    checks_held: int
    error: str | None

    @property
    def held_share(self) -> float | None:
        return self.checks_held / self.checks if self.checks else None


def fidelity(doc: ProcessedDocument) -> Fidelity:
    ident = doc.identity
    tables = [t for t in doc.tables if t.table.code != TableCode.PERFORMANCE_TARGETS]
    return Fidelity(
        name=doc.source.name,
        status=doc.status,
        doc_kind=ident.doc_kind if ident else None,
        unit_name=ident.unit_name if ident else None,
        fiscal_year=ident.fiscal_year if ident else None,
        toc_tables=ident.toc_tables if ident else None,
        tables_found=len(tables),
        tables_classified=sum(t.table.code != UNCLASSIFIED for t in tables),
        rows=sum(len(t.table.body_rows) for t in tables),
        amounts=sum(len(t.cells) for t in tables),
        checks=len(doc.checks),
        checks_held=sum(c.passed for c in doc.checks),
        error=doc.error,
    )
