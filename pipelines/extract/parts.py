"""Which part of its disclosure a file holds: the whole of it, its narrative, or its tables.

Some publishers split one disclosure over two files: Beijing's 部门预算 is a narrative-only PDF
whose last page announces “附件：北京市公安局 2026 年度部门预算报表”, the tables being a separate
file; Jiangsu's narrative (js-cppcc-office 2017) says “2017 年度部门预算公开表附后” and its tables
are in a tables-only file (`*-tables.pdf`) that prints no narrative at all. Each file is a part of
one disclosure (grouped in the warehouse by unit, scope, fiscal year and kind), not a version of the
other: the part is decided from the file's content, never from its name.

- narrative: no budget table is printed, and the 目录 lists tables or a note says they are
  attached (附后, 附件：…报表), so the tables are published elsewhere;
- tables: budget tables, and no narrative: no sentence of prose outside the table pages and no
  amount stated in prose;
- full: anything else (a disclosure that lost its tables without saying they are elsewhere is a
  full one that is incomplete: the 目录 check reports it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.catalog import UNCLASSIFIED, TableCode
from pipelines.extract.pdftext import Page, squeeze

FULL, NARRATIVE, TABLES = "full", "narrative", "tables"
PARTS = (FULL, NARRATIVE, TABLES)

# A note that the tables are attached or published separately: “2017 年度部门预算公开表附后”,
# “附件：北京市公安局 2026 年度部门预算报表”, “部门预算公开表另行公开”, “详见附表”.
_ATTACHED = re.compile(
    r"(公开表|报表|预算表|决算表|附表)(见)?附后"
    r"|附件[:：][^。；]{0,40}(报表|公开表|预算表|决算表)"
    r"|(公开表|报表|预算表|决算表)[^。；]{0,6}另行公开"
    r"|详见(附件|附表)")
# Tables that are no budget table of the disclosure: performance forms may follow a narrative.
_NOT_BUDGET_TABLES = (UNCLASSIFIED, TableCode.PERFORMANCE_TARGETS)
# A tables-only file prints notes under its tables (“注：我单位无2017年政府性基金支出安排。”) on its table
# pages; a narrative has dozens of sentences outside them. Fewer than this many is no narrative.
MIN_PROSE_SENTENCES = 5


def attachment_note(pages: Iterable[Page]) -> tuple[int, str] | None:
    """The page and line saying that the tables are attached or published separately, if any."""
    for page in pages:
        lines = [squeeze(ln) for ln in page.lines]
        for i, line in enumerate(lines):
            # A note broken over two lines (“附件：北京市规划和自然资源委员会 2026 年度部门预” / “算报表”).
            joined = line + (lines[i + 1] if i + 1 < len(lines) else "")
            found = _ATTACHED.search(joined)
            if found and found.start() < len(line):
                return page.number, joined[:found.end()] if found.end() > len(line) else line
    return None


def prose_sentences(pages: Iterable[Page], skip_pages: Iterable[int]) -> int:
    """Sentences (ending with 。) printed outside the pages to skip (table pages, the 目录)."""
    skip = set(skip_pages)
    return sum(squeeze(p.text).count("。") for p in pages if p.number not in skip)


def document_part(pages: list[Page], table_codes: list[str], table_pages: Iterable[int], toc_pages: Iterable[int],
                  toc_tables: int | None, claims: int) -> str:
    """full, narrative or tables (see the module's docstring). `table_codes`: the canonical code of
    every table found; `claims`: how many amounts the prose states."""
    budget_tables = [c for c in table_codes if c not in _NOT_BUDGET_TABLES]
    if not budget_tables:
        return NARRATIVE if (toc_tables or attachment_note(pages)) and claims else FULL
    if claims == 0 and prose_sentences(pages, set(table_pages) | set(toc_pages)) < MIN_PROSE_SENTENCES:
        return TABLES
    return FULL
