"""Performance-target forms (项目支出绩效目标表) of the reference document against its ground truth."""

import json
from decimal import Decimal

import pytest
from conftest import GROUND_TRUTH, REFERENCE_PDF

from pipelines.extract.performance import (
    FUND_SOURCES,
    GOAL_PERIOD,
    GOAL_YEAR,
    TEXT_LABELS,
    match_budget_lines,
    parse_projects,
    parse_target,
)
from pipelines.process import process_document
from pipelines.store import store_raw

TRUTH = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
FORMS = TRUTH["performance_forms"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    doc = process_document(store_raw(REFERENCE_PDF, tmp_path_factory.mktemp("raw")))
    return [t.table for t in doc.tables]


@pytest.fixture(scope="module")
def parsed(tables):
    return parse_projects(tables)


@pytest.fixture(scope="module")
def by_name(parsed):
    return {p.name: p for p in parsed[0]}


# --- targets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("≥20元/片", ("≥", Decimal("20"), "元/片")),
    ("100%", ("=", Decimal("100"), "%")),  # a bare number is an exact target
    ("≤3920元", ("≤", Decimal("3920"), "元")),
    ("11.5万元/人/年", ("=", Decimal("11.5"), "万元/人/年")),
    ("≥195名", ("≥", Decimal("195"), "名")),
    ("180元/人/天", ("=", Decimal("180"), "元/人/天")),
    ("1,000片/年", ("=", Decimal("1000"), "片/年")),
    ("＞ 50 ％", (">", Decimal("50"), "%")),
    ("不低于90%", ("≥", Decimal("90"), "%")),
    ("95%以上", ("≥", Decimal("95"), "%")),
    ("1人", ("=", Decimal("1"), "人")),
    ("30", ("=", Decimal("30"), None)),
    ("及时", (None, None, None)),
    ("全年", (None, None, None)),
    ("有效改善", (None, None, None)),
    ("按月发放、缴纳", (None, None, None)),
    ("90%-100%", (None, None, None)),
    ("", (None, None, None)),
])
def test_parse_target(text, expected):
    assert parse_target(text) == expected


# --- the reference's forms --------------------------------------------------------------------


def test_ten_distinct_projects_and_the_copy_reported(parsed):
    projects, duplicates = parsed
    assert len(projects) == 10
    assert [p.name for p in projects] == [f["project_name"] for f in FORMS if f["duplicate_of"] is None]
    [dup] = duplicates
    original = next(f for f in FORMS if f["seq"] == next(g["duplicate_of"] for g in FORMS if g["duplicate_of"]))
    assert (dup.page, dup.duplicate_of, dup.duplicate_of_page) == (25, original["project_name"], 24)
    assert "級" in dup.name and "級" in dup.reason
    assert dup.project.indicators == []  # the copy prints the indicator header and nothing under it


def test_every_form_matches_the_ground_truth(by_name, parsed):
    duplicate = parsed[1][0].project
    for form in FORMS:
        project = duplicate if form["duplicate_of"] else by_name[form["project_name"]]
        assert (project.name, project.department, project.implementing_unit, project.attribute, project.period,
                project.pages) == (form["project_name"], form["department"], form["implementing_unit"],
                                   form["attribute"], form["period"], form["pages"])
        funds = project.funds
        assert (funds.unit, funds.total_period.printed, funds.total_year.printed) == (
            "元", form["funds_total_period"], form["funds_total_year"])
        for source in FUND_SOURCES:
            got = [a.printed if a else "" for a in (funds.period[source], funds.year[source])]
            assert got == form["funds_split"][source], (form["seq"], source)
        assert [list(pair) for pair in funds.labels] == form["funds_labels_as_printed"]
        for label in (*TEXT_LABELS, GOAL_PERIOD, GOAL_YEAR):
            assert project.texts[label] == form["texts"][label], (form["seq"], label)
        assert len(project.period_indicators) == len(project.year_indicators)
        got = [(p.level1, p.level2, p.level3, p.target_text, y.level2, y.level3, y.target_text)
               for p, y in zip(project.period_indicators, project.year_indicators, strict=True)]
        want = [(i["level1"], i["level2"], i["level3"], i["value"], i["year_level2"], i["year_level3"],
                 i["year_value"]) for i in form["indicators"]]
        assert got == want, form["seq"]
        if form["footer"]:
            assert project.filled_on == form["footer"][-1]["value"]


def test_drug_control_urine_strip_indicator(by_name):
    drugs = by_name["城区公安禁毒经费"]
    strip = next(i for i in drugs.period_indicators if i.level3 == "尿检片")
    # printed on a row of its own: 一级指标 and 二级指标 come from the rows above
    assert (strip.level1, strip.level2, strip.target_text) == ("产出指标", "成本指标", "≥20元/片")
    assert (strip.target_operator, strip.target_value, strip.target_unit) == ("≥", Decimal("20"), "元/片")
    assert strip.page == 27
    year = drugs.year_indicators[drugs.period_indicators.index(strip)]
    assert (year.level2, year.level3, year.target_value) == ("成本指标", "尿检片", Decimal("20"))


def test_truncated_year_labels_and_text_targets_kept_as_printed(by_name):
    first = by_name["城区公安2025年中央和省级政法转移支付资金（省级）"]
    assert first.period_indicators[1].level3 == "刑事、治安案件破案率"
    assert first.year_indicators[1].level3 == "刑事、治安案件破"
    timely = next(i for i in first.indicators if i.target_text == "及时")
    assert (timely.target_operator, timely.target_value, timely.target_unit) == (None, None, None)
    assert first.texts[GOAL_YEAR] == ""  # this form prints no 年度 goal


def test_central_transfer_text_says_402_yuan_but_funds_are_4020000(by_name):
    central = by_name["城区公安2025年中央和省级政法转移支付资金（中央）"]
    assert "402元" in central.texts["项目实施计划"]  # the form's slip, kept as printed
    assert central.funds.total_year.yuan == Decimal("4020000.00")
    assert central.funds.year["中央财政资金"].yuan == Decimal("4020000.00")
    form = next(f for f in FORMS if f["project_name"] == central.name)
    assert len(central.indicators) == len([i for i in form["indicators"] if i["level3"]]) == 15


def test_year_funds_equal_the_project_expenditure_table(parsed, tables):
    projects = parsed[0]
    table = next(t for t in tables if t.code == "project_expenditure")
    lines = match_budget_lines(projects, table)
    assert len(lines) == 10
    for line in lines:
        assert line.amount.unit == "万元"
        assert line.project.funds.total_year.yuan == line.amount.value * 10000 == line.amount.yuan, line.line_name
    central = next(line for line in lines if "（中央）" in line.line_name)
    assert (central.amount.printed, central.project.funds.total_year.printed) == ("402.00", "4,020,000")
    # the table names two projects 暂住人口 where their forms say 常住人口
    renamed = [(line.project.name, line.line_name) for line in lines if line.similarity < 1]
    assert renamed == [("城区公安2024.12-2025.2月常住人口协管员经费", "城区公安2024.12-2025.2月暂住人口协管员经费"),
                       ("城区公安2025.3-12月常住人口协管员经费", "城区公安2025.3-12月暂住人口协管员经费")]
    assert sum(line.amount.yuan for line in lines) == Decimal("9595500.00")  # the 项目支出 total, 959.55 万元
