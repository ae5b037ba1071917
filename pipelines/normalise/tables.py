"""Interpret extracted tables: amounts exact in yuan, function-subject codes with their level
and parent, measure columns named, and the document's headline totals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.catalog import KINDS_BY_CODE, TOTAL_LABELS, TableCode, measure_key
from pipelines.extract.tables import ExtractedTable
from pipelines.money import Amount, AmountError, clean_cell, is_amount

LEVELS = {3: "类", 5: "款", 7: "项"}
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL = re.compile(f"^({'|'.join(TOTAL_LABELS)})$")


class NormaliseError(ValueError):
    """A table whose numbers cannot be interpreted; the message names document, page and table."""


@dataclass(frozen=True)
class AmountCell:
    """One printed number of one table: where it is and what it is."""

    row_index: int  # 0-based within the table body
    page: int
    row_label: str
    subject_code: str | None
    column_index: int
    column_name: str
    measure: str | None
    amount: Amount


@dataclass
class SubjectRow:
    row_index: int
    page: int
    subject_code: str | None  # None for the 合计 row
    subject_name: str
    level: str  # 类 / 款 / 项, or 合计
    parent_code: str | None
    amounts: dict[str, Amount] = field(default_factory=dict)


@dataclass
class NormalisedTable:
    table: ExtractedTable
    unit: str
    cells: list[AmountCell]
    subject_rows: list[SubjectRow]

    def total_row(self) -> SubjectRow | None:
        return next((r for r in self.subject_rows if r.level == "合计"), None)


def subject_level(code: str) -> str:
    return LEVELS[len(code)]


def subject_parent(code: str) -> str | None:
    return code[:-2] if len(code) > 3 else None


def _code_columns(columns: list[str]) -> tuple[list[int], int | None]:
    """Indices of the subject-code column(s) (one, or 类/款/项 split) and of the name column."""
    code_cols = [i for i, c in enumerate(columns) if re.search(r"(编码|代码)", c)]
    name_col = next((i for i, c in enumerate(columns) if re.search(r"名称", c) and i not in code_cols), None)
    return code_cols, name_col


def _row_code(row: list[str], code_cols: list[int]) -> str | None:
    parts = [clean_cell(row[i]) for i in code_cols]
    joined = "".join(p for p in parts if p)
    return joined if _CODE.match(joined) else None


def normalise_table(table: ExtractedTable, document_unit: str | None, doc_name: str) -> NormalisedTable:
    unit = table.unit or document_unit
    where = f"{doc_name}, {table.page_label}, table {table.seq} “{table.title}”"
    code_cols, name_col = _code_columns(table.columns)
    kind = KINDS_BY_CODE.get(table.code)
    cells: list[AmountCell] = []
    subject_rows: list[SubjectRow] = []
    if table.code == TableCode.PERFORMANCE_TARGETS:
        return NormalisedTable(table, unit or "", cells, subject_rows)

    for r, row in enumerate(table.body_rows):
        page = table.row_pages[r]
        label_cells = [clean_cell(c) for c in row if c and not _is_number_like(c)]
        first_label = label_cells[0] if label_cells else ""
        code = _row_code(row, code_cols) if code_cols else None
        amounts: dict[str, Amount] = {}
        for c, text in enumerate(row):
            if c in code_cols or not text or not _is_number_like(text):
                continue
            if unit is None:
                raise NormaliseError(f"{where}: no money unit printed for the table or the document")
            try:
                amount = Amount.parse(text, unit)
            except AmountError as exc:
                raise NormaliseError(f"{where}, row {r + 1}, column {c + 1}: {exc}") from exc
            if amount is None:
                continue
            column_name = table.columns[c] if c < len(table.columns) else ""
            measure = measure_key(column_name)
            cells.append(AmountCell(r, page, _label_left_of(row, c, code_cols) or first_label, code, c,
                                    column_name, measure, amount))
            if measure and measure not in amounts:
                amounts[measure] = amount
        if kind and kind.subject_table:
            name = clean_cell(row[name_col]) if name_col is not None and name_col < len(row) else first_label
            if code:
                subject_rows.append(
                    SubjectRow(r, page, code, name, subject_level(code), subject_parent(code), amounts)
                )
            elif _TOTAL.match(first_label) or _TOTAL.match(name):
                subject_rows.append(SubjectRow(r, page, None, first_label or name, "合计", None, amounts))
    return NormalisedTable(table, unit or "", cells, subject_rows)


def _label_left_of(row: list[str], c: int, code_cols: list[int]) -> str:
    """The text an amount belongs to: the nearest label cell to its left (two-sided tables print
    “收入 项目 | 金额 | 支出 项目 | 金额” on one row)."""
    for i in range(c - 1, -1, -1):
        if row[i] and i not in code_cols and not _is_number_like(row[i]):
            return clean_cell(row[i])
    return ""


def _is_number_like(text: str) -> bool:
    return is_amount(text)


@dataclass
class DocumentTotals:
    income_total: Decimal | None = None
    expenditure_total: Decimal | None = None
    basic_total: Decimal | None = None
    project_total: Decimal | None = None
    three_public_total: Decimal | None = None
    source: str = "tables"  # or 'narrative' when the document prints no tables


def _first(tables: list[NormalisedTable], code: str) -> NormalisedTable | None:
    return next((t for t in tables if t.table.code == code), None)


_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)])")


def _labelled(table: NormalisedTable | None, label: str, measure: str | None = "total") -> Decimal | None:
    """The first amount whose row label (numbering stripped) matches `label`."""
    if table is None:
        return None
    for cell in table.cells:
        if re.fullmatch(label, _NUMBERING.sub("", cell.row_label)) and (measure is None or cell.measure == measure):
            return cell.amount.yuan
    return None


def document_totals(tables: list[NormalisedTable]) -> DocumentTotals:
    """Headline totals in yuan, each from the table that states it, falling back to the summary
    tables' labelled lines where a template prints no subject-level 合计 row (Jiangsu)."""
    totals = DocumentTotals()
    income = _first(tables, "income_summary")
    spend = _first(tables, "expenditure_summary")
    summary = _first(tables, "income_expenditure_summary")
    if income and (row := income.total_row()) and "total" in row.amounts:
        totals.income_total = row.amounts["total"].yuan
    if spend and (row := spend.total_row()):
        for measure, attr in (("total", "expenditure_total"), ("basic", "basic_total"), ("project", "project_total")):
            if measure in row.amounts:
                setattr(totals, attr, row.amounts[measure].yuan)
    elif spend and not spend.subject_rows and spend.cells:
        # A one-line 支出总表 (合计 | 基本支出 | 项目支出 | …).
        for attr, measure in (("expenditure_total", "total"), ("basic_total", "basic"), ("project_total", "project")):
            setattr(totals, attr, next((c.amount.yuan for c in spend.cells if c.measure == measure), None))
    if totals.income_total is None:
        totals.income_total = _labelled(income, "收入总计|合计", None) or _labelled(summary, "收入(总计|合计)", None)
    if totals.expenditure_total is None:
        totals.expenditure_total = _labelled(summary, "支出(总计|合计)", None)
    if totals.basic_total is None:
        totals.basic_total = _labelled(summary, "基本支出", None)
    if totals.project_total is None:
        totals.project_total = _labelled(summary, "项目支出", None)
    totals.three_public_total = _three_public_total(_first(tables, "three_public"))
    return totals


_THREE_PUBLIC_SUBTOTAL = re.compile(r"三公[^/]*/(小计|合计)(/(预算数|决算数))?$")


def _three_public_total(table: NormalisedTable | None) -> Decimal | None:
    """The “三公” subtotal: its 小计/合计 column where the table prints one beside 会议费, 培训费 or
    机关运行经费 (Jiangsu, Shanghai; a final account's 决算数 before its 预算数), else the 合计 line
    of a list of the three (阳泉)."""
    if table is None:
        return None
    columns = [c for c in table.table.columns if _THREE_PUBLIC_SUBTOTAL.search(c)]
    if columns:
        executed = [c for c in columns if c.endswith("决算数")]
        column = (executed or columns)[0]
        # A blank executed amount is no spending, not a reason to report the budgeted one.
        return next((c.amount.yuan for c in table.cells if c.column_name == column), None)
    return _labelled(table, "合计|总计")


# “三公” parts by the words that name them, most specific first (a row label, or a column's
# leaf header; 小计/合计 leaves take their parent's name).
THREE_PUBLIC_PARTS = (
    ("购置及运行", "vehicles"),  # 公务用车购置及运行(维护)费
    ("购置", "vehicle_purchase"),  # 公务用车购置费
    ("运行", "vehicle_operation"),  # 公务用车运行(维护)费
    ("因公出国", "outbound"),  # 因公出国（境）费
    ("公务接待", "reception"),  # 公务接待费
    ("会议费", "meetings"),  # Jiangsu prints 会议费 and 培训费 beside the 三公
    ("培训费", "training"),
)


@dataclass(frozen=True)
class ThreePublicPart:
    part: str  # total | vehicles | vehicle_purchase | vehicle_operation | outbound | reception | meetings | training
    phase: str  # budget | final (决算数)
    amount: Decimal  # yuan
    page: int


def three_public_parts(table: NormalisedTable) -> list[ThreePublicPart]:
    """The “三公” total and its parts, whether the table lists them as rows (阳泉) or as columns
    (Shanghai, Jiangsu, final accounts with 预算数/决算数 pairs)."""
    found: dict[tuple[str, str], ThreePublicPart] = {}
    for cell in table.cells:
        phase = "final" if cell.column_name.endswith("决算数") else "budget"
        by_row = _part_of(cell.row_label)
        if by_row:
            if cell.measure == "total":
                found.setdefault((by_row, phase), ThreePublicPart(by_row, phase, cell.amount.yuan, cell.page))
            continue
        segments = [seg for seg in cell.column_name.split("/") if seg not in ("预算数", "决算数")]
        if not segments or not any("三公" in seg or "会议" in seg or "培训" in seg for seg in segments):
            continue
        leaf = segments[-1]
        named = segments[-2] if leaf in ("小计", "合计") and len(segments) > 1 else leaf
        part = "total" if "三公" in named else _part_of(named)
        if part:
            found.setdefault((part, phase), ThreePublicPart(part, phase, cell.amount.yuan, cell.page))
    total = _three_public_total(table)
    if total is not None and not any(p.part == "total" for p in found.values()):
        page = table.table.pages[0]
        found[("total", "budget")] = ThreePublicPart("total", "budget", total, page)
    return list(found.values())


def _part_of(label: str) -> str | None:
    if re.fullmatch(r"合计|总计", label or ""):
        return None
    return next((key for word, key in THREE_PUBLIC_PARTS if word in (label or "")), None)
