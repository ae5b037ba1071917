"""Publication evidence read from the files themselves (issue 25.6): the cover's printed date and the
PDF's own dates, which decide the current version of a budget instead of when it was loaded."""

from datetime import date, datetime

from conftest import REFERENCE_PDF, real_pdf

from pipelines.extract.pdftext import Page, PdfText, file_date, printed_date


def _page(text: str, number: int = 1) -> Page:
    return Page(number, text, 595.0, 842.0)


def test_the_date_a_cover_prints_alone_on_a_line():
    # js-high-court_2018, page 1 (its cover): "2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日".
    with PdfText(real_pdf("js-high-court_2018_dept-budget.pdf")) as pdf:
        assert printed_date(pdf.pages, 2018) == date(2018, 2, 24)
    # sh-municipal-finance-bureau_2025 prints 2024年8月31日 only inside a sentence (截至…, page 21): no date.
    with PdfText(real_pdf("sh-municipal-finance-bureau_2025_unit-budget.pdf")) as pdf:
        assert printed_date(pdf.pages, 2025) is None


def test_printed_dates_in_chinese_numerals_or_to_the_month_and_only_where_the_fiscal_year_allows():
    assert printed_date([_page("2026年上海市商务局\n部门预算\n2026年1月")], 2026) == date(2026, 1, 1)
    assert printed_date([_page("封面"), _page("二〇二六年二月十四日", 2)], 2026) == date(2026, 2, 14)
    assert printed_date([_page("二〇二五年十二月")], 2026) == date(2025, 12, 1)
    assert printed_date([_page("2021年8月22日")], 2026) is None  # a template's date, years before
    assert printed_date([_page("截至2025年8月31日，本单位共有车辆2辆")], 2026) is None
    assert printed_date([_page("a"), _page("b", 2), _page("2026年2月1日", 3)], 2026) is None  # not the cover


def test_the_pdf_s_own_dates_count_from_the_year_before_the_fiscal_year():
    # sh-putuo-justice_2026: ModDate D:20260309103907+08'00'.
    with PdfText(real_pdf("sh-putuo-justice_2026_unit-budget.pdf")) as pdf:
        assert file_date(pdf.metadata(), 2026) == datetime(2026, 3, 9, 10, 39, 7)
    # The sample's producer wrote D:20000101000000+00'00': no evidence of a 2025 budget's publication.
    with PdfText(REFERENCE_PDF) as pdf:
        assert pdf.metadata()["ModDate"] == "D:20000101000000+00'00'"
        assert file_date(pdf.metadata(), 2025) is None
    # ModDate first, CreationDate where none; malformed offsets and parentheses (Mianyang) do not matter.
    assert file_date({"CreationDate": "D:20210416032200Z", "ModDate": "D:20250521073856Z"}, 2026) == \
        datetime(2025, 5, 21, 7, 38, 56)
    assert file_date({"CreationDate": "(D:20251231192859+08'00')"}, 2026) == datetime(2025, 12, 31, 19, 28, 59)
    assert file_date({"ModDate": "D:20240218153324+07'33'"}, 2024) == datetime(2024, 2, 18, 15, 33, 24)
    assert file_date({"ModDate": "D:2026"}, 2026) == datetime(2026, 1, 1)
    assert file_date({"ModDate": "D:20261399"}, 2026) is None and file_date({}, 2026) is None
