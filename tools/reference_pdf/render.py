"""Render the reference disclosure PDF and its ground truth from the seed text layer.

The seed (``../shared/seeds/000_6c353ffef9b5996d.txt``) is the text layer of the published 2025 unit
budget of 阳泉市公安局城区分局.  Tabs separate table cells, an empty line inside a table block marks a page
break, and ``**…**`` marks bold text.  This module works in three steps, so that a caller can plant
defects between them:

1. :func:`build_document` parses the seed into a plain data model (:class:`Document` and the
   dataclasses below).  All content comes from the seed; only the layout (header merges, column
   widths, orientation, page breaks that the seed does not show) is hand-coded here, in
   ``TABLE_LAYOUTS`` and the form grid.
2. :func:`render` lays the model out with reportlab (embedded WQY Zen Hei TrueType subset, A4,
   mixed portrait/landscape) and returns a :class:`Layout` recording on which physical page every
   table row, form row and paragraph was drawn.
3. :func:`ground_truth` turns model + layout into the JSON stored at
   ``tests/fixtures/reference/ground_truth.json``.

Run ``python -m tools.reference_pdf`` from the repository root (see README.md next to this file).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_NAME = "000_6c353ffef9b5996d.txt"
DEFAULT_SEED = REPO_ROOT / ".." / "shared" / "seeds" / SEED_NAME
DEFAULT_OUT = REPO_ROOT / "samples" / "yangquan-chengqu-police_2025_unit-budget.pdf"
DEFAULT_TRUTH = REPO_ROOT / "tests" / "fixtures" / "reference" / "ground_truth.json"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

FONT = "WQY"
FONT_BOLD = "WQYBold"  # same face; drawn with text render mode 2 (fill+stroke) like Word's faux bold

# ---------------------------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------------------------


@dataclass
class TextRun:
    text: str
    bold: bool = False


@dataclass
class Para:
    """A paragraph of running text.  kind: part | h1 | h2 | h3 | body | def."""

    kind: str
    runs: list[TextRun]
    part: str = ""
    source_lines: list[int] = field(default_factory=list)  # 1-based seed line numbers

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Chart:
    """A chart printed as a picture, with its caption printed as text above it."""

    caption: str
    kind: str  # pie | bar
    items: list[tuple[str, float]]
    part: str = ""
    source_lines: list[int] = field(default_factory=list)


@dataclass
class TocEntry:
    text: str  # as printed, including the '.....' the seed shows
    page: str  # printed page number
    level: int  # 0: 第X部分, 1: tables and sections, 2: sub-sections
    page_break_before: bool = False


@dataclass
class HeaderCell:
    row: int
    col: int
    text: str  # as the seed prints it; a space marks a line break inside the cell
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableLayout:
    widths: list[float]  # relative column widths, scaled to the frame
    text_cols: set[int]  # left-aligned columns; all others are amounts (right-aligned)
    landscape: bool = False
    new_page: bool = True  # start on a new page (False: follow the previous table on its page)
    total_span: bool = False  # a body row '合计','' prints 合计 across the first two columns
    header: list[list[tuple[int, int, int]]] = field(default_factory=list)  # per row (col, rowspan, colspan)


@dataclass
class BudgetTable:
    seq: int
    code: str
    toc_title: str
    title: str
    number_label: str | None
    unit_name_line: str  # 单位名称：…
    unit_line: str  # 单位：万元
    unit: str
    ncols: int
    header_nrows: int
    header_cells: list[HeaderCell]
    body_rows: list[list[str]]
    page_breaks: list[int]  # body row indices that start a new page
    empty: bool
    note: str | None
    layout: TableLayout
    source_lines: list[int] = field(default_factory=list)

    def header_grid(self) -> list[list[str]]:
        grid = [[""] * self.ncols for _ in range(self.header_nrows)]
        for c in self.header_cells:
            grid[c.row][c.col] = c.text
        return grid

    def body_spans(self) -> list[tuple[int, int, int, int]]:
        """(row, col, rowspan, colspan) of merged body cells."""
        spans = []
        if self.layout.total_span:
            for i, row in enumerate(self.body_rows):
                if row[0] in ("合计", "部门合计") and row[1] == "":
                    spans.append((i, 0, 1, 2))
        return spans


@dataclass
class FundLine:
    period_label: str
    period_value: str
    year_label: str
    year_value: str


@dataclass
class IndicatorRow:
    """One physical row of the 绩效指标 block, labels filled in from their merged cells.

    ``*_merged_up`` is True when the label cell is part of the merged cell of the row above (it is
    then printed once for the whole run of rows, vertically centred)."""

    level1: str
    level2: str
    level3: str
    value: str
    year_level2: str
    year_level3: str
    year_value: str
    level1_merged_up: bool = False
    level2_merged_up: bool = False
    year_level2_merged_up: bool = False


@dataclass
class PerformanceForm:
    seq: int
    title: str
    subtitle: str
    project_name: str
    department: str
    implementing_unit: str
    attribute: str
    period: str
    funds_label: str
    funds: list[FundLine]  # first line: totals, then 其中 …
    texts: list[tuple[str, str]]  # (label, text) 项目概况 … 项目实施计划
    goal_period_label: str
    goal_year_label: str
    goal_period: str
    goal_year: str
    indicator_label: str  # '绩效指标', or '' when the form does not print it
    indicator_header: list[str]
    indicators: list[IndicatorRow]
    footer: list[tuple[str, str]] | None  # (label, value) pairs; None when not printed
    duplicate_of: int | None = None
    part: str = ""
    source_lines: list[int] = field(default_factory=list)


@dataclass
class Document:
    source_seed: str
    unit_name: str
    fiscal_year: int
    doc_kind: str
    money_unit: str
    cover_lines: list[str]
    toc_title: str
    toc: list[TocEntry]
    blocks: list  # Para | Chart | BudgetTable | PerformanceForm, in reading order

    @property
    def tables(self) -> list[BudgetTable]:
        return [b for b in self.blocks if isinstance(b, BudgetTable)]

    @property
    def forms(self) -> list[PerformanceForm]:
        return [b for b in self.blocks if isinstance(b, PerformanceForm)]


# ---------------------------------------------------------------------------------------------
# Hand-coded layout
# ---------------------------------------------------------------------------------------------

# Table codes by what the title says (most specific first).
_TITLE_CODES = [
    ("财政拨款收支总表", "appropriation_summary"),
    ("收支总表", "income_expenditure_summary"),
    ("收入总表", "income_summary"),
    ("支出总表", "expenditure_summary"),
    ("基本支出分经济科目", "basic_expenditure_econ"),
    ("一般公共预算支出", "general_budget_expenditure"),
    ("政府性基金预算收入", "gov_fund_income"),
    ("政府性基金预算支出", "gov_fund_expenditure"),
    ("国有资本经营预算", "state_capital"),
    ("三公", "three_public"),
    ("机关运行经费", "office_operation"),
    ("项目支出预算表（上年结转）", "project_expenditure_carryover"),
    ("项目支出预算表", "project_expenditure"),
]


def _row(*cols: int) -> list[tuple[int, int, int]]:
    return [(c, 1, 1) for c in cols]


_SUBJECT_HEADER = [[(0, 1, 2), (2, 1, 3)], _row(0, 1, 2, 3, 4)]
_BY_FUND_HEADER = [[(0, 2, 1), (1, 1, 4)], _row(1, 2, 3, 4)]

TABLE_LAYOUTS: dict[str, TableLayout] = {
    "income_expenditure_summary": TableLayout(
        widths=[118, 62, 160, 58, 57, 50], text_cols={0, 2},
        header=[[(0, 1, 2), (2, 1, 4)], _row(0, 1, 2, 3, 4, 5)]),
    "income_summary": TableLayout(
        widths=[70, 200, 66, 72, 64, 78, 80, 62, 60], text_cols={0, 1}, landscape=True, total_span=True,
        header=[[(0, 1, 2), (2, 1, 6), (8, 2, 1)], _row(0, 1, 2, 3, 4, 5, 6, 7)]),
    "expenditure_summary": TableLayout(
        widths=[70, 205, 80, 75, 75], text_cols={0, 1}, total_span=True, header=_SUBJECT_HEADER),
    "appropriation_summary": TableLayout(
        widths=[102, 56, 150, 52, 52, 48, 45], text_cols={0, 2},
        header=[[(0, 1, 2), (2, 1, 5)], [(0, 2, 1), (1, 2, 1), (2, 2, 1), (3, 1, 4)], _row(3, 4, 5, 6)]),
    "general_budget_expenditure": TableLayout(
        widths=[70, 205, 80, 75, 75], text_cols={0, 1}, total_span=True, header=_SUBJECT_HEADER),
    "basic_expenditure_econ": TableLayout(
        widths=[150, 145, 70, 70, 70], text_cols={0, 1}, total_span=True,
        header=[[(0, 2, 1), (1, 2, 1), (2, 1, 3)], _row(2, 3, 4)]),
    "gov_fund_income": TableLayout(
        widths=[120, 235, 150], text_cols={0, 1}, total_span=True,
        header=[[(0, 1, 2), (2, 2, 1)], _row(0, 1)]),
    "gov_fund_expenditure": TableLayout(
        widths=[70, 205, 80, 75, 75], text_cols={0, 1}, total_span=True, header=[_row(0, 1, 2, 3, 4)]),
    "state_capital": TableLayout(
        widths=[62, 66, 70, 56, 70, 57, 62, 62], text_cols={0, 1, 3, 4}, total_span=True,
        header=[[(0, 1, 3), (3, 1, 5)],
                [(0, 1, 2), (2, 2, 1), (3, 2, 1), (4, 2, 1), (5, 2, 1), (6, 2, 1), (7, 2, 1)],
                _row(0, 1)]),
    "three_public": TableLayout(
        widths=[165, 80, 90, 85, 85], text_cols={0}, new_page=False, header=_BY_FUND_HEADER),
    "office_operation": TableLayout(
        widths=[165, 80, 90, 85, 85], text_cols={0}, header=_BY_FUND_HEADER),
    "project_expenditure": TableLayout(
        widths=[330, 72, 80, 62, 70, 72, 66], text_cols={0}, landscape=True,
        header=[[(0, 2, 1), (1, 2, 1), (2, 1, 3), (5, 2, 1), (6, 2, 1)], _row(2, 3, 4),
                _row(0, 1, 2, 3, 4, 5, 6)]),
    "project_expenditure_carryover": TableLayout(
        widths=[392, 90, 100, 85, 85], text_cols={0}, landscape=True,
        header=[[(0, 2, 1), (1, 2, 1), (2, 1, 3)], _row(2, 3, 4), _row(0, 1, 2, 3, 4)]),
}

# 绩效目标表 grid: 8 columns (label | 一级 | 二级 | 三级 | 指标值 | 年度二级 | 年度三级 | 年度指标值).
FORM_WIDTHS = [42, 50, 50, 90, 62, 50, 83, 78]

LEVEL1 = {"产出指标", "效益指标", "满意度指标"}
LEVEL2 = {"数量指标", "质量指标", "时效指标", "成本指标", "经济效益", "社会效益", "生态效益", "可持续影响",
          "服务对象满意度"}
FORM_TEXT_LABELS = ["项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划"]

# Rows whose 二级指标 the seed prints one row lower (the centre of a merged cell): the row belongs
# to the 二级指标 printed on the next row.  Keyed by the row's 三级指标 as printed.
LEVEL2_FROM_NEXT_ROW = {"发放对象准确率、及时率"}

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_to_int(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM[s[1]]
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN_NUM[a] * 10 + (_CN_NUM[b] if b else 0)
    return _CN_NUM[s]


def table_code(title: str) -> str:
    for key, code in _TITLE_CODES:
        if key in title:
            return code
    raise ValueError(f"no canonical code for table title {title!r}")


# ---------------------------------------------------------------------------------------------
# Seed parsing
# ---------------------------------------------------------------------------------------------

_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
_H1_RE = re.compile(r"^[一二三四五六七八九十]+、")
_H2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_H3_RE = re.compile(r"^\d+、")
_TOC_TABLE_RE = re.compile(r"^表([一二三四五六七八九十]+)(.+?)\.*$")
_NUMBER_LABEL_RE = re.compile(r"^\S{0,6}公开表\d+$")
_CAPTION_RE = re.compile(r"(结构图|分布图)$")
_FORM_TITLE_RE = re.compile(r"项目支出绩效目标表$")
_TERMINAL = tuple("。；：！？）)”」")


def _classify(text: str) -> str:
    if _PART_RE.match(text):
        return "part"
    if _CAPTION_RE.search(text) and len(text) <= 30:
        return "caption"
    if _H1_RE.match(text) and "**" in text:
        return "def"
    if _H1_RE.match(text) and len(text) <= 30:
        return "h1"
    if _H2_RE.match(text) and len(text) <= 30:
        return "h2"
    if _H3_RE.match(text) and len(text) <= 30:
        return "h3"
    return "body"


def _runs(text: str) -> list[TextRun]:
    runs = []
    for i, piece in enumerate(text.split("**")):
        if piece:
            runs.append(TextRun(piece, bold=i % 2 == 1))
    return runs


class _Lines:
    def __init__(self, text: str):
        self.lines = [ln.rstrip("\r") for ln in text.split("\n")]

    def blank(self, i: int) -> bool:
        return not self.lines[i].strip()

    def next_nonblank(self, i: int) -> int:
        while i < len(self.lines) and self.blank(i):
            i += 1
        return i

    def __len__(self):
        return len(self.lines)

    def span(self, start: int, stop: int) -> list[int]:
        """1-based numbers of lines start..stop-1 (0-based), without trailing empty lines."""
        while stop > start and self.blank(stop - 1):
            stop -= 1
        return list(range(start + 1, stop + 1))


def build_document(seed_text: str, source_seed: str = SEED_NAME) -> Document:
    """Parse the seed text layer into the document model (content only; layout is hand-coded)."""
    L = _Lines(seed_text)
    n = len(L)
    i = L.next_nonblank(0)

    # Cover: the lines before 目录.
    cover = []
    while i < n and L.lines[i].replace(" ", "").replace("\u3000", "") != "目录":
        if not L.blank(i):
            cover.append(L.lines[i].strip())
        i += 1
    toc_heading = L.lines[i].strip()
    i += 1

    # 目录: tab-separated "title<TAB>page" lines; an empty line between entries is a page break.
    toc: list[TocEntry] = []
    pending_break = False
    while i < n:
        line = L.lines[i]
        if L.blank(i):
            pending_break = bool(toc)
            i += 1
            continue
        if "\t" not in line:
            break
        title, page = line.split("\t")[:2]
        title = title.strip()
        level = 0 if _PART_RE.match(title) else (2 if _H2_RE.match(title) else 1)
        toc.append(TocEntry(title, page.strip(), level, page_break_before=pending_break))
        pending_break = False
        i += 1

    # 目录 lines of tables: 表一2025年预算收支总表 → (1, '表一2025年预算收支总表', '2025年预算收支总表')
    table_titles = {}
    for e in toc:
        m = _TOC_TABLE_RE.match(e.text)
        if m:
            table_titles[m.group(2)] = (cn_to_int(m.group(1)), e.text.rstrip("."), m.group(2))

    blocks: list = []
    part = ""
    unit_name = cover[0] if cover else ""

    while True:
        i = L.next_nonblank(i)
        if i >= n:
            break
        text = L.lines[i].strip()

        # --- a budget table: [number label] title, 单位名称, 单位, tab rows, [注]
        if _NUMBER_LABEL_RE.match(text) or text in table_titles:
            number_label = None
            start = i
            if _NUMBER_LABEL_RE.match(text):
                number_label = text
                i = L.next_nonblank(i + 1)
                text = L.lines[i].strip()
            seq, toc_t, title = table_titles[text]
            i = L.next_nonblank(i + 1)
            unit_name_line = L.lines[i].strip()
            i = L.next_nonblank(i + 1)
            unit_line = L.lines[i].strip()
            i += 1
            rows: list[list[str]] = []
            breaks_before: list[int] = []
            saw_blank = False
            while i < n:
                if L.blank(i):
                    saw_blank = True
                    i += 1
                    continue
                if "\t" not in L.lines[i]:
                    break
                if saw_blank and rows:
                    breaks_before.append(len(rows))
                saw_blank = False
                rows.append(L.lines[i].split("\t"))
                i += 1
            note = None
            j = L.next_nonblank(i)
            if j < n and L.lines[j].strip().startswith("注："):
                note = L.lines[j].strip()
                i = j + 1
            blocks.append(_make_table(seq, toc_t, title, number_label, unit_name_line, unit_line, rows,
                                      breaks_before, note, L.span(start, i)))
            continue

        # --- a 项目支出绩效目标表: title, (2025年度), tab rows
        if _FORM_TITLE_RE.search(text):
            start = i
            title = text
            i = L.next_nonblank(i + 1)
            subtitle = L.lines[i].strip()
            i += 1
            rows = []
            while i < n:
                if L.blank(i):
                    i += 1
                    continue
                if "\t" not in L.lines[i]:
                    break
                rows.append(L.lines[i].split("\t"))
                i += 1
            form = _make_form(len([b for b in blocks if isinstance(b, PerformanceForm)]) + 1, title, subtitle, rows)
            form.part = part
            form.source_lines = L.span(start, i)
            blocks.append(form)
            continue

        if "\t" in L.lines[i]:
            raise ValueError(f"seed line {i + 1}: table row outside a table: {text!r}")

        # --- running text; a sentence the seed breaks across lines/pages is joined
        kind = _classify(text)
        src = [i + 1]
        i += 1
        if kind == "body":
            while not text.endswith(_TERMINAL) and len(text) >= 20:
                j = L.next_nonblank(i)
                if j >= n or "\t" in L.lines[j]:
                    break
                nxt = L.lines[j].strip()
                if _classify(nxt) != "body" or _NUMBER_LABEL_RE.match(nxt) or nxt in table_titles \
                        or _FORM_TITLE_RE.search(nxt):
                    break
                text += nxt
                src.append(j + 1)
                i = j + 1
        if kind == "part":
            part = text
        if kind == "caption":
            blocks.append(_make_chart(text, blocks, part, src))
            continue
        blocks.append(Para(kind, _runs(text), part=part, source_lines=src))

    # A form printed again under a variant of an earlier form's name is a duplicate.
    seen: dict[str, int] = {}
    for f in (b for b in blocks if isinstance(b, PerformanceForm)):
        key = f.project_name.replace("級", "级")
        if key in seen:
            f.duplicate_of = seen[key]
        else:
            seen[key] = f.seq

    m = re.search(r"(20\d\d)年", cover[1] if len(cover) > 1 else "")
    unit = next((t.unit for t in blocks if isinstance(t, BudgetTable)), "")
    return Document(source_seed=source_seed, unit_name=unit_name, fiscal_year=int(m.group(1)) if m else 0,
                    doc_kind="unit_budget" if "单位预算" in "".join(cover) else "dept_budget",
                    money_unit=unit, cover_lines=cover, toc_title=toc_heading, toc=toc, blocks=blocks)


def _make_table(seq, toc_title, title, number_label, unit_name_line, unit_line, rows, breaks_before, note,
                src) -> BudgetTable:
    code = table_code(title)
    lay = TABLE_LAYOUTS[code]
    ncols = len(lay.widths)
    nh = len(lay.header)
    if len(rows) < nh:
        raise ValueError(f"table {title}: {len(rows)} rows, layout expects {nh} header rows")
    header_cells = []
    for r, spec in enumerate(lay.header):
        tokens = [t.strip() for t in rows[r] if t.strip()]
        if len(tokens) != len(spec):
            raise ValueError(f"table {title}: header row {r} has {tokens}, layout expects {len(spec)} cells")
        for tok, (c, rs, cs) in zip(tokens, spec, strict=True):
            header_cells.append(HeaderCell(r, c, tok, rs, cs))
    body = []
    for raw in rows[nh:]:
        cells = [c.strip() for c in raw]
        if len(cells) > ncols:
            if any(cells[ncols:]):
                raise ValueError(f"table {title}: row {raw} wider than {ncols} columns")
            cells = cells[:ncols]
        body.append(cells + [""] * (ncols - len(cells)))
    breaks = [b - nh for b in breaks_before if b > nh]
    m = re.search(r"单位[：:]\s*(\S+)", unit_line)
    empty = bool(note and "无数据" in note)
    return BudgetTable(seq=seq, code=code, toc_title=toc_title, title=title, number_label=number_label,
                       unit_name_line=unit_name_line, unit_line=unit_line, unit=m.group(1) if m else "",
                       ncols=ncols, header_nrows=nh, header_cells=header_cells, body_rows=body,
                       page_breaks=breaks, empty=empty, note=note, layout=lay, source_lines=src)


def _has_cjk(tok: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", tok))


def _make_form(seq: int, title: str, subtitle: str, rows: list[list[str]]) -> PerformanceForm:
    f = dict(project_name="", department="", implementing_unit="", attribute="", period="", funds_label="",
             goal_period_label="实施期目标", goal_year_label="年度目标", goal_period="", goal_year="",
             indicator_label="", indicator_header=[], footer=None)
    funds: list[FundLine] = []
    texts: list[tuple[str, str]] = []
    raw_ind: list[dict] = []
    pending_level1 = ""
    in_indicators = False
    for cells in rows:
        tokens = [c.strip() for c in cells if c.strip()]
        if not tokens:
            continue
        head = tokens[0]
        if head.startswith("负责人"):
            pairs: list[list[str]] = []
            for tok in tokens:
                if tok.endswith(("：", ":")):
                    pairs.append([tok, ""])
                else:
                    pairs[-1][1] = tok
            f["footer"] = [tuple(p) for p in pairs]
            in_indicators = False
            continue
        if in_indicators:
            raw_ind.append(_parse_indicator_tokens(tokens))
            continue
        if head == "项目名称":
            f["project_name"] = tokens[1] if len(tokens) > 1 else ""
        elif head == "主管部门及代码":
            f["department"], f["implementing_unit"] = tokens[1], tokens[3]
        elif head == "项目属性":
            f["attribute"], f["period"] = tokens[1], tokens[3]
        elif head.startswith("项目资金") or (f["funds_label"] and not texts and _has_cjk(head)
                                           and head not in FORM_TEXT_LABELS):
            if head.startswith("项目资金"):
                f["funds_label"] = head
                tokens = tokens[1:]
            entries: list[list[str]] = []
            for tok in tokens:
                if _has_cjk(tok):  # a label; amounts are digits and commas
                    entries.append([tok, ""])
                else:
                    entries[-1][1] = tok
            while len(entries) < 2:
                entries.append(["", ""])
            funds.append(FundLine(entries[0][0], entries[0][1], entries[1][0], entries[1][1]))
        elif head in FORM_TEXT_LABELS:
            texts.append((head, tokens[1] if len(tokens) > 1 else ""))
        elif "实施期目标" in tokens:
            f["goal_period_label"], f["goal_year_label"] = tokens[0], tokens[1]
        elif head == "总体目标":
            f["goal_period"] = tokens[1] if len(tokens) > 1 else ""
            f["goal_year"] = tokens[2] if len(tokens) > 2 else ""
        elif "一级指标" in tokens:
            in_indicators = True
            f["indicator_label"] = "绩效指标" if "绩效指标" in tokens else ""
            f["indicator_header"] = [t for t in tokens if t.endswith("指标") and t not in LEVEL1
                                     and t != "绩效指标" or t == "指标值"]
            pending_level1 = next((t for t in tokens if t in LEVEL1), "")
        else:
            raise ValueError(f"form {seq}: unexpected row {tokens}")
    if raw_ind and pending_level1 and not raw_ind[0]["level1"]:
        raw_ind[0]["level1"] = pending_level1
    return PerformanceForm(seq=seq, title=title, subtitle=subtitle, funds=funds, texts=texts,
                           indicators=_fill_indicators(raw_ind), **f)


def _parse_indicator_tokens(tokens: list[str]) -> dict:
    """Assign the printed texts of one garbled indicator row to its logical cells.

    Left to right the row is 一级 | 二级 | 三级 | 指标值 (实施期) then 二级 | 三级 | 指标值 (年度);
    the seed drops empty cells and shifts the rest, so the texts are placed by what they are: a
    level-1 name, a level-2 name, or free text (三级指标 then 指标值)."""
    row = dict(level1="", level2="", level3="", value="", year_level2="", year_level3="", year_value="")
    side = "impl"
    for tok in tokens:
        if tok in LEVEL1:
            if side == "impl" and not (row["level1"] or row["level2"] or row["level3"] or row["value"]):
                row["level1"] = tok
            # else: a merged 一级指标 cell printed twice by the text layer; it is one cell.
            continue
        if tok in LEVEL2:
            if side == "impl" and not (row["level2"] or row["level3"] or row["value"]):
                row["level2"] = tok
            else:
                side = "year"
                row["year_level2"] = tok
            continue
        if side == "impl":
            if not row["level3"] and not row["value"]:
                row["level3"] = tok
                continue
            if not row["value"]:
                row["value"] = tok
                continue
            side = "year"
        if not row["year_level3"] and not row["year_value"]:
            row["year_level3"] = tok
        elif not row["year_value"]:
            row["year_value"] = tok
        else:
            raise ValueError(f"indicator row {tokens}: too many cells")
    return row


def _fill_indicators(raw: list[dict]) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    for r in raw:
        prev = rows[-1] if rows else None
        level1 = r["level1"] or (prev.level1 if prev else "")
        level2 = r["level2"] or (prev.level2 if prev and not r["level1"] else "")
        y2 = r["year_level2"] or (prev.year_level2 if prev and not r["level1"] else "")
        rows.append(IndicatorRow(level1, level2, r["level3"], r["value"], y2, r["year_level3"], r["year_value"],
                                 level1_merged_up=bool(prev) and not r["level1"],
                                 level2_merged_up=bool(prev) and not r["level2"],
                                 year_level2_merged_up=bool(prev) and not r["year_level2"]))
    for k, row in enumerate(rows[:-1]):
        if row.level3 in LEVEL2_FROM_NEXT_ROW and not raw[k]["level2"] and raw[k + 1]["level2"]:
            row.level2 = rows[k + 1].level2
            row.level2_merged_up = False
            rows[k + 1].level2_merged_up = True
    return rows


def _make_chart(caption: str, blocks: list, part: str, src: list[int]) -> Chart:
    prev = next((b for b in reversed(blocks) if isinstance(b, Para) and b.kind == "body"), None)
    text = prev.text if prev else ""
    if "结构" in caption:
        items = [(name, float(amount.replace(",", "")))
                 for name, amount, _pct in re.findall(r"([\u4e00-\u9fff]+?支出)([\d,]+\.\d+)万元，占([\d.]+)%", text)]
        return Chart(caption, "pie", items, part, src)
    items = []
    for name in ("因公出国（境）费", "公务接待费", "公务用车购置及运行费"):
        m = re.search(re.escape(name) + r"([\d,.]+)万元", text)
        if m:
            items.append((name, float(m.group(1).replace(",", ""))))
    return Chart(caption, "bar", items, part, src)


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where things landed: physical 1-based page numbers."""

    page_count: int = 0
    first_numbered_page: int = 0  # the physical page printed as "1"
    toc_pages: list[int] = field(default_factory=list)
    cover_pages: list[int] = field(default_factory=list)
    table_row_pages: dict[int, dict[str, list[int]]] = field(default_factory=dict)  # seq -> header/body rows
    table_pages: dict[int, list[int]] = field(default_factory=dict)
    form_pages: dict[int, list[int]] = field(default_factory=dict)
    block_pages: dict[int, list[int]] = field(default_factory=dict)  # id(block) -> pages
    page_sizes: list[tuple[float, float]] = field(default_factory=list)


_REGISTERED = False


def register_fonts(font_path: Path = DEFAULT_FONT) -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not Path(font_path).exists():
        raise SystemExit(f"CJK font not found: {font_path} (install fonts-wqy-zenhei or pass --font)")
    kw = {"subfontIndex": 0} if str(font_path).endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(FONT, str(font_path), **kw))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(font_path), **kw))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)
    _REGISTERED = True


@contextmanager
def _typesetting():
    """Draw FONT_BOLD text with render mode 2 (fill + 0.35pt stroke), as Word does for CJK faces, and
    keep full-width closing punctuation off the start of a line (kinsoku), as Word/WPS do."""
    from reportlab.lib import textsplit as rl_textsplit
    from reportlab.pdfgen.textobject import PDFTextObject
    from reportlab.platypus import paragraph as rl_paragraph

    orig_cannot_start = rl_paragraph.ALL_CANNOT_START
    cannot_start = orig_cannot_start + "，。、；：？！”’》」』）％"
    rl_paragraph.ALL_CANNOT_START = rl_textsplit.ALL_CANNOT_START = cannot_start

    orig_set, orig_set_, orig_code = PDFTextObject.setFont, PDFTextObject._setFont, PDFTextObject.getCode

    def mark(self, name):
        bold = name == FONT_BOLD
        if bold and not getattr(self, "_faux_bold", False):
            self._code.append("2 Tr 0.35 w")
        elif not bold and getattr(self, "_faux_bold", False):
            self._code.append("0 Tr")
        self._faux_bold = bold

    def set_font(self, psfontname, size, leading=None):
        orig_set(self, psfontname, size, leading)
        mark(self, psfontname)

    def _set_font(self, psfontname, size):
        orig_set_(self, psfontname, size)
        mark(self, psfontname)

    def get_code(self):
        if getattr(self, "_faux_bold", False):
            self._code.append("0 Tr")
            self._faux_bold = False
        return orig_code(self)

    PDFTextObject.setFont, PDFTextObject._setFont, PDFTextObject.getCode = set_font, _set_font, get_code
    try:
        yield
    finally:
        PDFTextObject.setFont, PDFTextObject._setFont, PDFTextObject.getCode = orig_set, orig_set_, orig_code
        rl_paragraph.ALL_CANNOT_START = rl_textsplit.ALL_CANNOT_START = orig_cannot_start


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK", alignment=TA_JUSTIFY)
    s = {
        "cover": ParagraphStyle("cover", base, fontSize=28, leading=44, alignment=TA_CENTER),
        "toc_title": ParagraphStyle("toc_title", base, fontSize=20, leading=30, alignment=TA_CENTER,
                                    spaceAfter=18),
        "part": ParagraphStyle("part", base, fontSize=16, leading=26, alignment=TA_CENTER, spaceBefore=4,
                               spaceAfter=12),
        "h1": ParagraphStyle("h1", base, fontSize=13, leading=22, firstLineIndent=24, spaceBefore=6,
                             spaceAfter=3, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, firstLineIndent=24, spaceBefore=3, spaceAfter=2, keepWithNext=1),
        "h3": ParagraphStyle("h3", base, firstLineIndent=24, spaceBefore=3, spaceAfter=2, keepWithNext=1),
        "body": ParagraphStyle("body", base, firstLineIndent=24, spaceAfter=4),
        "def": ParagraphStyle("def", base, firstLineIndent=24, spaceAfter=6),
        "caption": ParagraphStyle("caption", base, fontSize=11, leading=18, alignment=TA_CENTER, spaceBefore=6,
                                  spaceAfter=2),
        "table_label": ParagraphStyle("table_label", base, fontSize=10, leading=14, alignment=TA_LEFT),
        "table_title": ParagraphStyle("table_title", base, fontSize=16, leading=24, alignment=TA_CENTER,
                                      spaceBefore=2, spaceAfter=6),
        "note": ParagraphStyle("note", base, fontSize=10, leading=16, alignment=TA_LEFT, spaceBefore=4),
        "th": ParagraphStyle("th", base, fontSize=9, leading=11, alignment=TA_CENTER),
        "td_l": ParagraphStyle("td_l", base, fontSize=9, leading=11, alignment=TA_LEFT),
        "td_r": ParagraphStyle("td_r", base, fontSize=9, leading=11, alignment=TA_RIGHT),
        "td_c": ParagraphStyle("td_c", base, fontSize=9, leading=11, alignment=TA_CENTER),
        "form_title": ParagraphStyle("form_title", base, fontSize=13, leading=20, alignment=TA_CENTER),
        "form_sub": ParagraphStyle("form_sub", base, fontSize=10, leading=16, alignment=TA_CENTER, spaceAfter=4),
        "fc": ParagraphStyle("fc", base, fontSize=8, leading=10, alignment=TA_CENTER),
        "fl": ParagraphStyle("fl", base, fontSize=8, leading=10.5, alignment=TA_LEFT),
    }
    return s


def _markup(runs: list[TextRun]) -> str:
    return "".join(f"<b>{escape(r.text)}</b>" if r.bold else escape(r.text) for r in runs)


def _flowable_classes():
    """reportlab-dependent classes, built lazily so that parsing needs no reportlab."""
    from reportlab.lib import colors
    from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

    class TaggedParagraph(Paragraph):
        gt_tag = None

        def split(self, aW, aH):
            parts = super().split(aW, aH)
            for p in parts:
                p.gt_tag = self.gt_tag
            return parts

    class Grid(Flowable):
        """A ruled grid (0.5pt lines on every cell edge) that breaks only between rows.

        ``cells`` is a full-size 2-D list (Paragraph or '') with the text of a merged cell at its
        top-left position; ``spans`` are (row, col, rowspan, colspan).  When a page break cuts a
        merged cell, both parts are ruled as one cell each and the text stays in the upper part,
        like a merged Excel cell cut by a page break.  No header row is repeated."""

        def __init__(self, cells, spans, col_widths, tag=None, rows=None, heights=None, min_heights=None,
                     hpad=5.0):
            super().__init__()
            # Horizontal padding: 2 x hpad must exceed one character width so that text extractors
            # (pdfminer's char_margin) keep the texts of neighbouring cells apart.
            self.hpad = hpad
            self.cells = cells
            self.spans = spans
            self.col_widths = col_widths
            self.tag = tag
            self.rows = rows or (0, len(cells))
            self._heights = heights
            self.min_heights = min_heights
            self._table = None

        def _style(self, r0, r1):
            cmds = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # never reference an unembedded base-14 font
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), self.hpad),
                ("RIGHTPADDING", (0, 0), (-1, -1), self.hpad),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
            for (r, c, rs, cs) in self.spans:
                a, b = max(r, r0), min(r + rs - 1, r1 - 1)
                if a > b or (rs == 1 and cs == 1):
                    continue
                if a == b and cs == 1:
                    continue
                cmds.append(("SPAN", (c, a - r0), (c + cs - 1, b - r0)))
            return TableStyle(cmds)

        def full_heights(self, avail_width):
            if self._heights is None:
                t = Table(self.cells, colWidths=self.col_widths, style=self._style(0, len(self.cells)))
                t.wrap(avail_width, 1e6)
                h = list(t._rowHeights)
                if self.min_heights:
                    h = [max(a, b) for a, b in zip(h, self.min_heights, strict=True)]  # one per row
                self._heights = h
            return self._heights

        def _build(self, avail_width):
            if self._table is None:
                heights = self.full_heights(avail_width)
                r0, r1 = self.rows
                self._table = Table([row[:] for row in self.cells[r0:r1]], colWidths=self.col_widths,
                                    rowHeights=heights[r0:r1], style=self._style(r0, r1))
            return self._table

        def wrap(self, aW, aH):
            t = self._build(aW)
            self.width, self.height = t.wrap(aW, aH)
            return self.width, self.height

        def split(self, aW, aH):
            heights = self.full_heights(aW)
            r0, r1 = self.rows
            used, k = 0.0, r0
            while k < r1 and used + heights[k] <= aH:
                used += heights[k]
                k += 1
            if k == r0 or k == r1:
                return []
            return [self._piece(r0, k), self._piece(k, r1)]

        def _piece(self, a, b):
            return Grid(self.cells, self.spans, self.col_widths, self.tag, (a, b), self._heights, hpad=self.hpad)

        def draw(self):
            self._table.drawOn(self.canv, 0, 0)

    class Marker(Flowable):
        """Zero-size flowable used to note a position (e.g. where page numbering starts)."""

        def __init__(self, name):
            super().__init__()
            self.name = name

        def wrap(self, aW, aH):
            return 0, 0

        def draw(self):
            pass

    class UnitLine(Flowable):
        """单位名称：… at the left and 单位：万元 at the right, on one line above the grid."""

        def __init__(self, left, right, size=10):
            super().__init__()
            self.left, self.right, self.size = left, right, size

        def wrap(self, aW, aH):
            self.width = aW
            return aW, self.size * 1.9

        def draw(self):
            c = self.canv
            c.setFont(FONT, self.size)
            c.drawString(0, self.size * 0.55, self.left)
            c.drawRightString(self.width, self.size * 0.55, self.right)

    class TocLine(Flowable):
        def __init__(self, entry: TocEntry, size=12):
            super().__init__()
            self.e, self.size = entry, size

        def wrap(self, aW, aH):
            self.width = aW
            return aW, self.size * 2.05

        def draw(self):
            from reportlab.pdfbase.pdfmetrics import stringWidth

            c = self.canv
            indent = {0: 0, 1: 2, 2: 3}[self.e.level] * self.size
            y = self.size * 0.6
            c.setFont(FONT, self.size)
            c.drawString(indent, y, self.e.text)
            c.drawRightString(self.width, y, self.e.page)
            if self.e.text.endswith("....."):
                x0 = indent + stringWidth(self.e.text, FONT, self.size) + 3
                x1 = self.width - stringWidth(self.e.page, FONT, self.size) - 4
                c.saveState()
                c.setLineWidth(0.9)
                c.setDash(0.9, 2.4)
                c.setLineCap(1)
                if x1 > x0:
                    c.line(x0, y + 1, x1, y + 1)
                c.restoreState()

    return TaggedParagraph, Grid, Marker, UnitLine, TocLine


def _chart_image(chart: Chart, width=330.0, height=135.0):
    """Draw the chart with reportlab graphics and rasterise it (the original's charts are pictures:
    its text layer holds only the caption)."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.platypus import Image

    palette = [colors.HexColor(h) for h in ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47")]
    d = Drawing(width, height)
    total = sum(v for _, v in chart.items) or 1.0
    if chart.kind == "pie":
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 30, 8, 120, 120
        pie.data = [max(v, total * 0.002) for _, v in chart.items]
        pie.labels = None
        pie.startAngle, pie.direction = 90, "clockwise"
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 0.5
        for k in range(len(chart.items)):
            pie.slices[k].fillColor = palette[k % len(palette)]
        d.add(pie)
        lg = Legend()
        lg.x, lg.y = 175, 108
        lg.fontName, lg.fontSize = FONT, 8
        lg.dy, lg.deltay = 6, 18
        lg.columnMaximum = len(chart.items)
        lg.alignment = "right"
        lg.colorNamePairs = [(palette[k % len(palette)], f"{name} {v / total * 100:.2f}%")
                             for k, (name, v) in enumerate(chart.items)]
        d.add(lg)
    else:
        bc = VerticalBarChart()
        bc.x, bc.y, bc.width, bc.height = 45, 35, width - 70, height - 55
        bc.data = [[v for _, v in chart.items]]
        bc.bars[0].fillColor = palette[0]
        bc.barWidth = 20
        bc.categoryAxis.categoryNames = [name for name, _ in chart.items]
        bc.categoryAxis.labels.fontName = FONT
        bc.categoryAxis.labels.fontSize = 8
        bc.valueAxis.labels.fontName = FONT
        bc.valueAxis.labels.fontSize = 7
        top = max([v for _, v in chart.items] + [1.0])
        bc.valueAxis.valueMin, bc.valueAxis.valueMax = 0, top * 1.25
        bc.valueAxis.valueStep = round(top * 1.25 / 5, -1) or 1
        bc.barLabelFormat = "%.2f"
        bc.barLabels.fontName = FONT
        bc.barLabels.fontSize = 7
        bc.barLabels.nudge = 6
        d.add(bc)
        d.add(String(8, height - 12, "单位：万元", fontName=FONT, fontSize=7))
    pdf_bytes = renderPDF.drawToString(d)
    page = pdfium.PdfDocument(pdf_bytes)[0]
    img = page.render(scale=2.4).to_pil().convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    buf.seek(0)
    return Image(buf, width=width, height=height)


def _table_grid(table: BudgetTable, st, frame_width: float):
    """Cells, spans and column widths of a budget table (header rows then body rows)."""
    scale = frame_width / sum(table.layout.widths)
    widths = [w * scale for w in table.layout.widths]
    from reportlab.platypus import Paragraph

    def th(text):
        return Paragraph("<br/>".join(escape(p) for p in text.split(" ")), st["th"])

    cells = [["" for _ in range(table.ncols)] for _ in range(table.header_nrows)]
    spans = []
    for hc in table.header_cells:
        cells[hc.row][hc.col] = th(hc.text)
        spans.append((hc.row, hc.col, hc.rowspan, hc.colspan))
    body_spans = {(r, c): (rs, cs) for r, c, rs, cs in table.body_spans()}
    for r, row in enumerate(table.body_rows):
        out = []
        for c, text in enumerate(row):
            if not text:
                out.append("")
                continue
            if (r, c) in body_spans:
                style = st["td_c"]
            else:
                style = st["td_l"] if c in table.layout.text_cols else st["td_r"]
            out.append(Paragraph(escape(text), style))
        cells.append(out)
        for (rr, cc), (rs, cs) in body_spans.items():
            if rr == r:
                spans.append((table.header_nrows + r, cc, rs, cs))
    min_h = [0.0] * table.header_nrows + [17.0] * len(table.body_rows)
    return cells, spans, widths, min_h


def _form_grid(form: PerformanceForm, st):
    """Cells and spans of a 绩效目标表 on the 8-column grid."""
    from reportlab.platypus import Paragraph

    W = 8
    cells: list[list] = []
    spans: list[tuple[int, int, int, int]] = []

    def P(text, style="fc"):
        return Paragraph(escape(text), st[style]) if text else ""

    def add(row_cells: list[tuple[int, int, object]]):
        r = len(cells)
        row = [""] * W
        for c, cs, content in row_cells:
            row[c] = content
            if cs > 1:
                spans.append((r, c, 1, cs))
        cells.append(row)
        return r

    add([(0, 2, P("项目名称")), (2, 6, P(form.project_name, "fl"))])
    add([(0, 2, P("主管部门及代码")), (2, 2, P(form.department)), (4, 2, P("实施单位")),
         (6, 2, P(form.implementing_unit))])
    add([(0, 2, P("项目属性")), (2, 2, P(form.attribute)), (4, 2, P("项目期")), (6, 2, P(form.period))])
    first = None
    for k, fl in enumerate(form.funds):
        r = add([(0, 2, P(form.funds_label) if k == 0 else ""), (2, 2, P(fl.period_label, "fl")),
                 (4, 1, P(fl.period_value)), (5, 2, P(fl.year_label, "fl")), (7, 1, P(fl.year_value))])
        first = r if first is None else first
    if form.funds:
        spans.append((first, 0, len(form.funds), 2))
    for label, text in form.texts:
        add([(0, 2, P(label)), (2, 6, P(text, "fl"))])
    g = add([(0, 2, P("总体目标")), (2, 3, P(form.goal_period_label)), (5, 3, P(form.goal_year_label))])
    add([(2, 3, P(form.goal_period, "fl")), (5, 3, P(form.goal_year, "fl"))])
    spans.append((g, 0, 2, 2))
    hdr = form.indicator_header or ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]
    h = add([(0, 1, P(form.indicator_label))] + [(1 + k, 1, P(t)) for k, t in enumerate(hdr)])
    for row in form.indicators:
        add([(1, 1, "" if row.level1_merged_up else P(row.level1)),
             (2, 1, "" if row.level2_merged_up else P(row.level2)),
             (3, 1, P(row.level3)), (4, 1, P(row.value)),
             (5, 1, "" if row.year_level2_merged_up else P(row.year_level2)),
             (6, 1, P(row.year_level3)), (7, 1, P(row.year_value))])
    spans.append((h, 0, len(form.indicators) + 1, 1))
    # merged label cells of the indicator block
    for col, flag in ((1, "level1_merged_up"), (2, "level2_merged_up"), (5, "year_level2_merged_up")):
        start = None
        for k, row in enumerate(form.indicators + [None]):
            merged = row is not None and getattr(row, flag)
            if not merged:
                if start is not None and k - start > 1:
                    spans.append((h + 1 + start, col, k - start, 1))
                start = k
    if form.footer is not None:
        fc = []
        for k, (label, value) in enumerate(form.footer[:4]):
            fc += [(2 * k, 1, P(label)), (2 * k + 1, 1, P(value))]
        add(fc)
    return cells, spans


def render(document: Document, out_pdf: Path | str, font_path: Path = DEFAULT_FONT) -> Layout:
    """Lay the document out and write the PDF; return the page of every table row, form and paragraph."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Spacer,
    )

    register_fonts(font_path)
    st = _styles()
    TaggedParagraph, Grid, Marker, UnitLine, TocLine = _flowable_classes()
    layout = Layout()
    M_LR, M_TOP, M_BOTTOM = 45, 50, 50
    portrait_w = A4[0] - 2 * M_LR
    landscape_w = landscape(A4)[0] - 2 * M_LR

    class Doc(BaseDocTemplate):
        def afterFlowable(self, f):
            page = self.page
            if isinstance(f, Marker):
                if f.name == "numbering" and not layout.first_numbered_page:
                    layout.first_numbered_page = page
                elif f.name == "toc":
                    layout.toc_pages.append(page)
                elif f.name == "cover":
                    layout.cover_pages.append(page)
                return
            tag = getattr(f, "gt_tag", None) or getattr(f, "tag", None)
            if tag is None:
                return
            kind, key = tag[0], tag[1]
            if kind == "table":
                seq, nh = key
                rp = layout.table_row_pages.setdefault(seq, {"header": [], "body": []})
                r0, r1 = f.rows
                for r in range(r0, r1):
                    if r < nh:
                        rp["header"].append(page)
                    else:
                        rp["body"].append(page)
                layout.table_pages.setdefault(seq, [])
                if page not in layout.table_pages[seq]:
                    layout.table_pages[seq].append(page)
            elif kind == "form":
                pages = layout.form_pages.setdefault(key, [])
                if page not in pages:
                    pages.append(page)
            elif kind == "block":
                pages = layout.block_pages.setdefault(key, [])
                if page not in pages:
                    pages.append(page)

    def footer(canv, doc):
        canv.saveState()
        if layout.first_numbered_page and doc.page >= layout.first_numbered_page:
            w = canv._pagesize[0]
            canv.setFont(FONT, 10)
            canv.drawCentredString(w / 2, 28, str(doc.page - layout.first_numbered_page + 1))
        layout.page_sizes.append(tuple(canv._pagesize))
        canv.restoreState()

    def frame(size, name):
        return Frame(M_LR, M_BOTTOM, size[0] - 2 * M_LR, size[1] - M_TOP - M_BOTTOM, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    doc = Doc(str(out_pdf), pagesize=A4, invariant=1, initialFontName=FONT, initialFontSize=10,
              title=f"{document.unit_name}{document.cover_lines[-1]}",
              author=document.unit_name, subject=document.cover_lines[-1], creator="", producer="")
    doc.addPageTemplates([
        PageTemplate("front", [frame(A4, "f")], onPageEnd=footer, pagesize=A4),
        PageTemplate("portrait", [frame(A4, "p")], onPageEnd=footer, pagesize=A4),
        PageTemplate("landscape", [frame(landscape(A4), "l")], onPageEnd=footer, pagesize=landscape(A4)),
    ])

    story: list = []

    def para(text_markup, style, tag=None):
        p = TaggedParagraph(text_markup, st[style])
        p.gt_tag = tag
        return p

    # cover
    story += [Marker("cover"), Spacer(1, 200)]
    for line in document.cover_lines:
        story.append(para(escape(line), "cover"))
        story.append(Spacer(1, 18))

    # 目录
    story += [NextPageTemplate("front"), PageBreak(), Marker("toc"), para(escape(document.toc_title), "toc_title")]
    for e in document.toc:
        if e.page_break_before:
            story += [PageBreak(), Marker("toc")]
        story.append(TocLine(e))

    orientation = "portrait"
    blocks = document.blocks
    for bi, block in enumerate(blocks):
        tag = ("block", id(block))
        if isinstance(block, Para):
            if block.kind == "part":
                # every part starts a page, in the orientation of what follows it
                nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
                orientation = "landscape" if isinstance(nxt, BudgetTable) and nxt.layout.landscape else "portrait"
                story += [NextPageTemplate(orientation), PageBreak()]
                if not layout.first_numbered_page and not any(isinstance(x, Marker) and x.name == "numbering"
                                                              for x in story):
                    story.append(Marker("numbering"))
                story.append(para(escape(block.text), "part", tag))
            else:
                story.append(para(_markup(block.runs), block.kind, tag))
        elif isinstance(block, Chart):
            cap = para(escape(block.caption), "caption", tag)
            story.append(KeepTogether([cap, _chart_image(block)]))
        elif isinstance(block, BudgetTable):
            want = "landscape" if block.layout.landscape else "portrait"
            prev = blocks[bi - 1] if bi else None
            after_part_title = isinstance(prev, Para) and prev.kind == "part"
            if not after_part_title and (block.layout.new_page or want != orientation):
                story += [NextPageTemplate(want), PageBreak()]
                orientation = want
            elif not block.layout.new_page:
                story.append(Spacer(1, 24))
            width = landscape_w if orientation == "landscape" else portrait_w
            cells, spans, widths, min_h = _table_grid(block, st, width)
            head = []
            if block.number_label:
                head.append(para(escape(block.number_label), "table_label"))
            head += [para(escape(block.title), "table_title"), UnitLine(block.unit_name_line, block.unit_line)]
            nh = block.header_nrows
            cuts = [0] + [nh + b for b in block.page_breaks] + [len(cells)]
            full = Grid(cells, spans, widths, min_heights=min_h)
            full.full_heights(width)
            segments = []
            for a, b in zip(cuts, cuts[1:], strict=False):
                g = Grid(cells, spans, widths, tag=("table", (block.seq, nh)), rows=(a, b),
                         heights=full._heights)
                segments.append(g)
            story.append(KeepTogether(head + [segments[0]]))
            for g in segments[1:]:
                story += [PageBreak(), g]
            if block.note:
                story.append(para(escape(block.note), "note"))
        elif isinstance(block, PerformanceForm):
            # Every form is a sheet of its own: it starts a page (the seed shows no page break inside
            # a form, and its 目录 puts 十一 on the page after the last form).  A form taller than a
            # page breaks between rows.
            cells, spans = _form_grid(block, st)
            story += [NextPageTemplate("portrait"), PageBreak()]
            orientation = "portrait"
            story.append(para(escape(block.title), "form_title", ("form", block.seq)))
            story.append(para(escape(block.subtitle), "form_sub", ("form", block.seq)))
            story.append(Grid(cells, spans, FORM_WIDTHS, tag=("form", block.seq), hpad=4.5))
            nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
            if nxt is not None and not isinstance(nxt, PerformanceForm) and not (
                    isinstance(nxt, Para) and nxt.kind == "part"):
                story += [NextPageTemplate("portrait"), PageBreak()]

    with _typesetting():
        doc.build(story)
    layout.page_count = doc.page
    return layout


# ---------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------


def ground_truth(document: Document, layout: Layout) -> dict:
    tables = []
    for t in document.tables:
        rp = layout.table_row_pages.get(t.seq, {"header": [], "body": []})
        tables.append({
            "seq": t.seq,
            "code": t.code,
            "number_label": t.number_label,
            "title": t.title,
            "toc_title": t.toc_title,
            "unit": t.unit,
            "pages": sorted(layout.table_pages.get(t.seq, [])),
            "orientation": "landscape" if t.layout.landscape else "portrait",
            "empty": t.empty,
            "note": t.note,
            "n_cols": t.ncols,
            "header_rows": t.header_grid(),
            "header_spans": [{"row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan,
                              "text": c.text} for c in t.header_cells],
            "body_rows": [list(r) for r in t.body_rows],
            "body_spans": [{"row": r, "col": c, "rowspan": rs, "colspan": cs} for r, c, rs, cs in t.body_spans()],
            "row_pages": rp["body"],
            "seed_lines": [t.source_lines[0], t.source_lines[-1]] if t.source_lines else [],
        })
    forms = []
    for f in document.forms:
        split = {}
        for fl in f.funds[1:]:
            key = re.sub(r"^其中[：:]", "", fl.period_label).replace("(", "（").replace(")", "）")
            split[key] = [fl.period_value, fl.year_value]
        texts = dict(f.texts)
        texts["总体目标/" + f.goal_period_label] = f.goal_period
        texts["总体目标/" + f.goal_year_label] = f.goal_year
        forms.append({
            "seq": f.seq,
            "pages": sorted(layout.form_pages.get(f.seq, [])),
            "title": f.title,
            "subtitle": f.subtitle,
            "project_name": f.project_name,
            "department": f.department,
            "implementing_unit": f.implementing_unit,
            "attribute": f.attribute,
            "period": f.period,
            "funds_label": f.funds_label,
            "funds_total_period": f.funds[0].period_value if f.funds else "",
            "funds_total_year": f.funds[0].year_value if f.funds else "",
            "funds_split": split,
            "funds_labels_as_printed": [[fl.period_label, fl.year_label] for fl in f.funds],
            "texts": texts,
            "indicator_label": f.indicator_label,
            "indicators": [{
                "level1": r.level1, "level2": r.level2, "level3": r.level3, "value": r.value,
                "year_level2": r.year_level2, "year_level3": r.year_level3, "year_value": r.year_value,
            } for r in f.indicators],
            "footer": None if f.footer is None else [{"label": a, "value": b} for a, b in f.footer],
            "duplicate_of": f.duplicate_of,
            "seed_lines": [f.source_lines[0], f.source_lines[-1]] if f.source_lines else [],
        })
    paragraphs = []
    charts = []
    for b in document.blocks:
        if isinstance(b, Para):
            pages = sorted(layout.block_pages.get(id(b), []))
            paragraphs.append({"page": pages[0] if pages else None, "pages": pages, "kind": b.kind, "part": b.part,
                               "text": b.text,
                               "bold": [r.text for r in b.runs if r.bold], "seed_lines": b.source_lines})
        elif isinstance(b, Chart):
            pages = sorted(layout.block_pages.get(id(b), []))
            paragraphs.append({"page": pages[0] if pages else None, "pages": pages, "kind": "caption",
                               "part": b.part, "text": b.caption, "bold": [], "seed_lines": b.source_lines})
            charts.append({"caption": b.caption, "kind": b.kind, "page": pages[0] if pages else None,
                           "items": [{"label": k, "value": v} for k, v in b.items]})
    narrative_pages = sorted({p for par in paragraphs for p in par["pages"]})
    off = layout.first_numbered_page - 1
    return {
        "source_seed": document.source_seed,
        "document": {
            "unit_name": document.unit_name,
            "fiscal_year": document.fiscal_year,
            "doc_kind": document.doc_kind,
            "money_unit": document.money_unit,
            "toc_tables": sum(1 for e in document.toc if _TOC_TABLE_RE.match(e.text)),
            "page_count": layout.page_count,
            "cover_lines": document.cover_lines,
            "cover_pages": layout.cover_pages,
            "toc_pages": layout.toc_pages,
            "first_numbered_page": layout.first_numbered_page,
            "printed_page_offset": off,
            "landscape_pages": [k + 1 for k, (w, h) in enumerate(layout.page_sizes) if w > h],
        },
        "toc": [{"text": e.text, "printed_page": e.page, "level": e.level} for e in document.toc],
        "tables": tables,
        "performance_forms": forms,
        "charts": charts,
        "narrative": {"pages": narrative_pages, "paragraphs": paragraphs},
    }


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.reference_pdf", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="seed text layer (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PDF to write (default: %(default)s)")
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH,
                    help="ground-truth JSON to write (default: %(default)s)")
    ap.add_argument("--font", type=Path, default=DEFAULT_FONT, help="CJK TrueType font (default: %(default)s)")
    args = ap.parse_args(argv)

    seed_text = args.seed.read_text(encoding="utf-8")
    document = build_document(seed_text, source_seed=args.seed.name)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    layout = render(document, args.out, font_path=args.font)
    truth = ground_truth(document, layout)
    args.truth.parent.mkdir(parents=True, exist_ok=True)
    args.truth.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({layout.page_count} pages, {size / 1024:.0f} KiB) and {args.truth}", file=sys.stderr)
    for t in truth["tables"]:
        print(f"  table {t['seq']:>2} {t['code']:<32} pages {t['pages']}", file=sys.stderr)
    return 0
