"""Assertions over the prose (情况说明): families narrative and wording (expectations/rules.py).

Claims come from pipelines/extract/narrative.py (`Claim`: subject, amount, percent, change_amount,
change_percent, direction, compared_with, page, year, measure …). A claim is held against the
tables only where the tables print the subject it names; shares and changes are recomputed from
the amounts the prose itself states.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from expectations.rules import ROUGHLY_EQUAL
from pipelines.money import UNIT_FACTORS, Amount, decimals_printed
from pipelines.validate.staging import (
    Assertion,
    Figure,
    amounts_hidden_in_text,
    empty_note,
    fmt,
    half_unit,
    operand,
    sentence,
    tolerance,
)
from pipelines.validate.table_rules import (
    MEASURE_NAME,
    Doc,
    is_vehicle_operation,
    office_operation_figure,
    strip_numbering,
    summary_figures,
    three_public_figure,
)

if TYPE_CHECKING:
    from pipelines.extract.identify import Identity
    from pipelines.extract.narrative import Claim

HUNDRED = Decimal(100)

# Subjects of the income summary's 合计 row, by measure.
_INCOME_MEASURES = {
    "general_budget": "一般公共预算拨款收入", "gov_fund": "政府性基金预算拨款收入",
    "state_capital": "国有资本经营预算拨款收入", "special_account": "财政专户管理资金收入", "unit_funds": "单位资金",
    "appropriation": "财政拨款收入", "business_income": "事业收入", "operating_income": "事业单位经营收入",
    "other_income": "其他收入", "carryover": "上年结转",
}
# Lines of the 收支总表's income side, by subject.
_SUMMARY_INCOME_LINES = {
    "一般公共预算拨款收入": r"一般公共预算(资金|拨款|拨款收入|收入)?",
    "政府性基金预算拨款收入": r"政府性基金(预算)?(资金|拨款|收入)?",
    "国有资本经营预算拨款收入": r"国有资本经营预算(资金|拨款|收入)?", "财政拨款收入": r"财政拨款(收入)?",
    "财政专户管理资金收入": r"财政专户管理资金(收入)?", "单位资金": r"单位资金", "事业收入": r"事业收入",
    "事业单位经营收入": r"(事业单位)?经营收入", "其他收入": r"其他收入",
}
_THREE_PUBLIC = {
    "因公出国（境）费": lambda n: "出国" in n, "公务接待费": lambda n: "接待" in n,
    "公务用车购置及运行费": lambda n: "购置及运行" in n, "公务用车购置费": lambda n: "购置" in n and "运行" not in n,
    "公务用车运行维护费": is_vehicle_operation, "会议费": lambda n: "会议费" in n, "培训费": lambda n: "培训费" in n,
}


def _word(x: Decimal) -> str:
    return "增加" if x > 0 else "减少" if x < 0 else "持平"


def _half_percent(p: Decimal) -> Decimal:
    return Decimal(5) * Decimal(10) ** (p.as_tuple().exponent - 1)


def fiscal_year(claims: list[Claim], identity: Identity | None) -> int | None:
    if identity is not None and getattr(identity, "fiscal_year", None):
        return identity.fiscal_year
    years = Counter(c.year for c in claims if c.amount is not None)
    return years.most_common(1)[0][0] if years else None


# ---------------------------------------------------------------------------------------------
# What the tables print, by the subjects the prose names


class Facts:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_subject: dict[str, list[Figure]] = defaultdict(list)
        self._build()

    def add(self, subject: str, *figures: Figure | None) -> None:
        for f in figures:
            if f is not None and all(f is not g for g in self.by_subject[subject]):
                self.by_subject[subject].append(f)

    def _build(self) -> None:
        self._add_summary()
        self._add_appropriation_and_expenditure()
        self._add_three_public()
        self.add("机关运行经费", office_operation_figure(self.doc))
        self._add_function_subjects()

    def _add_summary(self) -> None:
        """The 收支总表's totals and lines, and the totals of the 支出总表 and 收入总表 by measure."""
        doc, first = self.doc, self.doc.first
        sf = summary_figures(doc)
        self.add("收入", sf["grand_in"], sf["cur_in"], sf["income_total"])
        self.add("本年收入", sf["cur_in"], sf["income_total"])
        self.add("支出", sf["grand_out"], sf["cur_out"], sf["expenditure_total"])
        self.add("本年支出", sf["cur_out"], sf["expenditure_total"])
        self.add("收支总计", sf["grand_in"], sf["grand_out"])
        e, s, inc = first("expenditure_summary"), first("income_expenditure_summary"), first("income_summary")
        for measure, subject in (("basic", "基本支出"), ("project", "项目支出"), ("reserve", "单位预留机动经费")):
            self.add(subject, doc.figure(doc.total_cell(e, measure), f"合计 row, {MEASURE_NAME[measure]}"),
                     doc.figure(doc.labelled(s, subject, "支出"), subject))
        if inc is not None:
            for measure, subject in _INCOME_MEASURES.items():
                fig = doc.figure(doc.total_cell(inc, measure), f"合计 row, {MEASURE_NAME.get(measure)}")
                self.add(subject, fig or doc.column_blank_figure(inc, measure, None))
        for subject, pattern in _SUMMARY_INCOME_LINES.items():
            self.add(subject, doc.figure(doc.labelled(s, pattern, "收入"), subject))

    def _add_appropriation_and_expenditure(self) -> None:
        """财政拨款 totals, the 一般公共预算 and 基本支出 totals, and the two other funds' expenditure."""
        doc, first = self.doc, self.doc.first
        a = first("appropriation_summary")
        a_in = doc.figure(doc.labelled(a, r"收入总计|收入合计|总计", "收入"), "收入总计")
        a_out = doc.figure(doc.labelled(a, r"本年支出合计|支出总计|支出合计|总计", "支出", "total"), "支出合计")
        self.add("财政拨款收支", a_in, a_out)
        self.add("财政拨款收入", a_in)
        self.add("财政拨款支出", a_out)
        g, b = first("general_budget_expenditure"), first("basic_expenditure_econ")
        g_total = doc.figure(doc.total_cell(g), "合计 row")
        self.add("一般公共预算支出", g_total)
        self.add("一般公共预算当年支出", g_total)
        b_total = doc.figure(doc.total_cell(b), "合计 row")
        self.add("一般公共预算基本支出", b_total, doc.figure(doc.total_cell(g, "basic"), "合计 row, 基本支出"))
        self.add("财政拨款基本支出", doc.figure(doc.total_cell(first("appropriation_basic_econ")), "合计 row"), b_total)
        self.add("人员经费", doc.figure(doc.total_cell(b, "personnel"), "合计 row, 人员经费"))
        self.add("公用经费", doc.figure(doc.total_cell(b, "public"), "合计 row, 公用经费"))
        for code, subject in (("gov_fund_expenditure", "政府性基金预算支出"),
                              ("state_capital", "国有资本经营预算支出")):
            t = first(code)
            if t is not None and t.empty:
                self.add(subject, Figure(Amount("0.00", t.unit, Decimal(0)), t, t.pages[0], "(empty table)"))
            elif t is not None:
                self.add(subject, doc.figure(doc.total_cell(t), "合计 row"))

    def _add_three_public(self) -> None:
        doc, t = self.doc, self.doc.first("three_public")
        if t is not None:
            self.add("三公经费", three_public_figure(doc, t, lambda name: "三公" in name)
                     or three_public_figure(doc, t, lambda name: name == "合计")  # Chongqing: 2026年预算数/合计
                     or doc.figure(doc.total_cell(t), "合计 row"))
            for subject, test in _THREE_PUBLIC.items():
                self.add(subject, three_public_figure(doc, t, test))

    def _add_function_subjects(self) -> None:
        """Function subjects: classes by name, any subject by code."""
        doc = self.doc
        self.subject_tables = [x for x in doc.tables.values()
                               if x.code in ("expenditure_summary", "general_budget_expenditure",
                                             "appropriation_expenditure")]
        for x in self.subject_tables:
            amounts = doc.row_amounts(x.seq)
            for r in doc.subject_rows.get(x.seq, []):
                cell = amounts.get(r.row_index, {}).get("total")
                if cell is None or r.subject_code is None:
                    continue
                fig = doc.figure(cell, f"{r.subject_code} {r.subject_name}")
                self.add(f"code:{r.subject_code}", fig)
                if r.level == "类":
                    self.add(r.subject_name, fig)
        self._names = {}
        for x in self.subject_tables:
            for r in doc.subject_rows.get(x.seq, []):
                if r.subject_code:
                    self._names.setdefault((r.parent_code, _bare(r.subject_name)), r.subject_code)

    def figures(self, claim: Claim) -> list[Figure]:
        """The table figures a claim restates; none when its subject is not one the tables print,
        or when the sentence narrows a generic subject (“检察（款）：支出合计…”, “拟采购货物支出…”)."""
        subject = claim.subject or ""
        if claim.subject_code and self.by_subject.get(f"code:{claim.subject_code}"):
            return self.by_subject[f"code:{claim.subject_code}"]
        path = _QUOTED_PATH.search(claim.text or "")
        if path and "/" not in subject and _bare(path.group(1).split("-")[0]) == _bare(subject):
            subject = "/".join(path.group(1).split("-"))  # “一般公共服务支出-政府办公厅（室）…-行政运行”科目
        if "/" in subject:
            code = self._path_code(subject.split("/"))
            return self.by_subject.get(f"code:{code}", []) if code else []
        if subject in _GENERIC and _NARROWED.search(claim.text or ""):
            return []
        return self.by_subject.get(subject, [])

    def _path_code(self, names: list[str]) -> str | None:
        parent = None
        for name in names:
            code = self._names.get((parent, _bare(name)))
            if code is None:
                return None
            parent = code
        return parent


_QUOTED_PATH = re.compile(r"[“\"]([^”\"]+-[^”\"]+)[”\"]")
_GENERIC = {"收入", "支出", "本年收入", "本年支出"}
_NARROWED = re.compile(r"[（(][类款项][）)]|科目|采购|购买")


def _bare(name: str) -> str:
    return re.sub(r"支出$", "", strip_numbering(name).replace("（", "(").replace("）", ")"))


# ---------------------------------------------------------------------------------------------
# narrative.*


def _current(claims, fy, final: bool):
    measures = (None, "决算") if final else (None,)
    return [c for c in claims if c.year == fy and c.measure in measures]


# What narrative.completion_percent records on a 决算 whose completion ratio it cannot check (no budget stated beside
# it): only the ratio is unchecked there; the claim's amount, and the ratio against a table, are still checked, also
# when a processed document is validated again.
_NO_BUDGET_BESIDE = "a completion ratio without the budget figure it is of beside it"


def checked(claims: list[Claim]) -> list[Claim]:
    """The claims whose binding is sure: an unsure one (Claim.unsure) is recorded, never checked."""
    return [c for c in claims if getattr(c, "unsure", None) in (None, _NO_BUDGET_BESIDE)]


def narrative(doc: Doc, claims: list[Claim], identity: Identity | None = None) -> list[Assertion]:
    fy = fiscal_year(claims, identity)
    if fy is None:
        return []
    claims = checked(claims)
    final = str(getattr(identity, "doc_kind", "") or "").endswith("final")
    facts = Facts(doc)
    out: list[Assertion] = []
    for c in _current(claims, fy, final):
        if c.amount is None:
            continue
        figures = facts.figures(c)
        if figures:
            out.append(_claim_amount(c, figures))
    if final:
        out += _three_public_budgets(doc, claims, fy)
        out += _table_completions(doc, claims, fy, facts)
    out += _shares(claims, fy, facts)
    out += _changes(claims, fy)
    out += _completions(claims, fy)
    return out


def _three_public_budgets(doc: Doc, claims: list[Claim], fy: int) -> list[Assertion]:
    """A final account's “三公” budget as the prose states it (年初预算 / 全年预算) = the 预算数 its “三公” table
    prints beside the 决算数 (the 决算 figures are narrative.claim_amount's)."""
    t = doc.first("three_public")
    if t is None or not any(h.endswith("决算数") for h in t.columns):
        return []
    tests = {"三公经费": lambda name: "三公" in name, **_THREE_PUBLIC}
    out = []
    for c in claims:
        if c.year != fy or c.amount is None or c.measure not in ("年初预算", "全年预算") or c.subject not in tests:
            continue
        figure = three_public_figure(doc, t, tests[c.subject], phase="预算数")
        if figure is not None:
            out.append(_claim_amount(c, [figure], "narrative.three_public_budget", f"{c.subject} {c.measure}"))
    return out


_BUDGET_MEASURES = {"年初": ("年初预算",), "全年": ("全年预算",), "调整": ("全年预算",)}


def _stated_budget(claims: list, i: int, measures: tuple[str, ...]):
    """The budget of one of `measures` the prose states for claim i's subject just before it (same or next page)."""
    c = claims[i]
    return next((p for p in reversed(claims[max(0, i - 4):i]) if p.amount is not None and p.measure in measures
                 and p.subject == c.subject and abs(p.page - c.page) <= 1), None)


def _completion_claims(claims: list, fy: int):
    """(index, claim, the budget measures its ratio names or None) of each 完成(年初|全年)预算的X% of the year."""
    for i, c in enumerate(claims):
        if c.percent is not None and c.amount is not None and c.year == fy and (c.percent_of or "").startswith("完成"):
            yield i, c, next((m for word, m in _BUDGET_MEASURES.items() if word in c.percent_of), None)


def _completion(check_id: str, c, actual: Amount, budget: Amount, what: str, stated: str, against: str,
                evidence: list[dict] | None = None) -> list[Assertion]:
    """The assertion that a completion ratio the prose states = actual / budget, to the precision it is printed
    with, widened by the amounts' rounding (none when the budget cannot be divided by)."""
    rng = _ratio_range(actual, budget)
    if rng is None:
        return []
    h = _half_percent(c.percent)
    exact = actual.yuan / budget.yuan * HUNDRED
    detail = (f"{stated}; {against} {exact:.4f}% (from {rng[0]:.4f}% to {rng[1]:.4f}% with the amounts' rounding; "
              f"the percentage's own precision ±{h})")
    return [Assertion(check_id, None, None, c.page, c.subject, what, detail, expected=c.percent, tolerance=h,
                      observed_low=rng[0], observed_high=rng[1], observed_text=f"{exact:.2f}%",
                      expected_text=f"{c.percent}%", where=f"on p.{c.page}", evidence=evidence or [])]


def _completions(claims: list, fy: int) -> list[Assertion]:
    """完成(年初|全年)预算的X% = the 决算 amount / the budget amount the prose states beside it."""
    out = []
    for i, c, named in _completion_claims(claims, fy):
        budget = _stated_budget(claims, i, named or ("年初预算", "全年预算"))
        if budget is None:
            c.unsure = _NO_BUDGET_BESIDE
            continue
        out += _completion("narrative.completion_percent", c, c.amount, budget.amount,
                           f"completion of {c.subject} = 决算 / {budget.measure}",
                           f"the text states {c.amount.printed}{c.amount.unit}, {c.percent_of}的{c.percent}% "
                           f"(«{c.text}»)",
                           f"against the {budget.measure} {budget.amount.printed}{budget.amount.unit} it states on "
                           f"p.{budget.page} that is")
    return out


# A 决算 table's budget columns, by the measure a completion ratio names (完成年初预算的 / 完成全年预算数的).
_BUDGET_COLUMNS = {"年初预算": re.compile(r"年初预算"), "全年预算": re.compile(r"全年预算|调整(后)?预算")}


def _row_budget(doc: Doc, fig: Figure, measures: tuple[str, ...]):
    """The cell of a 决算 table's budget column (the first of `measures` it prints) on the row of a figure."""
    row = next((x.row_index for x in doc.cells.get(fig.table.seq, []) if x.page == fig.page
                and x.column_name == fig.column and x.amount.printed == fig.amount.printed), None)
    if row is None:
        return None
    cells = [x for x in doc.cells.get(fig.table.seq, []) if x.row_index == row and x.measure in (None, "total")]
    return next((x for m in measures for x in cells if _BUDGET_COLUMNS[m].search(x.column_name)), None)


def _table_completions(doc: Doc, claims: list[Claim], fy: int, facts: Facts) -> list[Assertion]:
    """完成(年初|全年)预算的X% the prose states for a subject = the 决算 / the budget a 决算 table prints on the
    subject's row (年初预算数 | 全年预算数 | 决算数 columns), where a table prints both."""
    out = []
    for _, c, named in _completion_claims(claims, fy):
        for fig in facts.figures(c):
            budget = _row_budget(doc, fig, named or ("全年预算", "年初预算"))
            checked_here = budget is not None and _completion(
                "narrative.completion_tables", c, fig.amount, budget.amount,
                f"completion of {c.subject} = 决算 / {budget.column_name} as the tables print them",
                f"the text states {c.percent_of}的{c.percent}% («{c.text}»)",
                f"{fig.describe()} over {budget.column_name} {budget.amount.printed} {budget.amount.unit} is",
                [sentence(c.page, c.text), operand(fig, "actual"), operand(budget, "budget", fig.table)])
            if checked_here:
                out += checked_here
                break
    return out


def _claim_amount(claim, figures: list[Figure], check_id: str = "narrative.claim_amount",
                  subject: str | None = None) -> Assertion:
    best = min(figures, key=lambda f: abs(f.amount.yuan - claim.amount.yuan))
    tol = tolerance([claim.amount, best.amount])
    diff = claim.amount.yuan - best.amount.yuan
    others = [f for f in figures if f is not best]
    also = f"; also printed: {', '.join(f.describe() for f in others)}" if others else ""
    detail = (f"the text states {claim.amount.printed}{claim.amount.unit} («{claim.text}»), {best.describe()} "
              f"(difference {fmt(diff)} 元, rounding tolerance {fmt(tol)} 元)"
              f"{_truncated(claim.amount, best.amount)}{also}")
    # The result points at the prose (table_seq None, the claim's page); the message names the table.
    return Assertion(check_id, None, None, claim.page, claim.subject,
                     f"{subject or claim.subject} as stated = as printed in the tables", detail,
                     expected=claim.amount.yuan,
                     tolerance=tol, observed_low=best.amount.yuan, observed_high=best.amount.yuan,
                     observed_text=fmt(best.amount.yuan), expected_text=fmt(claim.amount.yuan),
                     where=f"on p.{claim.page}", in_yuan=True,
                     evidence=[sentence(claim.page, claim.text), operand(best, "printed")])


def _truncated(stated: Amount, printed: Amount) -> str:
    """“87.70万元” for 877,080.00 元: the prose cut the digits off instead of rounding them."""
    d = decimals_printed(stated.printed)
    in_unit = printed.yuan / UNIT_FACTORS[stated.unit]
    cut = in_unit.quantize(Decimal(10) ** -d, rounding="ROUND_DOWN")
    if cut == stated.value and in_unit != stated.value and abs(stated.yuan - printed.yuan) > half_unit(stated):
        return f"; the text truncates {fmt(printed.yuan)} 元 to {stated.printed}{stated.unit} instead of rounding it"
    return ""


_OUTWARD = Decimal("1e-8")


def _outward(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """A ratio's range with its ends rounded outward to 1e-8 percentage points, so that results
    serialise without loss (GX turns Decimal into float); 1e-8 is far below any printed precision."""
    return low.quantize(_OUTWARD, rounding="ROUND_FLOOR"), high.quantize(_OUTWARD, rounding="ROUND_CEILING")


def _ratio_range(part: Amount, whole: Amount) -> tuple[Decimal, Decimal] | None:
    hp, hw = half_unit(part), half_unit(whole)
    p, w = part.yuan, whole.yuan
    if w - hw <= 0 or p < 0:
        return None
    return _outward(max(p - hp, Decimal(0)) / (w + hw) * HUNDRED, (p + hp) / (w - hw) * HUNDRED)


def _share_fits(part: Amount, whole: Amount, percent: Decimal) -> bool:
    rng = _ratio_range(part, whole)
    if rng is None:
        return False
    h = _half_percent(percent)
    return rng[0] - h <= percent <= rng[1] + h


# What a bare 占X% can be of: totals the prose states before the list of its parts.
_WHOLES = {"收入", "支出", "本年收入", "本年支出", "收支总计", "一般公共预算支出", "一般公共预算当年支出",
           "财政拨款支出", "财政拨款收入", "财政拨款收支", "一般公共预算拨款收入", "三公经费", "政府采购", "基本支出"}
# 占固定资产总额的87.84% (Changchun), 占财政性资金(人员类和运转类中的公用经费项目支出除外)总额的比例为98.77%
# (Suzhou, Wuxi): a whole that is not a budget total, or one with parts taken out
_OTHER_WHOLE = re.compile(r"资产|面积|人数|除外|不含|以外|财政性资金")
_PERCENT_OF = (("项目支出", "项目支出"), ("基本支出", "基本支出"), ("三公", "三公经费"), ("财政拨款", "财政拨款支出"),
               ("支出", "支出"), ("收入", "收入"), ("总额", "支出"))


def _shares(claims: list, fy: int, facts: Facts) -> list[Assertion]:
    out = []
    for i, c in enumerate(claims):
        if c.percent is None or c.amount is None or c.year != fy or (c.percent_of or "").startswith("完成"):
            continue
        candidates: list[tuple[str, Amount, dict]] = []  # (what, whole, the whole as an operand)
        before = [p for p in reversed(claims[max(0, i - 12):i]) if p.amount is not None and p.year == c.year
                  and abs(p.page - c.page) <= 1 and p.amount.yuan >= c.amount.yuan]
        before.sort(key=lambda p: p.percent is not None)  # stated totals (no share of their own) first
        if c.percent_of:  # the whole is named: 占“三公”经费的X%
            subject = next((s for word, s in _PERCENT_OF if word in c.percent_of), None)
            if subject is None or _OTHER_WHOLE.search(c.percent_of):
                c.unsure = f"a share of a whole the tables do not print ({c.percent_of})"
                continue
            for f in facts.by_subject.get(subject, []):
                candidates.append((f"{f.describe()}", f.amount, operand(f, "whole")))
            before = [p for p in before if p.subject == subject]
        for p in before:
            candidates.append((f"{p.subject} {p.amount.printed}{p.amount.unit} stated on p.{p.page}", p.amount,
                               sentence(p.page, p.text, "whole")))
        parts = _sibling_parts(claims, i)
        if parts is not None:
            candidates.append(parts)
        if not candidates:
            continue
        chosen = next((cand for cand in candidates if _share_fits(c.amount, cand[1], c.percent)), None)
        if chosen is None and not c.percent_of and not (before and before[0].subject in _WHOLES
                                                         and before[0].percent is None):
            # a bare 占X% whose nearest stated whole is not a total (“项目支出…，单位预留机动经费…，占10.61%”
            # is of the total expenditure): which whole is meant is unsure
            c.unsure = "a bare share (占X%) whose whole the sentence does not name"
            continue
        what, whole, whole_operand = chosen or candidates[0]
        rng = _ratio_range(c.amount, whole)
        if rng is None:
            continue
        h = _half_percent(c.percent)
        exact = c.amount.yuan / whole.yuan * HUNDRED if whole.yuan else Decimal(0)
        detail = (f"the text states {c.amount.printed}{c.amount.unit}, 占{c.percent}% («{c.text}»); of the whole "
                  f"{what} that is {exact:.4f}% (from {rng[0]:.4f}% to {rng[1]:.4f}% with the amounts' rounding; "
                  f"the percentage's own precision ±{h})")
        out.append(Assertion("narrative.share", None, None, c.page, c.subject, f"share of {c.subject} = part / whole",
                             detail, expected=c.percent, tolerance=h, observed_low=rng[0], observed_high=rng[1],
                             observed_text=f"{exact:.2f}%", expected_text=f"{c.percent}%", where=f"on p.{c.page}",
                             evidence=_sentences(c, whole_operand)))
    return out


def _sibling_parts(claims: list, i: int) -> tuple[str, Amount, dict] | None:
    """The sum of the parts stated with shares of the same named whole, when their shares add up to 100%:
    Beijing's 基本支出…占本年支出预算48.17% and 项目支出…占本年支出预算51.83% are of their sum 96969.30, the
    year's expenditure without the 年终结转结余 882.21 that its stated 支出预算 97851.51 includes."""
    c = claims[i]
    if not c.percent_of:
        return None
    near = claims[max(0, i - 6):i + 7]
    parts = [p for p in near if p.percent_of == c.percent_of and p.amount is not None and p.year == c.year
             and abs(p.page - c.page) <= 1 and p.amount.unit == c.amount.unit]
    if len(parts) < 2 or abs(sum(p.percent for p in parts) - HUNDRED) > Decimal("0.1"):
        return None
    total = sum((p.amount.value for p in parts), Decimal(0))
    whole = Amount(f"{total}", c.amount.unit, total)
    return (f"the sum of the {len(parts)} parts stated as shares of {c.percent_of} ({total}{c.amount.unit})", whole,
            sentence(c.page, c.text, "whole"))


def _sentences(c, other: dict | None = None) -> list[dict]:
    """A claim's sentence as the evidence of its check, with the other operand (the whole of a share,
    last year's amount) where another sentence or a table states it."""
    own = sentence(c.page, c.text)
    return [own] + ([other] if other and other.get("text") != c.text else [])


def _prior(claims: list, i: int):
    """The previous year's amount the prose states right before claim i for the same subject."""
    c = claims[i]
    for p in reversed(claims[max(0, i - 3):i]):
        if p.subject == c.subject and p.year == c.year - 1 and p.amount is not None and abs(p.page - c.page) <= 1:
            return p
    return None


def _corners(f, xs: list[Decimal], ys: list[Decimal]) -> tuple[Decimal, Decimal] | None:
    values = []
    for x in xs:
        for y in ys:
            v = f(x, y)
            if v is None:
                return None
            values.append(v)
    return _outward(min(values) * HUNDRED, max(values) * HUNDRED)


def _changes(claims: list, fy: int) -> list[Assertion]:
    out = []
    for i, c in enumerate(claims):
        if c.change_percent is None or c.amount is None or c.year != fy:
            continue
        a, ha = c.amount.yuan, half_unit(c.amount)
        prior = _prior(claims, i)
        if c.change_amount is not None and c.direction != "持平":
            d, hd = c.change_amount.yuan, half_unit(c.change_amount)
            rng = _corners(lambda x, y: x / (y - x) if y - x > 0 else None, [d - hd, d + hd], [a - ha, a + ha])
            base_text = f"change {c.change_amount.value:+}{c.change_amount.unit} on a base of {fmt(a - d)} 元 " \
                        f"(this year's {c.amount.printed}{c.amount.unit} − the change)"
            exact = d / (a - d) * HUNDRED if a - d else None
            base_operand = None
        elif prior is not None:
            p, hp = prior.amount.yuan, half_unit(prior.amount)
            rng = _corners(lambda x, y: (x - y) / y if y > 0 else None, [a - ha, a + ha], [p - hp, p + hp])
            base_text = f"{c.amount.printed}{c.amount.unit} against {prior.amount.printed}{prior.amount.unit} " \
                        f"stated for {prior.year}{'（' + prior.measure + '）' if prior.measure else ''}"
            exact = (a - p) / p * HUNDRED if p else None
            base_operand = sentence(prior.page, prior.text, "last year")
        else:
            continue
        if rng is None or exact is None:
            continue
        h = _half_percent(c.change_percent)
        detail = (f"the text states {c.change_percent:+}% («{c.text}»); {base_text} is {exact:+.4f}% (from "
                  f"{rng[0]:+.4f}% to {rng[1]:+.4f}% with the amounts' rounding; the percentage's own precision ±{h})")
        out.append(Assertion("narrative.change_percent", None, None, c.page, c.subject,
                             f"change of {c.subject} in % = change / base", detail, expected=c.change_percent,
                             tolerance=h, observed_low=rng[0], observed_high=rng[1],
                             observed_text=f"{exact:+.2f}%", expected_text=f"{c.change_percent:+}%",
                             where=f"on p.{c.page}", evidence=_sentences(c, base_operand)))
    return out


# ---------------------------------------------------------------------------------------------
# wording.*


def wording(doc: Doc, claims: list[Claim] | None, identity: Identity | None = None) -> list[Assertion]:
    out = _empty_notes(doc)
    if not claims:
        return out
    fy = fiscal_year(claims, identity)
    claims = checked(claims)
    if fy is not None:
        out += text_logic(claims, fy)
        out += actual_vs_budget(doc, claims, fy)
    for i, c in enumerate(claims):
        if c.year != fy:
            continue
        if c.change_amount is not None and c.change_percent is not None and c.change_amount.value and c.change_percent:
            stated, derived = _word(c.change_amount.value), _word(c.change_percent)
            out.append(Assertion(
                "wording.change_direction", None, None, c.page, c.subject or "",
                f"the change of {c.subject}: the word before its amount agrees with the word before its percentage",
                f"«{c.text}»: {stated} {c.change_amount.printed}{c.change_amount.unit} but {derived} "
                f"{abs(c.change_percent)}%" if stated != derived else
                f"«{c.text}»: {stated} {c.change_amount.printed}{c.change_amount.unit}, {derived} "
                f"{abs(c.change_percent)}%",
                stated=stated, derived=derived, observed_text=derived, expected_text=stated, where=f"on p.{c.page}"))
        prior = _prior(claims, i) if c.amount is not None else None
        if prior is not None and c.direction in ("增加", "减少", "持平"):
            diff = c.amount.yuan - prior.amount.yuan
            tol = tolerance([c.amount, prior.amount])
            derived = _word(diff) if abs(diff) > tol else c.direction
            out.append(Assertion(
                "wording.change_direction", None, None, c.page, c.subject or "",
                f"the change of {c.subject}: “{c.direction}” agrees with this year's amount minus last year's",
                f"«{c.text}»: {c.amount.printed}{c.amount.unit} against {prior.amount.printed}{prior.amount.unit} "
                f"stated for {prior.year} is a change of {fmt(diff)} 元 ({derived}); the text says {c.direction}",
                stated=c.direction, derived=derived, observed_text=derived, expected_text=c.direction,
                where=f"on p.{c.page}"))
    return out


def _empty_notes(doc: Doc) -> list[Assertion]:
    out = []
    for t in doc.tables.values():
        if not t.empty or amounts_hidden_in_text(t):
            continue
        note = empty_note(t)
        detail = f"it prints no amount and {'says so: «' + note + '»' if note else 'no note saying the table is empty'}"
        out.append(Assertion("wording.empty_table_note", t.seq, t.title, t.pages[0], "(table)",
                             "an empty table carries its own note", detail, note=note,
                             observed_text=note or "no note", expected_text="a note such as 注：本表无数据"))
    return out


# ---------------------------------------------------------------------------------------------
# A 决算 against its budget in words: «决算数小于预算数的主要原因：…»


_VERSUS_MEASURES = {"年初预算": ("年初预算",), "全年预算": ("全年预算",), None: ("年初预算", "全年预算")}


def actual_vs_budget(doc: Doc, claims: list, fy: int) -> list[Assertion]:
    """wording.actual_vs_budget (the word against the figures) and wording.actual_vs_budget_reason (the promised
    reason is given) for every comparison of a 决算 with its budget the prose states (Claim.versus)."""
    out = []
    facts = None
    for i, c in enumerate(claims):
        v = c.versus
        if v is None or c.year != fy:
            continue
        if v.reason is not None:
            given = "a reason" if v.reason else "no reason"
            detail = f"it promises a reason and gives «{v.reason}»" if v.reason else "it promises a reason, gives none"
            out.append(Assertion("wording.actual_vs_budget_reason", None, None, v.page, c.subject or "",
                                 f"the reason for the 决算 of {c.subject or 'the section'} against its budget is given",
                                 f"«{v.text}»: {detail}", stated="a reason", derived=given, observed_text=given,
                                 expected_text="a reason", where=f"on p.{v.page}"))
        if v.relation is None:
            continue
        facts = facts or Facts(doc)
        figures = _versus_figures(doc, claims, i, facts)
        if figures is not None:
            out.append(_versus_assertion(c, *figures))
    return out


def _versus_figures(doc: Doc, claims: list, i: int, facts: Facts) -> tuple | None:
    """(difference, rounding tolerance, slack of a direction, base, how, evidence) of the 决算 a comparison is about
    against its budget: as the prose states both, else from the completion ratio stated with it, else as a 决算
    table prints both on the subject's row; None when none of these is there."""
    c = claims[i]
    measures = _VERSUS_MEASURES[c.versus.measure]
    if c.amount is not None:
        budget = _stated_budget(claims, i, measures)
        if budget is not None:
            how = (f"the 决算 {c.amount.printed}{c.amount.unit} against the {budget.measure} "
                   f"{budget.amount.printed}{budget.amount.unit} stated on p.{budget.page}")
            return _amounts_compared(c.amount, budget.amount, how,
                                     [sentence(c.page, c.text, "actual"), sentence(budget.page, budget.text, "budget")])
        named = next((m for word, m in _BUDGET_MEASURES.items() if word in (c.percent_of or "")), measures)
        if c.percent is not None and (c.percent_of or "").startswith("完成") and set(named) & set(measures):
            h = _half_percent(c.percent)
            how = f"the completion ratio {c.percent_of}的{c.percent}% stated with it (± {h} as printed) against 100%"
            return c.percent - HUNDRED, h, h, HUNDRED, how, [sentence(c.page, c.text, "actual")]
    for fig in facts.figures(c):
        budget = _row_budget(doc, fig, measures)
        if budget is not None:
            how = f"{fig.describe()} against {budget.column_name} {budget.amount.printed} {budget.amount.unit}"
            return _amounts_compared(fig.amount, budget.amount, how,
                                     [operand(fig, "actual"), operand(budget, "budget", fig.table)])
    return None


def _amounts_compared(actual: Amount, budget: Amount, how: str, evidence: list[dict]) -> tuple:
    return actual.yuan - budget.yuan, tolerance([actual, budget]), Decimal(0), budget.yuan, how, evidence


def _versus_assertion(c, diff: Decimal, tol: Decimal, slack: Decimal, base: Decimal, how: str,
                      evidence: list[dict]) -> Assertion:
    """A direction word holds where the figures differ that way as printed (a ratio: within its precision), 等于/持平
    within the rounding, 基本持平 within ROUGHLY_EQUAL of the budget besides."""
    v = c.versus
    holds = {">": diff + slack > 0, "<": diff - slack < 0, "=": abs(diff) <= tol,
             "≈": abs(diff) <= tol + ROUGHLY_EQUAL * abs(base)}[v.relation]
    figures = "大于" if diff > tol else "小于" if diff < -tol else "等于"
    derived = v.word if holds else figures
    unit, tol_text = ("percentage points", f"{tol}") if slack else ("元", fmt(tol))
    detail = (f"«{v.text}»: {how} is a difference of {diff:+,.2f} {unit} (rounding tolerance {tol_text} {unit}"
              f"{f'; 基本 admits {ROUGHLY_EQUAL:.0%} of the budget' if v.relation == '≈' else ''}): "
              f"{figures}; the text says {v.word}")
    what = f"决算 against {v.measure or '预算'}数 of {c.subject or 'the section'}: “{v.word}” agrees with the figures"
    return Assertion("wording.actual_vs_budget", None, None, v.page, c.subject or "", what, detail,
                     stated=v.word, derived=derived, observed_text=derived, expected_text=v.word,
                     where=f"on p.{v.page}", evidence=[sentence(v.page, v.text), *evidence])


# ---------------------------------------------------------------------------------------------
# Text logic: the prose against itself


def _changed(c) -> Decimal | None:
    """The signed change a claim states (its amount, else its percentage), None when it states none."""
    if c.change_amount is not None and c.change_amount.value:
        return c.change_amount.value
    return c.change_percent or None


def _base_is_zero(c, prior) -> bool | None:
    """Whether the base of a stated percentage change is 0 (None: the prose gives no base)."""
    if c.change_amount is not None and c.direction != "持平":
        return abs(c.amount.yuan - c.change_amount.yuan) <= tolerance([c.amount, c.change_amount])
    if prior is not None:
        return prior.amount.yuan == 0
    return None


def _assert(check_id: str, c, what: str, detail: str, stated: str, derived: str) -> Assertion:
    return Assertion(check_id, None, None, c.page, c.subject or "", what, f"«{c.text}»: {detail}", stated=stated,
                     derived=derived, observed_text=derived, expected_text=stated, where=f"on p.{c.page}")


def text_logic(claims: list, fy: int) -> list[Assertion]:
    """wording.flat_with_change, wording.zero_with_change, wording.change_from_zero_base,
    wording.comparison_year: what a sentence says of a change against the rest of that sentence."""
    out = []
    for i, c in enumerate(claims):
        if c.year != fy:
            continue
        change = _changed(c)
        if c.flat:
            derived = _word(change) if change else "持平"
            out.append(_assert("wording.flat_with_change", c, f"the change of {c.subject}: 持平 states no change",
                               f"持平 beside a change of {change}" if change else "持平, no change stated",
                               "持平", derived))
        # “0.00万元，较2025年年初预算增加0.00万元” (Shenzhen, Quanzhou): a stated change of 0 is no change
        stated_nil = change is None and (c.change_amount is not None or c.change_percent is not None)
        if c.amount is not None and c.amount.value == 0 and c.direction:
            derived = c.direction if c.direction != "增加" or stated_nil else "减少 or 持平 (0 this year)"
            detail = (f"this year's amount is {c.amount.printed}{c.amount.unit} and the text says {c.direction}"
                      f"{' ' + str(abs(change)) if change else ''}")
            out.append(_assert("wording.zero_with_change", c, f"{c.subject} is 0 this year: it cannot have grown",
                               detail, c.direction, derived))
        if c.change_percent is not None and c.change_percent and c.amount is not None:
            zero = _base_is_zero(c, _prior(claims, i))
            if zero is not None:
                stated = f"{c.change_percent:+}%"
                derived = "no percentage: the base is 0" if zero else stated
                out.append(_assert("wording.change_from_zero_base", c,
                                   f"the change of {c.subject} in %: its base is not 0",
                                   "last year's amount was 0: a change from 0 has no percentage" if zero
                                   else "the base is not 0", stated, derived))
        if c.compared_with and re.fullmatch(r"20\d\d年", c.compared_with):
            year = int(c.compared_with[:4])
            out.append(_assert("wording.comparison_year", c, f"the change of {c.subject} is on the year before",
                               f"a {fy} document compares with {c.compared_with}", c.compared_with,
                               f"{fy - 1}年" if year != fy - 1 else c.compared_with))
    return out
