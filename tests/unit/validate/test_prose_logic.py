"""Claims an auditor can trust (issues 22.6, 23.1, 23.2), at the level of the text: a sentence of
prose in, the claims it makes and the checks that fail out. The sentences are those of the false
alarms and misses issue 23 lists (and of the real final account, issue 22)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from pipelines.extract.narrative import Claim, extract_claims
from pipelines.extract.pdftext import Page
from pipelines.validate.checks import validate
from pipelines.validate.staging import TableInfo, empty_note


def claims_of(text: str, year: int = 2025) -> list[Claim]:
    return extract_claims([Page(1, text, 595.0, 842.0)], year)


def failed(text: str, year: int = 2025, kind: str = "dept_budget") -> list[str]:
    identity = SimpleNamespace(fiscal_year=year, doc_kind=kind)
    return sorted(r.check_id for r in validate([], claims_of(text, year), identity) if not r.passed)


def checked(text: str, year: int = 2025, kind: str = "dept_budget") -> list[str]:
    identity = SimpleNamespace(fiscal_year=year, doc_kind=kind)
    return sorted(r.check_id for r in validate([], claims_of(text, year), identity))


# --- measures (issue 22.6) --------------------------------------------------------------------


def test_final_account_measures_and_completion():
    text = "全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。"
    budget, actual = claims_of(text, 2024)
    assert (budget.amount.printed, budget.measure) == ("52.00", "全年预算")
    assert (actual.amount.printed, actual.measure, actual.percent) == ("51.32", "决算", Decimal("98.69"))
    assert "narrative.completion_percent" in checked(text, 2024, "dept_final")
    assert failed(text, 2024, "dept_final") == []
    wrong = text.replace("98.69%", "97.69%")
    assert failed(wrong, 2024, "dept_final") == ["narrative.completion_percent"]


def test_measure_words():
    for words, measure in (("年初预算为", "年初预算"), ("调整预算为", "全年预算"), ("2025年预算执行数为", "执行数"),
                           ("支出决算为", "决算")):
        (claim,) = claims_of(f"基本支出{words}10.00万元。")
        assert claim.measure == measure, words


def test_real_final_account_completion_against_its_budget():
    # sh-putuo-finance-bureau_2024_dept-final.pdf p.21: 2940.05 / 2993.92 = 98.20%
    text = ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"
            "决算数小于预算数的主要原因：因年度工作计划安排，个别信息化项目和中介机构服务调减。")
    assert "narrative.completion_percent" in checked(text, 2024, "dept_final")
    assert failed(text, 2024, "dept_final") == []


def test_a_completion_without_its_budget_beside_it_is_not_checked():
    text = "因公出国（境）费决算为0.00万元，完成预算的0%。"
    assert "narrative.completion_percent" not in checked(text, 2024, "dept_final")


# --- binding (issue 23.1): the false alarms listed in issue 23 --------------------------------


def test_a_prior_year_amount_in_an_explanation_is_not_this_years():
    text = ("单位预留机动经费1685.72万元，比上年增加1557.29万元，增长1212.56%。"
            "主要原因是上年度列入此项的预留机动经费128.43万元本年度调入行政运行项。")
    claims = claims_of(text)
    prior = next(c for c in claims if c.amount is not None and c.amount.printed == "128.43")
    assert prior.unsure
    assert failed(text) == []


def test_a_share_of_an_unnamed_whole_is_recorded_not_flagged():
    # 10.61% is of the total expenditure (15888.00), not of the 项目支出 stated before it
    text = "项目支出14202.28万元，其中：单位预留机动经费1685.72万元，占10.61%。"
    assert failed(text) == []
    share = next(c for c in claims_of(text) if c.percent is not None)
    identity = SimpleNamespace(fiscal_year=2025, doc_kind="dept_budget")
    claims = claims_of(text)
    validate([], claims, identity)
    assert next(c for c in claims if c.percent is not None).unsure
    assert share.percent == Decimal("10.61")


def test_a_named_whole_is_used():
    text = "支出总额15888.00万元。其中：单位预留机动经费1685.72万元，占支出总额的10.61%。"
    assert "narrative.share" in checked(text)
    assert failed(text) == []
    assert failed(text.replace("10.61%", "11.61%")) == ["narrative.share"]


@pytest.mark.parametrize("text", [
    "按规定运转类专项经费统一压减10%。",
    "项目支出500.00万元，比上年减少50.00万元，下降9.09%，主要原因是按规定运转类专项经费统一压减10%。",
])
def test_a_policy_cut_is_not_the_year_on_year_change(text):
    assert failed(text) == []
    cut = next(c for c in claims_of(text) if c.change_percent is not None and abs(c.change_percent) == 10)
    assert cut.unsure


def test_a_sub_item_printed_as_zero_is_not_the_total():
    (claim,) = claims_of("其中：公务用车运行维护支出0.00万元。")
    assert claim.subject == "公务用车运行维护费"


@pytest.mark.parametrize("note", ["此表为空", "说明：本部门无相关收支项目。", "注：本部门无该项目",
                                  "(无政府性基金支出）"])
def test_empty_table_notes(note):
    info = TableInfo(1, "gov_fund_expenditure", "政府性基金支出预算表", [1], [], "万元", True, None, ["合计", note])
    assert empty_note(info) == note


# --- text logic (issue 23.2) ------------------------------------------------------------------


def test_zero_this_year_yet_an_increase():
    text = "政府性基金预算拨款支出0万元，比上年增加1421.25万元。"
    assert "wording.zero_with_change" in failed(text)
    assert "wording.zero_with_change" not in failed("政府性基金预算拨款支出0万元，比上年减少1421.25万元。")


def test_an_increase_said_to_be_flat():
    text = "机关运行经费100.00万元，比上年增加5.00万元，与上年持平。"
    assert "wording.flat_with_change" in failed(text)
    assert "wording.flat_with_change" in checked("因公出国（境）费0万元，与上年预算数相同。")
    assert failed("因公出国（境）费0万元，与上年预算数相同。") == []


def test_a_percentage_change_from_a_zero_base():
    # js-high-court_2018_dept-budget.pdf p.20: “…支出530.72万元，与上年相比增加530.72万元，增长100%”
    text = "机关事业单位职业年金缴费支出（项）支出530.72万元，与上年相比增加530.72万元，增长100%。"
    assert "wording.change_from_zero_base" in failed(text)
    # sh-putuo-wanli-street_2024_dept-budget.pdf p.7: last year's 0.00 stated beside this year's
    text = "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。"
    assert "wording.change_from_zero_base" in failed(text, 2024)
    assert "wording.change_from_zero_base" not in failed("项目支出110.00万元，比上年增加10.00万元，增长10.00%。")


def test_a_comparison_year_that_is_not_the_year_before():
    text = "项目支出550.00万元，比2026年预算增加50.00万元，增长10.00%。"
    assert failed(text, 2026) == ["wording.comparison_year"]
    assert failed(text.replace("2026年预算", "2025年预算"), 2026) == []


@pytest.mark.parametrize("text", [
    "单位预留机动经费1685.72万元，比上年增加1557.29万元，增长1312.56%。",
    "单位预留机动经费1685.72万元，比上年增长1312.56%，增加1557.29万元。",
])
def test_a_change_whose_amount_and_percentage_disagree(text):
    # the amounts give 1557.29 / (1685.72 − 1557.29) = 1212.56%
    assert failed(text) == ["narrative.change_percent"]
    assert failed(text.replace("1312.56", "1212.56")) == []


@pytest.mark.slow
def test_the_real_final_account_compares_each_measure_with_its_own(tmp_path):
    """sh-putuo-finance-bureau_2024_dept-final.pdf pp.21-23: every 年初预算 figure is left out of the
    comparison with the 决算 tables, every 决算 figure agrees with them, and the completion ratios
    (98.20% = 2940.05 / 2993.92; the “三公” 0% = 0.00 / 0.95) are checked against the two figures."""
    from conftest import real_pdf

    from pipelines.process import process_document
    from pipelines.store import store_raw

    doc = process_document(store_raw(real_pdf("sh-putuo-finance-bureau_2024_dept-final.pdf"), tmp_path))
    amounts = [r for r in doc.checks if r.check_id == "narrative.claim_amount"]
    assert not any("年初预算为2993.92" in r.message and "states 2993.92" in r.message for r in amounts)
    assert [r.message for r in amounts if not r.passed and "0.3万元" not in r.message] == []
    completions = [r for r in doc.checks if r.check_id == "narrative.completion_percent"]
    assert len(completions) == 2 and all(r.passed for r in completions)
    assert {r.page for r in completions} == {21, 23}
