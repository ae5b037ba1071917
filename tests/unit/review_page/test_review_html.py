"""The review page's HTML: printed text escaped, amounts in the document's unit, boxes placed in percent."""

from decimal import Decimal

from pipelines.review_page import html
from pipelines.review_page.data import Document, FailedCheck
from pipelines.review_page.pdfpage import Box, PageImage


def document(**changes) -> Document:
    fields = dict(
        document_id="ab" * 32, unit_name="阳泉市公安局城区分局", unit_scope=None, unit_key="阳泉市公安局城区分局",
        fiscal_year=2025, doc_kind="unit_budget", status="quarantined", is_current=True, money_unit="万元",
        source_uri="/in/a.pdf", raw_path=None, page_count=23, income_total_yuan=Decimal("51744700.00"),
        expenditure_total_yuan=Decimal("51744700.00"), basic_total_yuan=Decimal("42149200.00"),
        project_total_yuan=Decimal("9595500.00"), three_public_total_yuan=None, identity_confidence=Decimal("1.00"),
        error=None, accepted_by=None, accepted_reason=None, parser_version="0.2.0", toc_tables=13, tables_found=13,
        checks_run=289, checks_failed=1, errors=1)
    return Document(**{**fields, **changes})


def test_money_in_the_documents_unit():
    assert html.money(Decimal("40454200.00"), "万元") == "4,045.42 万元"
    assert html.money(Decimal("1234.5"), None) == "1,234.50 元"
    assert html.money(None, "万元") == "—"


def test_printed_text_is_escaped():
    doc = document(unit_name="<script>x</script>", status="failed", error="not a PDF <b>", checks_run=0,
                   source_uri="/in/<i>.pdf")
    page = html.document_page(doc, html.Charts(), [], [], [], "index.html", "footer & co")
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "not a PDF &lt;b&gt;" in page and "footer &amp; co" in page and "no check ran" in page
    index = html.index_page([doc], {doc.document_id: "x.html"}, "")
    assert "&lt;script&gt;" in index and "<script>" not in index


def test_failed_check_with_its_boxed_page():
    check = FailedCheck("hierarchy.subject_sum", "error", "40,464,200.00", "40,454,200.00",
                        "204 公共安全支出 = Σ children (total) does not hold <here>", 3, 9)
    figure = html.PageFigure(9, [(1, check)], PageImage(b"\x89PNG", 1191, 1684),
                             [(Box(0.6, 0.25, 0.05, 0.01, "4045.42"), [1])])
    page = html.document_page(document(), html.Charts(), [check], [figure], [], "index.html", "")
    assert "does not hold &lt;here&gt;" in page and 'href="#page-9"' in page
    assert 'id="page-9"' in page and 'src="data:image/png;base64,iVBORw==' in page
    assert ('<div class="box" data-value="4045.42" data-checks="1" '
            'style="left:60.0000%;top:25.0000%;width:5.0000%;height:1.0000%"') in page
