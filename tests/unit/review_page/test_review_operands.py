"""The values a failed check names, in the forms its page prints them."""

from decimal import Decimal

from pipelines.review_page.operands import amounts_named, pages_named, printed_forms, search_values

HIERARCHY = ("204 公共安全支出 = Σ children (total) does not hold in table 3 “2025年预算支出总表”, p.9: "
             "printed 4045.42 万元, sum of 1 children 40,464,200.00 元 vs 40,454,200.00 元 "
             "(difference 10,000.00 元, rounding tolerance 100.00 元)")


def test_the_difference_and_the_tolerance_are_not_operands():
    assert amounts_named(HIERARCHY) == [("4045.42", Decimal("40454200.00")),
                                        ("40,464,200.00", Decimal("40464200.00")),
                                        ("40,454,200.00", Decimal("40454200.00"))]


def test_yuan_amounts_are_searched_as_the_table_prints_them():
    values = search_values(HIERARCHY, "40,464,200.00", "40,454,200.00", "万元")
    assert values[0] == "4045.42"  # as the message quotes the printed cell
    assert {"4046.42", "4,046.42", "4,045.42"} <= set(values)  # the children's sum, in 万元
    assert "1.00" not in values and "0.01" not in values  # neither the difference nor the tolerance


def test_printed_forms():
    assert printed_forms(Decimal("4020000"), "万元") == ["402.00", "402"]
    assert printed_forms(Decimal("40464200"), "万元") == ["4046.42", "4,046.42"]
    assert printed_forms(Decimal("1234.5"), None) == ["1234.50", "1,234.50"]
    assert printed_forms(Decimal("-10600"), "万元") == ["1.06"]


def test_counts_words_and_zero_are_not_searched_but_percentages_are():
    assert search_values("the 目录 lists 13 tables and 12 were found", "12", "13", "元") == []
    assert search_values("an empty table carries its own note", "注：本表无数据", "a note", "万元") == []
    assert search_values("printed 0.00 万元", "0.00", "0.00", "万元") == []
    assert search_values("the text states +1.81%", "+1.81%", "+1.90%", "万元") == ["1.81", "1.90"]


def test_pages_named_by_a_cross_table_check():
    message = ("“三公” 公务用车运行维护费 = 经济分类表 公务用车运行维护费 does not hold in table 10 (p.16) "
               "and table 6 (p.13): "
               "… row of table 10 (p.16) 106.20 万元 vs … of table 6 (p.13) 107.20 万元")
    assert pages_named(message) == [16, 13]
    assert pages_named(HIERARCHY) == [9]
