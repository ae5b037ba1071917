"""Table rules on other cities' templates (../shared/corpus/national), on tables built from the rows
the PDFs print (page in each comment; amounts as printed). No PDF is read: the rules' assertions are
derived with `stage` and judged here as GX judges them (expected within tolerance of the observed)."""

from __future__ import annotations

import pytest

from pipelines.extract.tables import ExtractedTable
from pipelines.normalise.tables import column_measure, normalise_table
from pipelines.validate.checks import stage
from pipelines.validate.staging import Assertion


def table(seq, code, title, columns, rows, unit="万元", page=1):
    return normalise_table(ExtractedTable(seq=seq, code=code, title=title, number_label=None, unit=unit, pages=[page],
                                          header_rows=[columns], body_rows=rows, row_pages=[page] * len(rows),
                                          columns=columns), unit, "doc")


def assertions(tables, check_id, identity=None) -> list[Assertion]:
    staged = stage(tables, identity=identity)
    return [a for family in staged.assertions.values() for a in family if a.check_id == check_id]


def holds(a: Assertion) -> bool:
    return a.observed_low - a.tolerance <= a.expected <= a.observed_high + a.tolerance


# --- hierarchy.subject_sum: a 汇总 budget's blocks of subjects per unit ----------------------------


SHENZHEN_COLUMNS = ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]


def test_subject_codes_repeated_per_unit_block_are_summed_within_their_block():
    # Shenzhen 建筑工务署 (汇总) 表3 支出总表 p.20-24: the department's row, then each unit's row and its
    # subjects; 205 教育支出 is printed once per unit (本级 13.36, 文体和水务工程管理中心 7.59).
    rows = [
        ["深圳市建筑工务署", "", "", "33,934.54", "20,723.90", "13,210.64"],
        ["深圳市建筑工务署（本级）", "", "", "14,480.17", "4,614.06", "9,866.11"],
        ["", "205", "教育支出", "13.36", "1.00", "12.36"],
        ["", "20508", "进修及培训", "13.36", "1.00", "12.36"],
        ["", "2050803", "培训支出", "13.36", "1.00", "12.36"],
        ["深圳市建筑工务署文体和水务工程管理中心", "", "", "5,647.80", "4,226.45", "1,421.35"],
        ["", "205", "教育支出", "7.59", "7.59", "0.00"],
        ["", "20508", "进修及培训", "7.59", "7.59", "0.00"],
        ["", "2050803", "培训支出", "7.59", "7.59", "0.00"],
        ["", "208", "社会保障和就业支出", "531.83", "531.83", "0.00"],
        ["", "20805", "行政事业单位养老支出", "531.83", "531.83", "0.00"],
        ["", "2080502", "事业单位离退休", "134.39", "134.39", "0.00"],
        ["", "2080505", "机关事业单位基本养老保险缴费支出", "264.96", "264.96", "0.00"],
        ["", "2080506", "机关事业单位职业年金缴费支出", "132.48", "132.48", "0.00"],
        ["", "210", "卫生健康支出", "108.45", "108.45", "0.00"],
        ["", "21011", "行政事业单位医疗", "108.45", "108.45", "0.00"],
        ["", "2101102", "事业单位医疗", "108.45", "108.45", "0.00"],
        ["", "215", "资源勘探工业信息等支出", "4,004.88", "2,583.53", "1,421.35"],
        ["", "21503", "建筑业", "4,004.88", "2,583.53", "1,421.35"],
        ["", "2150399", "其他建筑业支出", "4,004.88", "2,583.53", "1,421.35"],
        ["", "221", "住房保障支出", "995.06", "995.06", "0.00"],
        ["", "22102", "住房改革支出", "995.06", "995.06", "0.00"],
        ["", "2210201", "住房公积金", "269.18", "269.18", "0.00"],
        ["", "2210203", "购房补贴", "725.87", "725.87", "0.00"],
    ]
    found = assertions([table(4, "expenditure_summary", "支出总表", SHENZHEN_COLUMNS, rows, page=20)],
                       "hierarchy.subject_sum")
    subjects = [a for a in found if a.row[:1].isdigit()]
    assert subjects and all(holds(a) for a in subjects)  # before: 205 = 13.36 vs its “children” 13.36 + 7.59
    # The second unit's row is the sum of its own 类 (5,647.80 = 7.59 + 531.83 + 108.45 + 4,004.88 + 995.06).
    unit = [a for a in found if a.row == "深圳市建筑工务署文体和水务工程管理中心"]
    assert {a.what for a in unit} == {f"深圳市建筑工务署文体和水务工程管理中心 = Σ 类 ({m})"
                                      for m in ("total", "basic", "project")}
    assert all(holds(a) for a in unit)


def test_a_subject_table_without_repeated_codes_is_one_block():
    # Fuzhou 公安局交通警察局 表3 p.9: 20402 公安 48200.88 ≠ 22431.07 + 16389.79 as printed: still caught.
    rows = [["", "合计", "61764.88"], ["204", "公共安全支出", "48200.88"], ["20402", "公安", "48200.88"],
            ["2040201", "行政运行", "22431.07"], ["2040299", "其他公安支出", "16389.79"],
            ["208", "社会保障和就业支出", "5064.00"], ["212", "城乡社区支出", "5000.00"],
            ["221", "住房保障支出", "3500.00"]]
    found = assertions([table(3, "expenditure_summary", "2026年度支出预算总表", ["科目编码", "科目名称", "合计"], rows,
                              page=9)], "hierarchy.subject_sum")
    failed = [a.row for a in found if not holds(a)]
    assert failed == ["20402 公安"]


# --- row.total_equals_parts: what a template prints besides 基本 + 项目 --------------------------------


def test_expenditure_total_includes_the_other_columns_the_template_prints():
    # Huzhou 交通运输局 表03 p.25 合计: 201286.11 = 26435.02 人员 + 3388.68 公用 + 171262.41 项目 + 200.00
    # 事业单位经营支出.
    columns = ["科目编码", "科目名称", "总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出", "事业单位经营支出",
               "上缴上级支出", "对附属单位补助支出"]
    rows = [["", "合计", "201286.11", "26435.02", "3388.68", "171262.41", "200.00", "", ""]]
    found = assertions([table(3, "expenditure_summary", "2026年市级部门支出预算总表", columns, rows, page=25)],
                       "row.total_equals_parts")
    assert [a.what for a in found] == [
        "row 合计: total = personnel + public + project + operating_expenditure"]
    assert holds(found[0])


def test_a_subtotal_under_basic_is_basic():
    # Hangzhou 表5 一般公共预算支出预算表 p.30: 基本支出 小计 | 人员经费 | 日常公用支出. The 小计 is 基本支出; on
    # the 合计 row it prints 82,479.29 where 人员经费 67,627.51 + 日常公用支出 14,902.37 = 82,529.88: a
    # difference the page really prints (the document is quarantined for it).
    assert column_measure("基本支出/小计") == "basic"
    assert column_measure("本年收入/小计") == "total"
    assert column_measure("上年结转结余/小计") == "total"
    columns = ["功能分类科目名称/**", "合计", "基本支出/小计", "基本支出/人员经费", "基本支出/日常公用支出", "项目支出"]
    rows = [["合计", "432,513.70", "82,479.29", "67,627.51", "14,902.37", "350,034.42"]]
    found = assertions([table(5, "general_budget_expenditure", "2026年市级部门一般公共预算支出预算表", columns, rows,
                              page=30)], "row.total_equals_parts")
    assert [(a.what, holds(a)) for a in found] == [
        ("row 合计: total = basic + project", True),
        ("row 合计: basic = personnel + public", False)]


# --- cross.summary_totals: what a 收入总表 合计 holds -------------------------------------------------


def test_income_table_total_with_the_carry_in_is_the_grand_total():
    # Shenzhen 民政局 表1 收支总表 p.17-18 and 表2 收入总表 p.19: 本年收入合计 28,097.48 + 上年结余、结转
    # 185.98 = 收入总计 28,283.46, the 收入总表's 收入总计 (its last column 上年结余、结转 185.98).
    columns = ["收入/项目", "收入/2026 年预算数", "支出/项目", "支出/2026 年预算数"]
    summary = table(2, "income_expenditure_summary", "收支总表", columns, [
        ["本年收入合计", "28,097.48", "本年支出合计", "28,283.46"],
        ["上年结余、结转", "185.98", "结转下年", "0.00"],
        ["1.财政拨款结余、结转", "185.98", "", ""],
        ["2.非财政拨款结余、结转", "0.00", "", ""],
        ["收入总计", "28,283.46", "支出总计", "28,283.46"]], page=17)
    income = table(3, "income_summary", "收入总表", [
        "预算单位", "收入总计", "本年收入/财政拨款/一般公共预算拨款", "本年收入/财政拨款/政府性基金预算拨款",
        "上年结余、结转"], [["深圳市民政局（本级）", "28,283.46", "8,761.33", "19,336.15", "185.98"]], page=19)
    found = assertions([summary, income], "cross.summary_totals")
    assert "收入总表 合计 = 收支总表 本年收入 + 上年结余、结转" in [a.what for a in found]
    assert all(holds(a) for a in found)  # before: 28,283.46 vs 本年收入合计 28,097.48


def test_income_table_total_with_income_printed_below_the_current_year_line():
    # Yantai 教育局 公开表1 p.9 prints 上级补助收入 205.89 below 本年收入合计 315,235.83, and 收入总计
    # 315,441.72; 公开表2 p.10 prints it as a column of its own, inside its 合计 315,441.72. The header
    # “收  入”, spaced, is the income side (before: not read as a side, and nothing was compared).
    summary = table(1, "income_expenditure_summary", "收支总体情况表",
                    ["收  入/项目", "收  入/预算数", "支  出/项目", "支  出/预算数"], [
                        ["本 年 收 入 合 计", "315,235.83", "本 年 支 出 合 计", "315,441.72"],
                        ["上级补助收入", "205.89", "", ""],
                        ["附属单位上缴收入", "", "对附属单位的补助支出", ""],
                        ["上年结转", "", "结转下年", ""],
                        ["收 入 总 计", "315,441.72", "支 出 总 计", "315,441.72"]], page=9)
    income = table(2, "income_summary", "收入总体情况表", [
        "科目编码/类", "科目编码/款", "科目编码/项", "科目名称", "合计", "财政拨款收入/小计", "财政专户管理资金收入",
        "事业收入（不含教育收费）", "其他收入", "上级补助收入"], [
        ["", "", "", "合\u3000计", "315,441.72", "233,644.90", "62,466.06", "4,828.50", "14,296.37", "205.89"]],
        page=10)
    found = assertions([summary, income], "cross.summary_totals")
    assert sorted(a.what for a in found) == [
        "收入总表 合计 = 收支总表 本年收入 + 上级补助收入", "收支总表: 收入总计 = 支出总计"]
    assert all(holds(a) for a in found)


# --- cross.appropriation_general_budget: a spaced side header ---------------------------------------


def test_appropriation_summary_with_a_spaced_side_header():
    # Changsha 信访局 p.15 财政拨款收支总体情况表 (header “收  入 | 支  出” spread over the columns) and p.17
    # 一般公共预算支出情况表: 一般公共服务支出 1,935.36 in both.
    side = "支                  出"
    a = table(4, "appropriation_summary", "2026年财政拨款收支总体情况表", [
        "收                  入/项目", "收                  入/金  额", f"{side}/项目", f"{side}/合计",
        f"{side}/一般公共预算", f"{side}/政府性基金预算", f"{side}/国有资本经营预算"], [
        ["一、本年收入", "1,935.36", "一、本年支出", "1,935.36", "1,935.36", "", ""],
        ["1、一般公共预算拨款收入", "1,935.36", "1、一般公共服务支出", "1,935.36", "1,935.36", "", ""],
        ["2、政府性基金预算拨款收入", "", "2、外交支出", "", "", "", ""],
        ["收 入 总 计", "1,935.36", "支 出 总 计", "1,935.36", "1,935.36", "", ""]], page=15)
    g = table(5, "general_budget_expenditure", "2026年一般公共预算支出情况表", [
        "科目编码/类/**", "科目编码/款/**", "科目编码/项/**", "功能科目/**", "总  计", "基本支出", "项目支出"], [
        ["", "", "", "合计", "1,935.36", "1,517.95", "417.41"],
        ["201", "", "", "一般公共服务支出", "1,935.36", "1,517.95", "417.41"],
        ["", "40", "", "信访事务", "1,935.36", "1,517.95", "417.41"],
        ["201", "40", "01", "行政运行", "1,517.95", "1,517.95", ""],
        ["201", "40", "04", "信访业务", "417.41", "", "417.41"]], page=17)
    found = assertions([a, g], "cross.appropriation_general_budget")
    assert len(found) == 2 and all(holds(x) for x in found)  # before: 一般公共服务支出 read as blank (0.00)


# --- cross.project_total ---------------------------------------------------------------------------

HUZHOU_SPENDING = ["科目编码", "科目名称", "总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出",
                   "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"]


def test_project_table_lists_spending_the_expenditure_table_prints_in_another_column():
    # Huzhou 交通运输局: 表03 p.25 项目支出 171262.41 and 事业单位经营支出 200.00 (航道维护 5299.85 + 200.00); 表10
    # 项目支出预算表 p.38 合计 171462.41 (湖州航区骨干航道养护 5499.85); 表11 项目支出绩效表 p.39 lists the same
    # projects again with their targets (171,462.41): not added.
    spending = table(3, "expenditure_summary", "2026年市级部门支出预算总表", HUZHOU_SPENDING,
                     [["", "合计", "201286.11", "26435.02", "3388.68", "171262.41", "200.00", "", ""]], page=25)
    projects = table(10, "project_expenditure", "2026年市级部门项目支出预算表",
                     ["单位名称", "项目名称", "总计", "一般公共预算", "政府性基金", "单位资金"],
                     [["合计", "", "171462.41", "24815.52", "139963.40", "6683.49"]], page=38)
    targets = table(11, "project_expenditure", "2026年市级部门项目支出绩效表", ["单位名称", "项目名称", "金额"],
                    [["", "", "171,462.41"], ["湖州市交通运输局", "综合交通建设管理", "136.80"]], page=39)
    (found,) = assertions([spending, projects, targets], "cross.project_total")
    assert found.what == "table 10 “2026年市级部门项目支出预算表” total = 支出总表 项目支出 + 事业单位经营支出"
    assert holds(found)


def test_project_table_alone_when_it_equals_the_project_column():
    # Huzhou 卫生健康委员会 表03 p.29 项目支出 51856.41 = 表10 p.45 合计 51856.41 (绩效表 p.47 not added).
    spending = table(3, "expenditure_summary", "2026年市级部门支出预算总表", HUZHOU_SPENDING[:6],
                     [["", "合计", "515313.35", "", "", "51856.41"]], page=29)
    projects = table(10, "project_expenditure", "2026年市级部门项目支出预算表", ["单位名称", "项目名称", "总计"],
                     [["合计", "", "51856.41"]], page=45)
    targets = table(11, "project_expenditure", "2026年市级部门项目支出绩效表", ["单位名称", "项目名称", "金额"],
                    [["合计", "", "51,856.41"]], page=47)
    (found,) = assertions([spending, projects, targets], "cross.project_total")
    assert found.what == "table 10 “2026年市级部门项目支出预算表” total = 支出总表 项目支出" and holds(found)


def test_project_list_grouped_by_levels_counts_each_project_once():
    # Changchun 信访局 预算表9 p.14: 类型 部门特定目标类项目 474.56 > 一级项目 综合管理 474.56 > 二级项目
    # 30.00 + 116.00 + 312.00 + 16.56; 支出总表 p.8 项目支出 474.56.
    spending = table(3, "expenditure_summary", "支出总表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                     [["", "合计", "1,682.76", "1,208.20", "474.56"]], page=8)
    projects = table(9, "project_expenditure", "项目支出表", [
        "类 型", "项目名称/一级项目", "项目名称/二级项目", "项 目 单 位", "合计", "本年财政拨款/一般公共预算"], [
        ["部 门 特 定 目 标 类 项 目", "", "", "", "474.56", "474.56"],
        ["", "综合管理", "", "", "474.56", "474.56"],
        ["", "", "2026 信访专项经费", "长 春 市 信 访 局", "30.00", "30.00"],
        ["", "", "2026 信访接待中心运行费", "长 春 市 信 访 局", "116.00", "116.00"],
        ["", "", "2026 驻京经费", "长 春 市 信 访 局", "312.00", "312.00"],
        ["", "", "信访局临聘人员经费", "长 春 市 信 访 局", "16.56", "16.56"]], page=14)
    (found,) = assertions([spending, projects], "cross.project_total")
    assert holds(found)  # before: 474.56 + 474.56 + 30.00 + … = 1,423.68


# --- hierarchy.econ_sum ------------------------------------------------------------------------------


@pytest.mark.parametrize("fragment_at", [3, 4])
def test_a_row_the_catalog_cannot_place_leaves_its_class_unsummed_without_crashing(fragment_at):
    # Huzhou 卫生健康委员会 表06 p.39, with a name fragment on a line of its own (a name wrapped by the
    # extraction) under 301: before, the next 款 crashed validation (AttributeError: 'NoneType' object has
    # no attribute 'append'), an internal error. 301 is not summed; 302 is.
    rows = [["", "合计", "21160.29", "20452.54", "707.75"],
            ["301", "工资福利支出", "17055.09", "17055.09", ""],
            ["30101", "基本工资", "1548.33", "1548.33", ""],
            ["30102", "津贴补贴", "370.22", "370.22", ""],
            ["302", "商品和服务支出", "680.48", "", "680.48"],
            ["30201", "办公费", "37.37", "", "37.37"],
            ["30202", "印刷费", "4.90", "", "4.90"]]
    rows.insert(fragment_at, ["", "费", "", "", ""])
    columns = ["经济分类科目/科目编码/**", "经济分类科目/科目名称/**", "本年一般公共预算基本支出/合计",
               "本年一般公共预算基本支出/人员经费", "本年一般公共预算基本支出/公用经费"]
    found = assertions([table(6, "basic_expenditure_econ", "2026年市级部门一般公共预算基本支出表", columns, rows,
                              page=39)], "hierarchy.econ_sum")
    assert {a.row for a in found} == {"302 商品和服务支出"}
