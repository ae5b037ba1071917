"""The review pages as HTML: self-contained (inline CSS, inline SVG, images as data: URIs, no script),
so they open from a file on a machine with no network. Every printed text goes through escape()."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path

from pipelines.money import UNIT_FACTORS
from pipelines.review_page.data import Document, FailedCheck, TableFound
from pipelines.review_page.pdfpage import Box, PageImage

KIND_NAMES = {"unit_budget": "单位预算", "dept_budget": "部门预算", "unit_final": "单位决算", "dept_final": "部门决算"}

CSS = """
body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:24px auto;max-width:1000px;
color:#222;line-height:1.45;padding:0 12px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:1px solid #ccc;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:13px}
.published{background:#3a7d3a}.quarantined{background:#b5524a}.failed{background:#555}
.meta{color:#666;font-size:13px}.note{color:#666;font-size:13px}
ol.checks li{margin-bottom:8px}.sev{font-weight:bold}.sev.error{color:#b5524a}.sev.warning{color:#a06a00}
.message{margin:2px 0}.page-image{position:relative;width:min(100%,900px);border:1px solid #bbb;margin:8px 0}
.page-image img{display:block;width:100%;height:auto}
.box{position:absolute;outline:2px solid #e0201c;outline-offset:2px;background:rgba(255,230,0,.25)}
.box span{display:none;position:absolute;left:0;top:-20px;background:#e0201c;color:#fff;font-size:11px;
padding:0 4px;border-radius:3px;white-space:nowrap}.box:hover span{display:block}
figure{margin:12px 0}figure.page figcaption{color:#444;font-size:13px}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}
"""


def money(yuan: Decimal | float | int | None, unit: str | None) -> str:
    """An amount in the unit the document prints (元 when it names none), with thousands separators."""
    if yuan is None:
        return "—"
    unit = unit if unit in UNIT_FACTORS else "元"
    return f"{Decimal(str(yuan)) / UNIT_FACTORS[unit]:,.2f} {unit}"


def document_title(doc: Document) -> str:
    unit = doc.unit_name or "(unit not read)"
    scope = f"（{doc.unit_scope}）" if doc.unit_scope else ""
    year = f" {doc.fiscal_year}" if doc.fiscal_year else ""
    return f"{unit}{scope}{year} {KIND_NAMES.get(doc.doc_kind or '', doc.doc_kind or '')}".strip()


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>")


def _status(status: str) -> str:
    return f'<span class="status {escape(status)}">{escape(status)}</span>'


def _rows(rows: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)


def index_page(docs: Sequence[Document], links: dict[str, str], footer: str) -> str:
    """Every document reported: status, unit, year, kind, failed checks, and its page."""
    rows = []
    for d in docs:
        rows.append(
            f"<tr><td>{_status(d.status)}</td><td>{escape(d.unit_name or '—')}"
            f"{escape('（' + d.unit_scope + '）') if d.unit_scope else ''}</td>"
            f"<td>{escape(str(d.fiscal_year or '—'))}</td><td>{escape(KIND_NAMES.get(d.doc_kind or '', '—'))}</td>"
            f'<td class="num">{d.checks_failed} / {d.checks_run}</td><td>{escape(Path(d.source_uri).name)}</td>'
            f'<td><a href="{escape(links[d.document_id])}">{escape(d.document_id[:16])}</a></td></tr>')
    body = (f"<h1>budgetdw review pages</h1><p class=\"meta\">{escape(footer)}</p>"
            "<table><tr><th>状态 status</th><th>单位 unit</th><th>年度 year</th><th>类型 kind</th>"
            "<th>未通过 / 校验 failed / checks</th><th>文件 file</th><th>页面 page</th></tr>"
            + "".join(rows) + "</table>")
    return _page("budgetdw review pages", body)


@dataclass
class PageFigure:
    """A page with failed checks: the checks (numbered as in the list), its image and the boxes on it."""
    page: int
    checks: list[tuple[int, FailedCheck]]
    image: PageImage | None = None
    boxes: list[tuple[Box, list[int]]] = field(default_factory=list)  # box, numbers of the checks naming it
    note: str | None = None  # why there is no image


@dataclass
class Charts:
    """SVG strings ("" when a chart has nothing to draw), each with a caption saying where it comes from."""
    items: list[tuple[str, str, str]] = field(default_factory=list)  # heading, svg, source


def document_page(doc: Document, charts: Charts, checks: list[FailedCheck], figures: list[PageFigure],
                  tables: list[TableFound], index_link: str, footer: str) -> str:
    title = document_title(doc)
    unit = doc.money_unit
    head = (f'<p class="meta"><a href="{escape(index_link)}">← all documents</a></p>'
            f"<h1>{escape(title)} {_status(doc.status)}</h1>"
            f'<p class="meta">{escape(doc.document_id)} · {escape(doc.source_uri)} · {doc.page_count or "?"} pages'
            f" · parser {escape(doc.parser_version or '?')}</p>")
    if doc.accepted_by:
        head += f"<p>accepted by {escape(doc.accepted_by)}: {escape(doc.accepted_reason or '')}</p>"
    if doc.error:
        head += f'<p class="sev error">could not be read: {escape(doc.error)}</p>'
    confidence = f"{doc.identity_confidence:.2f}" if doc.identity_confidence is not None else "—"
    identity = _rows([("单位 unit", doc.unit_name or "—"), ("范围 scope", doc.unit_scope or "—"),
                      ("年度 fiscal year", str(doc.fiscal_year or "—")),
                      ("类型 kind", f"{KIND_NAMES.get(doc.doc_kind or '', '—')} ({doc.doc_kind or '—'})"),
                      ("识别置信度 identity confidence", confidence), ("金额单位 money unit", unit or "—")])
    totals = _rows([("收入总计 income", money(doc.income_total_yuan, unit)),
                    ("支出总计 expenditure", money(doc.expenditure_total_yuan, unit)),
                    ("基本支出 basic", money(doc.basic_total_yuan, unit)),
                    ("项目支出 project", money(doc.project_total_yuan, unit)),
                    ("“三公”经费 three public", money(doc.three_public_total_yuan, unit))])
    body = [head, '<section id="identity"><h2>识别 Identity</h2><table>', identity, "</table></section>",
            '<section id="totals"><h2>合计 Totals</h2><table>', totals, "</table></section>",
            _charts_section(charts), _checks_section(doc, checks, figures), _tables_section(tables),
            f'<p class="meta">{escape(footer)}</p>']
    return _page(title, "".join(body))


def _charts_section(charts: Charts) -> str:
    parts = ['<section id="charts"><h2>图表 Charts</h2>']
    for heading, svg, source in charts.items:
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(f'<figure>{svg}<figcaption class="note">{escape(source)}</figcaption></figure>' if svg
                     else f'<p class="note">nothing to draw ({escape(source)})</p>')
    return "".join(parts) + "</section>"


def _check_item(number: int, c: FailedCheck, pages: list[int]) -> str:
    where = f" · table {c.table_seq}" if c.table_seq is not None else ""
    links = " ".join(f'<a href="#page-{p}">p.{p}</a>' for p in pages)
    values = f"observed {c.observed or '—'} · expected {c.expected or '—'}" + (
        f" · check {c.check_key}" if c.check_key else "") + (
        f" · accepted ({'this check' if c.accepted_scope == 'check' else 'with the document'}, budgetdw accept)"
        if c.accepted_scope else "")
    return (f'<li id="check-{number}" value="{number}" class="check {escape(c.severity)}">'
            f'<span class="sev {escape(c.severity)}">{escape(c.severity)}</span> <code>{escape(c.check_id)}</code>'
            f'{escape(where)} {links}<p class="message">{escape(c.message)}</p>'
            f'<p class="note">{escape(values)}</p></li>')


def _box(box: Box, numbers: list[int]) -> str:
    label = ", ".join(f"#{n}" for n in numbers)
    return (f'<div class="box" data-value="{escape(box.value)}" data-checks="{" ".join(map(str, numbers))}" '
            f'style="left:{100 * box.left:.4f}%;top:{100 * box.top:.4f}%;width:{100 * box.width:.4f}%;'
            f'height:{100 * box.height:.4f}%" title="{escape(box.value)} ({escape(label)})">'
            f"<span>{escape(label)}</span></div>")


def _figure(fig: PageFigure) -> str:
    numbers = ", ".join(f"#{n}" for n, _ in fig.checks)
    named: dict[str, list[int]] = {}
    for box, ns in fig.boxes:
        named.setdefault(box.value, ns)
    boxed = "; ".join(f"{v} ({', '.join(f'#{n}' for n in ns)})" for v, ns in named.items())
    caption = f"p.{fig.page} · checks {numbers}" + (f" · boxed: {boxed}" if boxed else "") + \
        (f" · {fig.note}" if fig.note else "")
    out = (f'<figure class="page" id="page-{fig.page}" data-page="{fig.page}">'
           f"<figcaption>{escape(caption)}</figcaption>")
    if fig.image is None:
        return out + "</figure>"
    return (out + f'<div class="page-image"><img class="pdf-page" alt="page {fig.page}" width="{fig.image.width}" '
            f'height="{fig.image.height}" src="{fig.image.data_uri()}">'
            + "".join(_box(b, ns) for b, ns in fig.boxes) + "</div></figure>")


def _checks_section(doc: Document, checks: list[FailedCheck], figures: list[PageFigure]) -> str:
    pages: dict[int, list[int]] = {}
    for fig in figures:
        for n, _ in fig.checks:
            pages.setdefault(n, []).append(fig.page)
    parts = [f'<section id="checks"><h2>未通过的校验 Failed checks ({len(checks)} of {doc.checks_run})</h2>']
    if checks:
        parts.append('<ol class="checks">' + "".join(_check_item(n, c, pages.get(n, []))
                                                   for n, c in enumerate(checks, start=1)) + "</ol>")
    else:
        parts.append(f'<p class="note">{"every check holds" if doc.checks_run else "no check ran"}</p>')
    if figures:
        parts.append("<h3>页面 The pages they name</h3>" + "".join(_figure(f) for f in figures))
    return "".join(parts) + "</section>"


def _tables_section(tables: list[TableFound]) -> str:
    rows = "".join(
        f"<tr><td class=\"num\">{t.table_seq}</td><td>{escape(t.number_label or '')}</td>"
        f"<td>{escape(t.title or '')}</td><td><code>{escape(t.table_code)}</code> {escape(t.table_name or '')}</td>"
        f"<td>{escape(t.pages or '')}</td><td class=\"num\">{t.row_count if t.row_count is not None else ''}</td>"
        f"<td>{'本表无数据 empty' if t.is_empty else escape(t.money_unit or '')}</td></tr>" for t in tables)
    return (f'<section id="tables"><h2>找到的表 Tables found ({len(tables)})</h2><table><tr><th>#</th><th>表号</th>'
            "<th>表名 title</th><th>code</th><th>页码 pages</th><th>行 rows</th><th>单位 unit</th></tr>"
            f"{rows}</table></section>")
