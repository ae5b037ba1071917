"""Check a document against its own arithmetic.

Every rule compares printed numbers with the tolerance their printed precision allows
(money.sum_tolerance): rounding passes, real errors fail. Results are kept for every check,
passed or not, so an analyst can see what was verified.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .money import Amount, sum_tolerance
from .normalise import NormalisedTable, SubjectRow

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    severity: str
    passed: bool
    observed: str | None
    expected: str | None
    message: str
    table_seq: int | None = None
    page: int | None = None


def _fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def _compare(check_id: str, severity: str, total: Amount, parts: list[Amount], what: str,
             table: NormalisedTable, page: int) -> CheckResult:
    observed = sum((p.yuan for p in parts), Decimal(0))
    expected = total.yuan
    tol = sum_tolerance([total.printed] + [p.printed for p in parts], total.unit)
    diff = observed - expected
    passed = abs(diff) <= tol
    t = table.table
    verdict = "holds" if passed else "does not hold"
    message = (
        f"{what} {verdict} in table {t.seq} “{t.title}” ({t.page_label}): printed {total.printed} {total.unit}, "
        f"sum of {len(parts)} parts {_fmt(observed)} 元 vs {_fmt(expected)} 元 (difference {_fmt(diff)} 元, "
        f"rounding tolerance {_fmt(tol)} 元)"
    )
    return CheckResult(check_id, severity, passed, _fmt(observed), _fmt(expected), message, t.seq, page)


def check_hierarchy(table: NormalisedTable) -> list[CheckResult]:
    """类 = Σ款, 款 = Σ项 per measure, and the 合计 row = Σ类."""
    rows = table.subject_rows
    children: dict[str | None, list[SubjectRow]] = defaultdict(list)
    for r in rows:
        if r.level != "合计":
            children[r.parent_code].append(r)
    results = []
    for parent in rows:
        kids = children.get(parent.subject_code) if parent.level != "合计" else children.get(None)
        if not kids:
            continue
        for measure, total in parent.amounts.items():
            parts = [k.amounts[measure] for k in kids if measure in k.amounts]
            label = parent.subject_code or parent.subject_name
            what = f"{label} {parent.subject_name if parent.subject_code else ''} = Σ children ({measure})".replace("  ", " ")
            results.append(_compare("hierarchy.subject_sum", ERROR, total, parts, what, table, parent.page))
    return results


@dataclass(frozen=True)
class RowIdentity:
    """total = Σ parts on every row that prints the total; optional parts are added when the table
    has such a column (Jiangsu adds 单位预留机动经费 and 结转下年资金 to 基本 + 项目)."""

    total: str
    parts: tuple[str, ...]
    optional: tuple[str, ...] = ()
    unless: str | None = None  # skip tables that print this measure (a finer identity applies)


ROW_IDENTITIES = (
    RowIdentity("total", ("basic", "project"), ("reserve", "carry_forward")),
    RowIdentity("basic", ("personnel", "public")),
    RowIdentity("total", ("personnel", "public"), ("project", "reserve", "carry_forward"), unless="basic"),
)


def check_row_identities(table: NormalisedTable) -> list[CheckResult]:
    """合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费, … on every row that prints them."""
    results = []
    by_row: dict[int, dict[str, Amount]] = defaultdict(dict)
    labels: dict[int, tuple[str, int]] = {}
    columns: dict[str, set[int]] = defaultdict(set)
    for cell in table.cells:
        if cell.measure:
            columns[cell.measure].add(cell.column_index)
        if cell.measure and cell.measure not in by_row[cell.row_index]:
            by_row[cell.row_index][cell.measure] = cell.amount
            labels[cell.row_index] = (cell.subject_code or cell.row_label, cell.page)
    for rule in ROW_IDENTITIES:
        if not ({rule.total, *rule.parts} <= columns.keys()) or (rule.unless and rule.unless in columns):
            continue
        keys = rule.parts + tuple(k for k in rule.optional if k in columns)
        for row_index, amounts in sorted(by_row.items()):
            if rule.total not in amounts:
                continue
            parts = [amounts[k] for k in keys if k in amounts]
            label, page = labels[row_index]
            what = f"row {label}: {rule.total} = {' + '.join(keys)}"
            results.append(_compare("row.total_equals_parts", ERROR, amounts[rule.total], parts, what, table, page))
    return results


def validate(tables: list[NormalisedTable]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for t in tables:
        if t.subject_rows:
            results.extend(check_hierarchy(t))
        results.extend(check_row_identities(t))
    return results


def is_publishable(results: list[CheckResult]) -> bool:
    return all(r.passed for r in results if r.severity == ERROR)
