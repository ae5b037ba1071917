"""The records passed between stages, and the closed sets of values they carry.

A document's way through the stages: store.SourceDocument (the original, by content) →
extract (Identity, ExtractedTable, Claim, Project, Holding) → normalise (NormalisedTable,
EconRow, DocumentTotals) → validate (CheckResult) → ProcessedDocument, which the load writes.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from expectations.rules import Severity
from pipelines.catalog import TableCode
from pipelines.money import MoneyUnit

if TYPE_CHECKING:
    from pipelines.extract.holdings import Holding
    from pipelines.extract.identify import Identity
    from pipelines.extract.narrative import Claim
    from pipelines.extract.performance import Duplicate, Project
    from pipelines.normalise.econ import EconRow
    from pipelines.normalise.tables import DocumentTotals, NormalisedTable
    from pipelines.store import SourceDocument

__all__ = ["Status", "Severity", "MoneyUnit", "DocKind", "TableCode", "CheckResult", "LogLine", "ProcessedDocument",
           "DocumentOutcome", "TableEntry",
           "PUBLISHED", "QUARANTINED", "FAILED", "UNCHANGED"]


class Status(StrEnum):
    """A document's outcome in a run (and, the first three, its status in the warehouse)."""

    PUBLISHED = "published"  # every error-severity check holds
    QUARANTINED = "quarantined"  # loaded and inspectable, left out of the published views
    FAILED = "failed"  # could not be read; the error says why
    UNCHANGED = "unchanged"  # already in the warehouse with this parser version: not read again


PUBLISHED, QUARANTINED, FAILED, UNCHANGED = Status.PUBLISHED, Status.QUARANTINED, Status.FAILED, Status.UNCHANGED


class DocKind(StrEnum):
    """单位/部门 × 预算/决算."""

    UNIT_BUDGET = "unit_budget"
    DEPT_BUDGET = "dept_budget"
    UNIT_FINAL = "unit_final"
    DEPT_FINAL = "dept_final"


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    severity: Severity
    passed: bool
    observed: str | None
    expected: str | None
    message: str
    table_seq: int | None = None
    page: int | None = None
    # The check's key within its document (check_key: the same check read again has the same key); ''
    # for a check that names none, whose key is derived from its rule, table, page and message.
    key: str = ""
    observed_yuan: Decimal | None = None  # observed / expected as amounts in yuan, where they are amounts
    expected_yuan: Decimal | None = None
    # The operands, each a dict: role, page, table_seq, table, row, column, printed, unit and, for a
    # table cell, bbox [x0, y0, x1, y1] in PDF points of the unrotated page; a sentence of the prose
    # has its text and page instead (pipelines/validate/staging.py operand()).
    evidence: tuple[dict, ...] = ()

    @property
    def check_key(self) -> str:
        return self.key or check_key(self.check_id, self.table_seq, self.page, _subject(self.message))


def check_key(check_id: str, table_seq: int | None, page: int | None, subject: str) -> str:
    """A check's stable key within its document: its rule, table, page and what it compares (not the
    verdict or the numbers found), hashed. Accepting a failed check (budgetdw accept --check) names it."""
    text = f"{check_id}|{table_seq}|{page}|{subject}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _subject(message: str) -> str:
    """A message without its verdict and the numbers after it (“… does not hold: difference …”)."""
    return re.split(r" (?:does not hold|holds)\b", message, maxsplit=1)[0]


@dataclass(frozen=True)
class LogLine:
    """A log record emitted while a document was read (by budgetdw or a library it calls)."""

    level: str  # WARNING, INFO, …
    logger: str
    message: str  # with the traceback, if the record carried one


@dataclass
class ProcessedDocument:
    source: SourceDocument
    status: Status
    identity: Identity | None = None
    page_count: int | None = None
    tables: list[NormalisedTable] = field(default_factory=list)
    totals: DocumentTotals | None = None
    checks: list[CheckResult] = field(default_factory=list)
    error: str | None = None
    # empty, not_pdf, damaged (a page tree that loops, pages that show nothing), encrypted, too_large (a file,
    # or a stream inflating, beyond pdftext.Limits), no_text_layer (a scan), not_budget, timeout, crashed, …
    failure_kind: str | None = None
    # full | narrative | tables: which part of its disclosure the file holds (pipelines/extract/parts.py)
    part: str | None = None
    # Publication evidence deciding which version of a budget is current (pipelines/extract/pdftext.py):
    # the date its cover prints, and when its producer last wrote the file (PDF ModDate / CreationDate).
    printed_date: date | None = None
    file_date: datetime | None = None
    notes: list[str] = field(default_factory=list)  # e.g. “read from a repaired copy”
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for the benchmark and logs
    claims: list[Claim] = field(default_factory=list)  # amounts, shares and changes the prose states
    projects: list[Project] = field(default_factory=list)  # 绩效目标表 forms, one per project
    duplicate_forms: list[Duplicate] = field(default_factory=list)  # forms printing a project again
    econ: list[tuple[int, EconRow]] = field(default_factory=list)  # (table seq, row) of 基本支出经济分类 tables
    holdings: list[Holding] = field(default_factory=list)  # vehicles, floor area, equipment
    # What was logged while it was read: in a worker process, where nothing prints it, these travel
    # with the document to the run's log (pipelines/ingest.py) and its extracted JSON.
    log: list[LogLine] = field(default_factory=list)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def warnings(self) -> list[LogLine]:
        """What was logged at WARNING or above while it was read."""
        return [line for line in self.log if logging.getLevelName(line.level) >= logging.WARNING]

    def outcome(self) -> DocumentOutcome:
        """What a run keeps of the document once it is loaded (pipelines/run.py ingest)."""
        return DocumentOutcome(
            source=self.source, status=self.status, identity=self.identity, page_count=self.page_count,
            totals=self.totals, error=self.error, failure_kind=self.failure_kind, part=self.part,
            notes=tuple(self.notes),
            tables=tuple(TableEntry(t.table.code, t.table.title, t.table.pages) for t in self.tables),
            checks_run=len(self.checks), failed_checks=tuple(self.failed_checks),
            claims_unchecked=sum(1 for c in self.claims if c.unsure), warnings=tuple(self.warnings))


@dataclass(frozen=True)
class TableEntry:
    """A table found, as the run's report names it."""

    code: TableCode
    title: str
    pages: list[int]


@dataclass(frozen=True)
class DocumentOutcome:
    """A document's outcome in a run, without what was loaded from it: its identity, status, totals, the
    tables found (code, title, pages), its failed checks and warnings — what the summary and the report
    (pipelines/run.py report_entry) need. A run keeps this of each document once loaded, not its
    ProcessedDocument (its cells, amounts, checks and claims: ≈0.65 MB each), so that the main process of
    a run of thousands of documents stays as small as one of a few (issue 26.5)."""

    source: SourceDocument
    status: Status
    identity: Identity | None = None
    page_count: int | None = None
    totals: DocumentTotals | None = None
    error: str | None = None
    failure_kind: str | None = None
    part: str | None = None
    notes: tuple[str, ...] = ()
    tables: tuple[TableEntry, ...] = ()
    checks_run: int = 0
    failed_checks: tuple[CheckResult, ...] = ()
    claims_unchecked: int = 0
    warnings: tuple[LogLine, ...] = ()
