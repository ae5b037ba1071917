"""Claims in a disclosure's prose: every amount, share and year-on-year change it states.

The 情况说明 restates the tables in sentences (“基本支出4214.92万元，占81.46%”, “比上年增长91.86万元，
增长1.81%”). Some documents print no tables at all (their tables were published as a separate
file), so the prose is the only source of their totals; for the others it is a second statement
of the same numbers that validation can hold against the tables.

Reading is deliberately shallow: lines are joined into paragraphs, paragraphs split into sentences
(。) and clauses (；), and each printed number is classified by the words just before it. The
subject of an amount is the first known budget term in the words since the previous number or
punctuation mark; when those words only name a measure (“年初预算为”, “2026年预算安排”) the subject of
the paragraph's previous claim is carried over.

Each claim names its measure (年初预算, 全年预算 = 调整预算, 执行数 = 预算执行数, 决算, 上年) so that
validation compares it only with figures of the same measure. A claim whose binding the words leave
unsure (an amount inside an explanation “主要原因是上年度…128.43万元…”, a policy cut “统一压减10%”, a
generic 支出 of 0.00) carries the reason in `unsure`: it is recorded, and counted in the run report,
but no rule checks it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.extract.pdftext import Page, squeeze
from pipelines.money import Amount

# ---------------------------------------------------------------------------------------------
# Public records


@dataclass
class Claim:
    """One statement of the prose. Amounts keep their printed text and unit (yuan via .yuan)."""

    subject: str | None  # normalised (收入, 基本支出, 三公经费, 公共安全支出, 公共安全支出/司法/行政运行, …)
    amount: Amount | None
    percent: Decimal | None  # a share (占X%) or completion ratio (完成预算的X%), see percent_of
    change_amount: Amount | None  # signed: 减少/下降 → negative
    change_percent: Decimal | None  # signed
    direction: str | None  # 增加 / 减少 / 持平 / None
    compared_with: str | None  # '上年', '2024年', …
    text: str  # the clause (sentence part up to ；or 。) the amount was read from
    page: int  # 1-based
    year: int  # the year the amount is for: the fiscal year unless the text names another
    subject_code: str | None = None  # function code when printed (“公共安全支出（204类）司法（06款）…”)
    # what the percent is of: '本年支出合计', '“三公”经费', '完成年初预算', None (bare 占X%)
    percent_of: str | None = None
    # '年初预算', '全年预算' (调整预算), '执行数' (预算执行数), '决算', '上年' when the words name one; None: the
    # document's own figure (a budget's 预算数, a final account's 决算 where the words name no measure)
    measure: str | None = None
    # Why the claim's binding (subject, measure, whole, period) is unsure, or None: an unsure claim is
    # recorded but no rule checks it (an explanation's amount, a policy cut, a share without a whole …).
    unsure: str | None = None
    flat: bool = False  # the words also say 持平 / 与上年相同
    # What the prose says of this 决算 against its budget («决算数小于预算数的主要原因：…»), or None. A statement
    # whose 决算 the prose states no amount for is a claim of its own, without an amount.
    versus: Versus | None = None


@dataclass
class Versus:
    """A 决算 compared with its budget in words: «决算数小于预算数的主要原因：…», «决算数与预算数基本持平»,
    «决算数大于年初预算数，主要原因是…»."""

    word: str  # as printed: 小于, 基本持平, 略低于, 超过 …
    relation: str | None  # '>', '<', '=' (等于, 持平, 一致), '≈' (基本持平), None (差异: no relation stated)
    measure: str | None  # the budget named: 年初预算, 全年预算 (调整预算); None: a bare 预算数
    text: str  # the sentence, as printed
    page: int
    # None: no reason promised; else what follows the promise (主要原因是 / 原因： / 主要是), "" when nothing does
    reason: str | None = None


# ---------------------------------------------------------------------------------------------
# Vocabulary

_FUNCTION_CLASSES = (
    "一般公共服务", "外交", "国防", "公共安全", "教育", "科学技术", "文化旅游体育与传媒", "文化体育与传媒",
    "社会保障和就业", "社会保险基金", "卫生健康", "医疗卫生与计划生育", "节能环保", "城乡社区", "农林水",
    "交通运输", "资源勘探工业信息等", "资源勘探信息等", "商业服务业等", "金融", "援助其他地区",
    "自然资源海洋气象等", "国土海洋气象等", "住房保障", "粮油物资储备", "灾害防治及应急管理",
    "国有资本经营预算", "债务还本", "债务付息", "债务发行费用", "转移性", "抗疫特别国债安排的",
)
_FC = "|".join(sorted(_FUNCTION_CLASSES, key=len, reverse=True))

# (normalised subject, pattern). Among matches in the words before an amount the earliest wins,
# then the longest, so “一般公共预算拨款收入” beats “收入” and ““三公”经费财政拨款支出” is 三公经费.
_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("收支总计", r"收(入)?[、及]?支(出)?(预算)?(总计|合计)"),
    ("财政拨款收支", r"财政拨款收(入)?[、及]?支(出)?(总预算|预算|总计|合计)?"),
    ("收入", r"(预算)?收入(预算)?(总计|合计)?"),
    ("支出", r"(预算)?支出(预算)?(总计|合计)?"),
    ("本年收入", r"本年(度)?收入(预算)?(合计|总计)?"),
    ("本年支出", r"本年(度)?(单位预算)?支出(预算)?(合计|总计)|本年预算安排"),
    ("上年结转", r"上年(财政拨款)?结转(收入|资金)?"),
    ("财政拨款收入", r"财政拨款(收入|资金)"),
    ("财政拨款支出", r"财政拨款(预算)?支出"),
    ("当年拨款收入", r"当年(财政)?拨款收入"),
    ("一般公共预算拨款收入", r"一般公共预算(财政)?(拨款)?收入|一般公共预算(财政)?拨款"),
    ("政府性基金预算拨款收入", r"政府性基金(预算)?(财政)?(拨款)?收入|政府性基金(预算)?(财政)?拨款"),
    ("国有资本经营预算拨款收入", r"国有资本经营预算(财政)?(拨款)?收入|国有资本经营预算(财政)?拨款"),
    ("财政专户管理资金收入", r"财政专户管理资金(收入)?"),
    ("单位资金", r"单位资金"),
    ("事业收入", r"事业收入"),
    ("事业单位经营收入", r"事业单位经营收入|经营收入"),
    ("其他收入", r"其他收入"),
    ("其他资金", r"其他资金(收入)?"),
    ("一般公共预算支出", r"一般公共预算(财政)?(拨款)?(预算)?支出"),
    ("一般公共预算当年支出", r"一般公共预算当年(拨款)?支出"),
    ("政府性基金预算支出", r"政府性基金(预算)?(财政)?(拨款)?(预算)?支出"),
    ("国有资本经营预算支出", r"国有资本经营预算(财政)?(拨款)?(预算)?支出"),
    ("基本支出", r"基本支出"),
    ("项目支出", r"项目支出"),
    ("财政拨款基本支出", r"财政拨款基本支出"),
    ("一般公共预算基本支出", r"一般公共预算(财政)?(拨款)?(安排(的)?)?基本支出"),
    ("单位预留机动经费", r"(单位)?预留机动经费"),
    ("人员经费", r"人员经费"),
    ("公用经费", r"(日常)?公用经费"),
    ("三公经费", r"[“\"‘]?三公[”\"’]?经费"),
    ("因公出国（境）费", r"因公出国（境）(费用?|支出)"),
    ("公务接待费", r"公务接待(费|支出)"),
    ("公务用车购置及运行费", r"公务用?车购置及运行(维护)?费"),
    ("公务用车购置费", r"公务用?车购置(?!及)费?"),
    ("公务用车运行维护费", r"公务用?车(用车)?运行(维护)?(费|支出)"),
    ("会议费", r"会议费"),
    ("培训费", r"培训费"),
    ("机关运行经费", r"机关运行经费"),
    ("政府采购", r"政府采购(预算)?(总额|总金额|金额)?"),
    ("政府采购货物", r"政府采购货物|货物类?政府采购|货物(类)?采购|拟购买货物"),
    ("政府采购工程", r"政府采购工程|工程类?政府采购|工程(类)?采购|拟购买工程"),
    ("政府采购服务", r"政府采购服务|服务类?政府采购|服务(类)?采购|拟购买服务"),
    ("政府采购中小企业预留", r"面向中小企业预留(政府采购)?"),
    ("政府采购小微企业预留", r"(预留给|面向)小(型和)?微(型)?企业(预留)?"),
    ("绩效目标管理项目", r"(纳入|编报)绩效目标(管理)?的[^，。；]{0,8}?项目|公开项目绩效目标"),
    ("绩效跟踪评价项目", r"绩效跟踪评价的[^，。；]{0,8}?项目"),
    ("绩效自评项目", r"绩效自评的[^，。；]{0,8}?项目"),
    ("其他运转类项目", r"其他运转类项目"),
    ("特定目标类项目", r"特定目标类项目"),
    ("function", rf"(?:{_FC})(（类）)?支出|预备费|其他支出"),
)
_SUBJECT_RES = [(name, re.compile(p)) for name, p in _SUBJECTS]

# “公共安全支出（204类）司法（06款）行政运行（01项）”, “法院（款）行政运行（项）支出”
_NAME = r"(?:[\u4e00-\u9fff]|（(?!\d*[类款项]）)[\u4e00-\u9fff]{1,3}）)+?"  # 维修（护）费
_PATH = re.compile(
    rf"(?:(?P<cls>{_NAME})（(?P<c1>\d*)类）(?:支出)?)?"
    rf"(?:(?P<kuan>{_NAME})（(?P<c2>\d*)款）)?"
    rf"(?:(?P<xiang>{_NAME})（(?P<c3>\d*)项）)?"
)
_PATH_FILLER = re.compile(r"^(其中|包括|主要用于|用于|主要|科目|为|的)+")
# Shanghai also writes the path quoted, its levels joined by dashes: “一般公共服务支出-政府办公厅
# （室）及相关机构事务-行政运行”科目1,202.95万元.
_DASHED_PATH = re.compile(r"“(?P<path>[^“”]{2,40}(?:[-－—][^“”]{2,40}){1,2})”(?:科目)?")

_AMOUNT = re.compile(r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>亿元|万元|元)")
_PERCENT = re.compile(r"(?<![\d.,])(?P<num>\d+(?:\.\d+)?)%")
_THRESHOLD = re.compile(r"^(（[^）]{0,4}）)?(及)?(以上|以下|以内)")
_RATE = re.compile(r"^/")  # 180元/人/天 is a rate, not an amount

_UP = r"增加|增长|上升|提高|调增|增支|多于|大于|高于|超过"
_DOWN = r"减少|下降|降低|压减|调减|核减|缩减|节约|少于|小于|低于"
# Two-character verbs anywhere in the words before a number; a bare 增/减 only right before it
# (“增减变动原因说明” is a heading, not a change).
_CHANGE_VERB = re.compile(rf"({_UP}|{_DOWN})了?|(?<!增)(增|减)了?$")
_UP_RE = re.compile(rf"^({_UP}|增)")
_COMPARATOR = re.compile(r"(?:比|较|与|同|小于|大于|少于|多于|低于|高于)(上年度?|上一年度?|(20\d\d)\s*年度?)")
_FLAT = re.compile(
    r"(?:比|较|与|同)(上年度?|上一年度?|(20\d\d)年度?)(同期)?(预算执行数|执行数|预算数|决算数|预算|决算|数)?"
    r"(相比)?(基本)?(相同|一致|持平)|(?<![基本])持平"
)
_DELIMS = "，,、：:；;"
_VERB_DELIMS = "，,：:；;"  # a change verb reaches over 、: “增加养老保险、职业年金缴费等1447.63万元”
_SENTENCE_END = "。！？!?"
_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|[①-⑩])"
)
_PAGE_NUMBER = re.compile(r"^[-—\s]*(第\s*)?\d{1,3}(\s*页)?[-—\s]*$")
_MEASURE_ONLY = re.compile(
    r"^(?=.)(20\d\d年(度)?)?(当年|本年|全年)?(年初预算数?|全年预算数?|支出决算|决算数?|预算执行数|执行数|预算安排|预算数|预算|"
    r"调整预算数?|"
    r"共计|合计|总计|涉及(项目)?(预算)?|共)?(金额|资金)?(数)?(为|是|共计|合计)?$"
)
# (measure, the words that name it), the first that matches wins
_MEASURES = (("年初预算", re.compile(r"年初预算")), ("全年预算", re.compile(r"全年预算|调整(后)?预算")),
             ("执行数", re.compile(r"执行数|预算执行")), ("决算", re.compile(r"决算")),
             ("上年", re.compile(r"^(上年|上一年)(度)?(?!结转)")))
# The same words glued to a subject the vocabulary does not know: «行政运行全年预算为7.00万元» is 行政运行's 全年预算
_MEASURE_WORD = re.compile("|".join(f"(?:{rx.pattern.removeprefix('^')})" for _, rx in _MEASURES))
# 按规定…统一压减10%: a policy cut, not the year-on-year change
_POLICY_CUT = re.compile(r"统一|按规定|按照[^，。；]{0,12}要求|一律|原则上")
# 主要原因是上年度列入此项的…128.43万元…: an amount inside an explanation is not the year's figure
_EXPLANATION = re.compile(r"(主要)?原因[是为：:]|主要是由于|主要是因为|系因")
_FILLER_TAIL = re.compile(r"(预算数|预算|安排|共计|合计|总计|金额|总额|约|达|为|是|的|数)+$")
_LEADING_NOISE = re.compile(
    r"^((20\d\d年(度)?)|[一二三四五六七八九十\d]+[、.．]|（[一二三四五六七八九十\d]+）|其中|包括|主要包括|此外|另外|主要原因[是为]?|原因[是为]|共)+")

# A 决算 against its budget in words (final accounts): «决算数小于预算数», «决算数与年初预算数基本持平», «决算数大于
# 全年预算数», «决算数比预算数减少»; Shanghai (Putuo 2024 pp.21-23) writes the first two. The word is read with its
# modifier: 基本/大体/大致 (roughly equal), 略/稍 (slightly more or less).
_VS_GREATER, _VS_LESS = r"大于|超过|超出|高于|多于|增加|增长", r"小于|低于|少于|减少|下降|未完成|未达到"
_VS_EQUAL = r"等于|持平|一致|相同|相等|相当"
_VS_WORD = rf"(?:基本|大体|大致|略|稍)?(?:{_VS_GREATER}|{_VS_LESS}|{_VS_EQUAL})|(?:存在|有)?差异"
_VS_BUDGET = r"(年初|全年|调整(?:后)?)?预算(?:数|金额)?"
_VERSUS = (re.compile(rf"决算(?:数|金额)?(?:与|比|较|同|对比){_VS_BUDGET}(?:相比|比较)?[，,]?的?({_VS_WORD})"),
           re.compile(rf"决算(?:数|金额)?({_VS_WORD}){_VS_BUDGET}"))
# The reason the sentence promises after the comparison: «…的主要原因：», «，主要原因是», «，原因为», «，主要是»
_PROMISE = re.compile(
    r"(?:主要)?原因(?:主要)?(?:是|为|在于|如下|有)?[：:，,]?|主要(?:是|系)(?:由于|因为)?|(?:是|系)由于")
# What a template leaves where the reason goes: ……, XX, ××, （说明原因）
_PLACEHOLDER_NOTE = re.compile(r"[（(【\[][^）)】\]]*(?:说明|填写|填列|原因)[^）)】\]]*[）)】\]]")
_NOT_TEXT = re.compile(r"[XxＸｘ×＊*…．.·。，,、：:；;！!？?\s“”\"'（）()【】\[\]_＿—\-]+")


def _relation(word: str) -> str | None:
    """'>', '<', '=' or '≈' for a comparison word (None: 差异 states no relation)."""
    bare = re.sub(r"^(基本|大体|大致|略|稍)", "", word)
    if re.fullmatch(_VS_EQUAL, bare):
        return "≈" if bare != word and not word.startswith(("略", "稍")) else "="
    if re.fullmatch(_VS_GREATER, bare):
        return ">"
    return "<" if re.fullmatch(_VS_LESS, bare) else None


def _reason(text: str) -> str:
    """The reason as printed, or "" when only punctuation or a template's placeholder stands there."""
    bare = _NOT_TEXT.sub("", _PLACEHOLDER_NOTE.sub("", text))
    return text.strip() if len(bare) >= 2 else ""


# “收入、支出预算总计”, “收、支总计”: one subject, not two (、 separates list items elsewhere)
_PAIRED = re.compile(r"收(入)?、支")


def _and(m: re.Match) -> str:
    return m.group(0).replace("、", "及")


# one character for one, so that positions in the normalised text are positions in the printed one
_BRACKETS = str.maketrans({"(": "（", ")": "）", "％": "%", ":": "：", "﹪": "%"})

# Pages of ruled forms (项目支出绩效目标表) carry text like “申请资金28万元” that is not prose.
_FORM_MARKERS = ("项目名称", "主管部门", "项目资金", "一级指标", "三级指标", "指标值", "实施单位")
_UNIT_WORD = (r"(?:万|元|%|％|年|月|日|个|人|名|次|辆|件|期|项|家|户|所|台|套|平方|册|批|场|起|片|号|岁|天|亿|千|百|"
              r"部|条|类|款|级|届|间|处|座|本|张|份|篇|位|多|余|\.|．|、|-|—)")
_BARE_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?![\d.,]*\s*" + _UNIT_WORD + ")")


# ---------------------------------------------------------------------------------------------
# Text: prose lines → paragraphs with a page for every character


@dataclass
class _Text:
    """A run of prose with the page each character came from: `text` is normalised for matching
    (full-width brackets, “收入、支出” read as one subject), `printed` is as printed; both have
    the same length, so positions in one are positions in the other."""

    text: str = ""
    printed: str = ""
    pages: list[int] = field(default_factory=list)

    def add(self, line: "_Line") -> None:
        self.text += line.text
        self.printed += line.printed
        self.pages.extend([line.page] * len(line.text))

    def page_at(self, i: int) -> int:
        return self.pages[min(max(i, 0), len(self.pages) - 1)]


def is_form_page(page: Page) -> bool:
    """A page of a ruled form (performance targets): its cells are not prose."""
    text = squeeze(page.text)
    return sum(m in text for m in _FORM_MARKERS) >= 3


def _is_table_row(line: str) -> bool:
    """A text line that is a table row: several bare numbers and no sentence punctuation, or a
    subject code first. (A prose line may end in a bare number whose 万元 wraps to the next.)"""
    s = squeeze(line)
    numbers = len(_BARE_NUMBER.findall(s)) >= 2 and not re.search(r"[，。；]", s)
    return numbers or bool(re.match(r"^(\d{3}|\d{5}|\d{7})\s+[^\d\s年]", line.strip()))


@dataclass(frozen=True)
class _Line:
    page: int
    text: str  # squeezed, normalised for matching
    printed: str  # squeezed, as printed (same length as text)
    starts: bool  # numbered or indented: begins a paragraph
    short: bool  # much shorter than the page's full lines: ends a paragraph (or is a heading)
    continues: bool = False  # “（项）。主要用于…”: the rest of a subject wrapped from the line before


def _full_length(lines: list[str]) -> int:
    """The length of a full line of the page's prose (a high percentile: the text layer sometimes
    puts two printed lines on one)."""
    lengths = sorted(len(ln) for ln in lines)
    return lengths[int(0.75 * (len(lengths) - 1))] if lengths else 0


def _is_heading(line: str, full: int) -> bool:
    """“七、政府性基金支出预算表情况说明”, “（二）公用经费1,131.92万元”: numbered, no sentence
    punctuation, not a full line, and not a subject path that wraps onto the next line."""
    if not _NUMBERED.match(line) or re.search(r"[，。；：]|,(?!\d)", line) or len(line) >= 0.9 * full:
        return False
    return not (re.search(r"（\d*[类款]）", line) and not line.endswith("）"))


def _prose_lines(pages: list[Page], skip: set[int]) -> list[_Line]:
    """The lines of the document that are prose, in reading order."""
    out = []
    for page in pages:
        if page.number in skip or is_form_page(page):
            continue
        raws = [r for r in page.text.splitlines()
                if r.strip() and not _PAGE_NUMBER.match(r) and not _is_table_row(r)]
        printed = [squeeze(r.strip()) for r in raws]
        full = _full_length(printed)
        for raw, as_printed in zip(raws, printed, strict=True):
            line = _PAIRED.sub(_and, as_printed.translate(_BRACKETS))
            indented = bool(re.match(r"^(\u3000|\s{2,})", raw))
            heading = _is_heading(line, full)
            short = heading or (len(line) < 0.6 * full and line[-1] not in "，、,“（")
            continues = bool(re.match(r"^（\d*[类款项]）", line))
            out.append(_Line(page.number, line, as_printed, indented or bool(_NUMBERED.match(line)), short,
                             continues))
    return out


def _paragraphs(lines: list[_Line]) -> list[_Text]:
    """Join wrapped lines. A paragraph ends before a numbered or indented line, after 。：；, and
    after a short line (its last line, or a heading)."""
    paras: list[_Text] = []
    current = _Text()
    ended = False
    for line in lines:
        if current.text and not line.continues and (line.starts or ended or current.text[-1] in "。：；！？"):
            paras.append(current)
            current = _Text()
        current.add(line)
        ended = line.short
    if current.text:
        paras.append(current)
    return paras


def _split(text: str, start: int, end: int, marks: str) -> list[tuple[int, int]]:
    """Spans of text[start:end] cut after each mark (the mark stays with its part)."""
    spans, s = [], start
    for i in range(start, end):
        if text[i] in marks:
            spans.append((s, i + 1))
            s = i + 1
    if s < end:
        spans.append((s, end))
    return [(a, b) for a, b in spans if text[a:b].strip("。；;！？!? ")]


# ---------------------------------------------------------------------------------------------
# Tokens: the printed numbers of a clause and what the words before them make of them


@dataclass
class _Token:
    kind: str  # amount | change | share | completion | change_percent | flat
    start: int
    end: int
    num: str = ""
    unit: str = ""
    direction: str | None = None
    compared_with: str | None = None
    words_from: int = 0  # where the words that qualify this number begin (after the previous number)
    policy: bool = False  # 统一压减10%: a cut a rule imposes, not a change on last year


def _direction(verb: str) -> str:
    return "增加" if _UP_RE.match(verb) else "减少"


def _local(text: str, lo: int, i: int, delims: str = _DELIMS) -> tuple[int, str]:
    """Words between the last punctuation mark (or lo) and position i."""
    j = max((text.rfind(d, lo, i) for d in delims), default=-1)
    start = max(lo, j + 1)
    return start, text[start:i]


def _comparator(text: str, lo: int, i: int) -> str | None:
    found = None
    for m in _COMPARATOR.finditer(text, lo, i):
        found = m
    if found is None:
        return None
    return f"{found.group(2)}年" if found.group(2) else "上年"


def _tokens(text: str, lo: int, hi: int, sentence_lo: int) -> list[_Token]:
    """The numbers of the clause text[lo:hi], each classified by the words before it."""
    tokens = sorted(_amounts_and_percents(text, lo, hi) + _flats(text, lo, hi, sentence_lo), key=lambda t: t.start)
    previous_end = lo
    for t in tokens:
        t.words_from = max(lo, previous_end)
        _classify(t, text, t.words_from, sentence_lo)
        previous_end = t.end
    return [t for t in tokens if t.kind != "other"]


def _amounts_and_percents(text: str, lo: int, hi: int) -> list[_Token]:
    tokens = []
    for m in _AMOUNT.finditer(text, lo, hi):
        after = text[m.end():m.end() + 8]
        if re.search(r"[\d.,]\s$", text[max(lo, m.start() - 2):m.start()]):
            continue  # “1 6 , 4 1 0 . 7 1万元” (Guangzhou's text layer spaces the digits): only its tail was read
        if not (_THRESHOLD.match(after) or _RATE.match(after)):
            tokens.append(_Token("amount", m.start(), m.end(), m.group("num"), m.group("unit")))
    for m in _PERCENT.finditer(text, lo, hi):
        tokens.append(_Token("percent", m.start(), m.end(), m.group("num"), "%"))
    return tokens


def _flats(text: str, lo: int, hi: int, sentence_lo: int) -> list[_Token]:
    """“与上年预算数相同”, “比2024年预算持平”, “与上年一致”: a change of zero."""
    tokens: list[_Token] = []
    for m in _FLAT.finditer(text, lo, hi):
        before = text[max(lo, m.start() - 8):m.end()]
        if "预算数基本" in before or "与预算数" in before:
            continue  # 决算数与预算数基本持平: a final account against its budget, not a year-on-year change
        if "基本" in m.group(0):
            continue  # “减少1.26万元，下降0.9%，与上年基本持平” (Hangzhou, Xi'an): 基本持平 admits a small change
        if tokens and tokens[-1].end >= m.start() - 6:
            continue  # “持平，零增长”, “与上年持平” matched twice
        if m.group(1):
            compared = f"{m.group(2)}年" if m.group(2) else "上年"
        else:
            compared = _comparator(text, sentence_lo, m.start())
        tokens.append(_Token("flat", m.start(), m.end(), direction="持平", compared_with=compared))
    return tokens


def _classify(t: _Token, text: str, lo: int, sentence_lo: int) -> None:
    """An amount after a change verb is a change; a percent after 占 a share, after 完成 a completion
    ratio, after a change verb a change; other percents are dropped."""
    _, local = _local(text, lo, t.start)
    verbs = list(_CHANGE_VERB.finditer(_local(text, lo, t.start, _VERB_DELIMS)[1]))
    if t.kind == "amount" and verbs:
        t.kind, t.direction = "change", _direction(verbs[-1].group(0))
    elif t.kind == "percent":
        if "占" in local:
            t.kind = "share"
        elif "完成" in local:
            t.kind = "completion"
        elif verbs:
            t.kind, t.direction = "change_percent", _direction(verbs[-1].group(0))
        else:
            t.kind = "other"
    if t.kind in ("change", "change_percent"):
        t.compared_with = _comparator(text, sentence_lo, t.start)
        words = _local(text, lo, t.start)[1]
        if _POLICY_CUT.search(words) and not _COMPARATOR.search(words):
            t.policy = True


# ---------------------------------------------------------------------------------------------
# Subjects


def _normalise_function(name: str) -> str:
    name = name.replace("（类）", "")
    return name if name.endswith("支出") or name == "预备费" else name + "支出"


def _function_class(printed: str) -> str:
    """A 类 as printed in a path (“1．公共安全”, “社会保障和就业支出”) → its normalised name."""
    known = next((c for c in sorted(_FUNCTION_CLASSES, key=len, reverse=True)
                  if printed.endswith(c) or printed.endswith(c + "支出")), None)
    return _normalise_function(known or printed)


def _path_subject(words: str) -> tuple[str, str | None, int] | None:
    """(subject path, code, start) of the last “X（类）Y（款）Z（项）” (or “X-Y-Z”) in words."""
    dashed = list(_DASHED_PATH.finditer(words))
    if dashed:
        m = dashed[-1]
        cls, *rest = re.split(r"[-－—]", m.group("path"))
        return "/".join([_function_class(cls), *rest]), None, m.start()
    best = None
    for m in _PATH.finditer(words):
        if not (m.group("cls") or m.group("kuan") or m.group("xiang")):
            continue
        best = m
    if best is None:
        return None
    parts = []
    if best.group("cls"):
        parts.append(_function_class(_PATH_FILLER.sub("", best.group("cls"))))
    for key in ("kuan", "xiang"):
        if best.group(key):
            parts.append(_PATH_FILLER.sub("", best.group(key)))
    codes = [best.group(k) for k in ("c1", "c2", "c3") if best.group(k) is not None]
    code = "".join(codes) if codes and all(codes) else None
    return "/".join(p for p in parts if p), code, best.start()


def _known_subject(words: str, context: str) -> tuple[str, str | None] | None:
    """The first known budget term in words (earliest, then longest); in “一般公共预算拨款安排的
    会议费”, only what follows 安排的 is the subject."""
    if "安排的" in words:
        funded = words[:words.rindex("安排的")]
        words = words[words.rindex("安排的") + 3:]
        if words in ("支出", "收入") and re.search(r"\d{3,}|收入$", funded):
            # “2120899-其他国有土地使用权出让收入安排的支出” (Fuzhou): a subject's item, not the total
            return None
    path = _path_subject(words)
    if path is not None:
        return path[0], path[1]
    matches = []
    for name, rx in _SUBJECT_RES:
        for m in rx.finditer(words):
            if _narrower(name, words, m):
                continue
            matches.append((m.start(), -(m.end() - m.start()), name, m.group(0)))
    if not matches:
        return None
    _, _, name, printed = min(matches)
    if name == "function":
        return _normalise_function(printed), None
    if name == "政府采购" and re.search(r"货物|工程|服务", words):
        part = re.search(r"货物|工程|服务", words).group(0)
        return "政府采购" + part, None
    if re.fullmatch(r"(拟购买)?(货物|工程|服务)(类)?", words) and "政府采购" in context:
        return "政府采购" + re.search(r"货物|工程|服务", words).group(0), None
    return name, None


# What may stand before a generic 收入/支出 or a function class and leave it the total: nothing, a year,
# the unit's own name (…局, …中心, （本级）) or a filler. Any other word makes it a narrower item:
# 对个人和家庭的补助支出, 人员支出, 日常公用支出, 工资福利支出（301） (Hangzhou, Huzhou, Shenzhen, Xi'an),
# 其他公安支出, 其他社会保障和就业支出（2089999） (Fuzhou, Quanzhou, Xi'an).
_OPEN_BEFORE = re.compile(r"(^|[年度级门位总为是中出；：，、]|本部门|本单位|预算|当年|本年|全年|用于|安排|"
                          r"[局委会院署厅办处室所站队府心部馆校团）])$")
# What may follow a fund's 拨款 and leave it the fund's income: 一般公共预算财政拨款运行经费 (Chongqing) is
# the 机关运行经费, 一般公共预算拨款政府采购 the procurement
_FUND_TAIL = re.compile(r"^(收入|预算|资金|数|为|是|共计|合计|总计|安排|的)*$")
_FUND_INCOMES = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入")


def _narrower(name: str, words: str, m: re.Match) -> bool:
    """Whether the match of a known term is only part of a narrower item's name."""
    # 信访局临聘人员经费 (Changchun), 在职人员经费 (Shenzhen): an item, not the 人员经费 total
    if name in ("收入", "支出", "人员经费", "公用经费") or (
            name == "function" and m.group(0) not in ("预备费", "其他支出")):
        before = _LEADING_NOISE.sub("", re.sub(r"20\d\d年(度)?", "", words[:m.start()]))
        return not _OPEN_BEFORE.search(before)
    if name in _FUND_INCOMES and not m.group(0).endswith("收入"):
        return not _FUND_TAIL.match(words[m.end():])
    return False


def _generic_subject(words: str) -> str | None:
    """A cleaned phrase for an amount whose words name no known budget term."""
    w = re.sub(r"20\d\d年(度)?", "", words)
    w = _LEADING_NOISE.sub("", w.strip("“”\"'，,、：:（）() "))
    measure = _MEASURE_WORD.search(w)
    if measure is not None and not re.fullmatch(r"((比|较|与|同)(上一?年度?)?)?", w[:measure.start()]):
        w = w[:measure.start()]  # 行政运行全年预算 → 行政运行: the measure is the claim's, not the subject's
    w = _FILLER_TAIL.sub("", w)
    return w or None


# ---------------------------------------------------------------------------------------------
# Claims

_Topic = tuple[str | None, str | None]  # (subject, subject code) carried to amounts that name none


def _year(text: str, lo: int, i: int, fiscal_year: int, words_from: int | None = None) -> int:
    """The year named before position i in the sentence (not the one compared with); “上年…为X”
    right before the number is the previous year."""
    year = fiscal_year
    for m in re.finditer(r"(20\d\d)年", text[lo:i]):
        before = text[lo:i][max(0, m.start() - 1):m.start()]
        if before not in ("比", "与", "较", "同"):
            year = int(m.group(1))
    _, local = _local(text, max(lo, words_from or lo), i)
    if re.match(r"^[（(]?(上年|上年度|上一年度?)(?!结转)", local):
        year = fiscal_year - 1
    # “比2025年年初预算数14708.87万元增加…” (Beijing), “比上年预算（上年290万元）增加…” (Yantai): the base
    compared = re.match(r"^(?:比|较|与|同)(?:(上年|上一年)|(20\d\d)年)", local)
    if compared:
        year = int(compared.group(2)) if compared.group(2) else fiscal_year - 1
    return year


def _signed(num: str, direction: str | None) -> Decimal:
    value = Decimal(num.replace(",", ""))
    return -value if direction == "减少" else value


@dataclass
class _Reader:
    fiscal_year: int
    claims: list[Claim] = field(default_factory=list)
    previous_sentence: list[Claim] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)  # id(claim) → where its number is printed
    topic: _Topic | None = None  # carried over unnumbered paragraphs, reset at numbered ones
    explaining: bool = False  # the previous paragraph ended “主要原因：”: this one explains
    scoped: str | None = None  # the narrower whole whose classes the paragraph's last sentence listed
    fund: str | None = None  # the fund a numbered heading without amounts names (“2.政府性基金预算当年拨款结构情况。”)
    actuals: list[Claim] = field(default_factory=list)  # the 决算 amounts stated since the last numbered paragraph
    pending: Versus | None = None  # a comparison whose promised reason («主要原因：») ended its paragraph
    sentence: list[Claim] = field(default_factory=list)  # the claims the sentence being read has made so far

    def paragraph(self, para: _Text) -> None:
        text = para.text
        self._pending_reason(para)
        if _NUMBERED.match(text):
            self.actuals = []
            self.topic = None
            self.explaining = False
            named = re.search(r"政府性基金|国有资本经营", text)
            self.fund = named.group(0) if named and not _AMOUNT.search(text) else None
        explaining, self.explaining = self.explaining, bool(re.search(r"原因[是为]?[：:]$", text.strip()))
        topic = self.topic
        self.scoped = None
        for s_lo, s_hi in _split(text, 0, len(text), _SENTENCE_END):
            sentence_claims: list[Claim] = []
            self.sentence = []
            for c_lo, c_hi in _split(text, s_lo, s_hi, "；;"):
                clause_claims: list[Claim] = []  # claims this clause made or added to
                for token in _tokens(text, c_lo, c_hi, s_lo):
                    claim, fresh = self._token(para, token, c_lo, c_hi, s_lo, clause_claims, topic)
                    if fresh and claim.unsure is None:
                        claim.unsure = _unsure(text, s_lo, token, claim, explaining)
                    if fresh and claim.unsure is None and self.fund and claim.subject in _FUNCTION_TOTALS:
                        # Huzhou p.11: “2.政府性基金预算当年拨款结构情况。交通运输（类）支出64463.40万元…”
                        claim.unsure = f"a class of the {self.fund} the heading names, not the document's class total"
                    if fresh:
                        self.claims.append(claim)
                        self.sentence.append(claim)
                        self.positions[id(claim)] = token.start
                        if claim.measure == "决算" and claim.amount is not None and claim.unsure is None:
                            self.actuals.append(claim)
                        if claim.subject:
                            topic = (claim.subject, claim.subject_code)
                    if all(claim is not c for c in clause_claims):
                        clause_claims.append(claim)
                sentence_claims.extend(clause_claims)
            self._scope(text, s_lo, s_hi, sentence_claims)
            self._versus(para, s_lo, s_hi, topic)
            if sentence_claims:
                self.previous_sentence = sentence_claims
            elif (path := _path_subject(text[s_lo:s_hi])) is not None:
                # “1、一般公共服务支出（类）财政事务（款）行政运行（项）。…年初预算为…”
                topic = (path[0], path[1])
        self.topic = topic

    def _versus(self, para: _Text, s_lo: int, s_hi: int, topic: _Topic | None) -> None:
        """«决算数小于预算数的主要原因：…»: the comparison is recorded on the 决算 amount it is about (the last the
        section states, of the subject the words name if they name one: «“三公”经费支出决算数小于预算数»); with no such
        amount, on a claim of its own without an amount."""
        text = para.text
        m = next((m for rx in _VERSUS if (m := rx.search(text, s_lo, s_hi))), None)
        if m is None:
            return
        word = m.group(2) if m.re is _VERSUS[0] else m.group(1)
        named = m.group(1) if m.re is _VERSUS[0] else m.group(2)
        measure = next((name for name, rx in _MEASURES if rx.search(f"{named}预算")), None) if named else None
        versus = Versus(word, _relation(word), measure, para.printed[s_lo:s_hi].strip(), para.page_at(m.start()))
        promise = _PROMISE.search(text, m.end(), s_hi)
        if promise is not None:
            versus.reason = _reason(para.printed[promise.end():s_hi])
            if not versus.reason and s_hi >= len(text.rstrip()) and text.rstrip()[-1] in "：:":
                self.pending = versus  # «…主要原因：» ends the paragraph: the next one gives it
        words = _local(text, s_lo, m.start())[1]
        subject = _known_subject(words, "") if words.strip() else None
        if subject is not None and subject[0] in _GENERIC_TOTALS:
            subject = None  # «支出决算数小于预算数»: the 决算 of the section
        target = next((c for c in reversed(self.actuals) if subject is None or c.subject == subject[0]), None)
        if target is None or target.versus is not None:
            subject = subject or topic or (None, None)
            target = Claim(subject=subject[0], amount=None, percent=None, change_amount=None, change_percent=None,
                           direction=None, compared_with=None, text=versus.text, page=versus.page,
                           year=self.fiscal_year, subject_code=subject[1], measure="决算")
            self.claims.append(target)
        target.versus = versus

    def _pending_reason(self, para: _Text) -> None:
        """The reason a comparison promised at the end of the previous paragraph: this paragraph's first sentence."""
        if self.pending is None:
            return
        spans = _split(para.text, 0, len(para.text), _SENTENCE_END)
        self.pending.reason = _reason(para.printed[spans[0][0]:spans[0][1]]) if spans else ""
        self.pending = None

    def _scope(self, text: str, s_lo: int, s_hi: int, claims: list[Claim]) -> None:
        """Parts listed after 包括 / 主要用于 / 其中 are parts of the sentence's head (or, for a sentence that
        opens with 其中, of the previous sentence's last amount): of a whole narrower than the document
        (a class, a sub-unit, 一般公共预算), a 人员经费 or 项目支出 is not the document's (Shanghai
        “农林水支出”科目83万元，主要用于人员经费18万元…; Shenzhen …（本级）预算…，包括…项目支出…; Chongqing)."""
        opens = _LEADING_NOISE.sub("", text[s_lo:s_hi]).startswith("其中") or text[s_lo:s_hi].startswith("其中")
        amounts = [c for c in claims if c.amount is not None and self.positions.get(id(c), -1) >= s_lo]
        if self.scoped and amounts and amounts[0].subject in _FUNCTION_TOTALS and amounts[0].unsure is None:
            # “…其中：一般公共服务支出3.00万元，…。公共安全支出40230.95万元，…” (Changsha): the list goes on
            amounts[0].unsure = f"a part of {self.scoped}, not the document's {amounts[0].subject}"
            return
        self.scoped = None
        head = None
        if opens:
            head = next((c for c in reversed(self.previous_sentence) if c.amount is not None), None)
        for c in claims:
            at = self.positions.get(id(c), -1)
            if c.amount is None or at < s_lo:
                continue
            if head is None:
                if not opens and _SCOPE_WORD.search(text, at, s_hi):
                    head = c
                continue
            if c is head or not _SCOPE_WORD.search(text, self.positions.get(id(head), s_lo), at):
                continue
            if c.subject in _DOCUMENT_PARTS and c.unsure is None and not _whole_of(head.subject, c.subject):
                c.unsure = f"a part of {head.subject or 'a narrower whole'}, not the document's {c.subject}"
                if c.subject in _FUNCTION_TOTALS:
                    self.scoped = head.subject or "a narrower whole"

    def _token(self, para: _Text, t: _Token, c_lo: int, c_hi: int, s_lo: int, clause: list[Claim],
               topic: _Topic | None) -> tuple[Claim, bool]:
        text = para.text
        if t.kind == "amount":
            return self._new_claim(para, t, c_lo, c_hi, s_lo, topic, Amount.parse(t.num, t.unit)), True
        target = None if t.policy else self._target(text, t, c_lo, s_lo, clause)
        fresh = target is None
        if target is None:
            target = self._new_claim(para, t, c_lo, c_hi, s_lo, topic, None)
        if t.kind == "change":
            target.change_amount = Amount(t.num, t.unit, _signed(t.num, t.direction))
        elif t.kind == "change_percent":
            target.change_percent = _signed(t.num, t.direction)
        elif t.kind in ("share", "completion"):
            target.percent = Decimal(t.num)
            target.percent_of = self._percent_of(text, t, c_lo)
        elif t.kind == "flat":
            unit = target.amount.unit if target.amount else "万元"
            target.change_amount = target.change_amount or Amount("0", unit, Decimal(0))
            target.flat = True
        if t.policy:
            target.unsure = "a cut a rule imposes (统一压减…), not a change on last year"
        if t.direction and not target.direction:
            target.direction = t.direction
        if t.compared_with and not target.compared_with:
            target.compared_with = t.compared_with
        return target, fresh

    def _target(self, text: str, t: _Token, c_lo: int, s_lo: int, clause: list[Claim]) -> Claim | None:
        """The claim a change or share belongs to, or None for a claim of its own. A change is
        never the previous year's amount's (“（2016年度…为8,648.07万元），增加498.72万元”)."""
        if t.kind in ("share", "completion"):
            return next((c for c in reversed(clause) if c.percent is None), None)
        clause = [c for c in clause if c.year == self.fiscal_year]
        if t.kind == "change_percent":
            with_amount = next((c for c in reversed(clause) if c.change_amount is not None
                                and c.change_percent is None and c.direction != "持平"), None)
            if with_amount:
                return with_amount
            free = next((c for c in reversed(clause) if c.change_percent is None and c.direction is None), None)
            return free or (None if clause else self._previous_sentence(text, t, c_lo, s_lo))
        if clause:
            head = self._head(text, c_lo, t.start, clause)
            if head is not None:
                return head
            last = clause[-1]
            if last.direction is None:
                return last
            # “增长1312.56%，增加1557.29万元”: the amount of a change whose percentage came first
            if t.kind == "change" and last.change_amount is None and last.change_percent is not None:
                return last
            # “增加10万元，与上年持平”: a contradiction the wording rules report, unless the words name another subject
            if t.kind == "flat" and _known_subject(text[t.words_from:t.start], "") is None:
                return last
            return None
        return self._previous_sentence(text, t, c_lo, s_lo)

    def _head(self, text: str, c_lo: int, i: int, clause: list[Claim]) -> Claim | None:
        """“收入总计A，其中：本年收入B，上年结转C，比上年增长D”: the change is the total's."""
        where = text.find("其中", c_lo, i)
        if where < 0:
            return None
        head = clause[0]
        parts = [c for c in clause if self.positions.get(id(c), -1) > where]
        if self.positions.get(id(head), where) < where and head.direction is None and len(parts) >= 2:
            return head
        return None

    def _previous_sentence(self, text: str, t: _Token, c_lo: int, s_lo: int) -> Claim | None:
        """“项目支出预算数为3,123.68万元。与上年数一致。”: the change is the previous sentence's."""
        if c_lo != s_lo:
            return None
        if _known_subject(text[s_lo:t.start], "") is not None:
            return None
        # “2026年预算比2025年预算增加50.32万元” (Changchun) names its own subject, the year's total: only a
        # sentence that opens with its comparison or verb (“比上年执行数减少…”, “与上年数一致”) continues the last
        head = re.split(rf"{_COMPARATOR.pattern}|{_CHANGE_VERB.pattern}|(?:比|较|与|同)", text[s_lo:t.start])[0]
        if _LEADING_NOISE.sub("", head.strip("，,。 ")):
            return None
        last = self.previous_sentence[-1] if self.previous_sentence else None
        if last is None or last.amount is None:
            return None
        if t.kind == "change_percent":
            return last if last.change_percent is None and last.direction != "持平" else None
        return last if last.direction is None else None

    @staticmethod
    def _percent_of(text: str, t: _Token, c_lo: int) -> str | None:
        _, local = _local(text, c_lo, t.start)
        m = re.search(r"(占|完成)(.*?)的?$", local)
        if not m:
            return None
        what = m.group(2).rstrip("的")
        if m.group(1) == "完成":
            return "完成" + what
        return what or None

    def _new_claim(self, para: _Text, t: _Token, c_lo: int, c_hi: int, s_lo: int, topic: _Topic | None,
                   amount: Amount | None) -> Claim:
        text = para.text
        local_start, local = _local(text, max(c_lo, t.words_from), t.start)
        after_verb = ""
        if t.kind in ("change", "change_percent", "flat"):
            # “主要原因是基本支出增加…”: the subject precedes the verb; “…，增加基本支出844.15万元”: it follows
            cuts = [m for rx in (_CHANGE_VERB, _COMPARATOR) if (m := rx.search(local))]
            if cuts:
                first = min(cuts, key=lambda m: m.start())
                local, after_verb = local[:first.start()], local[first.end():]
        item = self._listed_item(text, s_lo, local_start, t.start)
        subject, code = self._subject(text, local, c_lo, local_start, t.start, topic, after_verb, item)
        measure = next((name for name, rx in _MEASURES if rx.search(local)), None)
        return Claim(
            subject=subject, amount=amount, percent=None, change_amount=None, change_percent=None,
            direction=None, compared_with=None, text=para.printed[c_lo:c_hi].rstrip("；;。"),
            page=para.page_at(t.start),
            year=_year(text, s_lo, t.start, self.fiscal_year, t.words_from) if amount is not None else self.fiscal_year,
            subject_code=code, measure=measure,
        )

    def _listed_item(self, text: str, s_lo: int, local_start: int, i: int) -> _Topic | None:
        """The item a 其中 list of the sentence last named before position i, or None outside such a list.

        An amount whose words name no subject of their own belongs to the item just named, until the next item or
        the end of the sentence — not to the sentence's subject, the list's whole: «“三公”经费…支出决算为10.56万元，
        其中：公务接待费全年预算为7.00万元，支出决算为6.24万元» (6.24 is 公务接待费's); «本年支出合计…，其中：基本支出
        X万元，项目支出Y万元»; «其中，财政拨款收入X万元»; «其中：（1）…». The item is the subject of the last claim made
        after 其中, else the first known term in the words after it («其中：公务接待费，全年预算为…»)."""
        where = text.rfind("其中", s_lo, i)
        if where < 0:
            return None
        named = next((c for c in reversed(self.sentence)
                      if c.subject and self.positions.get(id(c), -1) > where), None)
        if named is not None:
            return named.subject, named.subject_code
        return _known_subject(text[where + 2:local_start], "") if local_start > where + 2 else None

    @staticmethod
    def _subject(text: str, local: str, c_lo: int, local_start: int, i: int, topic: _Topic | None,
                 after_verb: str = "", item: _Topic | None = None) -> _Topic:
        """Known term in the words before the number (before its change verb, else after it); else,
        when those words only name a measure (“年初预算为”, “涉及金额”), the item a 其中 list last named,
        the clause's or the paragraph's subject; else the words themselves."""
        measure_only = bool(_MEASURE_ONLY.match(local))
        known = None if measure_only else _known_subject(local, text[c_lo:i])
        if known is None and after_verb:
            known = _known_subject(after_verb, "")
        if known is not None:
            return known
        if not local.strip() or measure_only or not _generic_subject(local):
            if item is not None:
                return item
            earlier = _known_subject(text[c_lo:local_start], "")
            if earlier is not None:
                return earlier
            return topic if topic else (None, None)
        return _generic_subject(local), None


_GENERIC_TOTALS = ("收入", "支出", "本年收入", "本年支出")
_SCOPE_WORD = re.compile(r"包括|主要用于|其中")
# subjects the tables print for the whole document, which a narrower whole's parts must not be taken for
_FUNCTION_TOTALS = {_normalise_function(c) for c in _FUNCTION_CLASSES}
_DOCUMENT_PARTS = {"人员经费", "公用经费", "基本支出", "项目支出", "支出", "收入", "本年收入", "本年支出",
                   *_FUNCTION_TOTALS}
_DOCUMENT_WHOLES = {"收入", "支出", "本年收入", "本年支出", "收支总计", "财政拨款收支", "财政拨款收入", "财政拨款支出"}


def _whole_of(head: str | None, part: str | None) -> bool:
    """Whether a part listed under head is the document's own figure of that part."""
    if head in _DOCUMENT_WHOLES:
        return True
    # a fund's classes are printed by its own table (一般公共预算支出表), which the class is held against
    if head in ("一般公共预算支出", "一般公共预算当年支出") and part in _FUNCTION_TOTALS:
        return True
    return head in ("基本支出", "一般公共预算基本支出", "财政拨款基本支出") and part in ("人员经费", "公用经费")


def _unsure(text: str, s_lo: int, t: _Token, claim: Claim, explaining: bool) -> str | None:
    """Why a new claim's binding is unsure, or None when it can be checked."""
    if t.kind == "amount" and (explaining or _EXPLANATION.search(text[s_lo:t.start])):
        return "an amount inside an explanation (主要原因…): not the year's figure of its subject"
    if t.kind == "amount" and re.search(r"涉及(?!金额|资金)", text[t.words_from:t.start]):
        # “项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款9,399.23万元” (Chongqing): a scope's share
        return "an amount a scope involves (涉及…), not its subject's total"
    if (claim.amount is not None and claim.amount.value == 0 and claim.subject in _GENERIC_TOTALS
            and not re.search(r"总计[为是：:]?\s*$", text[s_lo:t.start])):  # 收入总计0万元 is the total, wrong
        return "a generic 收入/支出 of 0: a sub-item printed as 0.00, not the document's total"
    if t.kind in ("change", "change_percent") and claim.amount is None and claim.subject is None:
        return "a change with neither an amount nor a subject to bind it to"
    return None


def extract_claims(pages: list[Page], fiscal_year: int, skip_pages: list[int] | None = None) -> list[Claim]:
    """Every amount, share and change the prose of a document states, in reading order.

    Pages in skip_pages (e.g. the pages the table extractor found ruled tables on) and pages of
    performance-target forms are not read; on other pages, lines that look like table rows
    (several bare numbers) are dropped.
    """
    lines = _prose_lines(pages, set(skip_pages or []))
    reader = _Reader(fiscal_year)
    for para in _paragraphs(lines):
        reader.paragraph(para)
    # “（五）项目支出1,421.35万元” restates the 项目支出 a sub-unit's sentence listed (Shenzhen 建筑工务署 prints a
    # section for each of its units): the same subject and amount as a narrower whole's part is that part
    parts = {(c.subject, c.amount.value): c.unsure for c in reader.claims
             if c.amount is not None and (c.unsure or "").startswith("a part of")}
    for c in reader.claims:
        if c.unsure is None and c.amount is not None and (c.subject, c.amount.value) in parts:
            c.unsure = parts[(c.subject, c.amount.value)]
    return reader.claims


# ---------------------------------------------------------------------------------------------
# Totals for documents without tables

_TOTAL_SUBJECTS = {
    # 收入总计 / 支出总计 include the carry-overs (收支总计); 本年收入 / 本年支出 only where no total is stated.
    "income_total": ("收入", "收支总计", "本年收入"),
    "expenditure_total": ("支出", "收支总计", "本年支出"),
    "current_year_income": ("本年收入",),
    "current_year_expenditure": ("本年支出",),
    "carryover_in": ("上年结转",),
    "basic_total": ("基本支出",),
    "project_total": ("项目支出",),
    "three_public_total": ("三公经费",),
}
_THREE_PUBLIC_PARTS = ("因公出国（境）费", "公务用车购置及运行费", "公务接待费")


def narrative_totals(claims: list[Claim], fiscal_year: int | None = None) -> dict[str, Decimal | None]:
    """Headline totals in yuan from the prose, keyed like normalise.DocumentTotals.

    Each is the first amount the prose states for the subject (in the fiscal year; by default
    the year most claims are for). Where the prose gives no “三公” total but gives its three
    parts, the total is their sum.
    """
    if fiscal_year is None:
        years = Counter(c.year for c in claims if c.amount is not None)
        fiscal_year = years.most_common(1)[0][0] if years else None
    # the document's own figure: not a 年初预算 or 执行数 a final account compares itself with
    current = [c for c in claims if c.amount is not None and c.year == fiscal_year
               and c.measure in (None, "决算") and c.unsure is None]

    def first(subject: str) -> Decimal | None:
        return next((c.amount.yuan for c in current if c.subject == subject), None)

    totals: dict[str, Decimal | None] = {}
    for key, subjects in _TOTAL_SUBJECTS.items():
        totals[key] = next((v for s in subjects if (v := first(s)) is not None), None)
    if totals["three_public_total"] is None:
        totals["three_public_total"] = _three_public_from_parts(current)
    return totals


def _three_public_from_parts(claims: list[Claim]) -> Decimal | None:
    """The sum of the first three “三公” parts stated together (within a few claims of each other),
    so that 公务接待费 of an economic-classification list is not taken for the 三公 one."""
    for i, claim in enumerate(claims):
        if claim.subject != _THREE_PUBLIC_PARTS[0]:
            continue
        window = claims[i:i + 8]
        parts = [next((c.amount.yuan for c in window if c.subject == s), None) for s in _THREE_PUBLIC_PARTS]
        if all(p is not None for p in parts):
            return sum(parts, Decimal("0.00"))
    return None
