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
    assert check.evidence == ({"role": "stated", "page": 2, "text": "第三部分2023年度部门决算情况说明"},)


def test_headings_of_the_own_year_and_prose_comparing_years_are_not_flagged(reference):
    from pipelines.extract.pdftext import PdfText
    from pipelines.validate.document_rules import heading_year_checks

    assert heading_year_checks(_pages("（一）2026年收支预算情况\n比2025年预算增加10万元，主要原因是……"), 2026) == []
    # Shanghai numbers its 三公 sentences like headings (sh-putuo-justice 2026 p.21).
    numbered_sentence = "（三）公务接待费0.73万元。与2025年预算数持平，主要原因是业务量无变化。"
    assert heading_year_checks(_pages(numbered_sentence), 2026) == []
    with PdfText(reference.source.raw_path) as pdf:
        assert heading_year_checks(pdf.pages, 2025) == []  # the reference document's own headings


def test_listed_forms_found_as_forms_complete_the_listing():
    # Changsha 信访局 p.2 目录: 8 tables, then 9、项目支出绩效目标表 and 10、部门整体支出绩效目标表, found as
    # 绩效目标表 forms (p.22-32). Before, only the 8 classified tables were counted: “lists 10, 8 found”.
    from pipelines.extract.identify import Identity
    from pipelines.extract.tables import ExtractedTable
    from pipelines.model import ProcessedDocument
    from pipelines.normalise.tables import NormalisedTable
    from pipelines.store import SourceDocument
    from pipelines.validate.document_rules import completeness_checks

    titles = ["1、部门收支总表", "2、部门收入总表", "3、部门支出总表", "4、财政拨款收支总表", "5、一般公共预算支出表",
              "6、一般公共预算基本支出表", "7、一般公共预算“三公”经费支出表", "8、政府性基金预算支出表",
              "9、项目支出绩效目标表", "10、部门整体支出绩效目标表"]
    codes = ["income_expenditure_summary", "income_summary", "expenditure_summary", "appropriation_summary",
             "general_budget_expenditure", "basic_expenditure_econ", "three_public", "gov_fund_expenditure"]
    ident = Identity(unit_name="长沙市信访局", fiscal_year=2026, doc_kind="dept_budget", money_unit="万元",
                     toc_tables=10, toc_titles=titles, toc_pages=[2])

    def doc(found):
        tables = [NormalisedTable(ExtractedTable(seq=i, code=c, title="", number_label=None, unit="万元",
                                                 pages=[i], header_rows=[], body_rows=[], row_pages=[], columns=[]),
                                  "万元", [], []) for i, c in enumerate(found, 1)]
        return ProcessedDocument(SourceDocument("0" * 64, "x.pdf", REFERENCE_PDF, 0), "published", identity=ident,
                                 tables=tables, part="full")

    (check,) = completeness_checks(doc(codes + ["performance_targets"] * 11))
    assert (check.passed, check.observed, check.expected) == (True, "10", "10")
    (check,) = completeness_checks(doc(codes[:7]))  # the 政府性基金 table and the forms lost
    assert (check.passed, check.observed) == (False, "7")
    assert "not found: 8、政府性基金预算支出表、9、项目支出绩效目标表、10、部门整体支出绩效目标表" in check.message
