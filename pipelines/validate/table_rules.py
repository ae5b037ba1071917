"""Assertions over the printed tables: families hierarchy, row and cross (expectations/rules.py).

Every builder reads the staged frames (staging.Staged: `cells`, `subject_rows`) and returns
`Assertion`s; whether each holds is decided by GX (expectations/gx.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from pipelines.catalog import MEASURES, OTHER_EXPENDITURE_COMPONENTS, SUMMARY_LINES, TOTAL_LABELS
from pipelines.money import Amount
from pipelines.normalise.tables import column_measure
from pipelines.validate.staging import Assertion, Figure, Staged, TableInfo, fmt, money, pair, tolerance

if TYPE_CHECKING:
    from pipelines.extract.identify import Identity

MEASURE_KIND = {m.key: m.kind for m in MEASURES}
MEASURE_NAME = {m.key: m.name_zh for m in MEASURES}
APPROPRIATION_PARTS = {"general_budget", "gov_fund", "state_capital"}
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[①-⑩])")


def strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", label or "").strip()


# ---------------------------------------------------------------------------------------------
# A document's cells, grouped for lookups


@dataclass(frozen=True)
class Cell:
    table_seq: int
    row_index: int
    page: int
    row_label: str
    subject_code: str | None
    parent_code: str | None
    level: str | None
    column_index: int
    column_name: str
    measure: str | None
    amount: Amount
    bbox: tuple[float, float, float, float] | None = None  # the cell's box on its page (evidence)
    table_title: str | None = None


@dataclass(frozen=True)
class Printed:
    """An amount a rule reads from a row that is not a cell (an economic-classification row): where it is
    printed, for the evidence (staging.attach_boxes finds its cell's box)."""

    amount: Amount
    page: int
    row_label: str
    table_seq: int
    column_name: str  # the measure (total, personnel, public) until attach_boxes names the cell's column


class Doc:
    """Lookups over a staged document: cells by table and row, subject rows, labelled lines."""

    def __init__(self, staged: Staged):
        self.staged = staged
        self.tables = staged.tables
        self.cells: dict[int, list[Cell]] = defaultdict(list)
        for rec in staged.cells.itertuples(index=False):
            self.cells[rec.table_seq].append(Cell(
                rec.table_seq, rec.row_index, rec.page, rec.row_label, rec.subject_code, rec.parent_code, rec.level,
                rec.column_index, rec.column_name, rec.measure, Amount.parse(rec.printed, rec.unit), rec.bbox,
                rec.table_title))
        self.subject_rows: dict[int, list] = defaultdict(list)
        for rec in staged.subject_rows.itertuples(index=False):
            self.subject_rows[rec.table_seq].append(rec)

    def first(self, code: str) -> TableInfo | None:
        return next((t for t in self.tables.values() if t.code == code), None)

    def rows(self, seq: int) -> dict[int, list[Cell]]:
        """Cells of a table by row, each row's cells in column order."""
        out: dict[int, list[Cell]] = defaultdict(list)
        for c in self.cells.get(seq, []):
            out[c.row_index].append(c)
        return out

    def row_amounts(self, seq: int) -> dict[int, dict[str, Cell]]:
        """The first cell of each measure on every row (as normalise's SubjectRow.amounts)."""
        out: dict[int, dict[str, Cell]] = defaultdict(dict)
        for c in self.cells.get(seq, []):
            if c.measure and c.measure not in out[c.row_index]:
                out[c.row_index][c.measure] = c
        return out

    # -- figures --------------------------------------------------------------------------

    def figure(self, cell: Cell | None, label: str) -> Figure | None:
        if cell is None:
            return None
        row = f"{cell.subject_code} {cell.row_label}" if cell.subject_code else cell.row_label
        return Figure(cell.amount, self.tables[cell.table_seq], cell.page, label, row, cell.column_name, cell.bbox)

    def total_cell(self, table: TableInfo | None, measure: str = "total") -> Cell | None:
        """The table's 合计 row amount for a measure; for a one-line table, its only amount of it."""
        if table is None:
            return None
        cells = self.cells.get(table.seq, [])
        total_rows = {r.row_index for r in self.subject_rows.get(table.seq, []) if r.level == "合计"}
        for c in cells:
            if c.measure == measure and (c.row_index in total_rows or re.fullmatch(
                    f"({'|'.join(TOTAL_LABELS + ('收入总计', '支出总计'))})", strip_numbering(c.row_label))):
                return c
        rows = {c.row_index for c in cells}
        if len(rows) == 1:
            return next((c for c in cells if c.measure == measure), None)
        return None

    def column_blank_figure(self, table: TableInfo, measure: str, like: Figure | None) -> Figure | None:
        """A column the table prints whose 合计 is blank: zero, as precise as `like`."""
        if not any(_measure_of_header(h) == measure for h in table.columns):
            return None
        decimals = like.amount.printed.split(".")[1] if like and "." in like.amount.printed else "00"
        printed = "0." + "0" * len(decimals)
        page = like.page if like and like.table.seq == table.seq else table.pages[0]
        return Figure(Amount(printed, table.unit, Decimal(0)), table, page,
                      f"合计 row, {MEASURE_NAME.get(measure)} (blank)")

    def labelled(self, table: TableInfo | None, pattern: str, side: str | None = None,
                 measure: str | None = None) -> Cell | None:
        """The first amount printed right of a label that (numbering stripped) matches `pattern`;
        `side` ('收入'/'支出') keeps to the columns under that side of a two-sided table."""
        if table is None:
            return None
        for c in self.cells.get(table.seq, []):
            if not re.fullmatch(pattern, strip_numbering(c.row_label)):
                continue
            if side and not _on_side(c.column_name, side):
                continue
            if measure and c.measure != measure:
                continue
            return c
        return None

    def prints_amount(self, table: TableInfo | None, pattern: str, side: str | None = None) -> bool:
        c = self.labelled(table, pattern, side)
        return c is not None and c.amount.value != 0


def _measure_of_header(header: str) -> str | None:
    return column_measure(header)


def _on_side(column_name: str, side: str) -> bool:
    # Changsha spreads the header over the column: “收                  入/金  额”.
    head = re.sub(r"\s", "", column_name.split("/")[0])
    return side in head


# ---------------------------------------------------------------------------------------------
# hierarchy.subject_sum


def _unit_blocks(doc: Doc, seq: int, subject_rows: list) -> tuple[dict[int, int], list[int]]:
    """A 汇总 budget's table printing one block of subjects per unit, each headed by the unit's row
    (Shenzhen 表3/表5: the department's row, then “深圳市建筑工务署（本级）” and its subjects, then the
    next unit's): each subject row's block, and the head rows. Blocks are only read where a 类 code
    repeats (the evidence of them); elsewhere every row is in block 0."""
    codes = [r.subject_code for r in subject_rows if r.level == "类"]
    if len(codes) == len(set(codes)):
        return {r.row_index: 0 for r in subject_rows}, []
    subject = {r.row_index for r in subject_rows}
    first = min(r.row_index for r in subject_rows if r.level != "合计")
    heads = sorted(i for i, a in doc.row_amounts(seq).items()
                   if i not in subject and "total" in a and i < max(subject) and i >= first - 1)
    return {r.row_index: sum(h < r.row_index for h in heads) for r in subject_rows}, heads


def hierarchy(doc: Doc) -> list[Assertion]:
    """类 = Σ款, 款 = Σ项 per measure, and the 合计 row = Σ类 (the behaviour of validate.py before GX);
    in a table of unit blocks, within each block, and each unit's row = Σ its 类."""
    out = []
    for seq, subject_rows in doc.subject_rows.items():
        table = doc.tables[seq]
        amounts = doc.row_amounts(seq)
        block, heads = _unit_blocks(doc, seq, subject_rows)
        children: dict[tuple[int, str | None], list] = defaultdict(list)
        for r in subject_rows:
            if r.level != "合计":
                children[(block[r.row_index], r.parent_code)].append(r)
        for n, head in enumerate(heads, start=1):
            kids = children.get((n, None))
            cells = doc.rows(seq).get(head, [])
            if not kids or not cells:
                continue
            label = cells[0].row_label
            for measure, total in amounts.get(head, {}).items():
                parts = [amounts[k.row_index][measure].amount for k in kids if measure in amounts.get(k.row_index, {})]
                out.append(money("hierarchy.subject_sum", table, total.page, label, f"{label} = Σ 类 ({measure})",
                                 total.amount, parts, f"sum of its {len(parts)} 类 rows"))
        for parent in subject_rows:
            if parent.level == "合计":
                kids = [k for (_, code), rows in children.items() if code is None for k in rows]
            else:
                kids = children.get((block[parent.row_index], parent.subject_code))
            if not kids:
                continue
            for measure, total in amounts.get(parent.row_index, {}).items():
                parts = [amounts[k.row_index][measure] for k in kids if measure in amounts.get(k.row_index, {})]
                label = f"{parent.subject_code} {parent.subject_name}" if parent.subject_code else parent.subject_name
                what = f"{label} = Σ {'类' if parent.level == '合计' else 'children'} ({measure})"
                out.append(money("hierarchy.subject_sum", table, parent.page, label, what, total, parts,
                                 f"sum of {len(parts)} {'类 rows' if parent.level == '合计' else 'children'}"))
    return out


def econ_hierarchy(doc: Doc) -> list[Assertion]:
    """经济分类 tables: 类 = Σ款 and 合计 = Σ类 per measure (合计, 人员经费, 公用经费)."""
    out = []
    frame = doc.staged.econ_rows
    if frame is None or frame.empty:
        return out
    names = {"total": "合计", "personnel": "人员经费", "public": "公用经费"}
    for seq, rows in frame.groupby("table_seq", sort=True):
        table = doc.tables[int(seq)]
        groups: list[tuple[object, list]] = []  # (类 row, its 款 rows)
        placeable = True
        for r in rows.itertuples(index=False):
            if r.level == "类":
                groups.append((r, []))
            elif r.level == "款" and groups and r.resolved:
                if groups[-1][1] is not None:  # a 类 already left unsummed stays so
                    groups[-1][1].append(r)
            elif groups:
                groups[-1] = (groups[-1][0], None)  # a row that cannot be placed: do not sum this 类
            else:
                placeable = False
        for head, kids in groups:
            if not kids:
                continue
            label = f"{head.econ_code or ''} {head.name}".strip()
            for measure, name in names.items():
                total = getattr(head, measure)
                if total is None:
                    continue
                parts = [_printed(k, measure, table) for k in kids if getattr(k, measure) is not None]
                out.append(money("hierarchy.econ_sum", table, int(head.page), label,
                                 f"{label} = Σ款 ({name})", _printed(head, measure, table), parts,
                                 f"sum of {len(parts)} 款 rows"))
        if placeable and groups and all(kids is not None for _, kids in groups):
            for measure, name in names.items():
                total = doc.total_cell(table, measure)
                if total is None:
                    continue
                parts = [_printed(h, measure, table) for h, _ in groups if getattr(h, measure) is not None]
                out.append(money("hierarchy.econ_sum", table, total.page, "合计", f"合计 = Σ类 ({name})",
                                 total, parts, f"sum of {len(parts)} 类 rows"))
    return out


def _printed(row, measure: str, table: TableInfo) -> Printed:
    return Printed(getattr(row, measure), int(row.page), f"{row.econ_code or ''} {row.name}".strip(), table.seq,
                   measure)


# ---------------------------------------------------------------------------------------------
# row.total_equals_parts (as before), row.fund_sources, row.periods


@dataclass(frozen=True)
class RowIdentity:
    """total = Σ parts on every row that prints the total; optional parts are added when the table
    has such a column (Jiangsu adds 单位预留机动经费 and 结转下年资金 to 基本 + 项目; Shenzhen, Fujian,
    Huzhou and others print 事业单位经营支出, 上缴上级支出 and 对附属单位补助支出 beside them)."""

    total: str
    parts: tuple[str, ...]
    optional: tuple[str, ...] = ()
    unless: str | None = None  # skip tables that print this measure (a finer identity applies)


ROW_IDENTITIES = (
    RowIdentity("total", ("basic", "project"), OTHER_EXPENDITURE_COMPONENTS),
    RowIdentity("basic", ("personnel", "public")),
    RowIdentity("total", ("personnel", "public"), ("project", *OTHER_EXPENDITURE_COMPONENTS), unless="basic"),
)


def row_components(doc: Doc) -> list[Assertion]:
    """合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费, … on every row that prints them."""
    out = []
    for seq, table in doc.tables.items():
        cells = doc.cells.get(seq, [])
        by_row: dict[int, dict[str, Cell]] = defaultdict(dict)
        labels: dict[int, tuple[str, int]] = {}
        columns: set[str] = set()
        for c in cells:
            if c.measure:
                columns.add(c.measure)
            if c.measure and c.measure not in by_row[c.row_index]:
                by_row[c.row_index][c.measure] = c
                label = f"{c.subject_code} {c.row_label}" if c.subject_code else c.row_label
                labels[c.row_index] = (label, c.page)
        for rule in ROW_IDENTITIES:
            if not ({rule.total, *rule.parts} <= columns) or (rule.unless and rule.unless in columns):
                continue
            keys = rule.parts + tuple(k for k in rule.optional if k in columns)
            for row_index, amounts in sorted(by_row.items()):
                if rule.total not in amounts:
                    continue
                parts = [amounts[k] for k in keys if k in amounts]
                label, page = labels[row_index]
                what = f"row {label}: {rule.total} = {' + '.join(keys)}"
                out.append(money("row.total_equals_parts", table, page, label, what, amounts[rule.total], parts))
    return out


def row_columns(doc: Doc) -> list[Assertion]:
    """A 合计/小计 column = Σ the fund-source (or period) columns printed under the same header."""
    out = []
    for seq, table in doc.tables.items():
        cells = doc.cells.get(seq, [])
        if not cells:
            continue
        with_amounts = {c.column_index for c in cells}
        header = dict(enumerate(table.columns))
        measure_of = {i: _measure_of_header(h) for i, h in header.items()}
        for c in cells:  # the measure normalise gave the column
            measure_of[c.column_index] = c.measure
        for t_col in sorted(with_amounts):
            if measure_of.get(t_col) != "total":
                continue
            parent = "/".join(header.get(t_col, "").split("/")[:-1])
            members = [i for i in sorted(header) if i != t_col and measure_of[i] != "total"
                       and (not parent or header[i].startswith(parent + "/"))
                       and (i in with_amounts or measure_of[i] is not None)]
            check_id = _column_identity(members, measure_of)
            if check_id is None:
                continue
            names = [header[i].split("/")[-1] for i in members]
            for _row_index, row in sorted(doc.rows(seq).items()):  # in row order
                by_col = {c.column_index: c for c in row}
                if t_col not in by_col:
                    continue
                total = by_col[t_col]
                parts = [by_col[i] for i in members if i in by_col]
                label = f"{total.subject_code} {total.row_label}" if total.subject_code else total.row_label
                what = f"row {label}: {header[t_col]} = {' + '.join(names)}"
                out.append(money(check_id, table, total.page, label, what, total, parts))
    return out


def _column_identity(members: list[int], measure_of: dict[int, str | None]) -> str | None:
    if len(members) < 2:
        return None
    kinds = {measure_of[i]: MEASURE_KIND.get(measure_of[i] or "") for i in members}
    if any(k is None for k in kinds.values()):
        return None  # a column of unknown kind under the same header: the identity is not known
    measures = set(kinds)
    fund = {k for k, v in kinds.items() if v == "fund_source"}
    if fund and measures - {"carryover"} <= fund:
        if "appropriation" in measures and measures & APPROPRIATION_PARTS:
            return None  # 财政拨款 printed beside its own parts
        return "row.fund_sources"
    if measures == {"current", "carryover"}:
        return "row.periods"
    return None


# ---------------------------------------------------------------------------------------------
# cross.*

_INCOME_GRAND = r"收入总计|收入合计|总计"
_EXPENSE_GRAND = r"支出总计|支出合计|总计"
_INCOME_CURRENT = r"本年收入合计|当年收入小计|本年收入小计"
_EXPENSE_CURRENT = r"本年支出合计|当年支出小计|本年支出小计"
_CARRY_IN = r"(上年|年初)(财政拨款)?(结转|结余).*"
_CARRY_OUT = r"(年终|年末)结转.*|结转下年.*"


def cross(doc: Doc, identity: Identity | None = None) -> list[Assertion]:
    out: list[Assertion] = []
    out += _summary_totals(doc)
    out += _grand_totals(doc)
    out += _appropriation_general_budget(doc)
    out += _econ_basic(doc)
    out += _project_total(doc, identity)
    out += _vehicle_operation(doc)
    out += _office_operation(doc, identity)
    return out


def _pairs(check_id: str, what: str, expected: Figure | None, observed: Figure | None) -> list[Assertion]:
    if expected is None or observed is None:
        return []
    return [pair(check_id, expected, observed, what)]


def summary_figures(doc: Doc) -> dict[str, Figure | None]:
    """The headline totals as the summary tables print them."""
    s = doc.first("income_expenditure_summary")
    inc, exp = doc.first("income_summary"), doc.first("expenditure_summary")
    carry_in = doc.prints_amount(s, _CARRY_IN, "收入")
    carry_out = doc.prints_amount(s, _CARRY_OUT, "支出")
    grand_in = doc.figure(doc.labelled(s, _INCOME_GRAND, "收入"), "收入总计")
    grand_out = doc.figure(doc.labelled(s, _EXPENSE_GRAND, "支出", "total")
                           or doc.labelled(s, _EXPENSE_GRAND, "支出"), "支出总计")
    cur_in = doc.figure(doc.labelled(s, _INCOME_CURRENT, "收入"), "本年收入合计")
    cur_out = doc.figure(doc.labelled(s, _EXPENSE_CURRENT, "支出", "total")
                         or doc.labelled(s, _EXPENSE_CURRENT, "支出"), "本年支出合计")
    income_cell = doc.total_cell(inc) or doc.labelled(inc, r"收入总计|合计|总计")
    income_total = doc.figure(income_cell, "合计 row" if doc.total_cell(inc) else "收入总计")
    return {
        "grand_in": grand_in, "grand_out": grand_out,
        "cur_in": cur_in or (grand_in if not carry_in else None),
        "cur_out": cur_out or (grand_out if not carry_out else None),
        "carry": carry_in or carry_out,
        "income_total": income_total,
        "expenditure_total": doc.figure(doc.total_cell(exp), "合计 row"),
    }


def _squeezed(text: str) -> str:
    return re.sub(r"[\s、，,（）()]", "", strip_numbering(text))


def _income_beyond_current(doc: Doc) -> list[Cell]:
    """Income the 收支总表 prints between 本年收入合计 and 收入总计 (上年结转, 上级补助收入 …) that the
    收入总表 prints as a column of its own, nonzero on its total row: the 收入总表 合计 holds it
    (Shenzhen 上年结余、结转, Hangzhou and Huzhou 上年结转结余, Fujian 上年结转结余, Yantai 上级补助收入)."""
    s, inc = doc.first("income_expenditure_summary"), doc.first("income_summary")
    current = doc.labelled(s, _INCOME_CURRENT, "收入")
    total = doc.total_cell(inc) or doc.labelled(inc, r"收入总计|合计|总计")
    if current is None or total is None:
        return []
    grand = doc.labelled(s, _INCOME_GRAND, "收入")
    printed = {_squeezed(c.column_name.split("/")[-1]): c for c in doc.cells.get(inc.seq, [])
               if c.row_index == total.row_index and c.amount.value != 0}
    printed |= {_squeezed(c.column_name.split("/")[0]): c for c in doc.cells.get(inc.seq, [])
                if c.row_index == total.row_index and c.amount.value != 0}
    return [c for c in doc.cells.get(s.seq, [])
            if _on_side(c.column_name, "收入") and current.row_index < c.row_index
            and (grand is None or c.row_index < grand.row_index) and c.amount.value != 0
            and _squeezed(c.row_label) in printed]


def _summary_totals(doc: Doc) -> list[Assertion]:
    f = summary_figures(doc)
    cid = "cross.summary_totals"
    out = _pairs(cid, "收支总表: 收入总计 = 支出总计", f["grand_in"], f["grand_out"])
    beyond = _income_beyond_current(doc)
    if beyond and f["income_total"] is not None and f["cur_in"] is not None:
        names = " + ".join(strip_numbering(c.row_label) for c in beyond)
        inc = f["income_total"]
        out.append(money(cid, inc.table, inc.page, inc.label, f"收入总表 合计 = 收支总表 本年收入 + {names}",
                         inc.amount, [f["cur_in"].amount, *(c.amount for c in beyond)],
                         f"收支总表 (p.{f['cur_in'].page}) 本年收入 {f['cur_in'].amount.printed} + {names}"))
    else:
        out += _pairs(cid, "收入总表 合计 = 收支总表 本年收入", f["income_total"], f["cur_in"])
    out += _pairs(cid, "支出总表 合计 = 收支总表 本年支出", f["expenditure_total"], f["cur_out"])
    if not f["carry"]:
        out += _pairs(cid, "收入总表 合计 = 支出总表 合计", f["income_total"], f["expenditure_total"])
    return out


# 收入总计 = 本年收入合计 + the lines printed between them (上年结转 / 年初结转和结余, 使用非财政拨款结余, 上级补助
# 收入 …); 支出总计 = 本年支出合计 + the lines between (结余分配, 结转下年 / 年末结转和结余, 上缴上级支出 …).
_GRAND_TOTALS = {
    "cross.income_grand_total": ("收入", "income_total", "current_year_income"),
    "cross.expenditure_grand_total": ("支出", "expenditure_total", "current_year_expenditure"),
}
_SUB_LINE = re.compile(r"^\s*(其中|[（(]?[一二三四五六七八九十\d]+[)）.、．])")


def _grand_totals(doc: Doc) -> list[Assertion]:
    """A 收支总表's 总计 line = its year's line + every line printed between the two on the same side (Yantai:
    上级补助收入, 附属单位上缴收入, 使用非财政拨款结余, 上年结转; a blank line is 0), budgets and final accounts
    alike, where the table prints both lines. Numbered and 其中 lines are parts of the line above them."""
    s = doc.first("income_expenditure_summary")
    out: list[Assertion] = []
    for cid, (side, total_key, current_key) in _GRAND_TOTALS.items():
        total, current = (doc.labelled(s, SUMMARY_LINES[key][1], side, "total")
                          or doc.labelled(s, SUMMARY_LINES[key][1], side) for key in (total_key, current_key))
        if total is None or current is None or not current.row_index < total.row_index:
            continue
        between: dict[int, Cell] = {}
        for c in doc.cells.get(s.seq, []):
            inside = current.row_index < c.row_index < total.row_index and _on_side(c.column_name, side)
            if inside and not _SUB_LINE.match(c.row_label or ""):
                if c.row_index not in between or c.measure == "total":
                    between[c.row_index] = c
        parts = [current] + [between[i] for i in sorted(between)]
        names = " + ".join(strip_numbering(c.row_label) for c in parts)
        out.append(money(cid, s, total.page, strip_numbering(total.row_label),
                         f"{side}: {strip_numbering(total.row_label)} = {names}", total, parts, names))
    return out


def _empty_or_absent(doc: Doc, code: str) -> bool:
    t = doc.first(code)
    return t is None or t.empty


def _appropriation_general_budget(doc: Doc) -> list[Assertion]:
    a, g = doc.first("appropriation_summary"), doc.first("general_budget_expenditure")
    if a is None or g is None:
        return []
    cid = "cross.appropriation_general_budget"
    measure = "general_budget" if any(_measure_of_header(h) == "general_budget" and _on_side(h, "支出")
                                      for h in a.columns) else None
    if measure is None:
        if not (_empty_or_absent(doc, "gov_fund_expenditure") and _empty_or_absent(doc, "state_capital")):
            return []
        measure = "total"
    total_cell = (doc.labelled(a, _EXPENSE_CURRENT, "支出", measure)
                  or doc.labelled(a, _EXPENSE_GRAND, "支出", measure))
    g_total = doc.figure(doc.total_cell(g), "合计 row")
    label = "一般公共预算" if measure == "general_budget" else "合计"
    out = _pairs(cid, "财政拨款收支总表 一般公共预算支出 = 一般公共预算支出表 合计",
                 doc.figure(total_cell, f"本年支出合计, {label}"), g_total)
    # per function class
    a_rows = {}
    for c in doc.cells.get(a.seq, []):
        if c.measure == measure and _on_side(c.column_name, "支出"):
            a_rows.setdefault(strip_numbering(c.row_label), c)
    a_labels = {strip_numbering(text) for text in a.body_text}
    g_amounts = doc.row_amounts(g.seq)
    for r in doc.subject_rows.get(g.seq, []):
        if r.level != "类" or "total" not in g_amounts.get(r.row_index, {}):
            continue
        g_fig = doc.figure(g_amounts[r.row_index]["total"], f"{r.subject_code} {r.subject_name}")
        name = r.subject_name
        if name in a_rows:
            a_fig = doc.figure(a_rows[name], f"{name}, {label}")
        elif name in a_labels:
            a_fig = doc.column_blank_figure(a, measure, g_fig)
            a_fig = Figure(a_fig.amount, a, a.pages[0], f"{name}, {label} (blank)") if a_fig else None
        else:
            continue
        out += _pairs(cid, f"类 {r.subject_code} {name}: 财政拨款收支总表 = 一般公共预算支出表", a_fig, g_fig)
    return out


def all_general_budget(doc: Doc) -> bool:
    """The document's income is all 一般公共预算 (收支总表: 一般公共预算 = 收入总计)."""
    s = doc.first("income_expenditure_summary")
    gb = doc.labelled(s, r"一般公共预算(资金|拨款|拨款收入)?", "收入")
    grand = doc.labelled(s, _INCOME_GRAND, "收入")
    return gb is not None and grand is not None and gb.amount.yuan == grand.amount.yuan


def _econ_basic(doc: Doc) -> list[Assertion]:
    b = doc.first("basic_expenditure_econ")
    if b is None:
        return []
    cid = "cross.econ_basic_total"
    out = []
    g, e, s = doc.first("general_budget_expenditure"), doc.first("expenditure_summary"), \
        doc.first("income_expenditure_summary")
    b_total = doc.figure(doc.total_cell(b), "合计 row")
    g_basic = doc.figure(doc.total_cell(g, "basic"), "合计 row, 基本支出")
    if g_basic is not None:
        out += _pairs(cid, "基本支出经济分类表 合计 = 一般公共预算支出表 基本支出", b_total, g_basic)
    elif all_general_budget(doc):
        e_basic = doc.figure(doc.total_cell(e, "basic"), "合计 row, 基本支出")
        out += _pairs(cid, "基本支出经济分类表 合计 = 支出总表 基本支出", b_total, e_basic)
    if all_general_budget(doc):
        for measure, name in (("personnel", "人员经费"), ("public", "公用经费")):
            b_fig = doc.figure(doc.total_cell(b, measure), f"合计 row, {name}")
            s_fig = doc.figure(doc.labelled(s, _EXPENSE_GRAND, "支出", measure), f"支出总计, {name}")
            out += _pairs(cid, f"基本支出经济分类表 {name} = 收支总表 {name}", b_fig, s_fig)
    return out


def project_table_figures(doc: Doc, table: TableInfo, identity: Identity | None = None) -> list[Figure]:
    """The 项目支出表 total: its 合计 row; or its first row when that is the unit's own (it names the
    unit, or it is the sum of the rows below it, as 阳泉 prints it); else every project row."""
    total = doc.total_cell(table)
    if total is not None:
        return [doc.figure(total, "合计 row")]
    rows = doc.row_amounts(table.seq)
    totals = [rows[i]["total"] for i in sorted(rows) if "total" in rows[i]]
    if not totals:
        return []
    first, rest = totals[0], totals[1:]
    unit = getattr(identity, "unit_name", None)
    names_unit = bool(unit) and (first.row_label == unit or unit in first.row_label)
    if names_unit or (rest and abs(first.amount.yuan - sum(c.amount.yuan for c in rest))
                      <= tolerance([first.amount] + [c.amount for c in rest])):
        return [doc.figure(first, f"{first.row_label} row")]
    return [doc.figure(c, f"{c.row_label} row") for c in _top_level(totals)]


def _top_level(cells: list[Cell]) -> list[Cell]:
    """The rows of a project list that no row above sums: a list grouped by levels prints each group's
    row above its members, which add up to it (Changchun 预算表9: 类型 部门特定目标类项目 474.56, 一级项目
    综合管理 474.56, then its 二级项目 30.00 + 116.00 + 312.00 + 16.56); a group's members are not
    counted again. A row is read as a group only where the rows below it add up to it exactly."""

    ends: dict[int, int] = {}

    def span(i: int) -> int:
        """The end (exclusive) of row i's members when it is a group; i + 1 when it is a project."""
        if i not in ends:
            ends[i] = _span(i)
        return ends[i]

    def _span(i: int) -> int:
        target, j, parts = cells[i].amount, i + 1, []
        while j < len(cells) and sum(c.amount.yuan for c in parts) < target.yuan:
            end = span(j)
            parts.append(cells[j])
            j = end
        if len(parts) > 0 and sum(c.amount.yuan for c in parts) == target.yuan and target.yuan != 0:
            return j
        return i + 1

    out, i = [], 0
    while i < len(cells):
        out.append(cells[i])
        i = span(i)
    return out


def _project_total(doc: Doc, identity=None) -> list[Assertion]:
    e = doc.first("expenditure_summary")
    e_project = doc.total_cell(e, "project")
    if e_project is None:
        return []
    # A 项目支出绩效表 (Hangzhou, Huzhou) lists the projects of the 项目支出表 again, with their targets.
    tables = [t for t in doc.tables.values() if t.code in ("project_expenditure", "project_expenditure_carryover")
              and "绩效" not in (t.title or "")]
    if not any(t.code == "project_expenditure" for t in tables):
        return []
    figures: list[Figure] = []
    for t in tables:
        figures += project_table_figures(doc, t, identity)
    if not figures:
        return []
    named = sorted({f.table.seq for f in figures})
    what = " + ".join(doc.tables[s].name + " total" for s in named) + " = 支出总表 项目支出"
    a = money("cross.project_total", figures[0].table, figures[0].page, figures[0].label, what, e_project, figures,
              "project tables' total " + " + ".join(f"{f.amount.printed} {f.amount.unit} ({f.label}, {f.table.name}, "
                                                     f"p.{f.page})" for f in figures[:4])
              + (" + …" if len(figures) > 4 else ""))
    a.where = f"in {figures[0].table.name} (p.{figures[0].page}) and {e.name} (p.{e_project.page})"
    a.detail = a.detail.replace(f"printed {e_project.amount.printed}",
                                f"支出总表 项目支出 printed {e_project.amount.printed}", 1)
    _with_project_like(doc, e, e_project, figures, a)
    return [a]


# Spending outside 基本支出 that a unit may budget as a project: the 项目支出表 then lists it while the
# 支出总表 prints it in its own column (Huzhou 交通运输局 p.25/p.38: 航道维护 5,299.85 项目支出 + 200.00
# 事业单位经营支出 = 湖州航区骨干航道养护 5,499.85 in the 项目支出表).
_PROJECT_LIKE = ("operating_expenditure", "remit_upper", "affiliate_subsidy")


def _with_project_like(doc: Doc, e: TableInfo, e_project: Cell, figures: list[Figure], a: Assertion) -> None:
    """Where the project tables' total is 项目支出 + those columns of the 支出总表 (and not 项目支出
    alone), the assertion compares with that sum."""
    others = [c for c in (doc.total_cell(e, m) for m in _PROJECT_LIKE) if c is not None and c.amount.value != 0]
    if not others:
        return
    observed = a.observed_low
    with_others = e_project.amount.yuan + sum(c.amount.yuan for c in others)
    tol = tolerance([e_project.amount, *(c.amount for c in others), *(f.amount for f in figures)])
    if abs(observed - e_project.amount.yuan) <= a.tolerance or abs(observed - with_others) > tol:
        return
    names = " + ".join(f"{MEASURE_NAME[c.measure]} {c.amount.printed} {c.amount.unit}" for c in others)
    a.what += " + " + " + ".join(MEASURE_NAME[c.measure] for c in others)
    a.detail += f"; = 项目支出 + {names} (支出总表) = {fmt(with_others)} 元 (rounding tolerance {fmt(tol)} 元)"
    a.expected, a.tolerance, a.expected_text = with_others, tol, fmt(with_others)


# A “三公” table printing last year beside this year (Xi'an: 上年 / 当年 / 增减变化情况; Chongqing: 2025年预算数 /
# 2026年预算数): only this year's group is the year's figure
_PERIOD = re.compile(r"(上年|当年|本年|20\d\d年)(预算数?|决算数?)?")


def _other_periods(columns: list[str]) -> set[str]:
    """The first header segments of the column groups that are not this year's."""
    firsts = {h.split("/")[0] for h in columns if "/" in h}
    other = {f for f in firsts if f.startswith(("上年", "增减", "比上年"))}
    years = {f: int(m.group(1)) for f in firsts if (m := re.match(r"(20\d\d)年", f))}
    if len(years) > 1:
        other |= {f for f, y in years.items() if y < max(years.values())}
    return other


def three_public_figure(doc: Doc, t: TableInfo, test: Callable[[str], bool], phase: str = "决算数") -> Figure | None:
    """A “三公” figure the table prints as a column (Shanghai, Jiangsu: a final account's 决算数,
    not its 预算数, unless `phase` is 预算数) or as a row (阳泉), found by `test` on its name; a printed
    column left blank is 0."""
    cells = doc.cells.get(t.seq, [])
    final = any(h.endswith("决算数") for h in t.columns)
    other = _other_periods(t.columns)
    for i, header in enumerate(t.columns):
        if final and not header.endswith(phase):
            continue
        if header.split("/")[0] in other:
            continue
        segments = [x for x in header.split("/") if x not in ("预算数", "决算数") and not _PERIOD.fullmatch(x)]
        if not segments:
            continue
        leaf = segments[-1]
        name = segments[-2] if leaf in ("小计", "合计") and len(segments) > 1 else leaf
        if test(name):
            cell = next((c for c in cells if c.column_index == i), None)
            if cell is not None:
                return doc.figure(cell, name)
            if len({c.row_index for c in cells}) <= 1:  # a one-line table: the blank is this figure
                like = next(iter(cells), None)
                decimals = len(like.amount.printed.split(".")[1]) if like and "." in like.amount.printed else 2
                return Figure(Amount("0." + "0" * decimals, t.unit, Decimal(0)), t, t.pages[0], f"{name} (blank)")
    if phase != "决算数":
        return None  # a table of rows prints one phase
    for c in cells:
        if c.measure == "total" and test(strip_numbering(c.row_label).lstrip("①②③④⑤")):
            return doc.figure(c, f"{strip_numbering(c.row_label)} row")
    return None


def is_vehicle_operation(name: str) -> bool:
    return "运行" in name and "购置及运行" not in name and "机关运行" not in name and "购置" not in name


def _vehicle_operation(doc: Doc) -> list[Assertion]:
    t, b = doc.first("three_public"), doc.first("basic_expenditure_econ")
    if t is None or b is None:
        return []
    tp = three_public_figure(doc, t, is_vehicle_operation)
    bc = next((c for c in doc.cells.get(b.seq, [])
               if c.measure == "total" and "公务用车运行维护费" in c.row_label), None)
    return _pairs("cross.vehicle_operation", "“三公” 公务用车运行维护费 = 经济分类表 公务用车运行维护费",
                  tp, doc.figure(bc, "公务用车运行维护费 row"))


def office_operation_figure(doc: Doc) -> Figure | None:
    o = doc.first("office_operation")
    if o is not None and not o.empty:
        cell = doc.total_cell(o) or next(iter(doc.cells.get(o.seq, [])), None)
        if cell is not None and cell.measure in ("total", None):
            return doc.figure(cell, f"{cell.row_label} row")
    t = doc.first("three_public")
    if t is not None:
        return three_public_figure(doc, t, lambda name: "机关运行经费" in name)
    return None


def _office_operation(doc: Doc, identity=None) -> list[Assertion]:
    """Only where 机关运行经费 can be the unit's 公用经费: a unit's own budget (a department's figure
    covers units that have no 机关运行经费) that prints a nonzero one."""
    b = doc.first("basic_expenditure_econ")
    if b is None or not any(_measure_of_header(h) == "public" for h in b.columns):
        return []
    if str(getattr(identity, "doc_kind", "") or "").startswith("dept"):
        return []
    office = office_operation_figure(doc)
    if office is None or office.amount.value == 0:
        return []
    return _pairs("cross.office_operation", "机关运行经费 = 基本支出经济分类表 公用经费",
                  office, doc.figure(doc.total_cell(b, "public"), "合计 row, 公用经费"))
