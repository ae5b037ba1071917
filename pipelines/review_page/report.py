"""`budgetdw report`: DIR/index.html and DIR/<sha256[:16]>.html per document, from a read-only warehouse."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine

from pipelines.review_page import charts, data, html
from pipelines.review_page.operands import pages_named, search_values
from pipelines.review_page.pdfpage import render_page

log = logging.getLogger(__name__)


def report_name(document_id: str) -> str:
    """The file a document's page is written to: the first 16 hex digits of its sha256, as the Dagster
    partition key."""
    return f"{document_id[:16]}.html"


def write_reports(engine: Engine, out_dir: Path, prefixes: tuple[str, ...] = (), data_dir: Path | None = None,
                  source: str = "", on_document: Callable[[data.Document, Path], None] | None = None) -> list[Path]:
    """Write the pages of every document (or those named by sha256 prefix) and the index; returns the
    document pages written. Raises data.NoSuchDocument for a prefix that matches nothing."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    footer = f"budgetdw report, {stamp}" + (f", from {source}" if source else "")
    written = []
    with engine.connect() as conn:
        docs = data.documents(conn, prefixes)
        out_dir.mkdir(parents=True, exist_ok=True)
        for doc in docs:
            path = out_dir / report_name(doc.document_id)
            path.write_text(document_html(conn, doc, data_dir, footer), encoding="utf-8")
            written.append(path)
            if on_document:
                on_document(doc, path)
    links = {d.document_id: report_name(d.document_id) for d in docs}
    (out_dir / "index.html").write_text(html.index_page(docs, links, footer), encoding="utf-8")
    return written


def document_html(conn: Connection, doc: data.Document, data_dir: Path | None, footer: str) -> str:
    tables = data.tables_found(conn, doc.document_id)
    checks = data.failed_checks(conn, doc.document_id)
    figures = failed_check_figures(doc, checks, tables, data_dir)
    return html.document_page(doc, document_charts(conn, doc), checks, figures, tables, "index.html", footer)


def document_charts(conn: Connection, doc: data.Document) -> html.Charts:
    """The charts the disclosures print: expenditure by function class, basic vs project, “三公” by item,
    and the years before where the warehouse holds them."""
    def fmt(v):
        return html.money(v, doc.money_unit)

    out = html.Charts()
    classes, source = data.expenditure_by_class(conn, doc)
    series = ["基本支出", "项目支出"]
    bars = [charts.Bar(f"{c.class_code} {c.class_name}", (c.basic_yuan, c.project_yuan)) for c in classes]
    if all(c.basic_yuan is None and c.project_yuan is None for c in classes):  # a table of totals only
        series = ["合计"]
        bars = [charts.Bar(f"{c.class_code} {c.class_name}", (c.total_yuan,)) for c in classes]
    out.items.append(("支出结构（按功能分类·类） Expenditure by function class",
                      charts.stacked_bars("支出按功能分类", series, bars, fmt), source))
    out.items.append(("基本支出与项目支出 Basic vs project", charts.donut(
        "基本支出与项目支出", [("基本支出", doc.basic_total_yuan), ("项目支出", doc.project_total_yuan)], fmt),
        "v_document basic_total_yuan, project_total_yuan"))
    phases, source = data.three_public(conn, doc)
    for tp in phases:
        bars = [charts.Bar(name, (amount,)) for name, amount in tp.parts]
        label = "预算数" if tp.phase == "budget" else "决算数"
        out.items.append((f"“三公”经费（{label}） Three public expenses, total {fmt(tp.total_yuan)}",
                          charts.stacked_bars(f"“三公”经费 {label}", [label], bars, fmt, label_width=160), source))
    if not phases:
        out.items.append(("“三公”经费 Three public expenses", "", "no “三公” table read"))
    years = data.earlier_years(conn, doc)
    if years:
        series = [("支出总计", [y.expenditure_total_yuan for y in years]),
                  ("基本支出", [y.basic_total_yuan for y in years]),
                  ("项目支出", [y.project_total_yuan for y in years])]
        out.items.append(("历年对比 Year over year", charts.grouped_columns(
            "历年支出", [str(y.fiscal_year) for y in years], series, fmt),
            "v_document: published documents of the same unit, scope and kind, earlier years"))
        if any(y.three_public_total_yuan is not None for y in years):
            out.items.append(("“三公”经费 历年 Three public expenses, year over year", charts.grouped_columns(
                "“三公”经费 历年", [str(y.fiscal_year) for y in years],
                [("“三公”经费", [y.three_public_total_yuan for y in years])], fmt),
                "v_document three_public_total_yuan, the same documents"))
    return out


def failed_check_figures(doc: data.Document, checks: list[data.FailedCheck], tables: list[data.TableFound],
                         data_dir: Path | None) -> list[html.PageFigure]:
    """Every page a failed check names (its own page, and the other table's page of a cross-table check),
    rendered once with the values its checks name boxed. Checks are numbered from 1 in `checks` order."""
    units = {t.table_seq: t.money_unit for t in tables}
    by_page: dict[int, html.PageFigure] = {}
    for number, check in enumerate(checks, start=1):
        pages = ([check.page] if check.page is not None else []) + pages_named(check.message)
        pages += [int(o["page"]) for o in check.cells()]
        for page in dict.fromkeys(pages):
            if doc.page_count is None or 1 <= page <= doc.page_count:
                by_page.setdefault(page, html.PageFigure(page, [])).checks.append((number, check))
    pdf = data.original_pdf(doc, data_dir)
    for fig in by_page.values():
        if pdf is None:
            fig.note = f"the original is not in the raw store ({doc.raw_path or 'no path recorded'})"
            continue
        wanted: dict[str, list[int]] = {}
        placed: dict[tuple, list[int]] = {}  # (bbox, printed) → numbers: cells the evidence boxes
        for number, c in fig.checks:
            cells = c.cells()
            for o in cells:  # a check whose evidence boxes its cells is boxed there, not searched for
                if int(o["page"]) == fig.page:
                    placed.setdefault((tuple(o["bbox"]), o.get("printed") or ""), []).append(number)
            if cells:
                continue
            unit = units.get(c.table_seq) or doc.money_unit
            for value in search_values(c.message, c.observed, c.expected, unit):
                wanted.setdefault(value, []).append(number)
        try:
            fig.image, boxes = render_page(pdf, fig.page, list(wanted), rects=list(placed))
        except Exception as exc:  # a page pdfium cannot render: say so on the page, keep the rest
            log.warning("%s p.%s not rendered: %s", doc.document_id[:16], fig.page, exc)
            fig.note = f"not rendered: {exc}"
            continue
        found, boxed = boxes[:len(boxes) - len(placed)], boxes[len(boxes) - len(placed):]
        fig.boxes = [(box, wanted[box.value]) for box in found] + [
            (box, numbers) for box, numbers in zip(boxed, placed.values(), strict=True)]
        if not wanted and not placed:
            fig.note = "the checks name no amount to box"
        elif not boxes:
            fig.note = "none of the values the checks name was found in the page's text layer"
    return sorted(by_page.values(), key=lambda f: f.page)
