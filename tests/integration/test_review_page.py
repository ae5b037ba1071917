"""`budgetdw report` on the reference document with a planted sum defect: the pages are written, need no
network, and show in a real headless Chromium the chart, the failed check and its boxed cell."""

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import REFERENCE_PDF, REPO
from sqlalchemy import create_engine, text

from pipelines.cli import main
from pipelines.run import Settings, ingest
from warehouse import derived

DEFECT = REPO / "tests" / "fixtures" / "defects" / "hierarchy-kuan-off-by-one.pdf"
# The planted defect: 204 公共安全支出 prints 4045.42 万元 while its 款 20402 公安 prints 4046.42 (p.9).
PRINTED, PAGE = "4045.42", 9
MESSAGE = "204 公共安全支出 = Σ children (total) does not hold in table 3"


def run_report(*args: str) -> SimpleNamespace:
    result = CliRunner().invoke(main, ["report", *args])
    return SimpleNamespace(code=result.exit_code, output=result.output)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    url = f"duckdb:///{tmp / 'w.duckdb'}"
    defect, reference = (d.source.sha256 for d in ingest([DEFECT, REFERENCE_PDF], Settings(url, tmp / "data")))
    # The reference as the same unit's budget of the year before: the defect's page has a year to compare with.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE document SET fiscal_year = 2024 WHERE document_id = :d"), {"d": reference})
        derived.refresh(conn, everything=True)  # what the loader keeps per document, for a row changed by hand
    engine.dispose()
    return SimpleNamespace(url=url, data=tmp / "data", defect=defect, reference=reference)


@pytest.fixture(scope="module")
def report(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = run_report("--out", str(out), "--warehouse", warehouse.url, "--data-dir", str(warehouse.data))
    assert result.code == 0, result.output
    assert "2 document pages" in result.output
    return out


def test_an_index_and_a_page_per_document(report, warehouse):
    index = (report / "index.html").read_text(encoding="utf-8")
    for doc in (warehouse.defect, warehouse.reference):
        assert (report / f"{doc[:16]}.html").is_file()
        assert f'href="{doc[:16]}.html"' in index
    assert "quarantined" in index and "published" in index and "阳泉市公安局城区分局" in index
    page = (report / f"{warehouse.defect[:16]}.html").read_text(encoding="utf-8")
    assert MESSAGE in page and 'class="chart chart-bars"' in page and 'class="chart chart-donut"' in page
    assert 'class="chart chart-columns"' in page  # the year before is in the warehouse
    assert "2025年预算支出总表" in page and "expenditure_summary" in page  # tables found, with their pages
    engine = create_engine(warehouse.url)
    with engine.connect() as conn:  # each failed check shows the key budgetdw accept --check names it by
        keys = conn.execute(text("SELECT check_key FROM v_check_result WHERE document_id = :d AND NOT passed"),
                            {"d": warehouse.defect}).scalars().all()
    engine.dispose()
    assert keys and all(f"check {key}" in page for key in keys)
    reference = (report / f"{warehouse.reference[:16]}.html").read_text(encoding="utf-8")
    assert "every check holds" in reference and "chart-columns" not in reference  # no year before 2024


def test_pages_fetch_nothing(report):
    for page in report.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<link" not in html and "url(" not in html and "@import" not in html
        assert all(src.startswith("data:") for src in re.findall(r'src="([^"]*)"', html))
        assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {"http://www.w3.org/2000/svg"}  # a namespace


def test_documents_named_by_prefix(warehouse, tmp_path):
    result = run_report(warehouse.defect[:10], "--out", str(tmp_path / "one"), "--warehouse", warehouse.url)
    assert result.code == 0, result.output
    assert {p.name for p in (tmp_path / "one").iterdir()} == {"index.html", f"{warehouse.defect[:16]}.html"}
    result = run_report("ffff0000", "--out", str(tmp_path / "none"), "--warehouse", warehouse.url)
    assert result.code == 1 and "no document's sha256 starts with 'ffff0000'" in result.output
    assert not (tmp_path / "none").exists()


def test_a_warehouse_without_the_views_is_named_not_a_traceback(tmp_path):
    import duckdb

    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    result = run_report("--out", str(tmp_path / "out"), "--warehouse", f"duckdb:///{tmp_path / 'empty.duckdb'}")
    assert result.code == 1 and "cannot read the warehouse" in result.output and "budgetdw migrate" in result.output


def test_missing_original_is_said_not_hidden(warehouse, tmp_path):
    """Where the raw store is not at hand (a warehouse copied elsewhere), the page says so."""
    from pipelines.load.engine import open_warehouse
    from pipelines.review_page import data
    from pipelines.review_page.report import failed_check_figures

    engine = open_warehouse(warehouse.url, existing=True, migrate_schema=False)
    with engine.connect() as conn:
        doc, = data.documents(conn, (warehouse.defect,))
        checks = data.failed_checks(conn, doc.document_id)
    engine.dispose()
    moved = data.Document(**{**doc.__dict__, "raw_path": str(tmp_path / "gone.pdf")})
    fig, = failed_check_figures(moved, checks, [], data_dir=None)
    assert fig.image is None and "not in the raw store" in fig.note
    fig, = failed_check_figures(moved, checks, [], data_dir=warehouse.data)  # found under --data-dir
    assert fig.image is not None and fig.boxes


def test_report_and_review_read_the_bi_views_not_their_deprecated_names(warehouse, tmp_path):
    # The names outside `bi` are kept for one release only: review and report must not depend on them.
    import shutil

    from pipelines.load.engine import open_warehouse
    from pipelines.load.review import held_back
    from warehouse import views

    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse.url.removeprefix("duckdb:///"), copy)
    url = f"duckdb:///{copy}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for view in reversed(views()):
            conn.execute(text(f"DROP VIEW {view.name}"))
    engine.dispose()
    result = run_report(warehouse.defect[:10], "--out", str(tmp_path / "out"), "--warehouse", url)
    assert result.code == 0, result.output
    assert MESSAGE in (tmp_path / "out" / f"{warehouse.defect[:16]}.html").read_text(encoding="utf-8")
    engine = open_warehouse(url, existing=True, migrate_schema=False)
    [held] = held_back(engine)
    engine.dispose()
    assert held.document_id == warehouse.defect and held.status == "quarantined"


@pytest.mark.postgres
def test_report_from_postgresql(postgres_url, tmp_path):
    """The same queries on PostgreSQL: the defect's page has its chart, its message and its boxed cell."""
    ingest([DEFECT], Settings(postgres_url, tmp_path / "data"))
    result = run_report("--out", str(tmp_path / "out"), "--warehouse", postgres_url,
                        "--data-dir", str(tmp_path / "data"))
    assert result.code == 0, result.output
    page, = (tmp_path / "out").glob("????????????????.html")
    html = page.read_text(encoding="utf-8")
    assert MESSAGE in html and 'class="chart chart-bars"' in html and "data:image/png;base64," in html
    assert f'class="box" data-value="{PRINTED}"' in html


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it); "
                    "the review page's browser test drives it")
    return path


def printed_box(pdf: Path, page_number: int, value: str) -> tuple[float, float, float, float]:
    """Where pdfium's text layer has `value` on the page: (left, top, right, bottom) as fractions of the
    page, top down (an upright page with its crop box at the origin)."""
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[page_number - 1]
    assert page.get_rotation() == 0 and page.get_cropbox()[:2] == (0, 0)
    width, height = page.get_size()
    textpage = page.get_textpage()
    index, count = textpage.search(value).get_next()
    left, bottom, right, top = textpage.get_rect(0) if textpage.count_rects(index, count) == 1 else pytest.fail()
    doc.close()
    return left / width, 1 - top / height, right / width, 1 - bottom / height


def test_review_page_in_headless_chromium_offline(report, warehouse):
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e '.[dev]')")
    executable = chromium()
    attempted: set[str] = set()

    def local(url: str) -> bool:
        return url.startswith(("file:", "data:"))

    def guard(route):
        if local(route.request.url):
            route.continue_()
        else:
            attempted.add(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.route("**/*", guard)
            page = context.new_page()
            page.on("request", lambda r: None if local(r.url) else attempted.add(r.url))
            page.goto((report / f"{warehouse.defect[:16]}.html").as_uri(), wait_until="load")

            chart = page.locator("svg.chart-bars").first.bounding_box()
            assert chart and chart["width"] > 0 and chart["height"] > 0
            bar = page.locator("svg.chart-bars rect.bar").first.bounding_box()
            assert bar and bar["width"] > 0 and bar["height"] > 0

            message = page.locator("li.check p.message", has_text=MESSAGE)
            assert message.count() == 1 and message.is_visible()

            figure = page.locator(f"figure#page-{PAGE}")
            image = figure.locator("img.pdf-page")
            complete, natural_width, natural_height = image.evaluate(
                "i => [i.complete, i.naturalWidth, i.naturalHeight]")
            assert complete and natural_width > 0 and natural_height > 0
            shown = image.bounding_box()
            boxes = figure.locator(f'.box[data-value="{PRINTED}"]')
            assert boxes.count() == 1 and boxes.is_visible()
            box = boxes.bounding_box()
            # The box is the printed cell (its box from the check's evidence) around where the text layer
            # prints the value, on the image as the browser lays it out.
            left, top, right, bottom = printed_box(warehouse.data / "raw" / warehouse.defect[:2] /
                                                   f"{warehouse.defect}.pdf", PAGE, PRINTED)
            on_image = ((box["x"] - shown["x"]) / shown["width"], (box["y"] - shown["y"]) / shown["height"],
                        (box["x"] + box["width"] - shown["x"]) / shown["width"],
                        (box["y"] + box["height"] - shown["y"]) / shown["height"])
            slack = 0.002
            assert on_image[0] - slack <= left and on_image[1] - slack <= top
            assert right <= on_image[2] + slack and bottom <= on_image[3] + slack
            assert on_image[2] - on_image[0] < 0.2 and on_image[3] - on_image[1] < 0.05  # one cell
            assert 0 < on_image[0] < on_image[2] < 1 and 0 < on_image[1] < on_image[3] < 1
        finally:
            browser.close()
    assert attempted == set(), f"the page asked the network for {sorted(attempted)}"
