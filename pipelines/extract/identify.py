"""Identify a disclosure: unit, scope, fiscal year, kind (单位/部门 × 预算/决算), money unit, 目录.

Identity comes from the evidence of the document's own content (pipelines/extract/evidence.py):
candidates are gathered from the cover and title lines, labelled fields over the tables, table
titles, the 目录 and the PDF's metadata, weighed, and the best kept with its evidence and a
confidence. The file name is the last hint: names given by crawlers lie (a file named “2026 …
部门预算” holds a 2022 budget, a subordinate unit's budget, an evaluation report). Layouts and the
cities that print them are listed in docs/extraction.md (“Identity”).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pipelines.extract.evidence import HINTS, WEIGHTS, Decision, Evidence, decide, evidence
from pipelines.extract.lookalike import looks_like, normalise
from pipelines.extract.pdftext import Page, squeeze
from pipelines.extract.toc import read_toc

DOC_KINDS = ("unit_budget", "dept_budget", "unit_final", "dept_final")
# Below this the identity is not trusted: the document is quarantined (check identity.confidence).
MIN_CONFIDENCE = 0.5

_MONEY_UNIT = re.compile(r"(?:金额)?单位[：:]\s*(万元|元|亿元)")


class IdentificationError(ValueError):
    """The document cannot be identified. `kind` is the failure kind reported: not_budget when it
    is not a budget disclosure at all, unidentified when it is one but names no unit or year."""

    def __init__(self, message: str, kind: str = "unidentified"):
        super().__init__(message)
        self.kind = kind


class NotADisclosure(IdentificationError):
    def __init__(self, message: str):
        super().__init__(message, "not_budget")


@dataclass
class Identity:
    unit_name: str
    fiscal_year: int
    doc_kind: str
    money_unit: str | None
    toc_tables: int | None
    toc_titles: list[str] = field(default_factory=list)
    toc_pages: list[int] = field(default_factory=list)
    unit_scope: str | None = None  # 本级, 汇总, 本部 … printed after the name; unit_name is the name alone
    confidence: float = 1.0  # the least of the unit's, year's and kind's (0..1)
    evidence: list[Evidence] = field(default_factory=list)  # what decided each field, strongest first

    field_confidence: dict[str, float] = field(default_factory=dict)  # unit_name, fiscal_year, doc_kind

    def weakest(self) -> str:
        """The least supported field, its value and what supports it, for messages."""
        if not self.field_confidence:
            return "no evidence recorded"
        name = min(self.field_confidence, key=self.field_confidence.get)
        items = [e for e in self.evidence if e.field == name]
        value = getattr(self, name)
        support = "; ".join(e.describe() for e in items[:2]) or "nothing printed"
        return f"{name} {value!r} (confidence {self.field_confidence[name]:.2f}) rests on {support}"


# ---------------------------------------------------------------------------------------------
# Unit names

# What a unit's name ends with: used to prefer real names to fragments, never as the only test.
_ORG_END = re.compile(
    r"(局|委员会|委|厅|办公室|办公厅|办|院|署|中心|队|支队|总队|所|站|馆|校|学院|大学|部|会|处|室|团|社|政府|"
    r"办事处|街道|镇|乡|协会|联合会|集团|公司|馆|园|场|台|库|组|科|股|分局|监狱|医院|法院|检察院|研究院)$")
_SCOPE = re.compile(r"[（(](本级|汇总|本部|机关本级|部门汇总|单位汇总|机关|含下属单位)[）)]$")
_NUM = "一二三四五六七八九十"
_NOT_NAME_START = re.compile(rf"^(第[{_NUM}\d]+部分|[{_NUM}]+、|[（(][{_NUM}\d]+[）)]|"
                             r"目录|本|我|该|其中|各|全|省|市|区|县|附件|注|说明|合计|单位|部门)")
_NOT_NAME_WORD = re.compile(r"情况|概况|设置|职能|职责|说明|公开|目录|预算|决算|报表|收入|支出|合计|金额|科目|"
                            r"项目|名称|编码|单位$|部门$|如下|关于|通知")
_GENERIC = re.compile(r"^(本?(部门|单位)|市级部门|区级部门|县级部门|省级部门|预算单位|主管部门)$")


def clean_name(text: str) -> tuple[str | None, str | None]:
    """(name, scope) of a printed unit name, or (None, None) when it is not one.

    Drops a leading code (“606-湖州市交通运输局”, “106_长沙市公安局”) and stray punctuation
    (“. 长春市信访局（本级）”); splits the scope printed after the name (“（本级）”, “(汇总)”).
    """
    name = squeeze(text).strip()
    name = re.sub(r"^(附件\d*[：:]|第[一二三四五六七八九十]+部分)", "", name)
    name = re.sub(r"^[\s.．·•\-—_,，、:：\d]+", "", name)
    name = re.sub(r"^\d+[-_]", "", name)
    scope = None
    m = _SCOPE.search(name)
    if m:
        scope, name = m.group(1), name[:m.start()]
    elif re.search(r"本级$", name) and len(name) > 4:
        scope, name = "本级", name[:-2]
    if not valid_name(name):
        return None, None
    return name, scope


# A template published before it was filled in names a placeholder for its unit: 上海市XX局, ××单位,
# 某某局, 待填写, （单位名称）. Such a name is read as the unit's, so that the document is quarantined as
# a template (identity.placeholder_unit, pipelines/validate/document_rules.py), not failed as unidentified.
PLACEHOLDER_UNIT = re.compile(r"[XxＸｘ×＊*]{2,}|某某|待填|[（(]单位名称[）)]")


def valid_name(name: str) -> bool:
    """A unit's name: 4-40 CJK characters (parentheses allowed inside; a placeholder for a part of it
    too), not a heading, a sentence fragment, a column label or a generic word (“本部门”)."""
    if not 4 <= len(name) <= 40:
        return False
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]+", PLACEHOLDER_UNIT.sub("某", name)):
        return False  # digits, punctuation, Latin: a sentence fragment or a table row
    if _GENERIC.match(name) or _NOT_NAME_START.match(name) or _NOT_NAME_WORD.search(name):
        return False
    return True


def looks_like_org(name: str) -> bool:
    return bool(_ORG_END.search(name))


# ---------------------------------------------------------------------------------------------
# Title lines

_YEAR = r"(?P<year>20\d{2})年(?:度)?"
_KIND = r"(?P<scope>部门|单位)?(?:综合)?(?P<phase>预算|决算)"
# What may follow the kind: “…部门预算及“三公”经费预算公开”, “…预算信息公开”, “…预算编制情况说明”,
# “…综合预算公开报表”, and a parenthesis at the end (“（本级）”, “（草案）”).
_TAIL = (r"(?:(?:及|和|暨|与)[^，。；：]{0,16}?(?:预算|决算))?(?:信息)?(?:公开)?(?:编制)?(?:情况)?的?"
         r"(?:说明|报告|报表|表|解读)?(?P<after>[（(][\u4e00-\u9fff]{1,6}[）)])?")
_LEVEL = r"(?P<level>省级|市级|区级|县级|乡级)"
# “江苏省人民检察院2018年部门预算”, “西安市财政局（汇总）2026年部门预算公开说明”; with a level
# word the name is a region: “上海市2026年市级单位预算” (the unit is labelled below it).
_TITLE_NAME_FIRST = re.compile(rf"^(?P<name>.*?){_YEAR}{_LEVEL}?{_KIND}{_TAIL}$")
# “2026年深圳市交通运输局（本级）部门预算”, “2026年度无锡市商务局部门预算公开”, “2026年度部门预算情况说明”.
_TITLE_YEAR_FIRST = re.compile(rf"^{_YEAR}(?P<name>.*?){_KIND}{_TAIL}$")
_TITLE_LEAD = re.compile(rf"^(附件\d*[：:]|第[{_NUM}]+部分[：:]?|[{_NUM}]+、|[\s.．·•\-—_]+|关于)")


@dataclass(frozen=True)
class Title:
    name: str | None
    scope: str | None  # 本级 …
    year: int
    kind_scope: str | None  # 部门 | 单位
    phase: str  # 预算 | 决算
    regional: bool  # “上海市2026年市级单位预算”: the name is a region, not the unit


def parse_title(text: str) -> Title | None:
    """A title line (or lines joined): year, kind and, when printed, the unit and its scope."""
    t = normalise(text)
    t = re.sub(r"^[-—–\s\d]*[-—–]+\s*\d*\s*[-—–]*", "", t)  # a page footer glued in front (“— 1 —”)
    for _ in range(2):
        t = _TITLE_LEAD.sub("", t)
    m = _TITLE_NAME_FIRST.match(t) or _TITLE_YEAR_FIRST.match(t)
    if not m:
        return None
    raw = m.group("name") or ""
    regional = bool(m.groupdict().get("level"))
    if not m.group("scope") and t.endswith("表"):
        raw = ""  # “2019年政府采购预算表”: a table's title, whose words before 预算 are not a unit
    name, scope = (None, None)
    if raw and not regional:
        name, scope = clean_name(raw)
        if name is None and not _GENERIC.match(raw):
            return None  # something before the kind that is not a name: a sentence, a heading
    after = _SCOPE.search(m.group("after") or "")
    if name and after and not scope:
        scope = after.group(1)  # “XX局2026年部门预算（本级）”
    return Title(name, scope, int(m.group("year")), m.group("scope"), m.group("phase"), regional)


# ---------------------------------------------------------------------------------------------
# Labelled fields

# 部门名称：X 单位：万元 / 单位名称:X / 预算单位：X / 编制单位：X / 部门（单位）：X / 部门：X; Suzhou and Wuxi
# unit budgets print “单位：苏州市科学技术局 单位：万元”, where 单位： labels both the unit and the
# money unit: a value that is a money unit is not a name. The label starts a line or follows a space
# (“收费部门：北京市自来水” in prose is not one).
_LABEL = re.compile(r"(?:^|(?<=\s))(?P<label>部门（单位）名称|部门（单位）|部门\(单位\)|部门名称|预算单位名称|单位名称|"
                    r"预算单位|编制单位|编制部门|填报单位|预算主管部门|部门|单位)[：:]\s*(?P<value>[^\s：:]{2,60}?)(?=(?:金额)?单位[：:]|\s|$)")


def labelled_units(line: str) -> list[tuple[str, str]]:
    return [(m.group("label"), m.group("value")) for m in _LABEL.finditer(line)
            if not re.fullmatch(r"(万元|元|亿元|千元)", m.group("value"))]


# ---------------------------------------------------------------------------------------------


def _cover_lines(pages: list[Page]) -> tuple[Page, list[str]] | None:
    """The first page with text, and its lines up to the 目录 or the body (a cover is short)."""
    for page in pages[:3]:
        lines = [normalise(ln) for ln in page.lines]
        lines = [ln for ln in lines if not re.fullmatch(r"[-—–\s\d.]*", ln)]  # page numbers
        if not lines:
            continue
        out = []
        for ln in lines[:10]:
            if ln == "目录" or (out and re.match(rf"(第[{_NUM}]+部分|[{_NUM}]+、)", ln)):
                break
            out.append(ln)
        return page, out
    return None


def _windows(lines: list[str], size: int):
    for i in range(len(lines)):
        for n in range(1, size + 1):
            if i + n <= len(lines):
                yield i, n, "".join(lines[i:i + n])


def _title_evidence(title: Title, source: str, page: int | None, text: str, out: list[Evidence]) -> None:
    out.append(evidence("fiscal_year", str(title.year), source, page, text))
    if title.kind_scope or source in ("cover", "title_line", "metadata_title"):
        out.append(evidence("phase", title.phase, source, page, text))
    if title.kind_scope:
        out.append(evidence("kind_scope", title.kind_scope, source, page, text))
    if title.name:
        # A name that does not end like a unit's (局, 委员会, 中心 …) is kept, trusted less.
        weight = None if looks_like_org(title.name) else WEIGHTS[source] * 0.6
        out.append(evidence("unit_name", title.name, source, page, text, weight))
        if title.scope:
            out.append(evidence("unit_scope", f"{title.name}|{title.scope}", source, page, text, weight))


def _gather(pages: list[Page], metadata: dict[str, str], file_name: str | None,
            toc_pages: list[int]) -> list[Evidence]:
    found: list[Evidence] = []
    cover = _cover_lines(pages)
    if cover:
        _cover_evidence(*cover, found)
    wording: set[tuple[str, int, str]] = set()
    for page in pages:
        _page_evidence(page, cover, page.number in toc_pages, found, wording)
    for what, page_no, ln in sorted(wording):
        found.append(evidence("kind_scope" if what in ("部门", "单位") else "phase", what, "wording", page_no, ln))
    _metadata_evidence(metadata, found)
    _hint_evidence(pages, metadata, file_name, found)
    return found


def _add_name(found: list[Evidence], name: str, scope: str | None, source: str, page: int | None, text: str) -> None:
    found.append(evidence("unit_name", name, source, page, text))
    if scope:
        found.append(evidence("unit_scope", f"{name}|{scope}", source, page, text))


def _cover_evidence(page: Page, lines: list[str], found: list[Evidence]) -> None:
    """The cover's title, joined across line breaks (Shenzhen “…（本级）部” / “门预算”, Fuzhou's name
    over two lines between “2026 年度” and “单位预算”), and its labelled unit."""
    used: set[int] = set()
    for i, n, text in sorted(_windows(lines, 5), key=lambda w: -w[1]):
        if used & set(range(i, i + n)):
            continue
        title = parse_title(text)
        if not title:
            continue
        used |= set(range(i, i + n))
        _title_evidence(title, "cover", page.number, " / ".join(lines[i:i + n]), found)
        if title.regional or not title.name:
            # “上海市2026年市级单位预算” / “预算单位：X”, or “湖州市2026年市级部门预算” / “湖州市交通运输局”
            for below in lines[i + n:i + n + 2]:
                name, scope = clean_name(below)
                if name and looks_like_org(name):
                    _add_name(found, name, scope, "cover", page.number, below)
                    break
    for ln in lines:
        for _label, value in labelled_units(ln):
            name, scope = clean_name(value)
            if name:
                _add_name(found, name, scope, "cover_label", page.number, ln)


_KIND_WORDS = re.compile(r"(部门|单位)(?=概况|预算表|决算表|预算公开|决算公开|主要职能|主要职责|机构设置|收支总表)")
_LABEL_KIND = {"部门": "部门", "部门名称": "部门", "预算主管部门": "部门", "编制单位": "单位"}
# A table title or header carrying the year: “2019年政府采购预算表”, “（2026年度）”.
_YEAR_TABLE_TITLE = re.compile(r"[（(](20\d{2})年度?[）)]|.{0,12}?(20\d{2})年度?.{0,30}表(?:[（(].{0,12}[）)])?")


def _page_evidence(page: Page, cover: tuple[Page, list[str]] | None, in_toc: bool, found: list[Evidence],
                   wording: set[tuple[str, int, str]]) -> None:
    """Titles printed again (running headers “无锡市商务局 2026 年度部门预算公开”, the attachment line
    “附件：北京市公安局 2026 年度部门预算报表”, sub-covers), labelled units over tables, table titles
    with a year, and the kind's wording (部门概况, 单位预算表, 收支预算总表)."""
    lines = [normalise(ln) for ln in page.lines]
    on_cover = cover is not None and page.number == cover[0].number
    for i, n, text in _windows(lines, 2):
        if on_cover and n == 1 and text in cover[1]:
            continue
        title = parse_title(text)
        if title is None or (title.name and not looks_like_org(title.name)):
            continue  # “2026年湖州市卫生健康委员会各单位差旅费预算”: a sentence or a table, not a title
        if not (title.name or title.regional or title.kind_scope):
            continue  # “2025年预算”: a column header
        if title.name or title.regional:
            _title_evidence(title, "title_line", page.number, text, found)
            if title.regional and i + n < len(lines):
                name, scope = clean_name(lines[i + n])
                if name and looks_like_org(name):
                    _add_name(found, name, scope, "title_line", page.number, lines[i + n])
        else:
            _title_evidence(title, "toc" if in_toc else "table_title", page.number, text, found)
    for ln in lines:
        for label, value in labelled_units(ln):
            name, scope = clean_name(value)
            if name and not (on_cover and label in ("预算单位", "预算主管部门")):  # those count as the cover's
                _add_name(found, name, scope, "label", page.number, ln)
                if label in _LABEL_KIND:
                    wording.add((_LABEL_KIND[label], page.number, ln))
        m = _YEAR_TABLE_TITLE.fullmatch(ln)
        if m and len(ln) <= 48 and not re.search(r"[，。；]", ln):
            found.append(evidence("fiscal_year", m.group(1) or m.group(2), "toc" if in_toc else "table_title",
                                  page.number, ln))
        for w in _KIND_WORDS.findall(ln):
            wording.add((w, page.number, ln))
        if re.search(r"(预算|决算)(总表|表)$", ln) and len(ln) <= 40:
            wording.add(("预算" if "预算" in ln[-5:] else "决算", page.number, ln))


def _metadata_evidence(metadata: dict[str, str], found: list[Evidence]) -> None:
    """The PDF's Title, when it reads as a title (it is often a stale template's)."""
    meta_title = (metadata.get("Title") or "").strip()
    title = parse_title(re.sub(r"\.pdf$", "", meta_title, flags=re.I)) if meta_title else None
    if title:
        _title_evidence(title, "metadata_title", None, meta_title, found)


def _hint_evidence(pages: list[Page], metadata: dict[str, str], file_name: str | None,
                   found: list[Evidence]) -> None:
    """Used only where nothing better names a field: a year printed in a line of a tables-only file,
    the creation date, the file name."""
    for page in pages:
        for ln in page.lines:
            t = normalise(ln)
            for y in re.findall(r"(20\d{2})年(?!\d{1,2}月)", t):
                found.append(evidence("fiscal_year", y, "mention", page.number, t))
    created = _pdf_date(metadata.get("CreationDate", ""))
    if created:
        found.append(evidence("creation_date_year", str(created.year), "creation_date", None,
                              f"CreationDate {created.isoformat()}"))
    if not file_name:
        return
    stem = re.sub(r"\.pdf$", "", file_name, flags=re.I)
    title = parse_title(re.sub(r"[_\-\s]+", "", stem))
    if title:
        _title_evidence(title, "file_name", None, file_name, found)
        return
    for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", stem):
        found.append(evidence("fiscal_year", y, "file_name", None, file_name))
    for w in re.findall(r"(预算|决算|budget|final)", stem, flags=re.I):
        found.append(evidence("phase", {"budget": "预算", "final": "决算"}.get(w.lower(), w), "file_name", None,
                              file_name))
    for w in re.findall(r"(部门|单位|dept|unit)", stem, flags=re.I):
        found.append(evidence("kind_scope", {"dept": "部门", "unit": "单位"}.get(w.lower(), w), "file_name", None,
                              file_name))


def _pdf_date(value: str) -> date | None:
    m = re.search(r"D:(\d{4})(\d{2})(\d{2})", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _merge_truncated(items: list[Evidence]) -> list[Evidence]:
    """A name cut by a line break (“中国共产党江苏省委员会办” at the end of a header line) counts for
    the whole name it begins; a name printed whole (followed by more text on its line, or ending
    like a unit's name and printed so elsewhere) stays apart from a longer one it begins."""
    names = {e.value for e in items if e.field == "unit_name"}
    texts: dict[str, list[str]] = {}
    for e in items:
        if e.field == "unit_name":
            texts.setdefault(e.value, []).append(e.text)
    whole = {}
    for n in names:
        longer = [m for m in names if m != n and m.startswith(n) and looks_like_org(m)]
        if longer and (not looks_like_org(n) or all(t.endswith(n) for t in texts[n])):
            whole[n] = max(longer, key=len)
    return [Evidence(e.field, whole.get(e.value, e.value), e.source, e.page, e.text, e.weight)
            if e.field == "unit_name" else e for e in items]


def _budget_tables(pages: list[Page]) -> int:
    """Pages printing a budget table's title or a labelled table header: a tables-only file."""
    count = 0
    for page in pages:
        lines = [normalise(ln) for ln in page.lines]
        if any(len(ln) <= 40 and re.search(r"(收支|收入|支出|拨款|三公|经费|采购).{0,16}(预算|决算)?.{0,6}表$", ln)
               for ln in lines) or any(labelled_units(ln) and _MONEY_UNIT.search(ln) for ln in lines):
            count += 1
    return count


def identify(pages: list[Page], file_name: str | None = None, metadata: dict[str, str] | None = None) -> Identity:
    """Unit, scope, year and kind from the document's own evidence, with a confidence.

    Raises NotADisclosure for a document that is something else (its message says what it looks
    like), IdentificationError for a disclosure that names no unit or no year anywhere.
    """
    toc_titles, toc_pages = read_toc(pages)
    found = _merge_truncated(_gather(pages, metadata or {}, file_name, toc_pages))
    has_title = any(e.source in ("cover", "title_line") and e.field == "fiscal_year" for e in found)
    if not has_title:
        what = looks_like(pages)
        tables = _budget_tables(pages)
        if what and tables < 3:
            raise NotADisclosure(f"not a budget disclosure: looks like {what}")
        if tables < 2:
            raise NotADisclosure("not a budget disclosure: no 预算/决算 title on its cover, no budget tables"
                                 + (f"; looks like {what}" if what else ""))

    unit = decide([e for e in found if e.field == "unit_name"])
    year = decide([e for e in found if e.field == "fiscal_year"])
    phase = decide([e for e in found if e.field == "phase"])
    kind_scope = decide([e for e in found if e.field == "kind_scope"])
    if phase.value is None:
        phase = Decision("预算", 0.3, [], [])
    if kind_scope.value is None:
        kind_scope = Decision("部门", 0.3, [], [])
    if not any(e.source not in HINTS for e in year.support):
        year = _year_from_creation(found, phase.value, year)
    if unit.value is None:
        raise IdentificationError("a budget disclosure, but no unit name is printed on its cover, titles or table "
                                  "headers")
    if year.value is None:
        raise IdentificationError("a budget disclosure, but no fiscal year is printed in it, in its metadata or in "
                                  "its file name")

    scopes = Counter()
    for e in found:
        if e.field == "unit_scope" and e.value.split("|")[0] == unit.value:
            scopes[e.value.split("|")[1]] += e.weight
    unit_scope = scopes.most_common(1)[0][0] if scopes else None

    doc_kind = ("unit" if kind_scope.value == "单位" else "dept") + ("_budget" if phase.value == "预算" else "_final")
    kind_conf = min(phase.confidence, kind_scope.confidence)
    kind_support = sorted(phase.support[:1] + kind_scope.support[:1], key=lambda e: -e.weight)
    if len(kind_support) == 2 and (kind_support[0].page, kind_support[0].text) == (kind_support[1].page,
                                                                                  kind_support[1].text):
        kind_support = kind_support[:1]  # one title line told both
    chosen = ([_as(e, "unit_name", unit.value) for e in unit.support[:3]]
              + [_as(e, "fiscal_year", year.value) for e in year.support[:3]]
              + [_as(e, "doc_kind", doc_kind) for e in kind_support])
    confidence = round(min(unit.confidence, year.confidence, kind_conf), 2)

    units = Counter(u for p in pages for u in _MONEY_UNIT.findall(squeeze(p.text)))
    money_unit = units.most_common(1)[0][0] if units else None
    return Identity(
        unit_name=unit.value,
        fiscal_year=int(year.value),
        doc_kind=doc_kind,
        money_unit=money_unit,
        # Listed by a 目录, or where none is printed by the tables' own numbering (Chongqing 表一 … 表十二).
        toc_tables=len(toc_titles) if toc_pages or toc_titles else None,
        toc_titles=toc_titles,
        toc_pages=toc_pages,
        unit_scope=unit_scope,
        confidence=confidence,
        evidence=chosen,
        field_confidence={"unit_name": unit.confidence, "fiscal_year": year.confidence,
                          "doc_kind": round(kind_conf, 2)},
    )


def _as(e: Evidence, field_name: str, value: str) -> Evidence:
    return Evidence(field_name, value, e.source, e.page, e.text, e.weight)


def _year_from_creation(found: list[Evidence], phase: str, year: Decision) -> Decision:
    """Where no line prints the year (Jiangsu's tables-only files print none), the creation date
    tells it: a budget is published in its own year (after the people's congress approves it), a
    final account in the year after. With the file name agreeing the two hints together pass."""
    created = [e for e in found if e.field == "creation_date_year"]
    hints = [e for e in found if e.field == "fiscal_year" and e.source in ("mention", "file_name")]
    if created:
        y = int(created[0].value) - (1 if phase == "决算" else 0)
        hints.append(Evidence("fiscal_year", str(y), "creation_date", None, created[0].text,
                              WEIGHTS["creation_date"]))
    if not hints:
        return year
    return decide(hints)
