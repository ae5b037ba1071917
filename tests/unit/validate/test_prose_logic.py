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


# --- false alarms on the national corpus (issue 23.1, 23.2) --------------------------------------


@pytest.mark.parametrize("text", [
    # Shenzhen 住房和建设局 p.13, Shenzhen 交通管理局 p.9
    "公务用车购置费2026年预算数0.00万元，较2025年年初预算增加0.00万元，主要是本单位2026年未安排经费于公务用车购置。",
    # Quanzhou 公安局 p.24
    "2026年预算安排0.00万元，比上年增加0.00万元，增长0.00%，与上年持平。",
])
def test_a_stated_change_of_zero_is_no_change(text):
    assert failed(text, 2026) == []


@pytest.mark.parametrize("text", [
    # Xi'an 住房和建设局 p.30 (a 2022 budget)
    "公务接待费5.77万元，较上年减少0.03万元（0.5%），与上年基本持平。",
    # Hangzhou 司法局 p.11
    "（20）公共安全支出（类）强制隔离戒毒（款）一般行政管理事务（项）143.47万元，主要用于强制隔离戒毒所未单独设置项级"
    "科目的其他项目支出。比上年执行数减少1.26万元，下降0.9%，与上年基本持平。",
])
def test_roughly_flat_admits_a_small_change(text):
    assert "wording.flat_with_change" not in failed(text, 2022)


def test_the_amount_compared_with_is_last_years():
    # Beijing 人民政府办公厅 p.4: 185.92 / 14708.87 = 1.264%, right as printed
    text = "2026年收入预算14894.79万元，比2025年年初预算数14708.87万元增加185.92万元，增长1.26%。"
    this, base = claims_of(text, 2026)
    assert (this.amount.printed, this.year, this.change_amount.value) == ("14894.79", 2026, Decimal("185.92"))
    assert (base.amount.printed, base.year, base.measure) == ("14708.87", 2025, "年初预算")
    assert "narrative.change_percent" in checked(text, 2026) and failed(text, 2026) == []
    assert failed(text.replace("1.26%", "1.36%"), 2026) == ["narrative.change_percent"]
    # Yantai 工业和信息化局 p.32: 42.14 / 290 = 14.53%
    yantai = "2026年本部门委托业务费财政拨款预算为332.14万元，比上年预算（上年290万元）增加42.14万元，增长14.53%。"
    assert failed(yantai, 2026) == []


def test_a_sentence_naming_its_own_subject_does_not_continue_the_last():
    # Changchun 信访局 p.17: the change is of the year's total (50.32 / 1632.44 = 3.08%), not of 项目支出
    text = ("其中基本支出预算1208.20万元，占部门预算总支出的71.80%；项目支出预算474.56万元，占部门预算总支出的28.20%。"
            "2026年预算比2025年预算增加50.32万元，增长3.08%。")
    project = next(c for c in claims_of(text, 2026) if c.subject == "项目支出")
    assert project.change_amount is None and "narrative.change_percent" not in failed(text, 2026)


@pytest.mark.parametrize("text, subject", [
    ("（三）对个人和家庭补助支出883.60万元，主要是离退休人员经费。", "支出"),  # Shenzhen 住房和建设局 p.9
    ("2.按支出用途分类，包括人员支出73,924.43万元，占11.1%。", "支出"),  # Hangzhou 交通运输局 p.6
    ("（1）工资福利支出（301）7,053.83万元，较上年增加214.28万元，增长3.13%。", "支出"),  # Xi'an 财政局 p.13
    ("（九）2040299-其他公安支出362.00万元。", "支出"),  # Quanzhou 公安局 p.22
    ("14.其他社会保障和就业支出（2089999）8.09万元，较上年增加0.41万元，增长5.34%。", "社会保障和就业支出"),  # Xi'an
    ("2026年一般公共预算财政拨款运行经费1,815万元，比2025年增加21.99万元。", "一般公共预算拨款收入"),  # Chongqing
])
def test_a_narrower_item_is_not_the_total_its_name_ends_with(text, subject):
    (claim, *_) = claims_of(text, 2026)
    assert claim.subject != subject


@pytest.mark.parametrize("text, parts", [
    # Shanghai 工业和信息化局 p.6: the class's 人员经费, not the document's
    ("2.“农林水支出”科目83万元，主要用于主要用于人员经费18万元、公用经费58万元、项目支出7万元。",
     ("人员经费", "公用经费", "项目支出")),
    # Shenzhen 建筑工务署 p.7: a sub-unit's 项目支出
    ("市建筑工务署文体和水务工程管理中心预算5,647.80万元，包括在职人员经费3,279.03万元、公用经费389.50万元、"
     "对个人和家庭的补助支出304.24万元、增人增资253.68万元、项目支出1,421.35万元。", ("公用经费", "项目支出")),
    # Chongqing 商务委员会 p.4: the 一般公共预算's 基本支出
    ("2026年一般公共预算财政拨款收入101,833.84万元,一般公共预算财政拨款支出101,833.84万元,比2025年减少7,885.67万元。"
     "其中:基本支出43,436.09万元,主要用于保障在职人员工资福利及社会保险缴费。", ("基本支出",)),
    # Changsha 信访局 p.8: the 项目支出's class
    ("2026年本单位项目支出预算417.41万元，主要是单位为完成特定行政工作任务或事业发展目标而发生的支出，其中：一般公共服务"
     "支出417.41万元，主要用于信访业务。", ("一般公共服务支出",)),
])
def test_parts_of_a_narrower_whole_are_recorded_not_checked(text, parts):
    claims = claims_of(text, 2026)
    for part in parts:
        claim = next(c for c in claims if c.subject == part)
        assert claim.unsure and "part of" in claim.unsure, part


def test_parts_of_the_documents_whole_are_checked():
    # Shanghai 万里街道 2024: the 财政拨款支出 under the 支出 total is the document's
    claims = claims_of("支出预算15621.11万元，其中：财政拨款支出预算15621.11万元，比2023年预算减少876.75万元。", 2024)
    assert [(c.subject, c.unsure) for c in claims] == [("支出", None), ("财政拨款支出", None)]


def test_an_amount_a_scope_involves_is_not_the_funds_total():
    # Chongqing 人民政府办公厅 p.4
    (claim,) = claims_of("2026年项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款9,399.23万元。", 2026)
    assert claim.unsure and "涉及" in claim.unsure


def test_digits_spaced_apart_are_not_read_as_their_tail():
    # Guangzhou 人民政府办公厅 p.24: the text layer prints “1 6 , 4 1 0 . 7 1万元”
    text = "2 0 2 6年本部门收入预算1 6 , 4 1 0 . 7 1万元，比上年减少11,230.54万元，下降40.6%。"
    assert all(c.amount is None for c in claims_of(text, 2026)) and failed(text, 2026) == []


def test_a_share_of_a_whole_the_tables_do_not_print_is_not_checked():
    # Changchun 信访局 p.19 (3773.63 / 4295.98 = 87.84%, right); Suzhou 科技创新局 p.41
    for text in ("本单位固定资产总量为4295.98万元，房屋和构筑物3773.63万元，占固定资产总额的87.84%；"
                 "设备335.24万元，占固定资产总额的7.90%。",
                 "本单位共6个项目纳入绩效目标管理，涉及财政性资金合计183,959.16万元，占财政性资金(人员类和运转类中的"
                 "公用经费项目支出除外)总额的比例为98.77%。"):
        claims = claims_of(text, 2026)
        validate([], claims, SimpleNamespace(fiscal_year=2026, doc_kind="dept_budget"))
        shares = [c for c in claims if c.percent is not None]
        assert shares and all(c.unsure for c in shares)


def test_shares_of_a_named_whole_adding_up_to_100_are_of_their_parts_sum():
    # Beijing 发展和改革委员会 p.8: 46714.52 / (46714.52 + 50254.78) = 48.17%; the 97851.51 stated before also
    # holds the 年终结转结余 882.21 (p.9)
    text = ("2026年支出预算97851.51万元，比2025年年初预算数99024.2万元减少1172.69万元，下降1.18%。"
            "（一）基本支出。基本支出预算46714.52万元，占本年支出预算48.17%。"
            "（二）项目支出。项目支出预算50254.78万元，占本年支出预算51.83%。")
    assert "narrative.share" in checked(text, 2026) and failed(text, 2026) == []
    assert set(failed(text.replace("48.17%", "49.17%"), 2026)) == {"narrative.share"}


def test_the_spending_a_revenue_funds_is_not_the_total():
    # Fuzhou 公安局交通警察局 p.21
    (claim,) = claims_of("2120899-其他国有土地使用权出让收入安排的支出5000.00万元。", 2026)
    assert claim.subject != "支出"


def test_a_list_of_a_narrower_wholes_classes_goes_on_past_the_sentence():
    # Changsha 公安局 p.8-9: the classes of the 项目支出, not the document's class totals
    claims = claims_of("（二）项目支出：2025年本单位项目支出预算40233.95万元，主要是单位为完成特定行政工作任务或"
                       "事业发展目标而发生的支出，其中：一般公共服务支出3.00万元，主要用于我局派驻纪检监察组办公经费等方面。公共安全支出"
                       "40230.95万元，主要用于警务辅助人员经费。", 2025)
    assert all(c.unsure for c in claims if c.subject in ("一般公共服务支出", "公共安全支出"))


def test_a_restated_part_of_a_sub_unit_is_that_part():
    # Shenzhen 建筑工务署 p.7-8: each unit's section restates its own 项目支出
    claims = claims_of("市建筑工务署文体和水务工程管理中心预算5,647.80万元，包括在职人员经费3,279.03万元、"
                       "公用经费389.50万元、项目支出1,421.35万元。\n（五）项目支出1,421.35万元，具体包括：", 2026)
    assert [bool(c.unsure) for c in claims if c.subject == "项目支出"] == [True, True]


@pytest.mark.parametrize("city, unit, check_id, fragment", [
    # Xi'an 财政局 p.43 表13 prints 上年 / 当年 / 增减变化情况: 培训费 当年 1,402,600.00 元 = the text's 140.26万元
    # (上年 1,708,200.00); Chongqing 人民政府办公厅 p.20 prints 2025年预算数 / 2026年预算数: 公务用车运行费 2026年
    # 200.00 万元 = the 基本支出表's 200.00 (2025年 202.48)
    ("020_西安", "2026年西安市财政局部门预算.pdf", "narrative.claim_amount", "培训费预算支出140.26万元"),
    ("004_重庆", "2026年重庆市人民政府办公厅部门预算.pdf", "cross.vehicle_operation", ""),
])
def test_a_three_public_table_printing_last_year_is_read_in_this_years_columns(tmp_path, city, unit, check_id,
                                                                                fragment):
    from conftest import REAL_CORPUS

    from pipelines.process import process_document
    from pipelines.store import store_raw
    pdf = REAL_CORPUS.parent / "national" / city / unit
    if not pdf.exists():
        pytest.skip(f"national corpus not found at {pdf.parent}")
    doc = process_document(store_raw(pdf, tmp_path))
    results = [c for c in doc.checks if c.check_id == check_id and fragment in c.message]
    assert results and all(c.passed for c in results), [c.message for c in results]


def test_an_item_named_like_a_total_is_not_the_total():
    # Changchun 信访局 p.18: an item of the 项目支出 named …人员经费
    claims = claims_of("2026年长春市信访局项目支出预算474.56万元，2026信访接待中心运行费116万元，"
                       "信访局临聘人员经费15.56万元。", 2026)
    assert all(c.subject != "人员经费" for c in claims)


def test_a_class_under_a_funds_heading_is_the_funds():
    # Huzhou 交通运输局 p.11: the 政府性基金预算's 交通运输 class, not the document's
    claims = claims_of("2.政府性基金预算当年拨款结构情况。\n交通运输（类）支出64463.40万元，占46.1%；"
                       "其他（类）支出75500.00万元，占53.9%。", 2026)
    transport = next(c for c in claims if c.subject == "交通运输支出")
    assert transport.unsure and "政府性基金" in transport.unsure
