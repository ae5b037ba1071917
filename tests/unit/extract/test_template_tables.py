"""Table titles, number labels and the listed tables of other cities' templates (no PDF needed)."""

import pytest

from pipelines.catalog import classify_title, looks_like_title, refine_by_columns, split_number_label
from pipelines.extract.pdftext import Page
from pipelines.extract.tables import _column_number_row, _Grid, _title_rows_inside
from pipelines.extract.toc import read_toc


def pages(*texts: str) -> list[Page]:
    return [Page(i + 1, t, 595, 842) for i, t in enumerate(texts)]


@pytest.mark.parametrize("line, label, rest", [
    ("公开 01 表 收支总表", "公开 01 表", "收支总表"),  # Suzhou, Wuxi
    ("公开表1", "公开表1", ""),  # Yantai
    ("表一2026年部门收支总体情况表", "表一", "2026年部门收支总体情况表"),  # Chongqing
    ("表3本年支出总体情况表", "表3", "本年支出总体情况表"),  # Guangzhou, Zhuhai
    ("表14-1", "表14-1", ""),  # Xi'an
    ("表1.2026年市级部门收支预算总表", "表1.", "2026年市级部门收支预算总表"),  # Hangzhou
    ("单位预算表10", "单位预算表10", ""),  # Shanghai
    ("收支总表（预算表 1）", "预算表 1", "收支总表"),  # Changchun: the number after the title
    ("（一）收支总表", "（一）", "收支总表"),  # Shenzhen 目录
    ("表2026年", None, "表2026年"),  # a year is not a table number
])
def test_number_labels(line, label, rest):
    assert split_number_label(line) == (label, rest)


@pytest.mark.parametrize("title, code", [
    ("2026年部门收支总体情况表", "income_expenditure_summary"),
    ("本年支出总体情况表", "expenditure_summary"),
    ("2026年财政拨款收支总体情况表", "appropriation_summary"),
    ("2022年部门综合预算收支总表", "income_expenditure_summary"),
    ("部门综合预算财政拨款收支总表", "appropriation_summary"),
    ("2022年部门综合预算政府性基金收支表", "gov_fund_expenditure"),
    ("部门综合预算专项业务经费支出表", "project_expenditure"),
    ("2022部门综合预算财政拨款结转资金支出表", "project_expenditure_carryover"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "basic_expenditure_function"),
    ("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "general_budget_econ"),
    ("一般公共预算支出表（按经济分类）", "general_budget_econ"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "basic_expenditure_econ"),
    ("2026年市级部门收支预算总表", "income_expenditure_summary"),
])
def test_titles_of_other_templates(title, code):
    assert classify_title(title) == code


def test_title_words():
    assert looks_like_title("2026年市级部门项目支出绩效表")  # Hangzhou, Huzhou
    assert looks_like_title("2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）")
    assert not looks_like_title("第二部分 2026年度部门预算表")  # the part heading over the tables


def test_general_budget_table_told_by_its_header():
    columns = ["序号", "部门经济科目编码", "部门经济科目名称", "合计", "人员经费支出"]
    assert refine_by_columns("general_budget_expenditure", columns) == "general_budget_econ"
    functional = ["支出功能分类科目编码", "合计"]
    assert refine_by_columns("general_budget_expenditure", functional) == "general_budget_expenditure"


def test_column_number_rows_marked_with_stars():
    assert _column_number_row(["**", "**", "**", "**", "1", "2", "3", "4"])
    assert not _column_number_row(["合计", "", "1", "2", "3"])


def test_title_and_unit_lines_inside_the_frame():
    cells = [["收支总表（预算表 1）", "", ""], ["预算单位：长春市信访局", "", "单位：万元"],
             ["项目", "本年预算", "上年结转"], ["一、财政拨款收入", "1682.76", "0.00"]]
    grid = _Grid(6, 700, 300, cells, [r[:] for r in cells], [(0, 1), (1, 2), (2, 3)])
    lines, rest = _title_rows_inside(grid)
    assert lines == ["收支总表（预算表1）", "预算单位：长春市信访局单位：万元"]
    assert rest.cells == cells[2:]


def test_toc_entries_joined_on_one_line_and_a_note_after_the_last():
    titles, toc_pages = read_toc(pages(
        "2026 年度\n福州市公安局治安管理支队\n单位预算",
        "目录\n第二部分 2026 年度单位预算表.......5 一、收支预算总表.......6\n二、收入预算总表.......7\n"
        "三、支出预算总表.......8",
        "注：以上部门预算报表中，空表表示本部门无相关收支情况",
        "第一部分 部门预算公开说明\n一、部门基本概况",
    ))
    assert titles == ["一、收支预算总表", "二、收入预算总表", "三、支出预算总表"]
    assert toc_pages == [2]


def test_list_of_tables_printed_before_them():
    # Hangzhou: the 目录 names only the part; the titles are listed in the body before the tables.
    titles, toc_pages = read_toc(pages(
        "杭州市司法局\n2026年度部门预算",
        "1\n目录\n一、部门概况\n（一）主要职能......2\n三、名词解释\n四、2026年杭州市司法局预算公开表",
        "一、部门概况\n（一）主要职能\n负责……",
        "四、2026年预算公开表\n表1.2026年市级部门收支预算总表\n表2.2026年市级部门收入预算总表\n"
        "20\n表3.2026年市级部门支出预算总表",
        "21\n表1：2026年市级部门收支预算总表\n部门名称：杭州市司法局 单位：万元",
    ))
    assert titles == ["表1.2026年市级部门收支预算总表", "表2.2026年市级部门收入预算总表",
                      "表3.2026年市级部门支出预算总表"]
    assert toc_pages == [2]


def test_second_toc_of_tables_only():
    # Xi'an: the prose 目录 lists sections; the 报表目录 lists the tables and flags the empty ones.
    titles, toc_pages = read_toc(pages(
        "西安市财政局（汇总）\n2026年部门预算公开说明\n目录\n第一部分 部门职责\n第二部分 收支情况",
        "第一部分 部门职责\n……",
        "报表目录\n报表 报表名称 是否空表 表格为空的理由\n表1 部门综合预算收支总表\n表2 部门综合预算收入总表\n"
        "表9 部门综合预算政府性基金收支表 是 不涉及",
        "单位：元\n表1\n部门综合预算收支总表",
    ))
    assert titles == ["表1部门综合预算收支总表", "表2部门综合预算收入总表", "表9部门综合预算政府性基金收支表"]
    assert toc_pages == [1, 3]


def test_numbering_where_no_toc_is_printed():
    # Chongqing: no 目录; 表一 … printed above each table, the title on the next line.
    titles, toc_pages = read_toc(pages(
        "重庆市商务委员会\n2026年部门预算情况说明\n一、单位基本情况",
        "表一\n2026年部门收支总体情况表\n单位名称:重庆市商务委员会 单位:万元",
        "表二\n2026年部门收入总体情况表",
        "表二\n2026年部门收入总体情况表",  # a continuation page repeats it
    ))
    assert titles == ["表一 2026年部门收支总体情况表", "表二 2026年部门收入总体情况表"]
    assert toc_pages == []
