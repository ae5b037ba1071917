"""What a PDF that is not a budget disclosure looks like instead, from its first page.

Crawlers of finance bureaus' sites bring back more than 预算/决算 disclosures: gazette notices,
regulations with a document number (〔2025〕11号), performance evaluation reports, statistics
bulletins, annual work reports (法治政府建设报告), information-request flowcharts. Each is named
here from words its first page prints, so the run says what the file is rather than only what it
is not.
"""

from __future__ import annotations

import re

from pipelines.extract.pdftext import Page, squeeze

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# 惠民发〔2026〕10号, 川办规〔2025〕11号, 浙卫发〔2025〕24号 (brackets 〔〕, [] or ［］).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（]\s*20\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")

# (what it looks like, words on its first pages), in order: the first that matches names it.
_LOOKS = [
    ("a government gazette notice", re.compile(r"人民政府公报|政府公报")),
    ("a performance evaluation report", re.compile(r"绩效评价报告|评价报告|绩效评价")),
    ("a statistics bulletin", re.compile(r"国民经济主要指标|统计公报|统计数据|主要经济指标|统计月报")),
    ("an annual work report", re.compile(r"法治政府建设|工作报告|工作总结|自查报告|年度报告")),
    ("a procedure flowchart", re.compile(r"流程图")),
    ("a government notice", re.compile(r"的通知$|关于印发|通知$")),
    ("a regulation or policy document", re.compile(r"实施意见|指导意见|的意见$|管理办法|实施办法|条例|规定$")),
]


_CJK_DIGITS = dict(zip("〇○零一二三四五六七八九", "00012345678" + "9", strict=True))


def normalise(text: str) -> str:
    """Spaces between CJK characters dropped, full-width digits and a year in Chinese numerals
    (“二〇二六年”) made ASCII."""
    text = squeeze(text).translate(_FULL_WIDTH_DIGITS)
    return re.sub(r"([〇○零一二三四五六七八九]{4})(?=年)", lambda m: "".join(_CJK_DIGITS[c] for c in m.group(1)), text)


def looks_like(pages: list[Page]) -> str | None:
    """“a government notice (惠民发〔2026〕10号)”, or None when the first pages match nothing known."""
    lines = [normalise(ln) for p in pages[:2] for ln in p.lines]
    number = next((re.sub(r"\s+", "", m.group(0)) for ln in lines for m in [DOC_NUMBER.search(ln)] if m), None)
    for what, words in _LOOKS:
        hit = next((ln for ln in lines if words.search(ln)), None)
        if hit:
            return f"{what} ({number or _short(hit)})"
    if number:
        return f"a government document ({number})"
    return None


def _short(line: str) -> str:
    return line if len(line) <= 40 else line[:39] + "…"
