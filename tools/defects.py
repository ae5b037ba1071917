"""Generate the defect corpus: the reference PDF with one planted defect per rule.

    .venv/bin/python -m tools.defects [--out tests/fixtures/defects] [--only NAME ...]

Each variant is `samples/yangquan-chengqu-police_2025_unit-budget.pdf` (rendered from the seed by
tools/reference_pdf; base "budget") or the final account `tests/fixtures/reference/final_account.pdf`
(tools/reference_pdf/final.py; base "final", for the rules only a 决算 prints anything for, and the
document rules: a placeholder unit, a blank template, a heading naming another year) with exactly one
edit to its model before rendering, chosen so that the edit
breaks the rule it targets (tests/test_validation.py checks that the rule catches it, with the
page). To keep the files small the variants leave out the 11 performance-target forms and the two
chart pictures, which no rule reads. `manifest.json` records, per file, the rule, the edit, the
physical page the defect is printed on (found in the rendered PDF's text layer), the base, and the other
rules the defect implies (`implies`: a blank template's tables print no 注：本表无数据 either).

Needs reportlab and the WQY Zen Hei font (see tools/reference_pdf/README.md): run it where they
are installed and commit the PDFs; tests only read them.

Where the font is missing the reference cannot be re-rendered, so the defects of the text-logic
rules (EDITS) are planted by editing the reference PDF itself: one phrase of a page's text is
replaced in its content stream (pikepdf), glyph by glyph from the page's own font subsets, the rest
of the file left as it is. `--only NAME` regenerates just the named ones (EDITS never need the font).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from tools.reference_pdf import Document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "tests" / "fixtures" / "defects"


@dataclass(frozen=True)
class Defect:
    name: str
    rule: str  # the check_id that must catch it
    description: str
    plant: Callable  # (Document) -> (table seq | None, body row index | None, text the page must show)
    base: str = "budget"  # budget: the reference budget (seed); final: the final account (final.py)
    implies: tuple[str, ...] = ()  # other rules the defect breaks by its nature


def _table(doc, code):
    return next(t for t in doc.tables if t.code == code)


def _row(table, first_cell: str) -> int:
    return next(i for i, r in enumerate(table.body_rows) if r[0] == first_cell)


def _set(table, first_cell: str, values: dict[int, str]) -> int:
    i = _row(table, first_cell)
    for col, value in values.items():
        table.body_rows[i][col] = value
    return i


def _replace_text(doc, old: str, new: str, occurrence: int = 1) -> str:
    """Replace the n-th occurrence of `old` in the narrative paragraphs."""
    from tools.reference_pdf import Para

    seen = 0
    for block in doc.blocks:
        if not isinstance(block, Para):
            continue
        for run in block.runs:
            start = 0
            while (i := run.text.find(old, start)) >= 0:
                seen += 1
                if seen == occurrence:
                    run.text = run.text[:i] + new + run.text[i + len(old):]
                    return new
                start = i + len(old)
    raise ValueError(f"{old!r} (occurrence {occurrence}) not found in the narrative")


def _hierarchy(doc):
    # 款 20402 公安 off by 1.00 in 支出总表 (its own row still adds up: 合计 and 基本支出 both +1.00)
    t = _table(doc, "expenditure_summary")
    return t.seq, _set(t, "20402", {2: "4046.42", 3: "3086.87"}), "4046.42"


def _econ_class(doc):
    # 经济分类表 工资福利支出 3310.11 (合计 and 人员经费): its 款 rows add up to 3307.13 (0.02 of rounding is
    # allowed, 3.00 is not)
    t = _table(doc, "basic_expenditure_econ")
    return t.seq, _set(t, "工资福利支出", {2: "3310.11", 3: "3310.11"}), "3310.11"


def _row_total(doc):
    # 2040202 一般行政管理事务: 合计 959.55 but 项目支出 printed 995.55 (digits transposed)
    t = _table(doc, "expenditure_summary")
    return t.seq, _set(t, "2040202", {4: "995.55"}), "995.55"


def _fund_sources(doc):
    # 机关运行经费表, the unit's row: 合计 697.46 but 一般公共预算 697.64
    t = _table(doc, "office_operation")
    return t.seq, _set(t, "阳泉市公安局城区分局", {2: "697.64"}), "697.64"


def _periods(doc):
    # 收支总表 本年支出合计: 合计 5174.47 = 当年预算安排 5174.47, but 上年结转安排 printed 1.00
    t = _table(doc, "income_expenditure_summary")
    return t.seq, _set(t, "本年收入合计", {5: "1.00"}), "本年支出合计"


def _summary_totals(doc):
    # 收入总表 adds up within itself (行政运行, 公安, 公共安全支出 and 合计 all +1.00) but its 合计
    # 5175.47 ≠ 支出总表 合计 5174.47 = 收支总表 本年收入合计
    t = _table(doc, "income_summary")
    for code, value in (("2040201", "3086.87"), ("20402", "4046.42"), ("204", "4046.42"), ("合计", "5175.47")):
        _set(t, code, {2: value, 3: value})
    return t.seq, _row(t, "合计"), "5175.47"


def _appropriation_line(label: str, value: str) -> Callable:
    """The 财政拨款收支总表's (budget) / 财政拨款收入支出决算总表's (final) expenditure line `label` printing
    `value` in its first two amount columns (合计/小计 and 一般公共预算), so that it no longer equals the
    general budget table's class total."""
    def plant(doc):
        t = _table(doc, "appropriation_summary")
        i = next(i for i, r in enumerate(t.body_rows) if r[2] == label)
        t.body_rows[i][3] = t.body_rows[i][4] = value
        return t.seq, i, value
    return plant


def _econ_basic(doc):
    # 基本支出经济分类表 adds up within itself (基本工资, 工资福利支出 and 合计 all +1.00 in 合计 and 人员经费)
    # but its 合计 4215.92 ≠ 一般公共预算支出表 基本支出 4214.92
    t = _table(doc, "basic_expenditure_econ")
    _set(t, "基本工资", {2: "898.99", 3: "898.99"})
    _set(t, "工资福利支出", {2: "3308.11", 3: "3308.11"})
    return t.seq, _set(t, "合计", {2: "4215.92", 3: "3518.46"}), "4215.92"


def _project_total(doc):
    # 项目支出表: the unit's row 960.55 = Σ projects (禁毒经费 3.00 → 4.00) ≠ 支出总表 项目支出 959.55
    t = _table(doc, "project_expenditure")
    _set(t, "城区公安禁毒经费", {1: "4.00", 2: "4.00"})
    return t.seq, _set(t, "阳泉市公安局城区分局", {1: "960.55", 2: "960.55"}), "960.55"


def _vehicle(doc):
    # 经济分类表 公务用车运行维护费 107.20 (其他交通费用 146.84 keeps 商品和服务支出 adding up) ≠ “三公” 106.20
    t = _table(doc, "basic_expenditure_econ")
    _set(t, "其他交通费用", {2: "146.84", 4: "146.84"})
    return t.seq, _set(t, "公务用车运行维护费", {2: "107.20", 4: "107.20"}), "107.20"


def _office(doc):
    # 机关运行经费表 698.46 (部门合计 and the unit's row) ≠ 经济分类表 公用经费 697.46
    t = _table(doc, "office_operation")
    _set(t, "阳泉市公安局城区分局", {1: "698.46", 2: "698.46"})
    return t.seq, _set(t, "部门合计", {1: "698.46", 2: "698.46"}), "698.46"


def _claim_amount(doc):
    return None, None, _replace_text(doc, "基本支出4214.92万元", "基本支出4215.92万元")


def _share(doc):
    return None, None, _replace_text(doc, "占81.46%", "占82.46%")


def _change_percent(doc):
    # the third “增长1.81%”: 一般公共预算当年支出 5,174.47万元，比上年增长91.86万元，增长1.18%
    return None, None, _replace_text(doc, "增长1.81%", "增长1.18%", occurrence=3)


def _direction(doc):
    return None, None, _replace_text(doc, "比2024年增加27.94万元，增长4.17%", "比2024年减少27.94万元，增长4.17%")


def _empty_note(doc):
    # 政府性基金预算收入表 printed empty without its 注：本表无数据
    t = _table(doc, "gov_fund_income")
    t.note = None
    return t.seq, None, "政府性基金预算收入表"


DEFECTS: tuple[Defect, ...] = (
    Defect("hierarchy-kuan-off-by-one", "hierarchy.subject_sum",
           "支出总表 款 20402 公安 prints 4046.42 (基本支出 3086.87): 1.00 more than its 项 rows and than its 类 204",
           _hierarchy),
    Defect("hierarchy-econ-class", "hierarchy.econ_sum",
           "经济分类表 类 工资福利支出 prints 3310.11; its 款 rows add up to 3307.13", _econ_class),
    Defect("row-total-not-basic-plus-project", "row.total_equals_parts",
           "支出总表 row 2040202 prints 合计 959.55 but 项目支出 995.55", _row_total),
    Defect("row-fund-sources", "row.fund_sources",
           "机关运行经费表: the unit's row prints 合计 697.46 but 一般公共预算 697.64", _fund_sources),
    Defect("row-periods", "row.periods",
           "收支总表 本年支出合计: 合计 5174.47 = 当年预算安排 5174.47, but 上年结转安排 prints 1.00", _periods),
    Defect("cross-income-vs-expenditure-total", "cross.summary_totals",
           "收入总表 adds up to 合计 5175.47 (行政运行 3086.87); 支出总表 合计 and 收支总表 本年收入合计 print 5174.47",
           _summary_totals),
    Defect("cross-appropriation-vs-general-budget", "cross.appropriation_general_budget",
           "财政拨款收支总表 八、社会保障和就业支出 prints 676.33; 一般公共预算支出表 208 prints 673.63",
           _appropriation_line("八、社会保障和就业支出", "676.33")),
    Defect("cross-econ-vs-basic-total", "cross.econ_basic_total",
           "基本支出经济分类表 adds up to 合计 4215.92 (基本工资 898.99); 一般公共预算支出表 基本支出 prints 4214.92",
           _econ_basic),
    Defect("cross-project-total", "cross.project_total",
           "项目支出表 adds up to 960.55 (禁毒经费 4.00); 支出总表 项目支出 prints 959.55", _project_total),
    Defect("cross-vehicle-operation", "cross.vehicle_operation",
           "经济分类表 公务用车运行维护费 prints 107.20 (其他交通费用 146.84); the “三公” table prints 106.20",
           _vehicle),
    Defect("cross-office-operation", "cross.office_operation",
           "机关运行经费表 prints 698.46; 经济分类表 公用经费 prints 697.46", _office),
    Defect("narrative-claim-amount", "narrative.claim_amount",
           "the text says 基本支出4215.92万元; 支出总表 prints 4214.92", _claim_amount),
    Defect("narrative-share", "narrative.share",
           "the text says 基本支出4214.92万元，占82.46% of 5174.47 (it is 81.46%)", _share),
    Defect("narrative-change-percent", "narrative.change_percent",
           "the text says 一般公共预算当年支出 5,174.47万元 grew 91.86万元, 增长1.18% (it is 1.81%)", _change_percent),
    Defect("wording-change-direction", "wording.change_direction",
           "the text says 机关运行经费 比2024年减少27.94万元，增长4.17%", _direction),
    Defect("wording-empty-table-note", "wording.empty_table_note",
           "政府性基金预算收入表 is printed without amounts and without its 注：本表无数据", _empty_note),
)


# --- defects of the final account (base "final", tools/reference_pdf/final.py) -------------------------


def _summary_line(table, label: str) -> int:
    return next(i for i, r in enumerate(table.body_rows) if label in (r[0], r[2]))


def _final_income_grand_total(doc):
    # 收入支出决算总表 年初结转和结余 37.20: 本年收入合计 1,259.00 + 37.20 is 1,296.20, 总计 prints 1,295.20
    t = _table(doc, "income_expenditure_summary")
    i = _summary_line(t, "年初结转和结余")
    t.body_rows[i][1] = "37.20"
    return t.seq, i, "37.20"


def _final_expenditure_grand_total(doc):
    # 收入支出决算总表 年末结转和结余 35.60: 本年支出合计 1,258.70 + 35.60 is 1,294.30, 总计 prints 1,295.20
    t = _table(doc, "income_expenditure_summary")
    i = _summary_line(t, "年末结转和结余")
    t.body_rows[i][3] = "35.60"
    return t.seq, i, "35.60"


def _final_three_public_budget(doc):
    # “三公” 决算表 预算数: 公务接待费 7.70, 合计 12.70 (the table still adds up); the prose says 全年预算为7.00万元
    # and 12.00万元
    t = _table(doc, "three_public")
    t.body_rows[0][0], t.body_rows[0][10] = "12.70", "7.70"
    return t.seq, 0, "12.70"


def _final_completion_percent(doc):
    # 行政运行: «全年预算为523.00万元，支出决算为520.30万元，完成全年预算数的97.80%» (520.30 / 523.00 is 99.48%;
    # the table's 全年预算数 is 532.00)
    return None, None, _replace_text(doc, "全年预算为532.00万元", "全年预算为523.00万元")


def _final_completion_tables(doc):
    # 文化活动: «支出决算为88.00万元，完成全年预算数的96.65%»; the table prints 全年预算数 92.00 (95.65%)
    return None, None, _replace_text(doc, "完成全年预算数的95.65%", "完成全年预算数的96.65%")


def _final_claim_amount(doc):
    # «收入支出总计1259.20万元» (digits transposed); 收入支出决算总表 总计 prints 1,295.20
    return None, None, _replace_text(doc, "收入支出总计1295.20万元", "收入支出总计1259.20万元")


def _final_heading_year(doc):
    # the Part 3 heading names last year: 第三部分 …2023年度部门决算情况说明 in a 2024 final account
    from tools.reference_pdf import Para

    part = next(b for b in doc.blocks if isinstance(b, Para) and b.kind == "part" and b.text.startswith("第三部分"))
    part.runs[0].text = part.runs[0].text.replace("2024年度", "2023年度")
    return None, None, part.text.replace(" ", "")


def _final_placeholder_unit(doc):
    # the unit printed as a placeholder everywhere (cover, 目录, headings, prose), the amounts filled in
    from tools.reference_pdf.final import PLACEHOLDER_UNIT, rename

    rename(doc, PLACEHOLDER_UNIT)
    return None, None, PLACEHOLDER_UNIT


def _final_blank_template(doc):
    # a template published before it was filled in: unit 示范市XX局, no amount in any table, XX in the prose
    from tools.reference_pdf.final import blank_template

    blank_template(doc)
    return _table(doc, "income_expenditure_summary").seq, None, "收入支出决算总表"


def _final_actual_vs_budget(doc):
    # 行政运行: 全年预算 532.00, 决算 520.30, but «决算数大于预算数的主要原因：…»
    return None, None, _replace_text(doc, "决算数小于预算数的主要原因：人员调动及退休",
                                     "决算数大于预算数的主要原因：人员调动及退休")


def _final_actual_vs_budget_reason(doc):
    # 其他文化和旅游支出: «决算数小于预算数的主要原因：……。», the template's dots left where the reason goes
    return None, None, _replace_text(doc, "主要原因：个别宣传项目按实际需求调减。", "主要原因：……。")


FINAL_DEFECTS: tuple[Defect, ...] = (
    Defect("final-cross-income-grand-total", "cross.income_grand_total",
           "收入支出决算总表 年初结转和结余 prints 37.20: 本年收入合计 1,259.00 + 37.20 = 1,296.20, "
           "总计 prints 1,295.20",
           _final_income_grand_total, "final"),
    Defect("final-cross-expenditure-grand-total", "cross.expenditure_grand_total",
           "收入支出决算总表 年末结转和结余 prints 35.60: 本年支出合计 1,258.70 + 35.60 = 1,294.30, "
           "总计 prints 1,295.20",
           _final_expenditure_grand_total, "final"),
    Defect("final-cross-appropriation-vs-general-budget", "cross.appropriation_general_budget",
           "财政拨款收入支出决算总表 九、卫生健康支出 prints 35.30; 一般公共预算财政拨款支出决算表 210 prints 33.50",
           _appropriation_line("九、卫生健康支出", "35.30"), "final"),
    Defect("final-narrative-three-public-budget", "narrative.three_public_budget",
           "“三公”经费支出决算表 预算数 prints 公务接待费 7.70, 合计 12.70; "
           "the text says 全年预算为7.00万元 and 12.00万元",
           _final_three_public_budget, "final"),
    Defect("final-narrative-completion-percent", "narrative.completion_percent",
           "the text says 行政运行 全年预算为523.00万元，支出决算为520.30万元，完成全年预算数的97.80% (it is 99.48%)",
           _final_completion_percent, "final"),
    Defect("final-narrative-completion-tables", "narrative.completion_tables",
           "the text says 文化活动 支出决算为88.00万元，完成全年预算数的96.65%; "
           "the table prints 全年预算数 92.00 (95.65%)",
           _final_completion_tables, "final"),
    Defect("final-narrative-claim-amount", "narrative.claim_amount",
           "the text says 收入支出总计1259.20万元; 收入支出决算总表 总计 prints 1,295.20",
           _final_claim_amount, "final"),
    Defect("final-wording-actual-vs-budget", "wording.actual_vs_budget",
           "the text says 行政运行 全年预算为532.00万元，支出决算为520.30万元 … 决算数大于预算数的主要原因",
           _final_actual_vs_budget, "final"),
    Defect("final-wording-actual-vs-budget-reason", "wording.actual_vs_budget_reason",
           "the text says 其他文化和旅游支出 决算数小于预算数的主要原因：……。 (no reason given)",
           _final_actual_vs_budget_reason, "final"),
    Defect("final-identity-heading-year", "identity.heading_year",
           "the heading says 第三部分 示范市示范区文化旅游局2023年度部门决算情况说明 in a 2024 final account",
           _final_heading_year, "final"),
    Defect("final-identity-placeholder-unit", "identity.placeholder_unit",
           "the unit is printed as 示范市XX局 (cover, 目录, headings, prose); the amounts are filled in",
           _final_placeholder_unit, "final"),
    Defect("final-blank-template", "identity.template_without_amounts",
           "a blank template: unit 示范市XX局, no amount in any of the 9 tables, XX for every amount of the prose",
           _final_blank_template, "final", implies=("identity.placeholder_unit", "wording.empty_table_note")),
)
ALL_DEFECTS = DEFECTS + FINAL_DEFECTS


@dataclass(frozen=True)
class TextEdit:
    """A defect planted by replacing one phrase of the reference PDF's text (its `occurrence`-th)."""

    name: str
    rule: str
    description: str
    old: str
    new: str
    occurrence: int = 1
    # further (old, new, occurrence) replacements in the same file, each counted after those before it (a
    # row whose two columns must change together)
    also: tuple[tuple[str, str, int], ...] = ()


EDITS: tuple[TextEdit, ...] = (
    TextEdit("wording-comparison-year", "wording.comparison_year",
             "the text says 机关运行经费 比2023年增加27.94万元 in a 2025 budget (the year before is 2024)",
             "比2024年增加27.94万元", "比2023年增加27.94万元"),
    TextEdit("wording-zero-with-change", "wording.zero_with_change",
             "the text says the “三公”经费 budget is 0.00万元, 比2024年增加12.60万元",
             "预算106.20万元比2024年", "预算0.00万元比2024年"),
    TextEdit("wording-change-from-zero-base", "wording.change_from_zero_base",
             "the text says 机关运行经费 27.94万元，比2024年增加27.94万元，增长4.17%: last year's base is 0",
             "预算697.46万元，比2024年", "预算27.94万元，比2024年"),
    TextEdit("wording-flat-with-change", "wording.flat_with_change",
             "the text says 因公出国（境）费0万元，增加1万元，与上年预算数相同",
             "因公出国（境）费0万元，与上年预算数相同", "因公出国（境）费0万元，增加1万元，与上年预算数相同"),
    # 预算收支总表 p.6, the lines under the table's 本年 lines: 收入总计 and 支出总计 (its 合计 and 当年预算安排
    # together, so the row itself still adds up) printed 1.00 万元 more than the year plus the blank carry-over.
    TextEdit("cross-income-grand-total", "cross.income_grand_total",
             "收支总表 收入总计 prints 5175.47; 本年收入合计 5174.47 + 上年结转 (blank) is 5174.47",
             "5174.47", "5175.47", occurrence=5),
    TextEdit("cross-expenditure-grand-total", "cross.expenditure_grand_total",
             "收支总表 支出总计 prints 5175.47 (合计 and 当年预算安排); 本年支出合计 5174.47 + 年终结转 (blank) is "
             "5174.47",
             "5174.47", "5175.47", occurrence=6, also=(("5174.47", "5175.47", 6),)),
)

REFERENCE = REPO / "samples" / "yangquan-chengqu-police_2025_unit-budget.pdf"


def _to_unicode(font) -> dict[int, str]:
    """A simple font's codes → text, from its ToUnicode CMap (bfchar and bfrange)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[k] = chr(int(dst, 16) + k - int(lo, 16))
    return out


def _runs(text: str, fonts: dict[str, dict[str, int]], prefer: str) -> list[tuple[str, bytes]]:
    """text as (font name, codes) runs, each character from the preferred font where it has it."""
    runs: list[tuple[str, bytes]] = []
    for ch in text:
        name = prefer if ch in fonts[prefer] else next((n for n, m in fonts.items() if ch in m), None)
        if name is None:
            raise ValueError(f"{ch!r} is in none of the page's font subsets")
        code = bytes([fonts[name][ch]])
        runs = runs[:-1] + [(name, runs[-1][1] + code)] if runs and runs[-1][0] == name else runs + [(name, code)]
    return runs


def _edit_page(pdf, page, old: str, new: str, occurrence: int) -> int:
    """Replace the occurrence-th `old` of the page's text with `new`; returns how many were seen."""
    import pikepdf

    codes = {str(k): _to_unicode(f) for k, f in page.Resources.Font.items()}
    fonts = {n: {ch: c for c, ch in m.items() if c} for n, m in codes.items()}
    ops = list(pikepdf.parse_content_stream(page))
    segments, font, size = [], None, None  # (op index, font, size, text)
    for i, (operands, op) in enumerate(ops):
        if str(op) == "Tf":
            font, size = str(operands[0]), operands[1]
        elif str(op) == "Tj":
            segments.append((i, font, size, "".join(codes[font].get(b, "\ufffd") for b in bytes(operands[0]))))
    text = "".join(seg[3] for seg in segments)
    starts = [m.start() for m in re.finditer(re.escape(old), text)]
    if len(starts) < occurrence:
        return len(starts)
    lo, hi = starts[occurrence - 1], starts[occurrence - 1] + len(old)
    pos, touched = 0, []
    for seg in segments:
        if pos < hi and pos + len(seg[3]) > lo:
            touched.append((seg, max(lo - pos, 0), min(hi - pos, len(seg[3]))))
        pos += len(seg[3])
    (first, _, _), (last, _, b) = touched[0], touched[-1]
    raw = {seg[0]: bytes(ops[seg[0]][0][0]) for seg, _, _ in touched}
    for seg, x, y in touched:  # one byte per character in these simple fonts
        keep = raw[seg[0]][:x] if seg is first else b""
        if seg is last:
            keep += raw[seg[0]][y:] if seg is not first else b""
        ops[seg[0]] = pikepdf.ContentStreamInstruction([pikepdf.String(keep)], pikepdf.Operator("Tj"))
    inserted = []
    for name, data in _runs(new, fonts, first[1]):
        inserted += [pikepdf.ContentStreamInstruction([pikepdf.Name(name), first[2]], pikepdf.Operator("Tf")),
                     pikepdf.ContentStreamInstruction([pikepdf.String(data)], pikepdf.Operator("Tj"))]
    inserted.append(pikepdf.ContentStreamInstruction([pikepdf.Name(last[1]), last[2]], pikepdf.Operator("Tf")))
    if first is last:
        inserted.append(pikepdf.ContentStreamInstruction([pikepdf.String(raw[first[0]][b:])], pikepdf.Operator("Tj")))
    ops[first[0] + 1:first[0] + 1] = inserted
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    return occurrence


def plant_text_edit(edit: TextEdit, out_pdf: Path, source: Path = REFERENCE) -> int:
    """Write source with the edit (and its further replacements) planted; returns the physical page the
    first is printed on."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        pages = [_replace_in(pdf, old, new, occurrence)
                 for old, new, occurrence in ((edit.old, edit.new, edit.occurrence), *edit.also)]
        pdf.save(out_pdf, deterministic_id=True)
    return pages[0]


def _replace_in(pdf, old: str, new: str, occurrence: int) -> int:
    """Replace the occurrence-th `old` of the document's text; returns its page."""
    seen = 0
    for number, page in enumerate(pdf.pages, start=1):
        found = _edit_page(pdf, page, old, new, occurrence - seen)
        if found == occurrence - seen:
            return number
        seen += found
    raise ValueError(f"{old!r} (occurrence {occurrence}) is not printed")


def generate_edits(out_dir: Path = DEFAULT_OUT, only: list[str] | None = None) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    for edit in EDITS:
        if only and edit.name not in only:
            continue
        pdf = out_dir / f"{edit.name}.pdf"
        page = plant_text_edit(edit, pdf)
        if _page_showing(pdf, edit.new.replace(" ", ""), [page]) != page:
            raise ValueError(f"{edit.name}: the edit does not read back on p.{page}")
        manifest[pdf.name] = {"rule": edit.rule, "description": edit.description, "page": page, "table_seq": None,
                              "base": "budget"}
        print(f"{pdf.name}: {edit.rule} on p.{page} ({pdf.stat().st_size // 1024} KiB)", file=sys.stderr)
    manifest = dict(sorted(manifest.items()))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def base_document(seed_path: Path | None = None) -> Document:
    """The reference document without its performance forms and charts (no rule reads them)."""
    from tools.reference_pdf import Chart, PerformanceForm, build_document
    from tools.reference_pdf.render import DEFAULT_SEED

    seed = (seed_path or DEFAULT_SEED).read_text(encoding="utf-8")
    doc = build_document(seed)
    doc.blocks = [b for b in doc.blocks if not isinstance(b, (PerformanceForm, Chart))]
    return doc


def _page_showing(pdf: Path, text: str, candidates: list[int] | None = None) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = candidates or list(range(1, len(document) + 1))
        for number in pages:
            page_text = document[number - 1].get_textpage().get_text_range()
            if text in "".join(page_text.split()):
                return number
    finally:
        document.close()
    raise ValueError(f"{text!r} is not printed in {pdf}")


def final_document() -> Document:
    """The final account of tools/reference_pdf/final.py (it has no forms or charts)."""
    from tools.reference_pdf.final import build_final_document

    return build_final_document()


def generate(out_dir: Path = DEFAULT_OUT, only: list[str] | None = None, seed: Path | None = None) -> dict:
    from tools.reference_pdf import render

    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    for defect in ALL_DEFECTS:
        if only and defect.name not in only:
            continue
        doc = final_document() if defect.base == "final" else base_document(seed)
        seq, row, shown = defect.plant(doc)
        pdf = out_dir / f"{defect.name}.pdf"
        layout = render(doc, pdf)
        if seq is not None and row is not None:
            page = layout.table_row_pages[seq]["body"][row]
        elif seq is not None:
            page = sorted(layout.table_pages[seq])[0]
        else:
            page = _page_showing(pdf, shown)
        manifest[pdf.name] = {"rule": defect.rule, "description": defect.description, "page": page,
                              "table_seq": seq, "base": defect.base}
        if defect.implies:
            manifest[pdf.name]["implies"] = list(defect.implies)
        print(f"{pdf.name}: {defect.rule} on p.{page} ({pdf.stat().st_size // 1024} KiB)", file=sys.stderr)
    manifest = dict(sorted(manifest.items()))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.defects", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write (default: %(default)s)")
    ap.add_argument("--only", nargs="*", help="defect names to (re)generate")
    ap.add_argument("--seed", type=Path, default=None, help="seed text layer (default: tools/reference_pdf's)")
    args = ap.parse_args(argv)
    edits = {e.name for e in EDITS}
    if not args.only or set(args.only) & edits:  # first: these need no font
        generate_edits(args.out, args.only)
    if not args.only or set(args.only) - edits:
        generate(args.out, [n for n in args.only if n not in edits] if args.only else None, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
