"""Evidence for a document's identity: candidates found in its text, weighed and compared.

Each candidate value of a field (unit name, fiscal year, kind) carries the evidence that names it:
where it was read (source, page, the line as printed) and how much that kind of place is trusted
(`weight`, 0..1). A value's score is the probabilistic OR of its evidence (several independent
places agreeing make it surer); a field's confidence is the best score less half the runner-up's,
so a document that names two different units or years is not taken at its word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

# How far each kind of place is trusted. The cover and its labelled fields are what a reader
# looks at; headers repeated on every table page come next; the 目录 and table titles carry the
# year and kind but rarely the unit; the PDF's metadata is often a stale template (a 2017 file
# titled “…2015年度部门预算”, Word files titled “离婚协议书”); the creation date and the file name
# are hints, used only where the text says nothing.
WEIGHTS = {
    "cover": 0.95,  # title lines of the first page(s), joined across line breaks
    "cover_label": 0.95,  # 预算单位：X / 预算主管部门：X on the cover
    "title_line": 0.75,  # a title printed again: running header, 附件：…报表, sub-cover
    "label": 0.8,  # 部门名称：X 单位：万元 over a table
    "toc": 0.6,  # 目录 / part headings (“第二部分 2026年度部门预算表”)
    "table_title": 0.6,  # “2019年政府采购预算表”, “（2026年度）”
    "wording": 0.5,  # 部门概况 / 单位预算表 … counted over the document (kind only)
    "metadata_title": 0.4,  # the PDF's Title
    "mention": 0.4,  # a year printed in a tables-only file (“注：我单位无2017年政府性基金支出安排”)
    "creation_date": 0.4,  # a budget is published in its own year, a final account the year after
    "file_name": 0.3,  # the last hint
}
COVER = ("cover", "cover_label")
# Sources used for a field only when nothing better names it.
HINTS = ("mention", "creation_date", "file_name")
# At most this many items of one source count towards a value (a header on 40 pages is one fact).
PER_SOURCE = 3


@dataclass(frozen=True)
class Evidence:
    field: str  # unit_name | fiscal_year | doc_kind
    value: str  # as decided (for unit_name: the name without its scope)
    source: str  # a key of WEIGHTS
    page: int | None  # 1-based; None for metadata and file name
    text: str  # the line(s) as read, joined
    weight: float

    def describe(self) -> str:
        where = f"p.{self.page} " if self.page else ""
        return f"{where}{self.source}: “{self.text[:60]}”"


def evidence(field: str, value: str, source: str, page: int | None, text: str,
             weight: float | None = None) -> Evidence:
    return Evidence(field, value, source, page, re.sub(r"\s+", " ", text).strip(),
                    WEIGHTS[source] if weight is None else round(weight, 2))


@dataclass(frozen=True)
class Decision:
    value: str | None
    confidence: float
    support: list[Evidence]  # the evidence for the value kept, strongest first
    rivals: list[tuple[str, float]]  # other values and their scores


def score(items: list[Evidence]) -> float:
    by_source: dict[str, list[float]] = defaultdict(list)
    for item in items:
        by_source[item.source].append(item.weight)
    miss = 1.0
    for weights in by_source.values():
        for w in sorted(weights, reverse=True)[:PER_SOURCE]:
            miss *= 1.0 - w
    return 1.0 - miss


def _on_cover(items: list[Evidence]) -> bool:
    return any(i.source in COVER and i.weight >= WEIGHTS[i.source] for i in items)


def decide(items: list[Evidence]) -> Decision:
    """The best-supported value of one field. Hints count only where nothing better exists."""
    strong = [i for i in items if i.source not in HINTS]
    pool = strong or items
    by_value: dict[str, list[Evidence]] = defaultdict(list)
    for item in pool:
        by_value[item.value].append(item)
    if not by_value:
        return Decision(None, 0.0, [], [])
    # The cover names the document: a value it prints at full weight goes before one that only
    # headers or titles elsewhere print (the per-unit headers of a department's tables, say),
    # whatever their number; they still lower its confidence.
    ranked = sorted(((score(v), k) for k, v in by_value.items()),
                    key=lambda x: (-_on_cover(by_value[x[1]]), -x[0], x[1]))
    best_score, best = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    confidence = max(0.0, min(1.0, best_score - second / 2))
    support = sorted(by_value[best], key=lambda e: -e.weight)
    return Decision(best, round(confidence, 2), support, [(k, round(s, 2)) for s, k in ranked[1:]])
