"""The rule catalog: the one definition of every validation rule.

Each rule has an id (the `check_id` of its results), a family (the GX suite that runs it, over the
family's staged frame of assertions), a severity (error blocks publishing, warning does not), what
it means, the tables it reads and the tolerance it allows. `expectations/suites/*.json` and
`docs/rules.md` are generated from this module (`python -m expectations`), and a test keeps them
equal to what it generates.

No tolerance is a blanket one: money is compared with the rounding its printed precision allows
(`pipelines.money.sum_tolerance`: every printed number may be off by half a unit of its last
printed digit), a percentage with half a unit of its own last printed digit, widened by the
rounding of the amounts it is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    """An error-severity failure quarantines a document; a warning is reported only."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING

# Tolerances, by key (the rule's `tolerance`), as the catalog states them.
TOLERANCES = {
    "sum": "n+1 half-units: the total and each of its n parts may be off by half a unit of its last printed "
           "digit (money.sum_tolerance; 0.01 万元 printed → 0.005 万元 = 50 元 each)",
    "pair": "2 half-units: each of the two printed amounts may be off by half a unit of its last printed digit "
            "(units may differ: 9.98 万元 vs 99,750.00 元 passes)",
    "percent": "half a unit of the percentage's last printed digit (81.46% → ±0.005), widened by the rounding "
               "of the amounts the ratio is computed from",
    "exact": "none: words and notes are compared as printed",
}

# “基本持平” / “基本一致” (roughly equal) of a 决算 against its budget admits a difference of up to this share of the
# budget besides the rounding (wording.actual_vs_budget): Shanghai writes it of equal figures, others of near ones.
ROUGHLY_EQUAL = Decimal("0.05")

FAMILIES = {
    "hierarchy": "Classification tables (function subjects, economic subjects) add up level by level.",
    "row": "Each row adds up across its columns.",
    "cross": "Tables that print the same figure agree with each other.",
    "narrative": "The prose (情况说明) states the tables' figures, shares and changes correctly.",
    "wording": "Words agree with the numbers they describe; empty tables say so.",
}


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: str
    meaning: str
    tables: str
    tolerance: str  # a key of TOLERANCES
    why_severity: str = ""


RULES: tuple[Rule, ...] = (
    Rule("hierarchy.subject_sum", "hierarchy", ERROR,
         "类 = Σ款 and 款 = Σ项 of the function subjects (科目编码), and the table's 合计 row = Σ类, for every "
         "measure column the parent row prints (合计, 基本支出, 项目支出, fund sources …); a blank child is 0. A "
         "汇总 table printing a block of subjects per unit, headed by the unit's row (Shenzhen: its 类 codes "
         "repeat), is summed within each block, and each unit's row = Σ its 类.",
         "every table with function-subject rows: 收入总表, 支出总表, 一般公共预算支出表, 财政拨款支出表, "
         "政府性基金预算支出表", "sum"),
    Rule("hierarchy.econ_sum", "hierarchy", ERROR,
         "In economic-classification tables (部门预算支出经济分类): each 类 row = Σ its 款 rows, and the 合计 row = "
         "Σ类, for 合计, 人员经费 and 公用经费. Rows are placed by their printed codes or, where only names are "
         "printed, by the classification catalog (pipelines/normalise/econ.py); a 类 with a row the catalog cannot "
         "place is not summed.",
         "一般公共预算基本支出经济分类表, 财政拨款基本支出表", "sum"),
    Rule("row.total_equals_parts", "row", ERROR,
         "On every row that prints them: 合计 = 基本支出 + 项目支出 (+ 单位预留机动经费, 结转下年资金, "
         "事业单位经营支出, 上缴上级支出, 对附属单位补助支出 where printed); 基本支出 = 人员经费 + 公用经费; 合计 = "
         "人员经费 + 公用经费 (+ 项目支出 …) where no 基本支出 column is printed (a 小计 under 基本支出 is "
         "基本支出).",
         "any table with these columns (支出总表, 一般公共预算支出表, 经济分类表, 收支总表 …)", "sum"),
    Rule("row.fund_sources", "row", ERROR,
         "On every row: a 合计/小计 column = Σ the fund-source columns printed under the same header "
         "(一般公共预算 + 政府性基金 + 国有资本经营 + 财政专户管理资金 + 单位资金, or 财政拨款收入 + 事业收入 + "
         "事业单位经营收入 + 其他收入, + 上年结转 when printed under it). Not applied where a column under "
         "that header is of an unknown kind.",
         "收入总表, 财政拨款收支总表 (expenditure side), 项目支出表, “三公”经费表, 机关运行经费表 …", "sum"),
    Rule("row.periods", "row", ERROR,
         "On every row: a 合计 column = 当年预算安排 + 上年结转安排 printed under the same header.",
         "收支总表 (expenditure side) and any table with period columns", "sum"),
    Rule("cross.summary_totals", "cross", ERROR,
         "收支总表 收入总计 = 支出总计; 收支总表 本年收入合计 (当年收入小计) = 收入总表 合计, plus the lines the "
         "收支总表 prints between 本年收入合计 and 收入总计 (上年结转, 上级补助收入 …) that the 收入总表 prints as "
         "columns of its own, nonzero on its total row; 收支总表 本年支出合计 "
         "(当年支出小计) = 支出总表 合计 (the grand totals stand in where the table prints no current-year line "
         "and no 结转); 收入总表 合计 = 支出总表 合计 where neither prints a 结转 amount.",
         "收支总表, 收入总表, 支出总表", "pair"),
    Rule("cross.income_grand_total", "cross", ERROR,
         "收支总表 收入总计 = 本年收入合计 (当年收入小计) + every line printed between the two on the 收入 side "
         "(上年结转 / 年初结转和结余, 使用非财政拨款结余, 上级补助收入, 用事业基金弥补收支差额 …; numbered and 其中 "
         "lines are parts of the line above them), in budgets and final accounts alike, where the table prints both "
         "lines; a blank line is 0.",
         "收支总表 (收入支出决算总表)", "sum"),
    Rule("cross.expenditure_grand_total", "cross", ERROR,
         "收支总表 支出总计 = 本年支出合计 (当年支出小计) + every line printed between the two on the 支出 side "
         "(结余分配, 结转下年 / 年末结转和结余, 上缴上级支出 …; numbered and 其中 lines are parts of the line above "
         "them), in budgets and final accounts alike, where the table prints both lines; a blank line is 0.",
         "收支总表 (收入支出决算总表)", "sum"),
    Rule("cross.appropriation_general_budget", "cross", ERROR,
         "财政拨款收支总表 一般公共预算 expenditure = 一般公共预算支出表 合计, in total and per function class "
         "(类) row; where the 财政拨款收支总表 prints no 一般公共预算 column, its total stands in when the "
         "document's 政府性基金 and 国有资本经营 tables are empty.",
         "财政拨款收支总表, 一般公共预算支出表", "pair"),
    Rule("cross.econ_basic_total", "cross", ERROR,
         "基本支出经济分类表 合计 = 一般公共预算支出表 合计 基本支出 (where that table prints a 基本支出 column), "
         "else = 支出总表 基本支出 when the document's income is all 一般公共预算 (收支总表: 一般公共预算 = 收入总计); "
         "with all income 一般公共预算, also its 人员经费 and 公用经费 = those of the 收支总表 支出总计 line where "
         "it prints them.",
         "一般公共预算基本支出经济分类表, 一般公共预算支出表, 支出总表, 收支总表", "pair"),
    Rule("cross.project_total", "cross", ERROR,
         "项目支出表 total + 项目支出表（上年结转） total = 支出总表 合计 项目支出 (+ its 事业单位经营支出, "
         "上缴上级支出 and 对附属单位补助支出 where the project tables' total is that sum and not 项目支出 alone); a "
         "项目支出表's total is its 合计 row, or its first row where that row names the unit or is the sum of the "
         "rows below it (阳泉), else the sum of its rows, a row the rows below it add up to counting for them (a "
         "list grouped by levels); a 项目支出绩效表 repeats the projects and is not added.",
         "项目支出表, 项目支出表（上年结转）, 支出总表", "sum"),
    Rule("cross.vehicle_operation", "cross", WARNING,
         "“三公”经费表 公务用车运行维护费 = 基本支出经济分类表 公务用车运行维护费 row.",
         "“三公”经费表, 基本支出经济分类表", "pair",
         "the “三公” figure may include project spending on vehicles, which the 基本支出 table leaves out"),
    Rule("cross.office_operation", "cross", WARNING,
         "机关运行经费 (机关运行经费表 合计, or the 机关运行经费 column of the “三公” table) = 基本支出经济分类表 "
         "合计 公用经费, where that table prints a 公用经费 column, in a unit's own budget (not a department's, "
         "whose 公用经费 covers units without 机关运行经费) that prints a nonzero 机关运行经费.",
         "机关运行经费表 / “三公”经费和机关运行经费表, 基本支出经济分类表", "pair",
         "机关运行经费 is 公用经费 only where the document defines it so (administrative units); some define it "
         "more widely"),
    Rule("narrative.claim_amount", "narrative", WARNING,
         "An amount the prose states for the fiscal year, for a subject the tables print (收入/支出 totals, 基本支出, "
         "项目支出, fund sources, 人员经费, 公用经费, “三公” and its parts, 机关运行经费, function classes, and "
         "function subjects by code or by their 类/款/项 names), equals one of the table values for that subject "
         "(the nearest is reported). A generic 收入/支出 amount in a sentence that narrows it (a 类/款/项, 采购) is "
         "not compared. Each figure is compared only with the figures of its own measure: a budget's 预算数 (not "
         "its 上年/执行数 figures), a final account's 决算 (not its 年初预算, 全年预算/调整预算 or 上年 figures, "
         "which its tables do not print in the 决算 column). A claim whose binding is unsure (an amount inside an "
         "explanation “主要原因…”, a generic 收入/支出 of 0, a policy cut “统一压减10%”, a bare share whose whole the "
         "sentence does not name) is recorded and counted, not checked, by every narrative and wording rule.",
         "情况说明 against 收支总表, 收入总表, 支出总表, 一般公共预算支出表, 经济分类表, “三公”, 机关运行经费",
         "pair",
         "claims are read from prose by a shallow parser: a mismatch is worth a look, but must not hold back "
         "tables that add up"),
    Rule("narrative.three_public_budget", "narrative", WARNING,
         "In a final account, the “三公” budget the prose states (“三公”经费 or a part of it, 年初预算 / 全年预算: "
         "«“三公”经费财政拨款支出年初预算为0.95万元») equals the 预算数 its “三公” table prints beside the 决算数 (a "
         "printed column left blank is 0); its 决算 figures are narrative.claim_amount's.",
         "情况说明 against the “三公”经费支出决算表 (final accounts)", "pair",
         "claims are read from prose by a shallow parser"),
    Rule("narrative.share", "narrative", WARNING,
         "A share “占X%” equals part / whole to the printed precision. The whole is what the claim names (占…的X%: "
         "the tables' figure for it, or the prose's); for a bare 占X%, an amount the prose states shortly before "
         "it (same or previous page) that is not smaller than the part, totals without a share of their own "
         "first. The share is reported against the first such whole it fits, else against the first candidate.",
         "情况说明", "percent",
         "the whole of a bare 占X% is inferred from the sentence"),
    Rule("narrative.change_percent", "narrative", WARNING,
         "A change “增长X%” equals change / base to the printed precision (the amount and the percentage of a "
         "change read whatever their order: “增加A万元，增长X%” or “增长X%，增加A万元”): base = this year's "
         "amount − the stated change, or, where the prose states no change amount, last year's amount it states "
         "beside it "
         "(“2025年执行数为A，2026年预算安排B，比…增加X%”).",
         "情况说明", "percent",
         "claims are read from prose by a shallow parser"),
    Rule("narrative.completion_percent", "narrative", WARNING,
         "A completion ratio “完成年初预算的X%” / “完成全年预算数的X%” equals the 决算 amount it follows / the budget "
         "amount of the measure it names (年初预算, 全年预算 or 调整预算; “完成预算的” either) that the prose states "
         "for the same subject just before it. Without that budget figure beside it the ratio is recorded, not "
         "checked.",
         "情况说明 (final accounts)", "percent",
         "claims are read from prose by a shallow parser"),
    Rule("narrative.completion_tables", "narrative", WARNING,
         "In a final account whose 决算 table prints budget columns beside the 决算 (年初预算数 | 全年预算数 | "
         "决算数), a completion ratio the prose states for a subject (完成年初预算的X% / 完成全年预算数的X%) equals "
         "the 决算 / the budget of the measure it names, as that table prints them on the subject's row (the "
         "prose's own figures are narrative.completion_percent's).",
         "情况说明 against 一般公共预算财政拨款支出决算表 (年初预算数, 全年预算数, 决算数 columns)", "percent",
         "claims are read from prose by a shallow parser"),
    Rule("wording.change_direction", "wording", WARNING,
         "增加/减少 agree with the sign of the change: the verb of a change amount agrees with the verb of its "
         "change percentage, and with this year's amount minus last year's where the prose states both.",
         "情况说明", "exact",
         "a wording slip; the figures themselves are checked by the other rules"),
    Rule("wording.empty_table_note", "wording", WARNING,
         "A table printed without a single amount carries its own note saying so (注：本表无数据 / 故本表为空表 / "
         "a row “无”). A table whose cells hold amounts run together with labels was misread, not empty: it is "
         "not judged.",
         "every table", "exact",
         "a presentation rule: nothing is wrong with the figures"),
    Rule("wording.flat_with_change", "wording", WARNING,
         "持平 (与上年相同 / 一致) says there is no change: a claim that also states a nonzero change amount or "
         "percentage (增加/减少 X) contradicts itself.",
         "情况说明", "exact",
         "a wording slip; the figures themselves are checked by the other rules"),
    Rule("wording.zero_with_change", "wording", WARNING,
         "An amount of 0 this year cannot have 增加/增长 on last year: a claim whose amount is 0 may state 减少 or "
         "持平, not an increase.",
         "情况说明", "exact",
         "the amount or the change is misprinted; which one the text alone cannot tell"),
    Rule("wording.change_from_zero_base", "wording", WARNING,
         "A percentage change needs a nonzero base: where last year's amount is 0 (this year's amount minus the "
         "stated change, or last year's amount the prose states beside it), “增长100%” or any other percentage is "
         "wrong (the text should say it is new).",
         "情况说明", "exact",
         "a wording slip; the amounts themselves are checked by the other rules"),
    Rule("wording.actual_vs_budget", "wording", WARNING,
         "Where the prose compares a 决算 with its budget in words («决算数小于预算数», «决算数与年初预算数持平», "
         "«决算数大于全年预算数»), the word agrees with the figures: 大于/超过/高于/多于/增加 say 决算 > budget, "
         "小于/低于/少于/减少/未完成 决算 < budget (略低于, 略高于 alike), as the figures are printed; 等于/持平/一致/"
         "相同 equal within the amounts' rounding; 基本持平/基本一致 within "
         f"{ROUGHLY_EQUAL:.0%} of the budget besides. The figures: the 决算 amount the statement is about (the "
         "last of the section, of the subject its words name) and the budget of the measure it names (年初预算, "
         "全年预算 = 调整预算; a bare 预算数 either) that the prose states beside it; else the completion ratio "
         "stated with it (完成年初预算的X%, against 100% within the ratio's printed precision); else the 决算 and "
         "budget columns of the subject's row in a 决算 table printing both. Without any of these the word is "
         "recorded, not checked.",
         "情况说明 (final accounts), against the amounts it states or 一般公共预算财政拨款支出决算表 (年初预算数, "
         "全年预算数, 决算数 columns)", "pair",
         "a wording slip; the figures themselves are checked by the other rules"),
    Rule("wording.actual_vs_budget_reason", "wording", WARNING,
         "Where the sentence comparing a 决算 with its budget promises a reason («决算数小于预算数的主要原因：», "
         "«，主要原因是», «原因为», «主要是»), a reason follows it: text after the promise in that sentence, or the "
         "next paragraph's first sentence where the promise ends its paragraph; not punctuation alone or a "
         "template's placeholder (……, XX, ××, （说明原因）).",
         "情况说明 (final accounts)", "exact",
         "a gap in the explanation: nothing is wrong with the figures"),
    Rule("wording.comparison_year", "wording", WARNING,
         "A change “比20XX年…” is on the year before the fiscal year: a named comparison year other than the "
         "fiscal year − 1 (a 2026 budget compared “比2026年预算”) is flagged.",
         "情况说明", "exact",
         "usually a year left over from last year's template; the change itself may still be right"),
)

RULES_BY_ID = {r.id: r for r in RULES}

# Rules across the files of one disclosure (a narrative-only file and its tables-only companion, grouped
# by unit, scope, fiscal year and kind): a document alone cannot decide them, so no GX suite runs them.
# The loader does, whenever either part is loaded (pipelines/load/disclosure.py), and records the
# result on the narrative part.
DISCLOSURE_RULES: tuple[Rule, ...] = (
    Rule("cross.companion_totals", "cross", WARNING,
         "In a disclosure published as two files, the totals the narrative's prose states (收入总计, 支出总计, "
         "基本支出, 项目支出, “三公”经费) equal those of the current tables part of the same unit, scope, year and "
         "kind, one result per total both print; recorded on the narrative part whichever file is loaded last.",
         "情况说明 of the narrative part against 收支总表, 收入总表, 支出总表, “三公”经费表 of the tables part", "pair",
         "the prose's totals are read by a shallow parser, as for narrative.claim_amount; the tables part is "
         "validated on its own"),
)
DISCLOSURE_RULES_BY_ID = {r.id: r for r in DISCLOSURE_RULES}


def severity(check_id: str) -> str:
    return (RULES_BY_ID.get(check_id) or DISCLOSURE_RULES_BY_ID[check_id]).severity


def rules_of(family: str) -> list[Rule]:
    return [r for r in RULES if r.family == family]
