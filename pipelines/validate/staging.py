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
from typing import TYPE_CHECKING, Protocol

from pipelines.catalog import ECON_TABLES, EMPTY_TABLE_WORDS, TableCode
from pipelines.money import CENT, UNIT_FACTORS, Amount, decimals_printed, sum_tolerance
from pipelines.normalise.tables import NormalisedTable, subject_level, subject_parent

if TYPE_CHECKING:  # imported where frames are built: the main process, which only loads, never needs it
    import pandas as pd

    from expectations.rules import Severity

CELL_COLUMNS = ["table_seq", "table_code", "table_title", "row_index", "page", "row_label", "subject_code",
                "parent_code", "level", "column_index", "column_name", "measure", "printed", "unit", "yuan",
                "half_unit_yuan", "bbox"]
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
    # The operands as the evidence of the result shows them (operand()); in_yuan: expected and the
    # observed range are amounts in yuan (not percentages or words).
    evidence: list[dict] = field(default_factory=list)
    in_yuan: bool = False


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


def money(check_id: str, table: TableInfo, page: int | None, row: str, what: str, total: Amount | Located,
          parts: list[Amount | Located], parts_label: str | None = None) -> Assertion:
    """total (printed) = Σ parts (printed), within the rounding of all of them. Each amount may come with
    where it is printed (a cell or Figure), which the result's evidence shows."""
    evidence = [operand(total, "stated", table, page, row)] + [operand(p, "part", table) for p in parts]
    total, parts = _amount(total), [_amount(p) for p in parts]
    observed = sum((p.yuan for p in parts), Decimal(0))
    tol = tolerance([total] + parts)
    diff = observed - total.yuan
    label = parts_label or f"sum of {len(parts)} parts"
    detail = (f"printed {total.printed} {total.unit}, {label} {fmt(observed)} 元 vs {fmt(total.yuan)} 元 "
              f"(difference {fmt(diff)} 元, rounding tolerance {fmt(tol)} 元)")
    return Assertion(check_id, table.seq, table.title, page, row, what, detail, expected=total.yuan, tolerance=tol,
                     observed_low=observed, observed_high=observed, observed_text=fmt(observed),
                     expected_text=fmt(total.yuan), evidence=evidence, in_yuan=True)


@dataclass(frozen=True)
class Figure:
    """A printed amount with where it is printed."""

    amount: Amount
    table: TableInfo
    page: int
    label: str  # “合计 row, 基本支出” …
    row: str | None = None  # the row and column it is printed in, and the cell's box (normalise.AmountCell)
    column: str | None = None
    bbox: tuple[float, float, float, float] | None = None

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
                           f"and {observed.table.name} (p.{observed.page})",
                     evidence=[operand(expected, "expected"), operand(observed, "observed")], in_yuan=True)


# ---------------------------------------------------------------------------------------------
# Evidence: each operand of a check, where it is printed


class Located(Protocol):
    """An amount with where it is printed: a table_rules.Cell, an economic-classification row's amount."""

    amount: Amount
    page: int


def _amount(x: Amount | Located | Figure) -> Amount:
    return x if isinstance(x, Amount) else x.amount


def operand(x: Amount | Located | Figure, role: str, table: TableInfo | None = None, page: int | None = None,
            row: str | None = None) -> dict:
    """One operand of a check as its evidence shows it: role (stated, part, expected, observed), page, table,
    row, column, the value as printed with its unit and, for a table cell, its box on the page (bbox, PDF
    points of the unrotated page; null for a blank cell, which has none). What `x` does not say is taken
    from table / page / row."""
    seq, title = (table.seq, table.title) if table else (None, None)
    column = bbox = None
    if isinstance(x, Figure):
        seq, title, page, row, column, bbox = x.table.seq, x.table.title, x.page, x.row or x.label, x.column, x.bbox
    elif not isinstance(x, Amount):  # a cell
        page = getattr(x, "page", None) or page
        label, code = getattr(x, "row_label", None), getattr(x, "subject_code", None)
        row = (f"{code} {label}" if code and label and code not in label else label) or row
        column, bbox = getattr(x, "column_name", None), getattr(x, "bbox", None)
        if getattr(x, "table_seq", None) is not None and x.table_seq != seq:
            seq, title = x.table_seq, getattr(x, "table_title", None)
    amount = _amount(x)
    out = {"role": role, "page": int(page) if page is not None else None, "table_seq": seq, "table": title,
           "row": row, "column": column, "printed": amount.printed, "unit": amount.unit, "yuan": f"{amount.yuan:.2f}"}
    if bbox is not None:
        out["bbox"] = [float(v) for v in bbox]
    elif isinstance(x, Figure) or hasattr(x, "bbox"):
        out["bbox"] = None  # a cell known to have no box (a blank read as 0): none is looked for by its value
    return out


def sentence(page: int | None, text: str, role: str = "stated") -> dict:
    """A sentence of the prose as an operand: its page and text."""
    return {"role": role, "page": page, "text": text}


def attach_boxes(staged: Staged) -> None:
    """Operands named by table, page and printed value without their cell's box get it from the staged
    cells where one cell of that table and page prints that value (in that row, where several do)."""
    cells = staged.cells
    if cells is None or not len(cells):
        return
    index: dict[tuple, list] = {}
    for rec in cells.itertuples(index=False):
        if rec.bbox is not None:
            index.setdefault((rec.table_seq, rec.printed), []).append(rec)
    for assertions in staged.assertions.values():
        for a in assertions:
            for op in a.evidence:
                if "bbox" in op or op.get("table_seq") is None or "printed" not in op:
                    continue
                found = [r for r in index.get((op["table_seq"], op["printed"]), [])
                         if op.get("page") is None or r.page == op["page"]]
                for keep in (_in_row(op.get("row")), _in_column(op.get("column"))):  # narrowed where they tell
                    if len(found) > 1:
                        found = [r for r in found if keep(r)] or found
                if len(found) == 1:
                    cell = found[0]
                    op.update(page=int(cell.page), column=cell.column_name, bbox=[float(v) for v in cell.bbox])


def _in_row(row: str | None) -> Callable:
    return lambda r: bool(row and r.row_label and (r.row_label in row or row in r.row_label))


def _in_column(column: str | None) -> Callable:
    return lambda r: column is not None and column in (r.column_name, r.measure)  # its name, or its measure


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
                          c.column_index, c.column_name, c.measure, a.printed, a.unit, a.yuan, half_unit(a), c.bbox))
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
