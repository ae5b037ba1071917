"""Identify a disclosure: unit, fiscal year, kind (单位/部门 × 预算/决算), money unit, 目录."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.extract.pdftext import Page, squeeze
from pipelines.extract.toc import read_toc

DOC_KINDS = ("unit_budget", "dept_budget", "unit_final", "dept_final")

_LABELLED_UNIT = re.compile(r"(?:预算单位|预算主管部门|主管部门|单位名称|部门名称|部门)[：:]\s*(?P<unit>[^\s：:]{2,40}?)(?=单位[：:]|\s|$)")
_TITLE = re.compile(
    r"(?P<pre>[^\n]*?)(?P<year>20\d{2})年(?:度)?(?P<mid>[^\n]*?)(?P<scope>单位|部门)?(?P<phase>预算|决算)"
)
_MONEY_UNIT = re.compile(r"(?:金额)?单位[：:]\s*(万元|元|亿元)")


class IdentificationError(ValueError):
    pass


@dataclass
class Identity:
    unit_name: str
    fiscal_year: int
    doc_kind: str
    money_unit: str | None
    toc_tables: int | None
    toc_titles: list[str] = field(default_factory=list)
    toc_pages: list[int] = field(default_factory=list)


def _unit_from_title_match(m: re.Match, lines: list[str], idx: int) -> str | None:
    for candidate in (m.group("mid"), m.group("pre")):
        c = candidate.strip(" ：:")
        c = re.sub(r"^(第[一二三四五六七八九十]+部分|市级|区级|县级|省级|本级)", "", c)
        if len(c) >= 2 and not re.fullmatch(r"(市级|区级|县级|省级|本级|年度)?", c):
            return c
    # The unit name printed on its own line(s) above the title line (cover pages).
    above = [ln for ln in lines[:idx] if not re.search(r"\d", ln)]
    return above[-1] if above else None


def identify(pages: list[Page], file_name: str | None = None) -> Identity:
    """Read identity from the first pages' text; labels (部门：X) may come from any table header.

    Tables-only files often print no title with a year: only then is the year taken from the
    file name (`file_name`, e.g. “…2017年度部门预算公开表.pdf”), and it is recorded as a hint.
    """
    head = pages[:3]
    lines = [squeeze(ln) for p in head for ln in p.lines]

    title = None
    for i, ln in enumerate(lines):
        m = _TITLE.search(ln)
        if m and ("公开" in ln or m.group("scope") or "级" in ln):
            title = (m, i)
            break
    if title is None:
        for i, ln in enumerate(lines):
            m = _TITLE.search(ln)
            if m:
                title = (m, i)
                break

    labelled = None
    for ln in lines + [squeeze(ln) for p in pages for ln in p.lines[:6]]:
        lm = _LABELLED_UNIT.search(ln)
        if lm:
            labelled = lm.group("unit")
            break

    all_text = "".join(squeeze(p.text) for p in pages)
    if title is not None:
        m, idx = title
        year = int(m.group("year"))
        unit = labelled or _unit_from_title_match(m, lines, idx)
        scope, phase = m.group("scope"), m.group("phase")
    else:
        hint = re.search(r"(20\d{2})", file_name or "")
        if not hint:
            raise IdentificationError(
                "no title line with a fiscal year (e.g. “2025年度单位预算公开”) on the first pages, "
                "and no year in the file name")
        year = int(hint.group(1))
        unit, scope = labelled, None
        phase = "决算" if "决算" in all_text else "预算"
    if not unit:
        raise IdentificationError("no unit name found on the cover, title or table headers")
    if scope is None:
        head_text = "".join(lines)
        scope = "单位" if re.search(r"单位(预算|决算)|单位名称[：:]|预算单位[：:]", head_text) else "部门"
    doc_kind = ("unit" if scope == "单位" else "dept") + ("_budget" if phase == "预算" else "_final")

    units = Counter(u for p in pages for u in _MONEY_UNIT.findall(squeeze(p.text)))
    money_unit = units.most_common(1)[0][0] if units else None

    toc_titles, toc_pages = read_toc(pages)
    return Identity(
        unit_name=unit,
        fiscal_year=year,
        doc_kind=doc_kind,
        money_unit=money_unit,
        toc_tables=len(toc_titles) if toc_pages else None,
        toc_titles=toc_titles,
        toc_pages=toc_pages,
    )
