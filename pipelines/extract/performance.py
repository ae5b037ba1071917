"""Project performance-target forms (项目支出绩效目标表) → one Project per project.

A form is a ruled grid with merged cells: labels (项目名称, 项目资金（元）, 绩效指标 …) sit in the
first columns and their values to the right; the indicator block prints 一级指标 and 二级指标 only
on the first row of their group, so both are carried down. The 实施期 side and the 年度 side of the
indicator block are read separately and kept as printed, quirks included (a 年度 side truncated to
“刑事、治安案件破”, a 年度 row listed in another order).

Some units print a form twice (the reference prints its 中央 project again with 省級 in the
traditional script and no indicators): such copies are reported as duplicates, not counted twice.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pipelines.catalog import FUND_SOURCES, TableCode
from pipelines.extract.tables import ExtractedTable
from pipelines.money import Amount, AmountError, clean_cell, is_amount

PERFORMANCE_CODE = TableCode.PERFORMANCE_TARGETS

TEXT_LABELS = ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划")
GOAL_PERIOD, GOAL_YEAR = "总体目标/实施期目标", "总体目标/年度目标"


# ---------------------------------------------------------------------------------------------
# Targets


_WORD_OPERATORS = (
    ("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"),
    ("至多", "≤"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("小于", "<"), ("低于", "<"), ("等于", "="),
)
_SYMBOLS = str.maketrans({"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "＝": "=", "％": "%", "，": ","})
_TARGET = re.compile(r"^(?P<op>≥|≤|>|<|=)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>.*)$")
_SUFFIX_OPERATORS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"))


def parse_target(text: str | None) -> tuple[str | None, Decimal | None, str | None]:
    """A printed 指标值 → (operator, value, unit).

    “≥20元/片” → ('≥', 20, '元/片'); “≤3920元” → ('≤', 3920, '元'); “11.5万元/人/年” → ('=', 11.5,
    '万元/人/年'). A bare number is an exact target: “100%” → ('=', 100, '%'). Word operators
    (不低于90%) and suffixes (90%以上) are read as ≥ / ≤. Text targets (及时, 全年, 有效改善) and
    anything that is not one number with a unit (a range) give (None, None, None): the printed
    text stays in target_text only.
    """
    t = re.sub(r"\s+", "", text or "").translate(_SYMBOLS).replace(">=", "≥").replace("<=", "≤")
    op = None
    for word, symbol in _WORD_OPERATORS:
        if t.startswith(word):
            op, t = symbol, t[len(word):]
            break
    m = _TARGET.match(t)
    if not m:
        return None, None, None
    unit = m.group("unit")
    for suffix, symbol in _SUFFIX_OPERATORS:
        if unit.endswith(suffix):
            unit, op = unit[: -len(suffix)], op or symbol
            break
    if re.search(r"\d", unit):
        return None, None, None  # “90%-100%”, “2024.12月”: not one number
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return None, None, None
    return m.group("op") or op or "=", value, unit or None


# ---------------------------------------------------------------------------------------------
# Records


@dataclass
class Indicator:
    """One row of one side (实施期 or 年度) of a form's indicator block."""

    level1: str  # 一级指标 (产出指标, 效益指标, 满意度指标), carried down
    level2: str  # 二级指标 (数量指标, 质量指标, …), carried down
    level3: str  # 三级指标, the indicator as printed ('' on a group row with no indicator)
    target_text: str  # 指标值 as printed
    target_operator: str | None
    target_value: Decimal | None
    target_unit: str | None
    page: int
    row: int  # 0-based row of the form's body


@dataclass
class Funds:
    """项目资金: totals and the split by source, for the whole period and for the budget year."""

    unit: str  # as the label prints it: 项目资金（元） → 元
    total_period: Amount | None  # 实施期资金总额
    total_year: Amount | None  # 年度资金总额
    period: dict[str, Amount | None] = field(default_factory=dict)  # FUND_SOURCES → amount
    year: dict[str, Amount | None] = field(default_factory=dict)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (实施期 label, 年度 label) as printed


@dataclass
class Project:
    name: str
    department: str  # 主管部门及代码, e.g. 907-行政政法科
    implementing_unit: str  # 实施单位
    attribute: str  # 项目属性
    period: str  # 项目期
    funds: Funds
    texts: dict[str, str]  # TEXT_LABELS and GOAL_PERIOD / GOAL_YEAR → text as printed
    period_indicators: list[Indicator]  # 实施期 side
    year_indicators: list[Indicator]  # 年度 side, row for row with period_indicators
    pages: list[int]
    table_seq: int
    filled_on: str | None = None  # 填报日期 as printed

    @property
    def indicators(self) -> list[Indicator]:
        """The 实施期 indicators that name something (rows with a 三级指标)."""
        return [i for i in self.period_indicators if i.level3]


@dataclass
class Duplicate:
    """A form that prints a project already printed (apart from the script of a character, or
    with its indicators missing)."""

    page: int
    name: str  # as this copy prints it
    duplicate_of: str  # the name of the project kept
    duplicate_of_page: int
    reason: str
    project: Project  # this copy as read, for inspection


# ---------------------------------------------------------------------------------------------
# Reading one form

_TRADITIONAL = str.maketrans({
    "級": "级", "資": "资", "費": "费", "項": "项", "經": "经", "財": "财", "撥": "拨", "門": "门", "國": "国",
    "縣": "县", "區": "区", "單": "单", "專": "专", "設": "设", "購": "购", "標": "标", "準": "准", "實": "实",
    "務": "务", "劃": "划", "預": "预", "運": "运", "維": "维", "護": "护", "辦": "办", "據": "据",
    "線": "线", "網": "网", "業": "业", "醫": "医", "療": "疗", "衛": "卫", "廳": "厅", "縮": "缩", "團": "团",
    "員": "员", "補": "补", "貼": "贴", "獎": "奖", "勵": "励", "廣": "广", "東": "东", "蘇": "苏", "陽": "阳",
    "執": "执", "協": "协", "轉": "转", "與": "与", "遺": "遗",
})
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", " ": ""})


def _norm(text: str) -> str:
    """Compare labels and names: full-width brackets and colons, simplified script, no spaces."""
    return clean_cell(text).translate(_FULL_WIDTH).translate(_TRADITIONAL)


def _printed(text: str | None) -> str:
    """A cell's text as printed: wrapped lines were joined by extraction; runs of spaces are one."""
    return re.sub(r"\s+", " ", text or "").strip()


def _cells(row: list[str]) -> list[tuple[int, str]]:
    return [(i, _printed(c)) for i, c in enumerate(row) if _printed(c)]


def _value_after(row: list[str], label: str) -> str:
    """The first non-empty cell right of the cell labelled `label`."""
    cells = _cells(row)
    for k, (_, text) in enumerate(cells):
        if _norm(text).rstrip("：") == label:
            return cells[k + 1][1] if k + 1 < len(cells) else ""
    return ""


def _label_row(rows: list[list[str]], label: str) -> int | None:
    for r, row in enumerate(rows):
        if any(_norm(c).rstrip("：") == label for _, c in _cells(row)):
            return r
    return None


def _source_key(label: str) -> str | None:
    t = _norm(label).replace("其中：", "").rstrip("：")
    if "资金总额" in t:
        return "total"
    return next((s for s in FUND_SOURCES if s == t), None)


def _amount(text: str, unit: str) -> Amount | None:
    try:
        return Amount.parse(text, unit) if text and is_amount(text) else None
    except AmountError:
        return None


def _funds(rows: list[list[str]], start: int, end: int) -> Funds:
    """Rows start..end-1: “实施期资金总额： | 280,000 | 年度资金总额： | 280,000” and the split."""
    first = _cells(rows[start])
    unit_match = re.search(r"[（(](万元|元)[）)]", first[0][1]) if first else None
    unit = unit_match.group(1) if unit_match else "元"
    funds = Funds(unit, None, None)
    for r in range(start, end):
        cells = [(i, t) for i, t in _cells(rows[r]) if not _norm(t).startswith("项目资金")]
        labels = [(i, t) for i, t in cells if not is_amount(t)]
        if len(labels) < 2:
            continue
        (lp, period_label), (ly, year_label) = labels[0], labels[1]
        key = _source_key(period_label)
        if key is None:
            continue
        period = next((_amount(t, unit) for i, t in cells if lp < i < ly and is_amount(t)), None)
        year = next((_amount(t, unit) for i, t in cells if i > ly and is_amount(t)), None)
        funds.labels.append((period_label, year_label))
        if key == "total":
            funds.total_period, funds.total_year = period, year
        else:
            funds.period[key], funds.year[key] = period, year
    return funds


def _goals(rows: list[list[str]], header: int | None) -> dict[str, str]:
    """总体目标: the row under “实施期目标 | 年度目标”, each text in or right of its header's column."""
    if header is None:
        return {}
    cols = {_norm(t): i for i, t in _cells(rows[header])}
    p_col, y_col = cols.get("实施期目标"), cols.get("年度目标")
    if p_col is None or y_col is None or header + 1 >= len(rows):
        return {}
    text_row = rows[header + 1]
    period = next((_printed(c) for i, c in enumerate(text_row) if p_col <= i < y_col and _printed(c)), "")
    year = next((_printed(c) for i, c in enumerate(text_row) if i >= y_col and _printed(c)), "")
    return {GOAL_PERIOD: period, GOAL_YEAR: year}


@dataclass
class _Columns:
    level1: int
    period: tuple[int, int, int]  # 二级指标, 三级指标, 指标值
    year: tuple[int, int, int] | None


def _indicator_columns(row: list[str]) -> _Columns | None:
    names = [_norm(c) for c in row]
    if "一级指标" not in names:
        return None
    positions = {n: [i for i, x in enumerate(names) if x == n] for n in ("二级指标", "三级指标", "指标值")}
    if not all(positions.values()):
        return None
    period = tuple(positions[n][0] for n in ("二级指标", "三级指标", "指标值"))
    year = tuple(positions[n][1] for n in ("二级指标", "三级指标", "指标值")) if all(
        len(v) > 1 for v in positions.values()) else None
    return _Columns(names.index("一级指标"), period, year)


def _indicator(level1: str, level2: str, level3: str, target: str, page: int, row: int) -> Indicator:
    op, value, unit = parse_target(target)
    return Indicator(level1, level2, level3, target, op, value, unit, page, row)


def _cell(row: list[str], i: int) -> str:
    """Column i of a row, "" when the row is shorter."""
    return row[i] if i < len(row) else ""


def _indicators(table: ExtractedTable, header: int, cols: _Columns) -> tuple[list[Indicator], list[Indicator]]:
    """Rows under the 一级指标 header down to the 负责人 footer, level labels carried down."""
    rows, period, year = table.body_rows, [], []
    level1 = level2 = year_level2 = ""
    for r in range(header + 1, len(rows)):
        row = [_printed(c) for c in rows[r]]
        if any(c.startswith("负责人") for c in row):
            break
        if _cell(row, cols.level1) and _cell(row, cols.level1) != level1:
            level1, level2, year_level2 = _cell(row, cols.level1), "", ""
        level2 = _cell(row, cols.period[0]) or level2
        page = table.row_pages[r]
        period.append(_indicator(level1, level2, _cell(row, cols.period[1]), _cell(row, cols.period[2]), page, r))
        if cols.year:
            year_level2 = _cell(row, cols.year[0]) or year_level2
            year.append(_indicator(level1, year_level2, _cell(row, cols.year[1]), _cell(row, cols.year[2]), page, r))
    return period, year


def _filled_on(rows: list[list[str]]) -> str | None:
    for row in rows:
        if any(clean_cell(c).startswith("负责人") for c in row):
            return _value_after(row, "填报日期") or None
    return None


def parse_form(table: ExtractedTable) -> Project | None:
    """One printed form → a Project, or None when the grid has no 项目名称 (a continuation)."""
    rows = table.body_rows
    name_row = _label_row(rows, "项目名称")
    if name_row is None:
        return None
    funds_row = next((r for r, row in enumerate(rows) if any(_norm(c).startswith("项目资金") for c in row)), None)
    first_text = _label_row(rows, TEXT_LABELS[0])
    goal_header = next((r for r, row in enumerate(rows) if "实施期目标" in [_norm(c) for c in row]), None)
    texts = {label: _value_after(rows[r], label) for label in TEXT_LABELS if (r := _label_row(rows, label)) is not None}
    texts.update(_goals(rows, goal_header))
    period: list[Indicator] = []
    year: list[Indicator] = []
    header = next((r for r, row in enumerate(rows) if _indicator_columns(row)), None)
    if header is not None:
        period, year = _indicators(table, header, _indicator_columns(rows[header]))
    dept_row = _label_row(rows, "主管部门及代码")
    attr_row = _label_row(rows, "项目属性")
    return Project(
        name=_value_after(rows[name_row], "项目名称"),
        department=_value_after(rows[dept_row], "主管部门及代码") if dept_row is not None else "",
        implementing_unit=_value_after(rows[dept_row], "实施单位") if dept_row is not None else "",
        attribute=_value_after(rows[attr_row], "项目属性") if attr_row is not None else "",
        period=_value_after(rows[attr_row], "项目期") if attr_row is not None else "",
        funds=_funds(rows, funds_row, first_text or len(rows)) if funds_row is not None else Funds("元", None, None),
        texts=texts,
        period_indicators=period,
        year_indicators=year,
        pages=list(table.pages),
        table_seq=table.seq,
        filled_on=_filled_on(rows),
    )


# ---------------------------------------------------------------------------------------------
# All forms of a document


def _same_project(a: Project, b: Project) -> str | None:
    """Why b is a copy of a, or None. Same funds, and the same name once traditional characters
    are read as simplified (or a name differing in one character with the same 项目概况)."""
    if (a.funds.total_period, a.funds.total_year) != (b.funds.total_period, b.funds.total_year):
        return None
    if a.name == b.name:
        return "printed twice"
    if _norm(a.name) == _norm(b.name):
        # (names may differ in spaces too, which _norm drops: then the two are not the same length)
        changed = "".join(y for x, y in zip(a.name, b.name, strict=False) if x != y)
        return f"same name apart from the script of {changed!r}"
    ratio = difflib.SequenceMatcher(None, _norm(a.name), _norm(b.name)).ratio()
    if ratio >= 0.95 and a.texts.get("项目概况") == b.texts.get("项目概况"):
        return f"name differs in one character ({ratio:.2f}), same 项目概况 and funds"
    return None


def _richness(p: Project) -> int:
    return len(p.indicators)


def parse_projects(tables: list[ExtractedTable]) -> tuple[list[Project], list[Duplicate]]:
    """Every project of the performance-target forms among `tables`, and the forms that print a
    project already printed. Of two copies the one with more indicators is kept (the first on a
    tie); a grid without 项目名称 continues the previous form."""
    projects: list[Project] = []
    duplicates: list[Duplicate] = []
    for table in (t for t in tables if t.code == PERFORMANCE_CODE):
        project = parse_form(table)
        if project is None:
            _continue(projects, table)
            continue
        original = next(((p, why) for p in projects if (why := _same_project(p, project))), None)
        if original is None:
            projects.append(project)
            continue
        kept, why = original
        if _richness(project) > _richness(kept):
            projects[projects.index(kept)] = project
            kept, project = project, kept
        duplicates.append(Duplicate(project.pages[0], project.name, kept.name, kept.pages[0], why, project))
    return projects, duplicates


def _continue(projects: list[Project], table: ExtractedTable) -> None:
    """Indicator rows of a form that runs onto a grid of its own on the next page."""
    if not projects:
        return
    header = next((r for r, row in enumerate(table.body_rows) if _indicator_columns(row)), None)
    if header is None:
        return
    period, year = _indicators(table, header, _indicator_columns(table.body_rows[header]))
    project = projects[-1]
    project.period_indicators.extend(period)
    project.year_indicators.extend(year)
    project.pages.extend(p for p in table.pages if p not in project.pages)


# ---------------------------------------------------------------------------------------------
# Against the 项目支出预算表


@dataclass(frozen=True)
class BudgetLine:
    """A project's line in the project expenditure table (项目支出预算表)."""

    project: Project
    line_name: str  # as the table prints it (may differ: 暂住 for 常住)
    amount: Amount  # 合计, in the table's unit
    page: int
    similarity: float  # of the names, 1.0 when identical


def match_budget_lines(projects: list[Project], table: ExtractedTable, min_similarity: float = 0.8) -> list[BudgetLine]:
    """Pair each project with the line of the 项目支出预算表 whose name is most alike (each line
    used once, best pairs first), so that 年度资金总额 can be held against the table's amount."""
    unit = table.unit or "万元"
    total_col = next((i for i, c in enumerate(table.columns) if "合计" in c), 1)
    lines = []
    for r, row in enumerate(table.body_rows):
        name = clean_cell(row[0]) if row else ""
        amount = _amount(clean_cell(row[total_col]), unit) if total_col < len(row) else None
        if name and amount is not None:
            lines.append((name, amount, table.row_pages[r]))
    pairs = sorted(
        ((difflib.SequenceMatcher(None, _norm(p.name), _norm(name)).ratio(), i, j)
         for i, p in enumerate(projects) for j, (name, _, _) in enumerate(lines)),
        reverse=True,
    )
    used_p: set[int] = set()
    used_l: set[int] = set()
    matched: dict[int, BudgetLine] = {}
    for ratio, i, j in pairs:
        if ratio < min_similarity or i in used_p or j in used_l:
            continue
        used_p.add(i)
        used_l.add(j)
        name, amount, page = lines[j]
        matched[i] = BudgetLine(projects[i], name, amount, page, round(ratio, 3))
    return [matched[i] for i in sorted(matched)]
