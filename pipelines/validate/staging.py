"""Stage one document for validation: its printed amounts as pandas frames, and the assertions the
rules derive from them, one frame per rule family.

`stage_tables(tables)` builds (expectations.stage adds the assertions)
  * `cells`: every printed amount of every table — table (seq, code, title), row, page, row label,
    subject code with its level and parent, column and measure, the text as printed, its unit, the
    value in yuan and its rounding half-unit in yuan (half a unit of its last printed digit);
  * `subject_rows`: every function-subject row (also those printing no amount), with level and parent;
  * one frame of assertions per rule family (expectations/rules.py): each row states a printed
    value (`expected`), the tolerance its precision allows, and the range (`observed_low` …
    `observed_high`) the figure it must agree with can take. GX decides pass or fail
    (expectations/gx.py); the message parts kept here make every result readable.

Amounts stay exact: money is Decimal in yuan, percentages Decimal; nothing goes through floats.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from pipelines.catalog import ECON_TABLES, EMPTY_TABLE_WORDS, TableCode
from pipelines.money import CENT, UNIT_FACTORS, Amount, decimals_printed, sum_tolerance
from pipelines.normalise.tables import NormalisedTable, subject_level, subject_parent

if TYPE_CHECKING:  # imported where frames are built: the main process, which only loads, never needs it
    import pandas as pd

    from expectations.rules import Severity

CELL_COLUMNS = ["table_seq", "table_code", "table_title", "row_index", "page", "row_label", "subject_code",
                "parent_code", "level", "column_index", "column_name", "measure", "printed", "unit", "yuan",
                "half_unit_yuan"]
SUBJECT_ROW_COLUMNS = ["table_seq", "row_index", "page", "subject_code", "subject_name", "level", "parent_code"]
ECON_ROW_COLUMNS = ["table_seq", "page", "econ_code", "name", "level", "resolved", "total", "personnel", "public"]
ASSERTION_COLUMNS = ["assertion_id", "check_id", "severity", "table_seq", "table_title", "page", "row", "expected",
                     "tolerance", "observed_low", "observed_high", "stated", "derived", "note"]


@dataclass
class TableInfo:
    seq: int
    code: str
    title: str
    pages: list[int]
    columns: list[str]
    unit: str
    empty: bool
    note: str | None
    body_text: list[str]  # every non-blank body cell, as printed

    @property
    def name(self) -> str:
        return f"table {self.seq} “{self.title}”"


@dataclass
class Assertion:
    """One thing a rule asserts about one document.

    Numeric rules: the printed value `expected` must lie within `tolerance` of the range
    [`observed_low`, `observed_high`] the other figure can take (a sum of printed parts is one
    point; a ratio of rounded amounts is a range). Wording rules: `stated` must equal `derived`
    (change direction), or a table without amounts must have a `note`.
    """

    check_id: str
    table_seq: int | None
    table_title: str | None
    page: int | None
    row: str
    what: str  # “row 2040601 行政运行: total = basic + project”
    detail: str = ""  # numbers behind the verdict, appended to the message
    expected: Decimal | None = None
    tolerance: Decimal | None = None
    observed_low: Decimal | None = None
    observed_high: Decimal | None = None
    observed_text: str | None = None
    expected_text: str | None = None
    stated: str | None = None
    derived: str | None = None
    note: str | None = None
    where: str = ""  # “in table 3 “…”, p.11”; built from table/page when empty


@dataclass
class Staged:
    cells: pd.DataFrame
    subject_rows: pd.DataFrame
    tables: dict[int, TableInfo]
    econ_rows: pd.DataFrame | None = None  # economic-classification rows (pipelines.normalise.econ), Amounts kept
    assertions: dict[str, list[Assertion]] = field(default_factory=dict)  # family → assertions

    def frame(self, family: str, severity_of: Callable[[str], Severity]) -> pd.DataFrame:
        """The family's assertions as the frame GX validates (index = position in the list)."""
        rows = [
            {"assertion_id": i, "check_id": a.check_id, "severity": severity_of(a.check_id), "table_seq": a.table_seq,
             "table_title": a.table_title, "page": a.page, "row": a.row, "expected": a.expected,
             "tolerance": a.tolerance, "observed_low": a.observed_low, "observed_high": a.observed_high,
             "stated": a.stated, "derived": a.derived, "note": a.note}
            for i, a in enumerate(self.assertions.get(family, []))
        ]
        return _frame(rows, ASSERTION_COLUMNS, ("assertion_id",))


# ---------------------------------------------------------------------------------------------
# Money helpers


def half_unit(amount: Amount) -> Decimal:
    """Half a unit of the amount's last printed digit, in yuan (exact, not rounded to cents)."""
    return Decimal(5) * Decimal(10) ** -(decimals_printed(amount.printed) + 1) * UNIT_FACTORS[amount.unit]


def tolerance(amounts: list[Amount]) -> Decimal:
    """The rounding tolerance of a comparison between printed amounts: money.sum_tolerance (each
    amount may be off by half a unit of its last printed digit), also when the amounts are printed
    in different units (a 万元 table against a 元 table): the half-units are added in yuan and
    rounded to cents once, as sum_tolerance does."""
    units = {a.unit for a in amounts}
    if len(units) == 1:
        return sum_tolerance([a.printed for a in amounts], units.pop())
    return sum((half_unit(a) for a in amounts), Decimal(0)).quantize(CENT)


def fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def money(check_id: str, table: TableInfo, page: int | None, row: str, what: str, total: Amount,
          parts: list[Amount], parts_label: str | None = None) -> Assertion:
    """total (printed) = Σ parts (printed), within the rounding of all of them."""
    observed = sum((p.yuan for p in parts), Decimal(0))
    tol = tolerance([total] + parts)
    diff = observed - total.yuan
    label = parts_label or f"sum of {len(parts)} parts"
    detail = (f"printed {total.printed} {total.unit}, {label} {fmt(observed)} 元 vs {fmt(total.yuan)} 元 "
              f"(difference {fmt(diff)} 元, rounding tolerance {fmt(tol)} 元)")
    return Assertion(check_id, table.seq, table.title, page, row, what, detail, expected=total.yuan, tolerance=tol,
                     observed_low=observed, observed_high=observed, observed_text=fmt(observed),
                     expected_text=fmt(total.yuan))


@dataclass(frozen=True)
class Figure:
    """A printed amount with where it is printed."""

    amount: Amount
    table: TableInfo
    page: int
    label: str  # “合计 row, 基本支出” …

    def describe(self) -> str:
        return f"{self.label} of {self.table.name} (p.{self.page}) {self.amount.printed} {self.amount.unit}"


def pair(check_id: str, expected: Figure, observed: Figure, what: str) -> Assertion:
    """Two printed statements of the same figure agree within the rounding of both."""
    tol = tolerance([expected.amount, observed.amount])
    diff = observed.amount.yuan - expected.amount.yuan
    detail = (f"{expected.describe()} vs {observed.describe()} (difference {fmt(diff)} 元, rounding tolerance "
              f"{fmt(tol)} 元)")
    return Assertion(check_id, expected.table.seq, expected.table.title, expected.page, expected.label, what, detail,
                     expected=expected.amount.yuan, tolerance=tol, observed_low=observed.amount.yuan,
                     observed_high=observed.amount.yuan, observed_text=fmt(observed.amount.yuan),
                     expected_text=fmt(expected.amount.yuan),
                     where=f"in {expected.table.name} (p.{expected.page}) "
                           f"and {observed.table.name} (p.{observed.page})")


# ---------------------------------------------------------------------------------------------
# Frames


def stage_tables(tables: list[NormalisedTable]) -> Staged:
    cells, rows, infos = [], [], {}
    for t in tables:
        et = t.table
        if et.code == TableCode.PERFORMANCE_TARGETS:
            continue
        infos[et.seq] = TableInfo(et.seq, et.code, et.title, list(et.pages), list(et.columns), t.unit, et.empty,
                                  et.note, [c for row in et.body_rows for c in row if c])
        levels = {r.row_index: r for r in t.subject_rows}
        for r in t.subject_rows:
            rows.append((et.seq, r.row_index, r.page, r.subject_code, r.subject_name, r.level, r.parent_code))
        for c in t.cells:
            srow = levels.get(c.row_index)
            level = srow.level if srow else (subject_level(c.subject_code) if c.subject_code else None)
            parent = srow.parent_code if srow else (subject_parent(c.subject_code) if c.subject_code else None)
            a = c.amount
            cells.append((et.seq, et.code, et.title, c.row_index, c.page, c.row_label, c.subject_code, parent, level,
                          c.column_index, c.column_name, c.measure, a.printed, a.unit, a.yuan, half_unit(a)))
    econ = []
    for t in tables:
        if t.table.code in ECON_TABLES:
            from pipelines.normalise.econ import econ_rows

            for r in econ_rows(t):
                econ.append((t.table.seq, r.page, r.econ_code or r.printed_code, r.econ_name or r.printed_name, r.level,
                             r.resolved or bool(r.printed_code), r.total, r.personnel, r.public))
    return Staged(_frame(cells, CELL_COLUMNS, ("table_seq", "row_index", "page", "column_index")),
                  _frame(rows, SUBJECT_ROW_COLUMNS, ("table_seq", "row_index", "page")), infos,
                  _frame(econ, ECON_ROW_COLUMNS, ("table_seq", "page")))


def _frame(rows, columns: list[str], ints: tuple[str, ...]) -> pd.DataFrame:
    """A frame whose text columns keep None for “not printed” (pandas' own string dtype would turn
    it into NaN) and whose money stays Decimal."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.astype({c: "int64" for c in ints}) if len(frame) else frame


def empty_note(info: TableInfo) -> str | None:
    """The note saying the table is empty: printed under it, or as its only row (“无”)."""
    return info.note or next((c for c in info.body_text if EMPTY_TABLE_WORDS.search(c.strip())), None)


_AMOUNT_IN_TEXT = re.compile(r"\d[\d,]*\.\d{2}(?!\d)")


def amounts_hidden_in_text(info: TableInfo) -> bool:
    """A table whose cells hold amounts glued to labels (“一、一般公共预算33,172.15”): the extractor
    merged columns, the table is not empty."""
    return any(_AMOUNT_IN_TEXT.search(c) for c in info.body_text)
