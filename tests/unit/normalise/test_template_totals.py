"""Subject codes, total rows and headline totals of other cities' templates (no PDF needed)."""

from decimal import Decimal

from pipelines.extract.tables import ExtractedTable
from pipelines.normalise.tables import document_totals, normalise_table


def table(code, title, columns, rows, seq=1, unit="万元"):
    return ExtractedTable(seq=seq, code=code, title=title, number_label=None, unit=unit, pages=[13],
                          header_rows=[columns], body_rows=rows, row_pages=[13] * len(rows), columns=columns)


def test_split_codes_printing_only_their_own_segment():
    # Yantai 公开表3: 类 | 款 | 项 columns, each row printing only its new segment.
    columns = ["科目编码/类", "科目编码/款", "科目编码/项", "科目名称", "合计", "基本支出", "项目支出"]
    t = normalise_table(table("expenditure_summary", "支出总体情况表", columns, [
                                  ["", "", "", "合\u3000计", "5,328.06", "4,126.42", "1,201.64"],
                                  ["205", "", "", "教育支出", "1.00", "1.00", ""],
                                  ["", "08", "", "进修及培训", "1.00", "1.00", ""],
                                  ["", "", "03", "培训支出", "1.00", "1.00", ""],
                                  ["208", "", "", "社会保障和就业支出", "1,417.18", "1,350.18", "67.00"],
                                  ["", "05", "", "行政事业单位养老支出", "1,350.18", "1,350.18", ""],
                                  ["", "", "01", "行政单位离退休", "964.94", "964.94", ""],
                              ]), None, "doc")
    assert [(r.subject_code, r.level, r.parent_code) for r in t.subject_rows] == [
        (None, "合计", None), ("205", "类", None), ("20508", "款", "205"), ("2050803", "项", "20508"),
        ("208", "类", None), ("20805", "款", "208"), ("2080501", "项", "20805")]
    assert t.total_row().amounts["total"].yuan == Decimal("53280600.00")


def test_split_codes_with_the_kuan_alone():
    # Changsha: the 款 row prints its own segment, the 项 row all three.
    t = normalise_table(table("expenditure_summary", "部门支出总体情况表",
                              ["科目编码/类", "科目编码/款", "科目编码/项", "功能科目", "总计"], [
                                  ["201", "", "", "一般公共服务支出", "1,935.36"],
                                  ["", "40", "", "信访事务", "1,935.36"],
                                  ["201", "40", "01", "行政运行", "1,517.95"],
                              ]), None, "doc")
    assert [r.subject_code for r in t.subject_rows] == ["201", "20140", "2014001"]


def test_codes_inside_the_name_cell():
    # Guangzhou and Zhuhai 表5-7: “[201]一般公共服务支出”; a code joined to its name by a dash.
    t = normalise_table(table("general_budget_expenditure", "一般公共预算支出情况表", ["科目名称", "合计"], [
        ["合计", "16,410.71"], ["[201]一般公共服务支出", "8,812.33"],
        ["\u3000[20103]政府办公厅（室）及相关机构事务", "8,801.45"], ["2010301-行政运行", "6,853.85"],
    ]), None, "doc")
    rows = [(r.subject_code, r.subject_name) for r in t.subject_rows]
    assert rows == [(None, "合计"), ("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"),
                    ("2010301", "行政运行")]
    assert [c.subject_code for c in t.cells] == [None, "201", "20103", "2010301"]


def test_total_row_labelled_with_the_unit_name():
    # Shenzhen 表3: no 合计 row; the first row, above every subject, is the budget unit's.
    columns = ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "事业单位经营支出"]
    t = normalise_table(table("expenditure_summary", "支出总表", columns, [
                                  ["深圳市住房和建设局（本级）", "", "", "34,460.46", "10,756.54", "23,703.92", "0.00"],
                                  ["", "208", "社会保障和就业支出", "1,280.54", "1,280.54", "0.00", "0.00"],
                              ]), None, "doc")
    total = t.total_row()
    assert total.subject_name == "深圳市住房和建设局（本级）"
    totals = document_totals([t])
    assert (totals.expenditure_total, totals.basic_total, totals.project_total) == (
        Decimal("344604600.00"), Decimal("107565400.00"), Decimal("237039200.00"))
    assert totals.other_components == {"operating_expenditure": Decimal("0.00")}


def test_total_row_labelled_zongji_with_a_colon():
    t = normalise_table(table("expenditure_summary", "支出总表", ["科目编码", "功能分类科目名称", "合计"], [
        ["总计：", "", "1682.76"], ["201", "一般公共服务支出", "1378.41"]]), None, "doc")
    assert t.total_row().amounts["total"].printed == "1682.76"


def test_basic_printed_as_personnel_and_public_only():
    # Hangzhou and Huzhou 支出总表: 基本支出 has no total column, only 人员支出 | (日常)公用支出.
    t = normalise_table(table("expenditure_summary", "支出预算总表",
                              ["科目编码", "科目名称", "总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出",
                               "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"], [
                                  ["", "合计", "201286.11", "26435.02", "3388.68", "171262.41", "200.00", "", ""],
                              ]), None, "doc")
    totals = document_totals([t])
    assert totals.basic_total == Decimal("298237000.00")  # 26435.02 + 3388.68 万元
    assert totals.project_total == Decimal("1712624100.00")
    assert totals.other_components == {"operating_expenditure": Decimal("2000000.00")}
    assert (totals.expenditure_total == totals.basic_total + totals.project_total
            + sum(totals.other_components.values()))


def test_xian_components_are_lines_of_the_summary():
    # Xi'an 表1: 基本/项目 are lines of its 部门预算支出经济分类 column, not columns of 表3.
    summary = normalise_table(table("income_expenditure_summary", "部门综合预算收支总表",
                                    ["项目", "预算数", "部门预算支出经济分类科目", "预算数"], [
                                        ["一、部门预算", "303,312,586.17", "1、人员经费和公用经费支出",
                                         "79,108,250.17"],
                                        ["", "", "2、专项业务经费支出", "224,204,336.00"],
                                        ["收入总计", "303,312,586.17", "支出总计", "303,312,586.17"],
                                    ], unit="元"), None, "doc")
    totals = document_totals([summary])
    assert (totals.basic_total, totals.project_total) == (Decimal("79108250.17"), Decimal("224204336.00"))
    assert totals.income_total == totals.expenditure_total == Decimal("303312586.17")


def test_summary_lines_under_a_side_header_spread_with_spaces():
    # Xi'an 国资委 2022 表1 收支总表 (p.24): “收   入 | 支   出” headers spaced out, and a 序号 column (40)
    # before the labels. Before, the sides were not recognised and the 序号 was read as the 收入总计 (40.00).
    columns = ["序号", "收                   入/项    目", "收                   入/预算数",
               "支                        出/支出功能分科目（按大类）", "支                        出/预算数"]
    summary = normalise_table(table("income_expenditure_summary", "2022年部门综合预算收支总表", columns, [
        ["1", "一、部门预算", "25180591.33", "一、部门预算", "25180591.33"],
        ["36", "上年结转", "0.00", "", ""],
        ["40", "收入总计", "25180591.33", "支出总计", "25180591.33"]], unit="元"), None, "doc")
    totals = document_totals([summary])
    assert (totals.income_total, totals.expenditure_total) == (Decimal("25180591.33"), Decimal("25180591.33"))
