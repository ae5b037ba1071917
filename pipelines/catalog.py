"""The one place for table identity: canonical table codes, the title patterns that map a
printed title to them, and the header words that name measure columns.

Titles vary by province and year (表一 / 公开01表 / 预算公开表1, “收支预算总表” vs
“财务收支预算总表”), so tables are classified by what the title says, not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class TableCode(StrEnum):
    """Canonical table codes (the README's table of tables)."""

    PERFORMANCE_TARGETS = "performance_targets"
    APPROPRIATION_SUMMARY = "appropriation_summary"
    INCOME_EXPENDITURE_SUMMARY = "income_expenditure_summary"
    GOV_FUND_EXPENDITURE = "gov_fund_expenditure"
    GOV_FUND_INCOME = "gov_fund_income"
    STATE_CAPITAL = "state_capital"
    THREE_PUBLIC = "three_public"
    OFFICE_OPERATION = "office_operation"
    PROCUREMENT = "procurement"
    PROJECT_EXPENDITURE_CARRYOVER = "project_expenditure_carryover"
    PROJECT_EXPENDITURE = "project_expenditure"
    APPROPRIATION_BASIC_ECON = "appropriation_basic_econ"
    APPROPRIATION_EXPENDITURE = "appropriation_expenditure"
    BASIC_EXPENDITURE_ECON = "basic_expenditure_econ"
    BASIC_EXPENDITURE_FUNCTION = "basic_expenditure_function"
    GENERAL_BUDGET_ECON = "general_budget_econ"
    GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"
    INCOME_SUMMARY = "income_summary"
    EXPENDITURE_SUMMARY = "expenditure_summary"
    UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class TableKind:
    code: TableCode
    name_zh: str
    name_en: str
    # Regex searched in the title with number labels and year stripped; first kind that
    # matches wins, so more specific kinds come first.
    pattern: str
    # Subject tables list function-classification codes (类/款/项) row by row.
    subject_table: bool = False


# A summary table's title ends 总表 (most templates), 总体情况表 (Chongqing, Guangzhou, Zhuhai, Yantai,
# Changsha) or, in a final account, 决算表.
_SUMMARY = r"(总(体情况)?表|决算表)"

TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind(TableCode.PERFORMANCE_TARGETS, "项目支出绩效目标表", "project performance targets", r"绩效目标"),
    TableKind(TableCode.APPROPRIATION_SUMMARY, "财政拨款收支总表",
              "fiscal appropriation income and expenditure summary",
              r"财政拨款收(入)?支(出)?.*总(体情况)?表"),
    TableKind(TableCode.INCOME_EXPENDITURE_SUMMARY, "收支总表", "income and expenditure summary",
              r"收(入)?支(出)?.*总(体情况)?表"),
    # Xi'an prints one 政府性基金收支表 for both sides.
    TableKind(TableCode.GOV_FUND_EXPENDITURE, "政府性基金预算支出表", "government fund expenditure",
              r"政府性基金.*(支出|收支)", subject_table=True),
    TableKind(TableCode.GOV_FUND_INCOME, "政府性基金预算收入表", "government fund income", r"政府性基金.*收入"),
    TableKind(TableCode.STATE_CAPITAL, "国有资本经营预算收支表", "state capital operations budget", r"国有资本经营"),
    TableKind(TableCode.THREE_PUBLIC, "“三公”经费支出表", "“three public” expenses", r"三公"),
    TableKind(TableCode.OFFICE_OPERATION, "机关运行经费表", "office operation expenses", r"机关运行经费"),
    TableKind(TableCode.PROCUREMENT, "政府采购预算表", "government procurement", r"政府采购"),
    # Xi'an: 财政拨款上年结转资金支出表 / 财政拨款结转资金支出表.
    TableKind(TableCode.PROJECT_EXPENDITURE_CARRYOVER, "项目支出表（上年结转）", "project expenditure carried over",
              r"项目支出.*上年结转|结转资金支出"),
    # Xi'an calls 项目支出 专项业务经费 (部门综合预算专项业务经费支出表).
    TableKind(TableCode.PROJECT_EXPENDITURE, "项目支出表", "project expenditure", r"项目支出|专项业务经费"),
    TableKind(TableCode.APPROPRIATION_BASIC_ECON, "财政拨款基本支出表",
              "appropriation basic expenditure by economic class", r"^财政拨款.*基本支出"),
    TableKind(TableCode.APPROPRIATION_EXPENDITURE, "财政拨款支出表", "appropriation expenditure by function",
              r"^财政拨款.*支出", subject_table=True),
    # Xi'an: 一般公共预算基本支出明细表（按支出功能分类科目 / 按功能科目分）.
    TableKind(TableCode.BASIC_EXPENDITURE_FUNCTION, "一般公共预算基本支出表（按功能分类）",
              "general budget basic expenditure by function", r"基本支出.*功能", subject_table=True),
    TableKind(TableCode.BASIC_EXPENDITURE_ECON, "一般公共预算基本支出经济分类表",
              "general budget basic expenditure by economic class", r"基本支出"),
    # Basic and project expenditure together by economic class: Shenzhen 表8 一般公共预算支出表（按经济分类）,
    # Xi'an 表6 …支出明细表（按支出经济分类科目）, Fujian 一般公共预算支出经济分类情况表.
    TableKind(TableCode.GENERAL_BUDGET_ECON, "一般公共预算支出经济分类表",
              "general budget expenditure by economic class", r"经济分类"),
    TableKind(TableCode.GENERAL_BUDGET_EXPENDITURE, "一般公共预算支出表", "general public budget expenditure",
              r"一般公共预算.*支出", subject_table=True),
    TableKind(TableCode.INCOME_SUMMARY, "收入总表", "income summary", f"收入.*{_SUMMARY}", subject_table=True),
    TableKind(TableCode.EXPENDITURE_SUMMARY, "支出总表", "expenditure summary", f"支出.*{_SUMMARY}",
              subject_table=True),
)
KINDS_BY_CODE = {k.code: k for k in TABLE_KINDS}
UNCLASSIFIED = TableCode.UNCLASSIFIED

# Tables whose rows are economic subjects (部门预算支出经济分类), resolved against the catalog.
ECON_TABLES = (TableCode.BASIC_EXPENDITURE_ECON, TableCode.APPROPRIATION_BASIC_ECON)

# Row labels of a table's grand-total row, as the templates print them.
TOTAL_LABELS = ("合计", "总计", "部门合计", "单位合计")
# …and the summary tables' own totals (收支总表: 本年收入合计 … 支出总计).
SUMMARY_TOTAL_LABELS = ("本年收入合计", "本年支出合计", "收入总计", "支出总计")

# The lines of a 收支总表 (budget or final account) that state its totals, by the side they are printed on:
# 总计 = 本年 + carry-overs (收入总计 = 本年收入合计 + 上年结转 / 年初结转和结余; 支出总计 = 本年支出合计 +
# 结转下年 / 年末结转和结余 (+ 结余分配)). Jiangsu prints 当年收入小计 … 收入合计, Shanghai's final accounts
# 本年收入合计 … 年初结转和结余 … 总计, Zhuhai 上年结转结余 … 结转结余下年.
SUMMARY_LINES = {
    "income_total": ("收入", r"收入总计|收入合计|总计"),
    "expenditure_total": ("支出", r"支出总计|支出合计|总计"),
    "current_year_income": ("收入", r"本年收入合计|当年收入小计|本年收入小计"),
    "current_year_expenditure": ("支出", r"本年支出合计|当年支出小计|本年支出小计"),
    "carryover_in": ("收入", r"(上年|年初)(财政拨款)?(结转|结余).*"),  # Shenzhen: 上年结余、结转
    "carryover_out": ("支出", r"(年终|年末)(结转|结余).*|结转(结余)?下年.*"),
}

# What a table printed without amounts says of itself, under it or as its only row: 注：本表无数据 /
# 此表无数据 / 空表 / 此表为空; 本部门无相关收支项目 / 本部门无该项目 (Jiangsu 2018), 我单位无2017年政府性基金
# 支出安排 (Jiangsu 2017), (无政府性基金支出）(Jiangsu 2017) and a cell reading just 无.
EMPTY_TABLE_WORDS = re.compile(
    r"本表无数据|此表无数据|无数据|空表|为空|无相关(的)?收支|无(此类|相关|该|此)(收支)?(项目|数据|项)"
    r"|无[^，。；、]{0,24}安排|^(注[：:])?[（(]?无(?![偿形息])[^，。；]{0,14}(支出|收入|数据|项目)[）)]?[。.]?$|^无$")

# The fund sources a 绩效目标表 splits a project's money into (its columns or rows).
FUND_SOURCES = ("中央财政资金", "省级财政资金", "市县（区）财政资金", "单位自筹", "其他资金")

# A line is a table title if it names a table (…表) and is short; prose mentioning a table is longer.
_TITLE_WORD = re.compile(r"(总表|绩效表|预算表|支出表|收入表|费表|科目表|分类表|明细表|情况表|目标表|决算表|收支表)")
# The number a template prints before a title: 公开01表 / 公开表1 / 预算公开表1 (Jiangsu, Wuxi, Suzhou,
# Yantai), 表一 (Chongqing), 表1 / 表01 / 表 3 / 表14-1 / 附表14 (Guangzhou, Zhuhai, Huzhou, Xi'an), 表1. / 表1：
# (Hangzhou), 单位预算01表 / 单位预算表10 (Shanghai), 一、/ 1. / 1、/ （一）(目录 entries, Fujian, Shenzhen).
_NUMBER_LABEL = re.compile(
    r"^(?:(?:预算|部门|单位)?公开(?:表)?\s*\d+\s*表?|(?:单位|部门)?预算\s*\d+\s*表|(?:单位|部门)?预算表\s*\d+"
    r"|附?表\s*\d+(?:-\d+)?(?![\d年])[.．:：、]?|表[一二三四五六七八九十]+|公开\d+表|[一二三四五六七八九十]+、|\d+[.．、]"
    r"|[（(][一二三四五六七八九十]+[）)])\s*"
)
# …or after it: “收支总表（预算表 1）” (Changchun).
_TRAILING_NUMBER_LABEL = re.compile(r"[（(]\s*(?:单位|部门)?预算表\s*\d+\s*[）)]$")


def split_number_label(line: str) -> tuple[str | None, str]:
    """'预算公开表1' / '表一2025年预算收支总表' / '公开01表' / '收支总表（预算表 1）' → (label, rest of the title)."""
    line = line.strip()
    m = _NUMBER_LABEL.match(line)
    if not m:
        t = _TRAILING_NUMBER_LABEL.search(line)
        if t and t.start() > 0:
            return t.group(0).strip("（()） "), line[:t.start()].strip(" ：:")
        return None, line
    return m.group(0).strip(), line[m.end():].strip(" ：:")


def looks_like_title(line: str) -> bool:
    t = re.sub(r"\s+", "", line)
    if re.match(r"第[一二三四五六七八九十]+部分", t):
        return False  # a part heading over the tables (“第二部分 2026年度部门预算表”)
    return 4 <= len(t) <= 60 and bool(_TITLE_WORD.search(t)) and "。" not in t and "，" not in t


def classify_title(title: str) -> str:
    """Printed table title → canonical table code, or 'unclassified'."""
    t = re.sub(r"\s+", "", title)
    t = re.sub(r"^\d{4}年(度)?", "", split_number_label(t)[1])
    # Jiangsu prints the unit inside the title (“2018年度江苏省高级人民法院收支预算总表”), Shanghai
    # prints 预算单位/部门: drop what precedes the table words so anchored patterns see them.
    t = re.sub(r"^(部门)?综合预算", "", t)  # Xi'an: 部门综合预算收支总表
    t = re.sub(r"^.*?(部门|单位|法院|检察院|办公厅|委员会|局|院|处|会)"
               r"(?=(财政拨款|一般公共|政府性|国有|收|支|项目|“?三公|机关))", "", t)
    for kind in TABLE_KINDS:
        if re.search(kind.pattern, t):
            return kind.code
    return UNCLASSIFIED


def refine_by_columns(code: str, columns: list[str]) -> str:
    """A title that does not say by which classification a table is read, told by its header:
    Xi'an 2022 prints 表6 as “一般公共预算支出明细表” (its 目录: 按支出经济分类科目) with the columns
    部门经济科目编码 | 部门经济科目名称 | 政府经济科目编码 …"""
    economic = any(re.search(r"经济(科目|分类)", c) for c in columns)
    functional = any(re.search(r"功能(科目|分类)", c) for c in columns)
    if code == TableCode.GENERAL_BUDGET_EXPENDITURE and economic and not functional:
        return TableCode.GENERAL_BUDGET_ECON
    return code


@dataclass(frozen=True)
class Measure:
    key: str
    name_zh: str
    name_en: str
    kind: str  # total | component (基本/项目/人员/公用 …) | fund_source | period


MEASURES: tuple[Measure, ...] = (
    Measure("total", "合计", "total", "total"),
    Measure("basic", "基本支出", "basic expenditure", "component"),
    Measure("project", "项目支出", "project expenditure", "component"),
    Measure("personnel", "人员经费", "personnel expenses", "component"),
    Measure("public", "公用经费", "public (office) expenses", "component"),
    Measure("reserve", "单位预留机动经费", "unit reserve", "component"),
    Measure("operating_expenditure", "事业单位经营支出", "operating expenditure of public institutions", "component"),
    Measure("remit_upper", "上缴上级支出", "remitted to the higher-level unit", "component"),
    Measure("affiliate_subsidy", "对附属单位补助支出", "subsidies to affiliated units", "component"),
    Measure("carry_forward", "结转下年资金", "carried forward to next year", "period"),
    Measure("current", "当年预算安排", "current-year appropriation", "period"),
    Measure("carryover", "上年结转", "carried over from last year", "period"),
    Measure("appropriation", "财政拨款", "fiscal appropriation", "fund_source"),
    Measure("general_budget", "一般公共预算", "general public budget", "fund_source"),
    Measure("gov_fund", "政府性基金预算", "government fund budget", "fund_source"),
    Measure("state_capital", "国有资本经营预算", "state capital operations budget", "fund_source"),
    Measure("special_account", "财政专户管理资金", "special fiscal account funds", "fund_source"),
    Measure("unit_funds", "单位资金", "unit's own funds", "fund_source"),
    Measure("business_income", "事业收入", "public-service income", "fund_source"),
    Measure("operating_income", "事业单位经营收入", "operating income of public institutions", "fund_source"),
    Measure("other_income", "其他收入", "other income", "fund_source"),
)

# What a document's expenditure total holds besides 基本支出 and 项目支出, where its template prints it
# (Jiangsu 单位预留机动经费 and 结转下年资金; most cities 事业单位经营支出, 上缴上级支出, 对附属单位补助支出).
OTHER_EXPENDITURE_COMPONENTS = ("reserve", "carry_forward", "operating_expenditure", "remit_upper", "affiliate_subsidy")

# Header words → measure keys. Order matters: the first match in a column's joined header wins,
# so composite names ("上年结转安排") come before their parts ("上年结转").
MEASURE_WORDS: tuple[tuple[str, str], ...] = (
    ("当年预算安排", "current"),
    ("单位预留机动经费", "reserve"),
    ("事业单位经营支出", "operating_expenditure"),
    ("上缴上级支出", "remit_upper"),
    ("对附属单位补助支出", "affiliate_subsidy"),
    ("结转下年", "carry_forward"),
    ("上年结转安排", "carryover"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    # Hangzhou and Huzhou head 基本支出's parts 人员支出 | (日常)公用支出 (no 基本支出 total column);
    # Xi'an prints 人员经费支出 | 公用经费支出 | 专项业务经费支出 (its name for 项目支出).
    ("人员支出", "personnel"),
    ("公用支出", "public"),
    ("专项业务经费", "project"),
    ("一般公共预算", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "state_capital"),
    ("财政专户", "special_account"),
    ("单位资金", "unit_funds"),
    ("事业单位经营收入", "operating_income"),
    ("事业收入", "business_income"),
    ("其他收入", "other_income"),
    ("财政拨款", "appropriation"),
    ("上年结转", "carryover"),
    ("小计", "total"),
    ("合计", "total"),
    ("总计", "total"),  # Chongqing 表三 总计, Shenzhen 表3 支出总计
    ("金额", "total"),
)


def measure_key(header: str) -> str | None:
    """Joined header text of one column (e.g. '本年收入/一般公共预算') → measure key."""
    h = re.sub(r"\s+", "", header)
    leaf = h.split("/")[-1]
    if leaf.startswith("其中"):
        return None  # “其中：专项资金列入部门预算的项目” (Xi'an): a detail of a column, not a part of the row
    for word, key in MEASURE_WORDS:
        if word in leaf:
            return key
    for word, key in MEASURE_WORDS:
        if word in h:
            return key
    return None
