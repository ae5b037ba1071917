"""Economic classification of expenditure (支出经济分类): names → codes, and 基本支出 tables → rows.

Tables print the department classification (部门预算支出经济分类, 301…) with its codes (Shanghai:
类 | 款 | 名称; Jiangsu: 科目编码 | 科目名称) or only names beside the government classification
(政府预算支出经济分类, 501…; the reference: 部门名称 | 政府名称 | 合计 | 人员经费 | 公用经费). Both are
resolved against pipelines/data/econ_classification.csv. A name the catalog does not know is kept
with None codes and resolved=False, never dropped: the caller reports it.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.catalog import TOTAL_LABELS, measure_key
from pipelines.extract.tables import ExtractedTable
from pipelines.money import Amount, AmountError, clean_cell, is_amount

CATALOG = Path(__file__).resolve().parents[1] / "data" / "econ_classification.csv"  # pipelines/data/

# 基本建设 classes (309, 311 and the government's 504) repeat the names of the ordinary ones
# (房屋建筑物购建 …); a name alone means the ordinary one.
_CONSTRUCTION = {"309", "311", "504"}


@dataclass(frozen=True)
class EconItem:
    classification: str  # dept | gov
    code: str
    name: str
    level: str  # 类 | 款
    parent_code: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class EconResolution:
    econ_code: str | None
    econ_name: str | None
    gov_econ_code: str | None
    gov_econ_name: str | None

    @property
    def resolved(self) -> bool:
        return self.econ_code is not None


def normalise_name(name: str | None) -> str:
    """Printed name → comparison key: NFKC (full-width brackets = half-width), no spaces or quotes,
    no leading numbering (“1.”, “（一）”)."""
    t = unicodedata.normalize("NFKC", name or "")
    t = re.sub(r"[\s“”\"'‘’]", "", t)
    return re.sub(r"^([一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+[).、．]|\d+\.)", "", t)


@lru_cache(maxsize=1)
def load_catalog() -> tuple[EconItem, ...]:
    with open(CATALOG, encoding="utf-8", newline="") as f:
        return tuple(
            EconItem(r["classification"], r["code"], r["name"], r["level"], r["parent_code"] or None,
                     tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(f)
        )


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], list[tuple[bool, EconItem]]]:
    """(classification, normalised name or alias) → [(is the official name, item)]."""
    index: dict[tuple[str, str], list[tuple[bool, EconItem]]] = {}
    for item in load_catalog():
        index.setdefault((item.classification, normalise_name(item.name)), []).append((True, item))
        for alias in item.aliases:
            index.setdefault((item.classification, normalise_name(alias)), []).append((False, item))
    return index


def by_code(code: str, classification: str = "dept") -> EconItem | None:
    return next((i for i in load_catalog() if i.classification == classification and i.code == code), None)


def lookup(name: str | None, classification: str = "dept", parent_code: str | None = None) -> EconItem | None:
    """The catalog item a printed name stands for. Several items share a name (医疗费 is 30114 and,
    by its old name, 30307; 房屋建筑物购建 is in 309 and 310): the one under parent_code wins, then
    an official name over an alias, then an ordinary class over a 基本建设 one."""
    candidates = _index().get((classification, normalise_name(name)), [])
    if not candidates:
        return None

    def rank(entry: tuple[bool, EconItem]) -> tuple[bool, bool, bool]:
        official, item = entry
        return (item.parent_code != parent_code if parent_code else False, not official,
                (item.parent_code or item.code) in _CONSTRUCTION)

    return min(candidates, key=rank)[1]


def resolve(dept_name: str | None, gov_name: str | None = None, parent_code: str | None = None,
            gov_parent_code: str | None = None) -> EconResolution:
    """Printed department (and government) classification names → codes and official names.
    Unknown names give None codes (the caller reports them)."""
    dept = lookup(dept_name, "dept", parent_code)
    gov = lookup(gov_name, "gov", gov_parent_code) if gov_name else None
    return EconResolution(dept.code if dept else None, dept.name if dept else None,
                          gov.code if gov else None, gov.name if gov else None)


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class EconRow:
    econ_code: str | None
    econ_name: str | None  # the catalog's name
    gov_econ_code: str | None
    gov_econ_name: str | None
    personnel: Amount | None  # 人员经费
    public: Amount | None  # 公用经费
    total: Amount | None  # 合计 (金额 / 决算数 where the table prints one amount)
    page: int
    resolved: bool  # the department name (or printed code) is in the catalog, and so is a printed government name
    level: str | None = None  # 类 / 款
    printed_code: str | None = None  # as printed (类 and 款 joined); None where the table prints no codes
    printed_name: str = ""
    printed_gov_name: str = ""
    code_conflict: bool = False  # a code is printed and it is not the catalog's code for the row


@dataclass
class _Block:
    """One side of a table: the code columns, name columns and amount columns that belong together
    (a final account prints 人员经费 and 公用经费 side by side, each with its own columns)."""

    code_cols: list[int]
    dept_col: int
    gov_col: int | None
    amount_cols: dict[str, int]  # total / personnel / public → column


_TOTAL = re.compile(f"^({'|'.join(TOTAL_LABELS + ('人员经费合计', '公用经费合计', '小计'))})$")


def _blocks(columns: list[str]) -> list[_Block]:
    names = [i for i, c in enumerate(columns) if "名称" in c]
    gov_cols = [i for i in names if "政府" in columns[i]]
    dept_cols = [i for i in names if i not in gov_cols]
    blocks = []
    for k, dept_col in enumerate(dept_cols):
        lo = dept_cols[k - 1] + 1 if k else 0
        hi = dept_cols[k + 1] if k + 1 < len(dept_cols) else len(columns)
        code_cols = [i for i in range(lo, dept_col)
                     if re.search(r"编码|代码|类|款", columns[i]) and "名称" not in columns[i]]
        start = code_cols[0] if code_cols else dept_col
        # The government classification's code and name columns belong to this block, its amounts
        # follow them (Xi'an: 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | 合计 …; Yantai: 类 | 款 |
        # 部门…名称 | 类 | 款 | 政府…名称 | 小计 …); a code column after them starts the next block.
        gov_col = next((i for i in gov_cols if start <= i < hi), None)
        after = max(dept_col, gov_col) if gov_col is not None else dept_col
        nxt = next((i for i in range(after + 1, hi) if re.search(r"编码|代码", columns[i])), hi)
        amounts: dict[str, int] = {}
        for i in range(dept_col + 1, nxt):
            if i == gov_col:
                continue
            key = measure_key(columns[i]) or ("total" if re.search(r"金额|预算数|决算数|合计", columns[i]) else None)
            if key in ("total", "personnel", "public") and key not in amounts:
                amounts[key] = i
        blocks.append(_Block(code_cols, dept_col, gov_col, amounts))
    return blocks


def _amount(row: list[str], col: int | None, unit: str) -> Amount | None:
    if col is None or col >= len(row) or not is_amount(row[col]):
        return None
    try:
        return Amount.parse(row[col], unit)
    except AmountError:
        return None


def _printed_code(row: list[str], code_cols: list[int]) -> str | None:
    """类 and 款 columns joined (a 款 printed as “2” is 02), or one full-code column."""
    parts = [clean_cell(row[i]) for i in code_cols if i < len(row)]
    parts = [p for p in parts if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    if len(parts) == 2 and len(parts[0]) == 3 and len(parts[1]) <= 2:
        return parts[0] + parts[1].zfill(2)
    return "".join(parts)


def _by_printed_code(code: str | None, name: str) -> EconItem | None:
    """The catalog item of a printed code whose printed name the catalog does not know, when the
    name is (nearly) the catalog's: a code beside an unrelated name is a local numbering."""
    item = by_code(code) if code else None
    if item is None or not name:
        return item
    similar = difflib.SequenceMatcher(None, normalise_name(name), normalise_name(item.name)).ratio()
    return item if similar >= 0.6 else None


def _cell(row: list[str], col: int | None) -> str:
    return clean_cell(row[col]) if col is not None and col < len(row) else ""


def econ_rows(table: object) -> list[EconRow]:
    """The classification rows of a 基本支出经济分类 table (an ExtractedTable or a NormalisedTable),
    each with its codes, official names and amounts. Total rows (合计, 人员经费合计) are left out.

    A name resolves within the 类 printed above it; where the printed code and the name disagree
    (old editions, local numberings) the name decides and the row is flagged code_conflict.
    """
    extracted: ExtractedTable = getattr(table, "table", table)
    unit = getattr(table, "unit", None) or extracted.unit or "元"
    rows: list[EconRow] = []
    for block in _blocks(extracted.columns):
        parent = gov_parent = None
        kuan = ""
        for r, row in enumerate(extracted.body_rows):
            econ = _econ_row(row, block, unit, extracted.row_pages[r], parent, gov_parent)
            if econ is None or _detail_of(econ, kuan):
                continue
            if econ.printed_code and len(econ.printed_code) == 5:
                kuan = econ.printed_code
            if econ.level == "类":
                parent = econ.econ_code or (econ.printed_code or "")[:3] or None
                gov_parent = econ.gov_econ_code
            rows.append(econ)
    return rows


def _detail_of(econ: EconRow, kuan: str) -> bool:
    """A local subdivision printed under a 款 (Chongqing 30102 津贴补贴 → 3010201 规范性津补贴,
    3010202 其他津补贴): a detail of that 款, not a row of the classification."""
    code = econ.printed_code or ""
    return len(code) > 5 and bool(kuan) and code.startswith(kuan)


def _econ_row(row: list[str], block: _Block, unit: str, page: int, parent: str | None,
              gov_parent: str | None) -> EconRow | None:
    name = _cell(row, block.dept_col)
    gov_name = _cell(row, block.gov_col)
    code = _printed_code(row, block.code_cols)
    if (not name and not code) or _TOTAL.match(normalise_name(name)):
        return None
    by_name = resolve(name, gov_name or None, code[:3] if code and len(code) == 5 else parent, gov_parent)
    item = by_code(by_name.econ_code) if by_name.econ_code else _by_printed_code(code, name)
    conflict = bool(code and (item is None or item.code != code))
    gov_ok = not gov_name or by_name.gov_econ_code is not None
    return EconRow(
        econ_code=item.code if item else None,
        econ_name=item.name if item else None,
        gov_econ_code=by_name.gov_econ_code,
        gov_econ_name=by_name.gov_econ_name,
        personnel=_amount(row, block.amount_cols.get("personnel"), unit),
        public=_amount(row, block.amount_cols.get("public"), unit),
        total=_amount(row, block.amount_cols.get("total"), unit),
        page=page,
        resolved=item is not None and gov_ok,
        level=item.level if item else ("类" if code and len(code) == 3 else "款" if code else None),
        printed_code=code,
        printed_name=name,
        printed_gov_name=gov_name,
        code_conflict=conflict,
    )
