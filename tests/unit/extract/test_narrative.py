"""Claims read from the prose (情况说明) of the reference document and of real documents."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import GROUND_TRUTH, REAL_CORPUS, REFERENCE_PDF, real_pdf

from pipelines.extract.narrative import Claim, extract_claims, narrative_totals
from pipelines.extract.pdftext import PdfText
from pipelines.process import process_document
from pipelines.store import store_raw

TRUTH = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))


def claims_of(path: Path, year: int) -> list[Claim]:
    with PdfText(path) as pdf:
        return extract_claims(pdf.pages, year)


def one(claims: list[Claim], subject: str, printed: str | None = None) -> Claim:
    found = [c for c in claims
             if c.subject == subject and (printed is None or (c.amount and c.amount.printed == printed))]
    assert found, f"no claim {subject} {printed}: {[(c.subject, c.amount) for c in claims]}"
    return found[0]


def truth_page(fragment: str) -> int:
    return next(p["page"] for p in TRUTH["narrative"]["paragraphs"] if fragment in p["text"])


@pytest.fixture(scope="module")
def reference() -> list[Claim]:
    return claims_of(REFERENCE_PDF, 2025)


# --- the reference document -------------------------------------------------------------------


def test_basic_expenditure_share(reference):
    basic = one(reference, "基本支出", "4214.92")
    assert basic.amount.unit == "万元" and basic.amount.yuan == Decimal("42149200.00")
    assert basic.percent == Decimal("81.46")
    assert basic.page == truth_page("基本支出4214.92万元，占81.46%") == 20


def test_one_sentence_two_claims(reference):
    # “其中：基本支出4214.92万元，占81.46%；项目支出959.55万元，占18.54%”
    project = one(reference, "项目支出", "959.55")
    assert (project.percent, project.page) == (Decimal("18.54"), 20)
    assert project.text == "项目支出959.55万元，占18.54%"


def test_three_public_change_against_2024(reference):
    three = one(reference, "三公经费")
    assert three.amount.printed == "106.20" and three.amount.yuan == Decimal("1062000.00")
    assert three.change_amount.value == Decimal("12.60") and three.change_amount.yuan == Decimal("126000.00")
    assert (three.direction, three.compared_with, three.page) == ("增加", "2024年", 21)


def test_office_operation_change_amount_and_percent(reference):
    office = one(reference, "机关运行经费")
    assert office.amount.yuan == Decimal("6974600.00")
    assert (office.change_amount.value, office.change_percent) == (Decimal("27.94"), Decimal("4.17"))
    assert (office.direction, office.compared_with) == ("增加", "2024年")


def test_income_total_keeps_thousands_separator_and_change(reference):
    income = one(reference, "收入")
    assert income.amount.printed == "5,174.47" and income.amount.yuan == Decimal("51744700.00")
    # “…总计5,174.47万元，其中：本年收入…，上年结转0万元，比上年增长91.86万元，增长1.81%”: the total's change
    assert (income.change_amount.value, income.change_percent) == (Decimal("91.86"), Decimal("1.81"))
    assert (income.direction, income.compared_with) == ("增加", "上年")
    assert one(reference, "本年收入").change_amount is None
    assert one(reference, "上年结转").change_amount is None


def test_unchanged_is_flat_with_zero_change(reference):
    abroad = one(reference, "因公出国（境）费")
    assert abroad.amount.yuan == Decimal("0.00")
    assert (abroad.direction, abroad.change_amount.value, abroad.compared_with) == ("持平", Decimal(0), "上年")
    car_running = one(reference, "公务用车运行维护费")
    assert (car_running.amount.printed, car_running.change_amount.value) == ("106.20", Decimal("12.60"))


def test_function_classes_and_procurement(reference):
    security = [c for c in reference if c.subject == "公共安全支出"]
    assert [c.amount.printed for c in security] == ["4,045.42", "4,045.42"]
    assert security[1].percent == Decimal("78.18")
    assert one(reference, "一般公共预算当年支出").change_percent == Decimal("1.81")
    assert [one(reference, s).amount.yuan for s in ("政府采购", "政府采购货物", "政府采购工程", "政府采购服务")] == [
        Decimal("0.00")] * 4


def test_claims_come_from_prose_pages_only(reference):
    # Tables (pp.5-19) and the performance forms (pp.23-33) print amounts too; none is prose.
    assert {c.page for c in reference} <= set(TRUTH["narrative"]["pages"])
    assert len(reference) >= 50


def test_narrative_totals_of_the_reference(reference):
    assert narrative_totals(reference) == {
        "income_total": Decimal("51744700.00"), "expenditure_total": Decimal("51744700.00"),
        "basic_total": Decimal("42149200.00"), "project_total": Decimal("9595500.00"),
        "three_public_total": Decimal("1062000.00"),
        # p.20: 预算收入总计5,174.47万元，其中：本年收入5,174.47万元，上年结转0万元 … 本年预算安排5,174.47万元
        "current_year_income": Decimal("51744700.00"), "current_year_expenditure": Decimal("51744700.00"),
        "carryover_in": Decimal("0.00"),
    }


# --- real documents ---------------------------------------------------------------------------


def test_jiangsu_narrative_only_document_totals(tmp_path):
    """js-cppcc-office 2017 published its tables as a separate file: the prose is the document's
    only statement of its totals, and they agree with that tables file."""
    claims = claims_of(real_pdf("js-cppcc-office_2017_dept-budget.pdf"), 2017)
    totals = narrative_totals(claims)
    assert totals["income_total"] == Decimal("91467900.00")  # 收入预算总计 9,146.79 万元
    assert totals["expenditure_total"] == Decimal("91467900.00")
    assert totals["basic_total"] == Decimal("59162700.00")  # 基本支出预算数为 5,916.27 万元
    assert totals["project_total"] == Decimal("31236800.00")  # 项目支出预算数为 3,123.68 万元
    # no “三公” total in the prose: 因公出国（境）费 76 + 公务用车 156.60 + 公务接待费 443.50
    assert totals["three_public_total"] == Decimal("6761000.00")

    tables = process_document(store_raw(real_pdf("js-cppcc-office_2017_dept-budget-tables.pdf"), tmp_path)).totals
    assert (tables.income_total, tables.basic_total, tables.project_total, tables.three_public_total) == (
        totals["income_total"], totals["basic_total"], totals["project_total"], totals["three_public_total"])


def test_jiangsu_previous_year_amount_is_not_this_years():
    claims = claims_of(real_pdf("js-cppcc-office_2017_dept-budget.pdf"), 2017)
    # “与 2016 年度相比（2016 年度部门支出预算安排为8,648.07万元），增加498.72万元，增长5.77%”
    previous = one(claims, "支出", "8,648.07")
    assert previous.year == 2016 and previous.change_amount is None
    change = next(c for c in claims if c.amount is None and c.change_percent == Decimal("5.77"))
    assert (change.subject, change.year, change.change_amount.value, change.compared_with) == (
        "支出", 2017, Decimal("498.72"), "2016年")
    # “项目支出预算数为 3,123.68 万元。与上年数一致。”: the next sentence's change is this amount's
    assert one(claims, "项目支出", "3,123.68").direction == "持平"
    # a sentence broken over lines: “公共服务（类）支出 6,543.55 万元…与上年相比减少 108.56 万元，下降 1.63%”
    public = one(claims, "一般公共服务支出", "6,543.55")
    assert (public.change_amount.value, public.change_percent, public.direction) == (
        Decimal("-108.56"), Decimal("-1.63"), "减少")


def test_shanghai_justice_unit_budget():
    claims = claims_of(real_pdf("sh-putuo-justice_2026_unit-budget.pdf"), 2026)
    income = one(claims, "收入")
    assert income.amount.yuan == Decimal("86959400.00")
    appropriation = one(claims, "财政拨款收入")
    assert (appropriation.change_amount.yuan, appropriation.compared_with) == (Decimal("7948800.00"), "2025年")
    # “1、公共安全支出（204类）司法（06款）行政运行（01项）1434.89万元。…2025年当年预算执行数为1690.69万元，
    #  2026年预算安排1434.89万元，比2025年预算执行数减少1.10%。”
    running = [c for c in claims if c.subject_code == "2040601"]
    assert [(c.amount.printed, c.year, c.measure) for c in running] == [
        ("1434.89", 2026, None), ("1690.69", 2025, "执行数"), ("1434.89", 2026, None)]
    assert running[0].subject == "公共安全支出/司法/行政运行"
    assert (running[2].change_percent, running[2].compared_with) == (Decimal("-1.10"), "2025年")
    three = one(claims, "三公经费")
    assert (three.amount.yuan, three.direction, three.compared_with) == (Decimal("107100.00"), "持平", "2025年")
    # “（三）公务接待费0.73万元。与2025年预算数持平”
    assert one(claims, "公务接待费").direction == "持平"
    assert one(claims, "机关运行经费").amount.yuan == Decimal("1845900.00")
    assert one(claims, "政府采购服务").amount.printed == "1446.32"


def test_shanghai_dashed_subject_paths():
    # “1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元” named only
    # the class (一般公共服务支出) for all four of its 项 before.
    claims = claims_of(real_pdf("sh-putuo-gov-office_2025_dept-budget.pdf"), 2025)
    running = one(claims, "一般公共服务支出/政府办公厅（室）及相关机构事务/行政运行")
    assert running.amount.yuan == Decimal("12029500.00")
    other = one(claims, "一般公共服务支出/政府办公厅（室）及相关机构事务/其他政府办公厅（室）及相关机构事务支出")
    assert other.amount.yuan == Decimal("20120000.00")
    assert one(claims, "住房保障支出/住房改革支出/购房补贴").amount.printed == "186.77"
    assert not [c for c in claims if c.subject == "一般公共服务支出"]


def test_shanghai_prose_rounds_what_the_tables_print_in_yuan(tmp_path):
    """sh-municipal-finance-bureau prints its tables in 元 and its prose in 万元 without decimals."""
    path = real_pdf("sh-municipal-finance-bureau_2025_unit-budget.pdf")
    claims = claims_of(path, 2025)
    income = one(claims, "收入")
    assert (income.amount.printed, income.amount.unit, income.amount.yuan) == (
        "17,192", "万元", Decimal("171920000.00"))
    tables = process_document(store_raw(path, tmp_path)).totals
    assert abs(tables.income_total - income.amount.yuan) <= Decimal("5000")  # half a 万元
    three = one(claims, "三公经费")
    assert three.amount.yuan == tables.three_public_total == Decimal("3463000.00")
    assert (three.direction, three.compared_with) == ("持平", "2024年")
    assert one(claims, "政府采购货物").amount.printed == "42.50"


def test_shanghai_final_account_takes_the_executed_amount():
    claims = claims_of(real_pdf("sh-putuo-finance-bureau_2024_dept-final.pdf"), 2024)
    # “三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%
    budgeted, executed = [c for c in claims if c.subject == "三公经费" and c.amount is not None][:2]
    assert (budgeted.amount.printed, budgeted.measure) == ("0.95", "年初预算")
    assert (executed.amount.printed, executed.measure, executed.percent, executed.percent_of) == (
        "0.00", "决算", Decimal("0"), "完成预算")
    totals = narrative_totals(claims)
    assert totals["three_public_total"] == Decimal("0.00")
    # p.21: 收入支出总计2995.39万元 (carry-overs included, issue 22.1); 本年收入合计2946.25万元
    assert (totals["income_total"], totals["current_year_income"], totals["basic_total"], totals["project_total"]) == (
        Decimal("29953900.00"), Decimal("29462500.00"), Decimal("23369100.00"), Decimal("6031400.00"))


def test_every_real_document_reads_without_error():
    paths = sorted(REAL_CORPUS.glob("*.pdf")) if REAL_CORPUS.exists() else []
    if not paths:
        pytest.skip("real corpus not found")
    for path in paths:
        with PdfText(path) as pdf:
            claims = extract_claims(pdf.pages, int(path.name.split("_")[1]))
        if path.stem.endswith("-tables"):
            assert claims == [], path.name  # tables only: nothing is prose
        else:
            assert len(claims) >= 20, path.name
            assert all(c.amount is not None or c.change_amount is not None or c.percent is not None for c in claims)
            totals = narrative_totals(claims)
            assert totals["income_total"] and totals["expenditure_total"], path.name


def test_pages_the_caller_skips_are_not_read():
    with PdfText(REFERENCE_PDF) as pdf:
        claims = extract_claims(pdf.pages, 2025, skip_pages=[20])
    assert claims and {c.page for c in claims} == {21, 22}


# --- 其中 lists and measure words glued to a subject (issue 22 follow-ups) --------------------------------


def prose_claims(text: str, year: int = 2024) -> list[tuple]:
    from pipelines.extract.pdftext import Page

    return [(c.subject, c.amount.printed if c.amount else None, c.measure)
            for c in extract_claims([Page(14, text, 595.0, 842.0)], year) if c.amount is not None]


def test_an_amount_in_a_qizhong_list_is_the_item_just_named():
    # The final-account reference's “三公” sentence as its author first wrote it (p.12's 预算数 12.00 | 决算数 10.56;
    # 公务接待费 7.00 | 6.24): 6.24 was read as the 三公经费's 决算 (a false narrative.claim_amount against 10.56).
    text = ("“三公”经费财政拨款支出全年预算为12.00万元，支出决算为10.56万元，完成全年预算数的88.00%，其中：公务接待费"
            "全年预算为7.00万元，支出决算为6.24万元，完成全年预算数的89.14%。")
    assert prose_claims(text) == [("三公经费", "12.00", "全年预算"), ("三公经费", "10.56", "决算"),
                                  ("公务接待费", "7.00", "全年预算"), ("公务接待费", "6.24", "决算")]


@pytest.mark.parametrize("text, expected", [
    # numbered items inside the list: each amount is its own item's until the next
    ("“三公”经费支出决算为10.56万元，其中：（1）公务接待费全年预算为7.00万元，支出决算为6.24万元；（2）公务用车运行"
     "维护费全年预算为5.00万元，支出决算为4.32万元。",
     [("三公经费", "10.56", "决算"), ("公务接待费", "7.00", "全年预算"), ("公务接待费", "6.24", "决算"),
      ("公务用车运行维护费", "5.00", "全年预算"), ("公务用车运行维护费", "4.32", "决算")]),
    # the item named before its amounts, set off by a comma
    ("“三公”经费支出决算为10.56万元，其中：公务接待费，全年预算为7.00万元，支出决算为6.24万元。",
     [("三公经费", "10.56", "决算"), ("公务接待费", "7.00", "全年预算"), ("公务接待费", "6.24", "决算")]),
    # items that name themselves are read as before (Putuo p.21, Chongqing, Changsha)
    ("本年支出合计1,258.70万元，其中：基本支出830.10万元，项目支出428.60万元。",
     [("本年支出", "1,258.70", None), ("基本支出", "830.10", None), ("项目支出", "428.60", None)]),
    ("本年收入合计1,259.00万元，其中，财政拨款收入1,250.00万元，其他收入9.00万元。",
     [("本年收入", "1,259.00", None), ("财政拨款收入", "1,250.00", None), ("其他收入", "9.00", None)]),
    # after the sentence the list ends: the next sentence's bare measure is the paragraph's subject again
    ("其中：公务接待费决算为6.24万元。年初预算为7.00万元。",
     [("公务接待费", "6.24", "决算"), ("公务接待费", "7.00", "年初预算")]),
])
def test_qizhong_list_templates(text, expected):
    assert prose_claims(text) == expected


@pytest.mark.parametrize("words, measure", [
    ("全年预算为", "全年预算"), ("年初预算为", "年初预算"), ("调整预算为", "全年预算"), ("调整后预算为", "全年预算"),
    ("预算执行数为", "执行数"), ("决算为", "决算"),
])
def test_a_measure_glued_to_a_subject_is_split_off(words, measure):
    # «行政运行全年预算为7.00万元» was read with the subject “行政运行全年”
    assert prose_claims(f"行政运行{words}7.00万元。") == [("行政运行", "7.00", measure)]
