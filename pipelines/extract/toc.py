"""The document's own 目录: the table titles it lists and the pages it occupies."""

from __future__ import annotations

import re

from pipelines.catalog import looks_like_title, split_number_label
from pipelines.extract.pdftext import Page, squeeze

_LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*\d*\s*$|\s\d{1,3}$")
_SECTION_HEADING = re.compile(r"(\d{4}年(度)?)?(单位|部门)?(预算|决算)(报)?表")
_TOC_HEAD = re.compile(r"^目\s*录$")
_ENTRY_START = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|表[一二三四五六七八九十]+|附)")


def read_toc(pages: list[Page]) -> tuple[list[str], list[int]]:
    """Table titles listed in the document's own 目录, and the pages it occupies.

    Entries wrapped over two lines are joined; the 目录 may run onto the next page, and ends
    where the body begins (a heading the 目录 already listed is printed again).
    """
    start = next((p for p in pages[:5] if any(_TOC_HEAD.match(squeeze(ln)) for ln in p.lines)), None)
    if start is None:
        return [], []
    entries: list[str] = []
    toc_pages: list[int] = []
    body_started = False
    for page in pages[start.number - 1:start.number + 2]:
        lines = [squeeze(ln) for ln in page.lines]
        if page is start:
            lines = lines[next(i for i, ln in enumerate(lines) if _TOC_HEAD.match(ln)) + 1:]
        used = False
        for ln in lines:
            entry = _LEADER.sub("", ln).strip()
            if not entry or re.fullmatch(r"[\d\s\-—]+", entry):
                continue  # page numbers
            if page is not start and (entry in entries or not (_ENTRY_START.match(entry) or _LEADER.search(ln)
                                                               or (entries and not used))):
                body_started = True
                break
            if _ENTRY_START.match(entry) or not entries:
                entries.append(entry)
            else:
                entries[-1] += entry  # an entry wrapped onto the next line
            used = True
        if used:
            toc_pages.append(page.number)
        if body_started:
            break
    titles = []
    for entry in entries:
        label, rest = split_number_label(entry)
        bare = re.sub(r"[（(][^）)]*[）)]$", "", rest)  # “…支出预算表（不含上年结转）”
        if "部分" in entry or _SECTION_HEADING.fullmatch(rest):
            continue  # part headings and “五、单位预算表”, the heading over the tables
        if looks_like_title(entry) and bare.endswith("表"):
            titles.append(entry)
    return titles, toc_pages
