"""The final-account (决算) variant of the reference PDF: a 2024 部门决算 of an invented unit.

The budget reference (render.py) is read from a seed text layer; this one is Python data, written here
after the layout of our one real final account (上海市普陀区财政局 2024 部门决算,
../shared/corpus/real/sh-putuo-finance-bureau_2024_dept-final.pdf): cover, 目录 over two pages, 第一部分
概况, 第二部分 the nine 决算表 under the titles that template prints, 第三部分 情况说明 in its wording, 第四部分
名词解释. The unit (示范市示范区文化旅游局) and every figure are invented; every sum holds (see README.md,
“The final-account variant”). It is laid out by render.py's `render` and described by its `ground_truth`:

    from tools.reference_pdf.final import build_final_document
    doc = build_final_document()            # edit it to plant a defect (tools/defects.py)
    layout = render(doc, "out.pdf")

    .venv/bin/python -m tools.reference_pdf.final   # writes tests/fixtures/reference/final_account.pdf + JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from .render import (
    DEFAULT_FONT,
    REPO_ROOT,
    BudgetTable,
    Document,
    HeaderCell,
    Para,
    TableLayout,
    TextRun,
    TocEntry,
    ground_truth,
    render,
)

UNIT = "示范市示范区文化旅游局"
YEAR = 2024
PLACEHOLDER_UNIT = "示范市XX局"  # the blank template's unit
SOURCE = "tools/reference_pdf/final.py"
DEFAULT_OUT = REPO_ROOT / "tests" / "fixtures" / "reference" / "final_account.pdf"
DEFAULT_TRUTH = REPO_ROOT / "tests" / "fixtures" / "reference" / "final_account_ground_truth.json"
EMPTY_NOTE = "注：{unit}无{what}，故本表无数据。"

# ---------------------------------------------------------------------------------------------
# The figures (万元). One place for each: the tables and the prose below are derived from these.
# ---------------------------------------------------------------------------------------------

# Function subjects the unit spent on: code, name, 年初预算, 全年预算, 决算 from 一般公共预算财政拨款 (basic,
# project), 决算 from other funds (project), 财政拨款收入 received for it, 其他收入 received for it.
# (财政拨款 received 2.30 less than it spent on 2070199: the year's use of its carry-over, 20.30 → 18.00;
# of the 8.60 其他收入 it spent 6.00, the rest added to the non-appropriation carry-over, 15.90 → 18.50.)
SUBJECTS = [
    # code, name, 年初, 全年, basic, project, other-funds project, appropriation income, other income
    ("2070101", "行政运行", "530.00", "532.00", "520.30", "", "", "520.30", ""),
    ("2070108", "文化活动", "90.00", "92.00", "", "88.00", "6.00", "88.00", "8.60"),
    ("2070109", "群众文化", "200.00", "214.60", "", "214.60", "", "214.60", ""),
    ("2070199", "其他文化和旅游支出", "120.00", "125.00", "", "120.00", "", "117.70", ""),
    ("2080501", "行政单位离退休", "47.00", "47.00", "46.20", "", "", "46.20", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "73.00", "73.00", "72.40", "", "", "72.40", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "36.50", "36.50", "36.20", "", "", "36.20", ""),
    ("2101101", "行政单位医疗", "34.00", "34.00", "33.50", "", "", "33.50", ""),
    ("2210201", "住房公积金", "59.50", "59.50", "58.90", "", "", "58.90", ""),
    ("2210203", "购房补贴", "50.00", "62.60", "62.60", "", "", "62.60", ""),
]
PARENTS = {"207": "文化旅游体育与传媒支出", "20701": "文化和旅游", "208": "社会保障和就业支出",
           "20805": "行政事业单位养老支出", "210": "卫生健康支出", "21011": "行政事业单位医疗",
           "221": "住房保障支出", "22102": "住房改革支出"}
# The 收入支出决算总表's and 财政拨款收入支出决算总表's class lines: (number, name, class code or None).
CLASS_LINES = ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
               "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出",
               "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
               "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
               "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
               "抗疫特别国债安排的支出"]
CARRY_IN_APPROPRIATION, CARRY_OUT_APPROPRIATION = "20.30", "18.00"
CARRY_IN_OTHER, CARRY_OUT_OTHER = "15.90", "18.50"
# 一般公共预算财政拨款基本支出决算表: 人员经费 (301, 303) and 公用经费 (302) by economic subject.
PERSONNEL = [("301", "工资福利支出"), ("30101", "基本工资", "180.20"), ("30102", "津贴补贴", "236.40"),
             ("30103", "奖金", "15.30"), ("30108", "机关事业单位基本养老保险缴费", "72.40"),
             ("30109", "职业年金缴费", "36.20"), ("30110", "职工基本医疗保险缴费", "33.50"),
             ("30113", "住房公积金", "58.90"), ("30199", "其他工资福利支出", "20.10"),
             ("303", "对个人和家庭的补助"), ("30302", "退休费", "46.20"),
             ("30399", "其他对个人和家庭的补助", "62.60")]
PUBLIC = [("302", "商品和服务支出"), ("30201", "办公费", "12.40"), ("30205", "水费", "2.10"),
          ("30206", "电费", "6.80"), ("30207", "邮电费", "3.20"), ("30211", "差旅费", "5.60"),
          ("30213", "维修（护）费", "4.30"), ("30216", "培训费", "2.50"), ("30217", "公务接待费", "6.24"),
          ("30228", "工会经费", "8.10"), ("30229", "福利费", "6.90"), ("30231", "公务用车运行维护费", "4.32"),
          ("30299", "其他商品和服务支出", "5.84")]
# “三公”: (预算数, 决算数) of 因公出国（境）费, 公务用车购置费, 公务用车运行费, 公务接待费.
THREE_PUBLIC = {"abroad": ("", ""), "purchase": ("", ""), "operation": ("5.00", "4.32"),
                "reception": ("7.00", "6.24")}
# Last year's totals the prose compares with (比2023年度): 收入支出总计, 财政拨款收入支出总计, 一般公共预算财政拨款支出,
# 机关运行经费.
LAST_YEAR = {"total": "1259.80", "appropriation": "1240.00", "general": "1224.00", "office": "66.20"}


def D(s: str) -> Decimal:
    return Decimal(s.replace(",", "")) if s else Decimal(0)


def fmt(d: Decimal, blank_zero: bool = True) -> str:
    """A table amount as the template prints it: 1,259.00; blank for nothing."""
    return "" if blank_zero and d == 0 else f"{d:,.2f}"


def plain(d: Decimal) -> str:
    """A prose amount: 1259.00 (no thousands separator, as 普陀's prose prints)."""
    return f"{d:.2f}"


def pct(a: Decimal, b: Decimal) -> str:
    return f"{(a / b * 100).quantize(Decimal('0.01'))}%"


def _subject_rows(columns) -> list[tuple[str, str, list[Decimal]]]:
    """(code, name, amounts) for every 类, 款 and 项 in code order; `columns(row)` → the leaf's amounts."""
    leaves = {s[0]: (s[1], columns(s)) for s in SUBJECTS}
    out = []
    for code in sorted(set(PARENTS) | set(leaves)):  # 类 before its 款 before its 项
        if code in leaves:
            out.append((code, *leaves[code]))
        else:
            parts = [v for c, (_, v) in leaves.items() if c.startswith(code)]
            out.append((code, PARENTS[code], [sum(col, Decimal(0)) for col in zip(*parts, strict=True)]))
    return out


def _total(rows) -> list[Decimal]:
    return [sum(col, Decimal(0)) for col in zip(*(r[2] for r in rows if len(r[0]) == 3), strict=True)]


def _actual(s) -> list[Decimal]:  # 支出决算表: 合计, 基本支出, 项目支出 (all funds)
    basic, project = D(s[4]), D(s[5]) + D(s[6])
    return [basic + project, basic, project]


def _general(s) -> list[Decimal]:  # 一般公共预算财政拨款支出决算表: 年初, 全年, 小计, 基本, 项目
    return [D(s[2]), D(s[3]), D(s[4]) + D(s[5]), D(s[4]), D(s[5])]


def _income(s) -> list[Decimal]:  # 收入决算表: 合计, 财政拨款收入, 其他收入
    return [D(s[7]) + D(s[8]), D(s[7]), D(s[8])]


class Figures:
    """Every total of the document, derived from the figures above."""

    def __init__(self):
        self.actual = _subject_rows(_actual)
        self.general = _subject_rows(_general)
        self.income = _subject_rows(_income)
        self.expenditure, self.basic, self.project = _total(self.actual)
        self.budget_initial, self.budget_full, self.general_total, self.general_basic, self.general_project = \
            _total(self.general)
        self.income_total_year, self.appropriation_income, self.other_income = _total(self.income)
        self.carry_in = D(CARRY_IN_APPROPRIATION) + D(CARRY_IN_OTHER)
        self.carry_out = D(CARRY_OUT_APPROPRIATION) + D(CARRY_OUT_OTHER)
        self.grand_total = self.income_total_year + self.carry_in
        self.appropriation_total = self.appropriation_income + D(CARRY_IN_APPROPRIATION)
        self.personnel = sum((D(r[2]) for r in PERSONNEL if len(r) == 3), Decimal(0))
        self.public = sum((D(r[2]) for r in PUBLIC if len(r) == 3), Decimal(0))
        # every sum the document prints twice holds
        assert self.grand_total == self.expenditure + self.carry_out, "收入总计 ≠ 支出总计"
        assert self.appropriation_total == self.general_total + D(CARRY_OUT_APPROPRIATION), "财政拨款总计"
        assert self.personnel + self.public == self.general_basic, "人员经费 + 公用经费 ≠ 基本支出"
        self.by_class = {code: amounts for code, _, amounts in self.actual if len(code) == 3}
        self.general_by_class = {code: amounts for code, _, amounts in self.general if len(code) == 3}


def _tp(key: str) -> tuple[Decimal, Decimal]:
    return D(THREE_PUBLIC[key][0]), D(THREE_PUBLIC[key][1])


# ---------------------------------------------------------------------------------------------
# Layouts (hand-coded, as render.TABLE_LAYOUTS): widths, text columns, header merges per row.
# ---------------------------------------------------------------------------------------------


def _cells(spec: list[list[tuple[int, int, int, str]]]) -> list[HeaderCell]:
    return [HeaderCell(r, c, text, rs, cs) for r, row in enumerate(spec) for (c, rs, cs, text) in row]


def _table(seq: int, toc_title: str, title: str, code: str, layout: TableLayout, header, rows,
           note: str | None = None) -> BudgetTable:
    cells = _cells(header)
    return BudgetTable(seq=seq, code=code, toc_title=toc_title, title=title, number_label=None,
                       unit_name_line="", unit_line="单位：万元", unit="万元", ncols=len(layout.widths),
                       header_nrows=len(header), header_cells=cells, body_rows=[list(r) for r in rows],
                       page_breaks=[], empty=bool(note), note=note, layout=layout)


def _summary(f: Figures) -> list[list[str]]:
    income = [("一、一般公共预算财政拨款收入", f.appropriation_income), ("二、政府性基金预算财政拨款收入", 0),
              ("三、国有资本经营预算财政拨款收入", 0), ("四、上级补助收入", 0), ("五、事业收入", 0),
              ("六、经营收入", 0), ("七、附属单位上缴收入", 0), ("八、其他收入", f.other_income)]
    rows = []
    for k, name in enumerate(CLASS_LINES):
        code = _class_code(name)
        left = income[k] if k < len(income) else ("", 0)
        rows.append([left[0], fmt(Decimal(left[1])), f"{_cn(k + 1)}、{name}",
                     fmt(f.by_class[code][0] if code in f.by_class else Decimal(0))])
    rows += [["本年收入合计", fmt(f.income_total_year), "本年支出合计", fmt(f.expenditure)],
             ["使用非财政拨款结余（含专用结余）", "", "结余分配", ""],
             ["年初结转和结余", fmt(f.carry_in), "年末结转和结余", fmt(f.carry_out)],
             ["总计", fmt(f.grand_total), "总计", fmt(f.expenditure + f.carry_out)]]
    return rows


def _appropriation(f: Figures) -> list[list[str]]:
    income = ["一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款"]
    rows = []
    for k, name in enumerate(CLASS_LINES):
        code = _class_code(name)
        amount = f.general_by_class[code][2] if code in f.general_by_class else Decimal(0)
        rows.append([income[k] if k < 3 else "", fmt(f.appropriation_income) if k == 0 else "",
                     f"{_cn(k + 1)}、{name}", fmt(amount), fmt(amount), "", ""])
    carry_in, carry_out = D(CARRY_IN_APPROPRIATION), D(CARRY_OUT_APPROPRIATION)
    rows += [["本年收入合计", fmt(f.appropriation_income), "本年支出合计", fmt(f.general_total),
              fmt(f.general_total), "", ""],
             ["年初财政拨款结转和结余", fmt(carry_in), "年末财政拨款结转和结余", fmt(carry_out), fmt(carry_out),
              "", ""],
             ["一、一般公共预算财政拨款", fmt(carry_in), "", "", "", "", ""],
             ["二、政府性基金预算财政拨款", "", "", "", "", "", ""],
             ["三、国有资本经营预算财政拨款", "", "", "", "", "", ""],
             ["总计", fmt(f.appropriation_total), "总计", fmt(f.general_total + carry_out),
              fmt(f.general_total + carry_out), "", ""]]
    return rows


def _class_code(name: str) -> str | None:
    return next((c for c, n in PARENTS.items() if len(c) == 3 and n == name), None)


_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def _econ_rows(f: Figures) -> list[list[str]]:
    def side(items):
        out = []
        for item in items:
            if len(item) == 2:
                amount = sum((D(r[2]) for r in items if len(r) == 3 and r[0].startswith(item[0])), Decimal(0))
                out.append([item[0], item[1], fmt(amount)])
            else:
                out.append([item[0], item[1], fmt(D(item[2]))])
        return out

    left, right = side(PERSONNEL), side(PUBLIC)
    n = max(len(left), len(right))
    left += [["", "", ""]] * (n - len(left))
    right += [["", "", ""]] * (n - len(right))
    rows = [a + b for a, b in zip(left, right, strict=True)]
    return rows + [["", "人员经费合计", fmt(f.personnel), "", "公用经费合计", fmt(f.public)]]


def _three_public_row() -> list[str]:
    abroad, purchase, operation, reception = (_tp(k) for k in ("abroad", "purchase", "operation", "reception"))
    vehicles = (purchase[0] + operation[0], purchase[1] + operation[1])
    total = (abroad[0] + vehicles[0] + reception[0], abroad[1] + vehicles[1] + reception[1])
    cells = []
    for budget, actual in (total, abroad, vehicles, purchase, operation, reception):
        cells += [fmt(budget), fmt(actual)]
    return cells


def build_tables(f: Figures, unit: str = UNIT) -> list[BudgetTable]:
    subject = {0, 1}
    tables = []
    lay = TableLayout(widths=[175, 70, 175, 70], text_cols={0, 2})
    tables.append(_table(1, "一、收入支出决算总表", "收入支出决算总表", "income_expenditure_summary", lay,
                         [[(0, 1, 2, "收入"), (2, 1, 2, "支出")],
                          [(0, 1, 1, "项目"), (1, 1, 1, "决算数"), (2, 1, 1, "项目"), (3, 1, 1, "决算数")]],
                         _summary(f)))

    income_cols = ["本年收入 合计", "财政拨款 收入", "上级补助 收入", "事业收入", "经营收入", "附属单位 上缴收入",
                   "其他收入"]
    lay = TableLayout(widths=[70, 220] + [70] * 7, text_cols=subject, landscape=True, total_span=True)
    rows = [["合计", "", fmt(f.income_total_year), fmt(f.appropriation_income), "", "", "", "", fmt(f.other_income)]]
    rows += [[code, name, fmt(a[0]), fmt(a[1]), "", "", "", "", fmt(a[2])] for code, name, a in f.income]
    tables.append(_table(2, "二、收入决算表", "收入决算表", "income_summary", lay,
                         [[(0, 1, 2, "项目")] + [(2 + k, 2, 1, t) for k, t in enumerate(income_cols)],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称")]], rows))

    spend_cols = ["本年支出 合计", "基本支出", "项目支出", "上缴上级 支出", "经营支出", "对附属单位 补助支出"]
    lay = TableLayout(widths=[70, 230] + [78] * 6, text_cols=subject, landscape=True, total_span=True)
    rows = [["合计", "", fmt(f.expenditure), fmt(f.basic), fmt(f.project), "", "", ""]]
    rows += [[code, name, fmt(a[0]), fmt(a[1]), fmt(a[2]), "", "", ""] for code, name, a in f.actual]
    tables.append(_table(3, "三、支出决算表", "支出决算表", "expenditure_summary", lay,
                         [[(0, 1, 2, "项目")] + [(2 + k, 2, 1, t) for k, t in enumerate(spend_cols)],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称")]], rows))

    lay = TableLayout(widths=[120, 58, 130, 56, 56, 56, 56], text_cols={0, 2})
    tables.append(_table(4, "四、财政拨款收入支出决算总表", "财政拨款收入支出决算总表", "appropriation_summary", lay,
                         [[(0, 1, 2, "收入"), (2, 1, 5, "支出")],
                          [(0, 2, 1, "项目"), (1, 2, 1, "决算数"), (2, 2, 1, "项目"), (3, 1, 4, "决算数")],
                          [(3, 1, 1, "合计"), (4, 1, 1, "一般公共 预算财政 拨款"),
                           (5, 1, 1, "政府性基金 预算财政 拨款"),
                           (6, 1, 1, "国有资本 经营预算 财政拨款")]],
                         _appropriation(f)))

    lay = TableLayout(widths=[62, 200, 62, 62, 62, 62, 62], text_cols=subject, total_span=True)
    rows = [[code, name, *(fmt(x) for x in a)] for code, name, a in f.general]
    rows.append(["合计", "", fmt(f.budget_initial), fmt(f.budget_full), fmt(f.general_total), fmt(f.general_basic),
                 fmt(f.general_project)])
    tables.append(_table(5, "五、一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表",
                         "general_budget_expenditure", lay,
                         [[(0, 1, 2, "项目"), (2, 2, 1, "年初预算数"), (3, 2, 1, "全年预算数"), (4, 1, 3, "决算数")],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称"), (4, 1, 1, "小计"), (5, 1, 1, "基本支出"),
                           (6, 1, 1, "项目支出")]], rows))

    lay = TableLayout(widths=[48, 135, 60, 48, 135, 60], text_cols={0, 1, 3, 4})
    tables.append(_table(6, "六、一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算表",
                         "basic_expenditure_econ", lay,
                         [[(0, 1, 3, "人员经费"), (3, 1, 3, "公用经费")],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称"), (2, 1, 1, "决算数"), (3, 1, 1, "科目编码"),
                           (4, 1, 1, "科目名称"), (5, 1, 1, "决算数")]], _econ_rows(f)))

    lay = TableLayout(widths=[60] * 12, text_cols=set(), landscape=True)
    pairs = [(2 * k, 1, 1, "预算数") for k in range(6)] + [(2 * k + 1, 1, 1, "决算数") for k in range(6)]
    tables.append(_table(7, "七、财政拨款“三公”经费支出决算表", "财政拨款“三公”经费支出决算表", "three_public", lay,
                         [[(0, 1, 12, "财政拨款“三公”经费")],
                          [(0, 2, 2, "合计"), (2, 2, 2, "因公出国（境）费"), (4, 1, 6, "公务用车购置及运行费"),
                           (10, 2, 2, "公务接待费")],
                          [(4, 1, 2, "小计"), (6, 1, 2, "公务用车购置费"), (8, 1, 2, "公务用车运行费")],
                          sorted(pairs)], [_three_public_row()]))

    lay = TableLayout(widths=[70, 190, 70, 70, 70, 70, 70, 70], text_cols=subject, landscape=True, total_span=True)
    tables.append(_table(8, "八、政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款收入支出决算表",
                         "gov_fund_expenditure", lay,
                         [[(0, 1, 2, "项目"), (2, 2, 1, "年初结转 和结余"), (3, 2, 1, "本年收入"),
                           (4, 1, 3, "本年支出"),
                           (7, 2, 1, "年末结转 和结余")],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称"), (4, 1, 1, "小计"), (5, 1, 1, "基本支出"),
                           (6, 1, 1, "项目支出")]], [["合计", "", "", "", "", "", "", ""]],
                         note=EMPTY_NOTE.format(unit=unit, what="政府性基金预算财政拨款收入和支出")))

    lay = TableLayout(widths=[80, 230, 90, 90, 90], text_cols=subject, landscape=True, total_span=True)
    tables.append(_table(9, "九、国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款支出决算表",
                         "state_capital", lay,
                         [[(0, 1, 2, "项目"), (2, 1, 3, "本年支出")],
                          [(0, 1, 1, "科目编码"), (1, 1, 1, "科目名称"), (2, 1, 1, "小计"), (3, 1, 1, "基本支出"),
                           (4, 1, 1, "项目支出")]], [["合计", "", "", "", ""]],
                         note=EMPTY_NOTE.format(unit=unit, what="国有资本经营预算财政拨款支出")))
    return tables


# ---------------------------------------------------------------------------------------------
# Prose (第三部分 in 普陀's wording)
# ---------------------------------------------------------------------------------------------

REASON_LESS = "决算数小于预算数的主要原因：{}。"
REASON_EQUAL = "决算数与预算数持平。"
# Per 项: what it is for, why the 决算 is under the budget; 2070108 states only its 决算 and the ratio (its
# budgets are the table's: narrative.completion_tables reads them there).
ITEM_TEXT = {
    "2070101": ("局机关人员经费及公用经费等基本支出", "人员调动及退休，减少人员经费开支"),
    "2070108": ("全区群众性文化活动的组织与补助", "部分活动合并举办，节约相关经费"),
    "2070109": ("街镇文化服务中心运行补助", ""),
    "2070199": ("文旅融合宣传推广等支出", "个别宣传项目按实际需求调减"),
    "2080501": ("离退休人员经费支出", "预算按充分保障预估，实际执行基本贴合预期"),
    "2080505": ("在职人员的基本养老保险支出", "预算按充分保障预估，实际执行基本贴合预期"),
    "2080506": ("在职人员的职业年金缴费支出", "预算按周全保障测算，实际执行基本贴合预期"),
    "2101101": ("在职人员基本医疗保险费", "预算按周全保障测算，实际执行基本贴合预期"),
    "2210201": ("缴纳在职人员住房公积金", "预算按周全保障测算，实际执行基本贴合预期"),
    "2210203": ("发放在职人员住房购房补贴", ""),
}
ONLY_RATIO = {"2070108"}


def _item_sentence(k: int, code: str, f: Figures) -> str:
    row = next(a for c, _, a in f.general if c == code)
    _, full, actual = row[0], row[1], row[2]
    names = {c: n for c, n, _ in f.general}
    use, reason = ITEM_TEXT[code]
    path = f"{names[code[:3]]}（类）{names[code[:5]]}（款）{names[code]}（项）"
    if code in ONLY_RATIO:
        figures = f"支出决算为{plain(actual)}万元，完成全年预算数的{pct(actual, full)}。"
    else:
        figures = f"全年预算为{plain(full)}万元，支出决算为{plain(actual)}万元，完成全年预算数的{pct(actual, full)}。"
    why = REASON_EQUAL if actual == full else REASON_LESS.format(reason)
    return f"{k}、{path}。主要用于：{use}。{figures}{why}"


def build_prose(f: Figures, unit: str = UNIT) -> list[tuple[str, str]]:
    """(kind, text) of 第三部分 and 第四部分."""
    y, last = YEAR, YEAR - 1
    ly = {k: D(v) for k, v in LAST_YEAR.items()}

    def change(now: Decimal, before: Decimal) -> str:
        d = now - before
        verb, rate = ("增加", "增长") if d > 0 else ("减少", "下降")
        return f"{verb}{plain(abs(d))}万元，{rate}{pct(abs(d), before)}"

    abroad, purchase, operation, reception = (_tp(k) for k in ("abroad", "purchase", "operation", "reception"))
    vehicles = (purchase[0] + operation[0], purchase[1] + operation[1])
    tp_budget = abroad[0] + vehicles[0] + reception[0]
    tp_actual = abroad[1] + vehicles[1] + reception[1]
    classes = "；".join(f"{PARENTS[c]}（类）{plain(a[2])}万元，占{pct(a[2], f.general_total)}"
                       for c, a in f.general_by_class.items())
    out = [
        ("part", f"第三部分 {unit}{y}年度部门决算情况说明"),
        ("h1", "一、收入支出决算总体情况说明"),
        ("body", f"{unit}{y}年度收入支出总计{plain(f.grand_total)}万元。与{last}年度相比，收入支出总计"
                 f"{change(f.grand_total, ly['total'])}。主要原因：群众文化活动补助增加。"),
        ("h1", "二、收入决算情况说明"),
        ("body", f"本年收入合计{plain(f.income_total_year)}万元，其中："
                 f"财政拨款收入{plain(f.appropriation_income)}万元，"
                 f"占{pct(f.appropriation_income, f.income_total_year)}；其他收入{plain(f.other_income)}万元，"
                 f"占{pct(f.other_income, f.income_total_year)}。"),
        ("h1", "三、支出决算情况说明"),
        ("body", f"本年支出合计{plain(f.expenditure)}万元，其中：基本支出{plain(f.basic)}万元，"
                 f"占{pct(f.basic, f.expenditure)}；项目支出{plain(f.project)}万元，"
                 f"占{pct(f.project, f.expenditure)}。"),
        ("h1", "四、财政拨款收入支出决算总体情况说明"),
        ("body", f"{unit}{y}年度财政拨款收入支出总计{plain(f.appropriation_total)}万元。与{last}年度相比，"
                 f"财政拨款收入支出总计{change(f.appropriation_total, ly['appropriation'])}。"
                 "主要原因：群众文化活动补助增加。"),
        ("h1", "五、一般公共预算财政拨款支出决算情况说明"),
        ("h2", "（一）一般公共预算财政拨款支出决算总体情况"),
        ("body", f"一般公共预算财政拨款支出{plain(f.general_total)}万元，占本年支出合计的"
                 f"{pct(f.general_total, f.expenditure)}。与{last}年度相比，一般公共预算财政拨款支出"
                 f"{change(f.general_total, ly['general'])}。主要原因：群众文化活动补助增加。"),
        ("h2", "（二）一般公共预算财政拨款支出决算结构情况"),
        ("body", f"一般公共预算财政拨款支出{plain(f.general_total)}万元，主要用于以下方面：{classes}。"),
        ("h2", "（三）一般公共预算财政拨款支出决算具体情况"),
        ("body", f"一般公共预算财政拨款支出全年预算为{plain(f.budget_full)}万元，"
                 f"支出决算为{plain(f.general_total)}万元，"
                 f"完成全年预算数的{pct(f.general_total, f.budget_full)}。"
                 + REASON_LESS.format("部分项目按实际需求调减") + "其中："),
    ]
    out += [("body", _item_sentence(k, code, f)) for k, code in enumerate((s[0] for s in SUBJECTS), start=1)]
    out += [
        ("h1", "六、一般公共预算财政拨款基本支出决算情况说明"),
        ("body", f"一般公共预算财政拨款基本支出{plain(f.general_basic)}万元。其中：人员经费{plain(f.personnel)}万元，"
                 "主要包括：基本工资、津贴补贴、奖金、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、"
                 f"住房公积金、其他工资福利支出、退休费、其他对个人和家庭的补助；公用经费{plain(f.public)}万元，主要包括："
                 "办公费、水费、电费、邮电费、差旅费、维修（护）费、培训费、公务接待费、工会经费、福利费、"
                 "公务用车运行维护费、其他商品和服务支出。"),
        ("h1", "七、财政拨款“三公”经费支出决算情况说明"),
        ("h2", "（一）“三公”经费财政拨款支出决算总体情况说明。"),
        ("body", f"“三公”经费财政拨款支出全年预算为{plain(tp_budget)}万元，支出决算为{plain(tp_actual)}万元，"
                 f"完成全年预算数的{pct(tp_actual, tp_budget)}，其中：因公出国（境）费"
                 f"全年预算为{plain(abroad[0])}万元，支出决算为{plain(abroad[1])}万元；"
                 f"公务用车购置及运行维护费全年预算为{plain(vehicles[0])}万元，"
                 f"支出决算为{plain(vehicles[1])}万元，完成全年预算数的{pct(vehicles[1], vehicles[0])}；"
                 f"公务接待费全年预算为{plain(reception[0])}万元，支出决算为{plain(reception[1])}万元，"
                 f"完成全年预算数的{pct(reception[1], reception[0])}。"
                 f"{y}年度“三公”经费支出" + REASON_LESS.format("厉行节约，严格控制公务用车运行和公务接待支出")),
        ("h2", "（二）“三公”经费财政拨款支出决算具体情况说明。"),
        ("body", f"{y}年度因公出国（境）团组0个，累计0人次；公务用车购置0辆，年末公务用车保有量1辆；"
                 "国内公务接待42批次，累计接待315人次。"),
        ("h1", "八、政府性基金预算财政拨款收入支出决算情况说明"),
        ("body", f"{unit}{y}年度无政府性基金预算财政拨款收入和支出。"),
        ("h1", "九、国有资本经营预算财政拨款支出决算情况说明"),
        ("body", f"{unit}{y}年度无国有资本经营预算财政拨款支出。"),
        ("h1", "十、预算绩效管理情况"),
        ("body", f"{unit}{y}年度对4个项目开展了绩效自评，平均得分96.50分，绩效评级均为“优”。"),
        ("h1", "十一、其他重要事项的情况说明"),
        ("h2", "（一）机关运行经费支出情况"),
        ("body", f"机关运行经费支出{plain(f.public)}万元，比{last}年度{change(f.public, ly['office'])}。"
                 "主要原因是更换了老旧办公设施，相关支出略有增加。"),
        ("part", "第四部分 名词解释"),
        ("body", "一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算"
                 "财政拨款和国有资本经营预算财政拨款。"),
        ("body", "二、其他收入：指除上述“财政拨款收入”“事业收入”“经营收入”等以外的收入。"),
        ("body", "三、年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。"),
        ("body", "四、年末结转和结余：指本年度或以前年度预算安排、因客观条件发生变化无法按原计划实施，需延迟到以后年度"
                 "按有关规定继续使用的资金。"),
        ("body", "五、“三公”经费：指单位使用本级财政拨款安排的因公出国（境）费、公务用车购置及运行维护费"
                 "和公务接待费。"),
    ]
    return out


def _overview(unit: str) -> list[tuple[str, str]]:
    return [
        ("part", f"第一部分 {unit}概况"),
        ("h1", "一、主要职能"),
        ("body", f"{unit}是主管全区文化和旅游工作的区政府工作部门。主要职责是：贯彻执行国家和本市有关文化和旅游工作的"
                 "法律、法规和方针、政策；统筹规划全区文化事业、文化产业和旅游业发展；组织实施公共文化服务体系建设；"
                 "指导、管理全区群众文化活动和文物保护工作；完成区委、区政府交办的其他任务。"),
        ("h1", "二、部门决算单位构成"),
        ("body", f"从预算单位构成看，{unit}部门决算包括：{unit}本级决算。纳入{unit}{YEAR}年度部门决算编制范围的单位"
                 f"只有{unit}（本级）。"),
    ]


def _paras(items: list[tuple[str, str]], part: str = "") -> list[Para]:
    out = []
    for kind, text in items:
        if kind == "part":
            part = text
        out.append(Para(kind, [TextRun(text)], part=part))
    return out


def build_final_document(unit: str = UNIT) -> Document:
    """The clean 2024 部门决算 of the invented unit (every figure from the tables above)."""
    f = Figures()
    tables = build_tables(f, unit)
    part2 = f"第二部分 {unit}{YEAR}年度部门决算表"
    blocks: list = _paras(_overview(unit))
    blocks += _paras([("part", part2)])
    blocks += tables
    blocks += _paras(build_prose(f, unit))
    headings = [b.text for b in blocks if isinstance(b, Para) and b.kind in ("part", "h1")]
    toc = []
    for text in headings:
        level = 0 if text.startswith("第") else 1
        toc.append(TocEntry(text, "", level, page_break_before=text.startswith("第三部分")))
        if text == part2:
            toc += [TocEntry(t.toc_title, "", 1) for t in tables]
    return Document(source_seed=SOURCE, unit_name=unit, fiscal_year=YEAR, doc_kind="dept_final", money_unit="万元",
                    cover_lines=[unit, f"{YEAR}年度部门决算"], toc_title="目  录", toc=toc, blocks=blocks)


_AMOUNT = re.compile(r"\d[\d,]*\.\d+%?|\d+(?=万元|%)")


def blank_template(doc: Document, unit: str = PLACEHOLDER_UNIT) -> Document:
    """The same document as a template published before it was filled in: the unit a placeholder, every
    table cell amount blank, every amount of the prose “XX”. Edits `doc` in place and returns it."""
    rename(doc, unit)
    for t in doc.tables:
        for row in t.body_rows:
            row[:] = ["" if _AMOUNT.fullmatch(c) else c for c in row]
    for b in doc.blocks:
        if isinstance(b, Para) and b.kind not in ("part", "h1", "h2"):
            for run in b.runs:
                run.text = _AMOUNT.sub("XX", run.text)
    return doc


def rename(doc: Document, unit: str) -> Document:
    """Print another unit's name everywhere the document prints its own (cover, 目录, headings, prose, notes)."""
    old = doc.unit_name
    doc.unit_name = unit
    doc.cover_lines = [line.replace(old, unit) for line in doc.cover_lines]
    for e in doc.toc:
        e.text = e.text.replace(old, unit)
    for b in doc.blocks:
        if isinstance(b, Para):
            b.part = b.part.replace(old, unit)
            for run in b.runs:
                run.text = run.text.replace(old, unit)
        elif isinstance(b, BudgetTable) and b.note:
            b.note = b.note.replace(old, unit)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.reference_pdf.final", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PDF to write (default: %(default)s)")
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH, help="ground truth to write (default: %(default)s)")
    ap.add_argument("--font", type=Path, default=DEFAULT_FONT, help="CJK TrueType font (default: %(default)s)")
    args = ap.parse_args(argv)
    doc = build_final_document()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    layout = render(doc, args.out, font_path=args.font)
    truth = ground_truth(doc, layout)
    args.truth.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({layout.page_count} pages, {args.out.stat().st_size / 1024:.0f} KiB) and {args.truth}",
          file=sys.stderr)
    for t in truth["tables"]:
        print(f"  table {t['seq']:>2} {t['code']:<32} pages {t['pages']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
