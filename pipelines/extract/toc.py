"""The tables a document lists: its own 目录, or where it prints none, its numbering.

Where the tables are listed, by template:
- the 目录 names each table (Shanghai, Jiangsu, Suzhou, Wuxi, Shenzhen, Guangzhou, Zhuhai, Fujian,
  Yantai, Changsha, Changchun, Huzhou); entries may be wrapped over two lines or, in Fujian, two
  entries joined on one line (“…5 一、收支预算总表……6”);
- the 目录 names only the part that holds the tables (Hangzhou: “四、2026年杭州市X预算公开表”) and
  the list of titles is printed in the body, just before the tables (“表1.2026年市级部门收支预算总表” …);
- a second 目录 lists the tables only, as a ruled table (Xi'an 报表目录: 报表 | 报表名称 | 是否空表 |
  表格为空的理由);
- no 目录 at all: each table carries its number (Chongqing 表一 … 表十二), and the distinct numbers
  printed above titles are the list (returned with no 目录 pages).
"""

from __future__ import annotations

import re

from pipelines.catalog import looks_like_title, split_number_label
from pipelines.extract.pdftext import Page, squeeze

_LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*\d*\s*$|\s\d{1,3}$")
# The heading over the tables, unit name and all (“五、单位预算表”, “四、2026年湖州市交通运输局部门预算表”,
# “四、2026年杭州市X预算公开表”): no table words (收支, 经费, 采购, 绩效, 基金, 资本) before 预算表.
_SECTION_HEADING = re.compile(r"(\d{4}年(度)?)?[^收支费采绩基资]*?(单位|部门)?(预算|决算)(公开)?(报)?表")
_TOC_HEAD = re.compile(r"^(报表)?目\s*录$")
_ENTRY = (r"(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]"
          r"|表[一二三四五六七八九十]+|表\s*\d+|附)")
_ENTRY_START = re.compile("^" + _ENTRY)
# Two entries on one text line: the first one's leader and page number, then the next entry.
_JOINED_ENTRIES = re.compile(r"(?:(?<=\.{3})|(?<=…{2})|(?<=·{3}))\s*\d+\s*(?=" + _ENTRY + ")")
# Xi'an's 报表目录 says after each title whether the table is empty and why (“是 不涉及”).
_EMPTY_FLAG = re.compile(r"(?<=表)(是|否)\S*$|(?<=[）)])(是|否)\S*$")
# A table-number label (not the 一、/ 1. numbering of prose sections).
_TABLE_NUMBER = re.compile(r"表")


def read_toc(pages: list[Page]) -> tuple[list[str], list[int]]:
    """Table titles the document lists, and the pages of its 目录 (none when it prints none).

    Entries wrapped over two lines are joined; the 目录 may run onto the next page, and ends
    where the body begins (a heading the 目录 already listed is printed again).
    """
    start = next((p for p in pages[:5] if any(_TOC_HEAD.match(squeeze(ln)) for ln in p.lines)), None)
    titles: list[str] = []
    toc_pages: list[int] = []
    if start is not None:
        entries, toc_pages = _entries(pages, start)
        titles = _table_titles(entries)
    if titles:
        return titles, toc_pages
    listed, list_pages = _list_in_body(pages, start.number if start else 0)
    if listed:
        return listed, sorted(set(toc_pages) | set(list_pages))
    if start is None:
        return _numbered_titles(pages), []
    return [], toc_pages


def _lines(page: Page) -> list[str]:
    out = []
    for ln in page.lines:
        out.extend(part for part in _JOINED_ENTRIES.split(squeeze(ln)) if part.strip())
    return out


def _entries(pages: list[Page], start: Page) -> tuple[list[str], list[int]]:
    entries: list[str] = []
    toc_pages: list[int] = []
    body_started = False
    for page in pages[start.number - 1:start.number + 2]:
        lines = _lines(page)
        if page is start:
            lines = lines[next(i for i, ln in enumerate(lines) if _TOC_HEAD.match(ln)) + 1:]
        used = False
        for ln in lines:
            entry = _LEADER.sub("", ln).strip()
            if not entry or re.fullmatch(r"[\d\s\-—]+", entry):
                continue  # page numbers
            starts = bool(_ENTRY_START.match(entry))
            # A line that starts no entry continues the one before, unless that one is a complete
            # title already (“10、部门整体支出绩效目标表” then the note “注：以上部门预算报表中…”).
            complete = bool(entries) and entries[-1].endswith("表") and not starts
            if page is not start and (entry in entries or complete
                                      or not (starts or _LEADER.search(ln) or (entries and not used))):
                body_started = True
                break
            if complete:
                continue
            if starts or not entries:
                entries.append(entry)
            else:
                entries[-1] += entry  # an entry wrapped onto the next line
            used = True
        if used:
            toc_pages.append(page.number)
        if body_started:
            break
    return entries, toc_pages


def _table_titles(entries: list[str]) -> list[str]:
    titles = []
    for entry in entries:
        entry = _EMPTY_FLAG.sub("", entry)
        label, rest = split_number_label(entry)
        bare = re.sub(r"[（(][^）)]*[）)]$", "", rest)  # “…支出预算表（不含上年结转）”
        if "部分" in entry or _SECTION_HEADING.fullmatch(rest):
            continue  # part headings and “五、单位预算表”, the heading over the tables
        if looks_like_title(entry) and bare.endswith("表"):
            titles.append(entry)
    return titles


def _numbered_title(line: str) -> bool:
    label, rest = split_number_label(_EMPTY_FLAG.sub("", line))
    return bool(label and _TABLE_NUMBER.search(label) and rest and looks_like_title(rest))


def _number_key(line: str) -> str:
    return re.sub(r"[\s:：.．、]", "", split_number_label(line)[0] or "")


def _first_number(line: str) -> bool:
    """表1 / 表一 / 表01 / 公开01表: a list of tables starts with the first (Xi'an 住建's 报表目录, whose
    text layer is scrambled, yields a run from 表14 that is not the list)."""
    label = split_number_label(line)[0] or ""
    return bool(re.search(r"(?<!\d)0?1(?!\d)|表一(?![二三四五六七八九十])", label))


def _list_in_body(pages: list[Page], after: int) -> tuple[list[str], list[int]]:
    """The first run of three or more numbered table titles, one a line from the first table (page
    numbers between them ignored), after the 目录: Hangzhou's list before the tables, Xi'an's
    报表目录. Its pages count as 目录 pages where they are headed 目录 (Xi'an), not where the list
    ends a part of the prose (Hangzhou)."""
    run: list[str] = []
    run_pages: list[int] = []
    headed: set[int] = set()
    for page in pages[after:]:
        lines = _lines(page)
        if any(_TOC_HEAD.match(ln) for ln in lines):
            headed.add(page.number)
        for ln in lines:
            if re.fullmatch(r"[\d\s\-—]+", ln) or ln.startswith("报表"):
                continue
            repeated = _number_key(ln) in map(_number_key, run)  # the tables begin (Hangzhou 表1：…)
            if _numbered_title(ln) and (run or _first_number(ln)) and not repeated:
                run.append(_EMPTY_FLAG.sub("", ln))
                run_pages.append(page.number)
                continue
            if len(run) >= 3:
                return run, sorted(headed & set(run_pages))
            run, run_pages = [], []
    return (run, sorted(headed & set(run_pages))) if len(run) >= 3 else ([], [])


def _numbered_titles(pages: list[Page]) -> list[str]:
    """A document without a 目录: the distinct table numbers printed above titles (表一 … 表十二),
    each with its title (on the same line or the next)."""
    seen: dict[str, str] = {}
    for page in pages:
        lines = _lines(page)
        for i, ln in enumerate(lines):
            label, rest = split_number_label(ln)
            if not label or not _TABLE_NUMBER.search(label):
                continue
            title = rest or (lines[i + 1] if i + 1 < len(lines) else "")
            key = _number_key(ln)
            if looks_like_title(title) and key not in seen:
                seen[key] = f"{label} {title}"
    return list(seen.values())
