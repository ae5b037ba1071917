"""Document-level rules decided in pipelines/process.py: a blank template is never published."""

from dataclasses import replace

import pytest
from conftest import REFERENCE_PDF

from pipelines.process import process_document
from pipelines.store import store_raw
from pipelines.validate.document_rules import PLACEHOLDER_UNIT, template_checks


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return process_document(store_raw(REFERENCE_PDF, tmp_path_factory.mktemp("raw")))


def test_the_filled_in_reference_document_is_no_template(reference):
    assert template_checks(reference) == []


@pytest.mark.parametrize("unit", ["上海市XX局", "上海市××区财政局", "某某单位", "待填写", "（单位名称）"])
def test_a_placeholder_unit_quarantines(reference, unit):
    blank = replace(reference, identity=replace(reference.identity, unit_name=unit))
    [check] = template_checks(blank)
    assert (check.check_id, check.severity, check.passed) == ("identity.placeholder_unit", "error", False)
    assert unit in check.message


@pytest.mark.parametrize("unit", ["上海市普陀区财政局", "阳泉市公安局城区分局", "中共江苏省委办公厅"])
def test_real_unit_names_are_no_placeholders(unit):
    assert not PLACEHOLDER_UNIT.search(unit)


def test_tables_without_a_single_amount_quarantine(reference):
    emptied = [replace(t, cells=[]) for t in reference.tables]
    [check] = template_checks(replace(reference, tables=emptied))
    assert check.check_id == "identity.template_without_amounts" and check.severity == "error"
    assert f"{len(emptied)} tables found and none prints an amount" in check.message
    assert check.page == min(t.table.pages[0] for t in reference.tables)


def _pages(*texts):
    from pipelines.extract.pdftext import Page

    return [Page(i + 1, text, 595.0, 842.0) for i, text in enumerate(texts)]


def test_a_heading_left_over_from_last_years_document_is_flagged():
    # The doctored copy of issue 22: a 2024 final account whose Part 3 heading says 2023.
    from pipelines.validate.document_rules import heading_year_checks

    pages = _pages("第一部分 2024年度部门决算情况说明\n一、收入支出决算总体情况说明",
                   "第三部分 2023 年度部门决算情况说明\n2024年度收入总计比2023年度减少12.5万元。")
    [check] = heading_year_checks(pages, 2024)
    assert (check.check_id, check.severity, check.page) == ("identity.heading_year", "warning", 2)
    assert "第三部分2023年度部门决算情况说明" in check.message and "fiscal year 2024" in check.message


def test_headings_of_the_own_year_and_prose_comparing_years_are_not_flagged(reference):
    from pipelines.extract.pdftext import PdfText
    from pipelines.validate.document_rules import heading_year_checks

    assert heading_year_checks(_pages("（一）2026年收支预算情况\n比2025年预算增加10万元，主要原因是……"), 2026) == []
    # Shanghai numbers its 三公 sentences like headings (sh-putuo-justice 2026 p.21).
    numbered_sentence = "（三）公务接待费0.73万元。与2025年预算数持平，主要原因是业务量无变化。"
    assert heading_year_checks(_pages(numbered_sentence), 2026) == []
    with PdfText(reference.source.raw_path) as pdf:
        assert heading_year_checks(pdf.pages, 2025) == []  # the reference document's own headings
