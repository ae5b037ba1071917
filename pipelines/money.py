"""Exact money: parse printed amounts, convert to yuan, and the rounding tolerance rule.

Amounts are never floats. A printed amount keeps its text (for audit) and its value in yuan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

CENT = Decimal("0.01")

class MoneyUnit(StrEnum):
    """The unit a table or sentence prints its amounts in."""

    YUAN = "元"
    WAN_YUAN = "万元"
    YI_YUAN = "亿元"


# Multipliers from the unit a table prints its amounts in to yuan.
UNIT_FACTORS = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN_YUAN: Decimal(10000), MoneyUnit.YI_YUAN: Decimal(100000000)}

# “单位：万元” / “金额单位：元” printed above a table (group 1: the unit).
MONEY_UNIT_LINE = re.compile(r"(?:金额)?单位[：:]\s*(万元|元|亿元)")

# Cells that mean "nothing here" rather than zero.
_NIL = {"", "-", "—", "－", "--", "——", "/", "／"}
_AMOUNT = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def clean_cell(text: str | None) -> str:
    """Collapse the whitespace and line breaks PDF extraction leaves inside a cell."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", str(text))


def is_amount(text: str) -> bool:
    t = clean_cell(text).replace("，", ",")
    return bool(_AMOUNT.match(t))


def parse_amount(text: str | None) -> Decimal | None:
    """Printed amount → Decimal in the printed unit; blank and dashes → None.

    Accepts thousands separators and integers without decimals. Raises AmountError on text
    that is neither blank nor a number, so that a misread cell is never taken as zero.
    """
    t = clean_cell(text).replace("，", ",")
    if t in _NIL:
        return None
    if not _AMOUNT.match(t):
        raise AmountError(f"not an amount: {text!r}")
    try:
        return Decimal(t.replace(",", "").replace("−", "-"))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise AmountError(f"not an amount: {text!r}") from exc


def decimals_printed(text: str | None) -> int:
    """How many decimals an amount was printed with (its precision)."""
    t = clean_cell(text)
    return len(t.split(".", 1)[1]) if "." in t else 0


def to_yuan(value: Decimal, unit: str) -> Decimal:
    try:
        factor = UNIT_FACTORS[unit]
    except KeyError:
        raise AmountError(f"unknown money unit {unit!r}") from None
    return (value * factor).quantize(CENT)


@dataclass(frozen=True)
class Amount:
    """One printed amount: the text as printed, its unit, and its exact value in yuan."""

    printed: str
    unit: str
    value: Decimal  # in the printed unit

    @property
    def yuan(self) -> Decimal:
        return to_yuan(self.value, self.unit)

    @property
    def decimals(self) -> int:
        return decimals_printed(self.printed)

    @classmethod
    def parse(cls, text: str | None, unit: str) -> "Amount | None":
        value = parse_amount(text)
        return None if value is None else cls(clean_cell(text), unit, value)


def sum_tolerance(printed: list[str], unit: str) -> Decimal:
    """Largest honest gap, in yuan, between a printed total and the sum of printed addends.

    Every printed number (the total and each of the n addends) may be off by half a unit of
    its last printed digit, so the gap may reach the sum of those half-units. A document that
    prints 0.01 precision with 8 addends may legitimately be 0.04 off; 0.05 is an error.
    """
    half_units = sum(Decimal(5) * Decimal(10) ** -(decimals_printed(p) + 1) for p in printed)
    return to_yuan(half_units, unit)
