from decimal import Decimal

import pytest

from pipelines.money import Amount, AmountError, parse_amount, sum_tolerance, to_yuan


@pytest.mark.parametrize(
    "printed, value",
    [
        ("5174.47", Decimal("5174.47")),
        ("5,174.47", Decimal("5174.47")),
        ("79,189,400.34", Decimal("79189400.34")),
        ("1155.90", Decimal("1155.90")),
        ("28", Decimal("28")),
        ("-12.60", Decimal("-12.60")),
        (" 4 045.42 ", Decimal("4045.42")),
    ],
)
def test_parse_amount_exact(printed, value):
    assert parse_amount(printed) == value


@pytest.mark.parametrize("blank", ["", "  ", "-", "—", None])
def test_blank_and_dash_are_not_zero(blank):
    assert parse_amount(blank) is None


@pytest.mark.parametrize("bad", ["本表无数据", "12.3.4", "1,23", "abc"])
def test_misread_cells_raise(bad):
    with pytest.raises(AmountError):
        parse_amount(bad)


def test_wan_yuan_to_yuan_is_exact():
    # The reference document's income total: 5174.47 万元 = 51,744,700.00 元.
    assert to_yuan(Decimal("5174.47"), "万元") == Decimal("51744700.00")
    assert Amount.parse("106.20", "万元").yuan == Decimal("1062000.00")


def test_tolerance_accepts_reference_rounding_and_rejects_more():
    # 工资福利支出 3307.11 万元 is printed with 8 rows that add to 3307.13: 0.02 off from rounding.
    rows = ["897.99", "1155.90", "339.53", "307.96", "153.98", "142.40", "4.43", "304.94"]
    total = Decimal("3307.11")
    gap = abs(sum(Decimal(r) for r in rows) - total)
    assert gap == Decimal("0.02")
    tol = sum_tolerance(["3307.11"] + rows, "万元")
    assert tol == Decimal("450.00")  # 9 numbers × 0.005 万元
    assert to_yuan(gap, "万元") <= tol
    # A whole cent-per-row error on the same printed precision is beyond rounding.
    assert to_yuan(Decimal("0.05"), "万元") > tol
