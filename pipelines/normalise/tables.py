"""Interpret extracted tables: amounts exact in yuan, function-subject codes with their level
and parent, measure columns named, and the document's headline totals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.catalog import (
    KINDS_BY_CODE,
    MEASURES,
    OTHER_EXPENDITURE_COMPONENTS,
    SUMMARY_LINES,
    TOTAL_LABELS,
    TableCode,
    measure_key,
)
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
    # The cell's box on its page, PDF points of the unrotated page (x0, y0, x1, y1): the evidence a
    # failed check shows (extract.tables.ExtractedTable.body_boxes); None where none was ruled.
    bbox: tuple[float, float, float, float] | None = None


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


def _row_code(row: list[str], code_cols: list[int], carried: list[str] | None = None) -> str | None:
    """The subject code of a row: one code column, or 类 | 款 | 项 columns joined.

    Where the code is split over 类 | 款 | 项 columns, some templates print on each row only the
    segments that are new (Yantai: “205 | | ” then “ | 08 | ” then “ | | 03”; Changsha prints the
    款 alone and the 项 in full): the segments left blank are those of the rows above, kept in
    `carried` (updated here).
    """
    parts = [clean_cell(row[i]) for i in code_cols]
    joined = "".join(p for p in parts if p)
    split = carried is not None and len(code_cols) == 3
    if _CODE.match(joined) and (not split or parts[0]):
        code = joined
    elif split and any(parts) and all(not p or p.isdigit() for p in parts):
        last = max(k for k, p in enumerate(parts) if p)
        segments = [parts[k] or carried[k] for k in range(last + 1)]
        code = "".join(segments)
        if not (all(segments) and len(segments[0]) == 3 and all(len(x) == 2 for x in segments[1:])):
            return None
    else:
        return None
    if split:
        carried[:] = [code[:3], code[3:5], code[5:7]]
    return code


# A code printed inside the name cell: “[201]一般公共服务支出”, “　[20109]海关事务” (Guangzhou and Zhuhai
# 表5-7), or joined to the name by a dash: “2010801-行政运行” (one cell for code and name).
_EMBEDDED_CODE = re.compile(r"^[\[【](\d{3}(?:\d{2}){0,2})[\]】]|^(\d{3}(?:\d{2}){0,2})[-－—_](?=\D)")


def _embedded_code(label: str) -> tuple[str | None, str]:
    m = _EMBEDDED_CODE.match(label)
    if not m:
        return None, label
    return m.group(1) or m.group(2), label[m.end():]


def _total_label(label: str) -> bool:
    """合计 / 总计 / 合　计 / 总计：(Changchun) / 部门合计 …"""
    return bool(_TOTAL.match(re.sub(r"[：:]$", "", label)))


_COMPONENTS = {m.key for m in MEASURES if m.kind == "component"}


def column_measure(header: str) -> str | None:
    """The measure of a column by its joined header; a 小计/合计 under a component is that component
    (Hangzhou 表5 基本支出/小计 | 人员经费 | 日常公用支出: the 小计 is 基本支出, not the row's total)."""
    measure = measure_key(header)
    segments = re.sub(r"\s+", "", header).split("/")
    if measure == "total" and len(segments) > 1 and segments[-1] in ("小计", "合计"):
        parent = measure_key("/".join(segments[:-1]))
        if parent in _COMPONENTS:
            return parent
    return measure


def normalise_table(table: ExtractedTable, document_unit: str | None, doc_name: str) -> NormalisedTable:
    unit = table.unit or document_unit
    where = f"{doc_name}, {table.page_label}, table {table.seq} “{table.title}”"
    code_cols, name_col = _code_columns(table.columns)
    kind = KINDS_BY_CODE.get(table.code)
    cells: list[AmountCell] = []
    subject_rows: list[SubjectRow] = []
    if table.code == TableCode.PERFORMANCE_TARGETS:
        return NormalisedTable(table, unit or "", cells, subject_rows)

    carried = ["", "", ""]
    for r, row in enumerate(table.body_rows):
        page = table.row_pages[r]
        label_cells = [clean_cell(c) for c in row if c and not _is_number_like(c)]
        first_label = label_cells[0] if label_cells else ""
        code = _row_code(row, code_cols, carried) if code_cols else None
        if code is None and kind and kind.subject_table:
            code = _embedded_code(first_label)[0]
        amounts = _row_amounts(table, row, r, unit, code_cols, code, first_label, where, cells)
        if kind and kind.subject_table:
            subject = _subject_row(row, r, page, code, first_label, name_col, amounts)
            if subject:
                subject_rows.append(subject)
    if kind and kind.subject_table:
        _unlabelled_total(table, subject_rows, code_cols, unit)
    return NormalisedTable(table, unit or "", cells, subject_rows)


def _row_amounts(table: ExtractedTable, row: list[str], r: int, unit: str | None, code_cols: list[int],
                 code: str | None, first_label: str, where: str, cells: list[AmountCell]) -> dict[str, Amount]:
    """The amounts of one body row, appended to `cells`; the first amount of each measure returned."""
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
        measure = column_measure(column_name)
        cells.append(AmountCell(r, table.row_pages[r], _label_left_of(row, c, code_cols) or first_label, code, c,
                                column_name, measure, amount, _cell_box(table, r, c)))
        if measure and measure not in amounts:
            amounts[measure] = amount
    return amounts


def _subject_row(row: list[str], r: int, page: int, code: str | None, first_label: str, name_col: int | None,
                 amounts: dict[str, Amount]) -> SubjectRow | None:
    name = clean_cell(row[name_col]) if name_col is not None and name_col < len(row) else first_label
    embedded, bare = _embedded_code(name)
    if embedded and embedded == code:
        name = bare
    if code:
        return SubjectRow(r, page, code, name, subject_level(code), subject_parent(code), amounts)
    if _total_label(first_label) or _total_label(name):
        return SubjectRow(r, page, None, first_label or name, "合计", None, amounts)
    return None


def _unlabelled_total(table: ExtractedTable, rows: list[SubjectRow], code_cols: list[int], unit: str | None) -> None:
    """A subject table without a 合计 row whose first body row, above every subject, prints amounts
    under a label: that row is the total, labelled with the budget unit's name (Shenzhen 表3
    “深圳市住房和建设局（本级）”; a 汇总 budget prints the department's row, then a block per unit)."""
    if not rows or any(s.level == "合计" for s in rows):
        return
    first = next((r for r, row in enumerate(table.body_rows) if any(_is_number_like(c) for c in row if c)), None)
    if first is None or first >= rows[0].row_index:
        return
    row = table.body_rows[first]
    labels = [clean_cell(c) for i, c in enumerate(row) if c and i not in code_cols and not _is_number_like(c)]
    cells: list[AmountCell] = []
    amounts = _row_amounts(table, row, first, unit, code_cols, None, labels[0] if labels else "", "", cells)
    if labels and "total" in amounts:
        rows.insert(0, SubjectRow(first, table.row_pages[first], None, labels[0], "合计", None, amounts))


def _cell_box(table: ExtractedTable, r: int, c: int) -> tuple[float, float, float, float] | None:
    boxes = table.body_boxes
    return boxes[r][c] if r < len(boxes) and c < len(boxes[r]) else None


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
    # 收入总计 / 支出总计: the 收支总表's 总计 lines, carry-overs included (budgets and final accounts alike);
    # without a 收支总表, the 收入总表 / 支出总表 合计.
    income_total: Decimal | None = None
    expenditure_total: Decimal | None = None
    basic_total: Decimal | None = None
    project_total: Decimal | None = None
    three_public_total: Decimal | None = None
    source: str = "tables"  # or 'narrative' when the document prints no tables
    # What the expenditure total holds besides 基本 and 项目, by measure key (catalog.OTHER_EXPENDITURE_COMPONENTS:
    # 事业单位经营支出, 上缴上级支出, 对附属单位补助支出, 单位预留机动经费, 结转下年), where the table prints it.
    other_components: dict[str, Decimal] = field(default_factory=dict)
    # 本年收入合计 / 本年支出合计 and the carry-overs (上年结转 / 年初结转和结余, 结转下年 / 年末结转和结余),
    # where the 收支总表 prints them; the current-year figure is the 总计 where no carry-over is printed.
    current_year_income: Decimal | None = None
    current_year_expenditure: Decimal | None = None
    carryover_in: Decimal | None = None
    carryover_out: Decimal | None = None


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


# Lines of a 收支总表 that state a component, where the 支出总表 prints none: Jiangsu's
# 基本支出 / 项目支出; Xi'an's 部门预算支出经济分类 column 1、人员经费和公用经费支出 (its 基本支出) and
# 2、专项业务经费支出 (its 项目支出); Changsha's 支出 side by type (一、基本支出 二、项目支出 …).
_SUMMARY_LINES = {
    "basic_total": "基本支出|人员经费和公用经费支出",
    "project_total": "项目支出|专项业务经费支出",
}


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
        _from_total_row(totals, row.amounts)
    elif spend and not spend.subject_rows and spend.cells:
        # A one-line 支出总表 (合计 | 基本支出 | 项目支出 | …).
        first: dict[str, Amount] = {}
        for c in spend.cells:
            if c.measure:
                first.setdefault(c.measure, c.amount)
        _from_total_row(totals, first)
    if totals.income_total is None:
        totals.income_total = _labelled(income, "收入总计|合计", None)
    _summary_lines(totals, summary)
    for attr, label in _SUMMARY_LINES.items():
        if getattr(totals, attr) is None:
            setattr(totals, attr, _labelled(summary, label, None))
    totals.three_public_total = _three_public_total(_first(tables, "three_public"))
    return totals


def _summary_lines(totals: DocumentTotals, summary: NormalisedTable | None) -> None:
    """The 收支总表's 总计, 本年 and carry-over lines (catalog.SUMMARY_LINES) over the 收入总表 / 支出总表
    合计 already in `totals`: the 总计 lines are the document's totals, the 本年 lines its current year."""
    lines = {key: _side_line(summary, side, pattern) for key, (side, pattern) in SUMMARY_LINES.items()}
    tables_income, tables_spending = totals.income_total, totals.expenditure_total
    totals.income_total = lines["income_total"] if lines["income_total"] is not None else tables_income
    totals.expenditure_total = lines["expenditure_total"] if lines["expenditure_total"] is not None else tables_spending
    totals.carryover_in, totals.carryover_out = lines["carryover_in"], lines["carryover_out"]
    totals.current_year_income = lines["current_year_income"]
    if totals.current_year_income is None and not totals.carryover_in and lines["income_total"] is not None:
        totals.current_year_income = lines["income_total"]  # nothing carried in: the 总计 is the year's
    totals.current_year_expenditure = lines["current_year_expenditure"]
    if totals.current_year_expenditure is None and not totals.carryover_out:
        spent = lines["expenditure_total"] if lines["expenditure_total"] is not None else tables_spending
        if "carry_forward" not in totals.other_components:
            totals.current_year_expenditure = spent


def _side_line(table: NormalisedTable | None, side: str, pattern: str) -> Decimal | None:
    """The amount of the first line matching `pattern` on the `side` (收入 | 支出) of a 收支总表: the
    side its header names, else (a header without sides) the left one for 收入, the right one for 支出;
    of a side printing several columns (合计 | 人员经费 | …), its 合计."""
    if table is None:
        return None
    cells = [c for c in table.cells if re.fullmatch(pattern, _NUMBERING.sub("", c.row_label))]
    heads = {id(c): re.sub(r"\s", "", c.column_name.split("/")[0]) for c in table.cells}  # “收    入” (Xi'an)
    if any(word in heads[id(c)] for c in table.cells for word in ("收入", "支出")):
        cells = [c for c in cells if side in heads[id(c)]]
    else:
        cells.sort(key=lambda c: (c.row_index, c.column_index if side == "收入" else -c.column_index))
    best = next((c for c in cells if c.measure == "total"), cells[0] if cells else None)
    return best.amount.yuan if best else None


def _from_total_row(totals: DocumentTotals, amounts: dict[str, Amount]) -> None:
    for measure, attr in (("total", "expenditure_total"), ("basic", "basic_total"), ("project", "project_total")):
        if measure in amounts:
            setattr(totals, attr, amounts[measure].yuan)
    if totals.basic_total is None and "personnel" in amounts and "public" in amounts and "basic" not in amounts:
        # Hangzhou and Huzhou print 基本支出 as its parts only: 人员支出 | (日常)公用支出.
        totals.basic_total = amounts["personnel"].yuan + amounts["public"].yuan
    for measure in OTHER_EXPENDITURE_COMPONENTS:
        if measure in amounts:
            totals.other_components[measure] = amounts[measure].yuan


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
        # A blank executed amount beside a printed budget is no spending, not a reason to report the budgeted one.
        spent = next((c.amount.yuan for c in table.cells if c.column_name == column), None)
        budgeted = column.endswith("决算数") and any(c.column_name == column[:-3] + "预算数" for c in table.cells)
        return Decimal("0.00") if spent is None and budgeted else spent
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
    _unspent_parts(table, found)
    total = _three_public_total(table)
    if total is not None and not any(p.part == "total" for p in found.values()):
        page = table.table.pages[0]
        found[("total", "budget")] = ThreePublicPart("total", "budget", total, page)
    return list(found.values())


def _unspent_parts(table: NormalisedTable, found: dict[tuple[str, str], ThreePublicPart]) -> None:
    """A final account's part with a 预算数 and a blank 决算数 spent nothing (Putuo 2024 p.18 prints 预算数 0.95
    for 公务接待费 and no 决算数; its prose: 支出决算为0.00万元): its 决算 is 0.00, so budget and actual pair up."""
    for column in table.table.columns:
        segments = [seg for seg in column.split("/") if seg not in ("预算数", "决算数")]
        if not column.endswith("决算数") or not segments:
            continue
        named = segments[-2] if segments[-1] in ("小计", "合计") and len(segments) > 1 else segments[-1]
        part = "total" if "三公" in named else _part_of(named)
        if part and (part, "budget") in found and (part, "final") not in found:
            found[(part, "final")] = ThreePublicPart(part, "final", Decimal("0.00"), found[(part, "budget")].page)


def _part_of(label: str) -> str | None:
    if re.fullmatch(r"合计|总计", label or ""):
        return None
    return next((key for word, key in THREE_PUBLIC_PARTS if word in (label or "")), None)
