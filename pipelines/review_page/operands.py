"""The values a failed check is about, written as the document prints them, to be searched on its page.

A check names its operands in its message (“printed 4045.42 万元, sum of 2 children 40,464,200.00 元 vs …”)
and carries observed and expected as yuan (“40,464,200.00”). Each amount is turned into the forms a
table printing in `money_unit` shows it in (40,464,200.00 元 in a 万元 table: 4046.42 or 4,046.42); the
difference and the rounding tolerance the message also names are not operands and are left out.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pipelines.money import UNIT_FACTORS

# An amount with its unit: 4045.42 万元, 40,464,200.00 元, 402元.
_AMOUNT = re.compile(r"(?<![\d.,])(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*(亿元|万元|元)")
# Words after which an amount is not an operand but the check's arithmetic about them.
_NOT_OPERAND = re.compile(r"(difference|tolerance|差额|容差)\W*$", re.IGNORECASE)


def printed_forms(yuan: Decimal, money_unit: str | None) -> list[str]:
    """The ways an amount of `yuan` is printed in a table in `money_unit` (元 when unknown): two decimals,
    with and without thousands separators, and without decimals when it is whole in that unit."""
    factor = UNIT_FACTORS.get(money_unit or "元", Decimal(1))
    value = (abs(yuan) / factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    forms = [f"{value:.2f}", f"{value:,.2f}"]
    if value == value.to_integral_value():
        forms += [f"{value:.0f}", f"{value:,.0f}"]
    return list(dict.fromkeys(forms))  # ordered, without repeats


def _yuan(number: str, unit: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", "")) * UNIT_FACTORS.get(unit, Decimal(1))
    except InvalidOperation:
        return None


def amounts_named(message: str) -> list[tuple[str, Decimal]]:
    """The amounts a message names with a unit, as written and in yuan; the difference and tolerance left out."""
    found = []
    for m in _AMOUNT.finditer(message):
        if _NOT_OPERAND.search(message[max(0, m.start() - 24):m.start()]):
            continue
        yuan = _yuan(m.group(1), m.group(2))
        if yuan is not None:
            found.append((m.group(1).lstrip("-"), yuan))
    return found


def search_values(message: str, observed: str | None, expected: str | None, money_unit: str | None) -> list[str]:
    """What to search on the check's pages, most telling first: the amounts the message names (as written
    there, and as the table prints them), then observed and expected as the table prints them (amounts in
    yuan; a percentage as its number). Counts and words are not searched, nor zero: a page prints it in
    every empty cell."""
    values: list[str] = []
    for written, yuan in amounts_named(message):
        if yuan:
            values += [written, *printed_forms(yuan, money_unit)]
    for side in (observed or "", expected or ""):
        if _YUAN_TEXT.fullmatch(side.strip()):
            values += printed_forms(Decimal(side.strip().replace(",", "")), money_unit)
        elif percent := _PERCENT_TEXT.fullmatch(side.strip()):
            values.append(percent.group(1))
    return [v for v in dict.fromkeys(values) if v.strip("0.,")]


def pages_named(message: str) -> list[int]:
    """The pages a message names (“p.9”, “(p.13)”), in order: a cross-table check names both tables' pages."""
    return list(dict.fromkeys(int(n) for n in _PAGE.findall(message)))


_YUAN_TEXT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}|-?\d+\.\d{2}")  # observed / expected: yuan, two decimals
_PERCENT_TEXT = re.compile(r"[+-]?(\d+(?:\.\d+)?)%")
_PAGE = re.compile(r"(?<![A-Za-z])p\.\s?(\d+)")
