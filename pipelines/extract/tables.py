"""Find the ruled tables of a disclosure with camelot, name them from the lines printed above
them, split header from body, and stitch tables that continue on the next page.

Output is the physical table as printed (cell texts, '' for blank), not yet interpreted:
normalise.py turns it into subject rows and amounts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from pipelines.catalog import (
    EMPTY_TABLE_WORDS,
    SUMMARY_TOTAL_LABELS,
    TOTAL_LABELS,
    UNCLASSIFIED,
    TableCode,
    classify_title,
    looks_like_title,
    refine_by_columns,
    split_number_label,
)
from pipelines.extract.camelot_compat import camelot_patched
from pipelines.extract.pdftext import PdfText, squeeze
from pipelines.money import MONEY_UNIT_LINE, clean_cell, is_amount

log = logging.getLogger(__name__)

_HEADER_LABEL = re.compile(r"(部门|单位|单位名称|编制单位|编制部门|预算单位|预算主管部门)[：:]")
_SUBJECT_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL_LABEL = re.compile(f"^({'|'.join(TOTAL_LABELS + SUMMARY_TOTAL_LABELS)})$")


class ExtractionError(ValueError):
    """A table could not be read; the message names document, page and table."""


Box = tuple[float, float, float, float]


@dataclass
class ExtractedTable:
    seq: int
    code: str
    title: str
    number_label: str | None
    unit: str | None  # '元' / '万元' as printed above the table; None when it prints none
    pages: list[int]
    header_rows: list[list[str]]
    body_rows: list[list[str]]
    row_pages: list[int]
    note: str | None = None  # e.g. “注：本表无数据” printed under the table
    columns: list[str] = field(default_factory=list)  # joined header text per column
    col_x: list[tuple[float, float]] = field(default_factory=list)  # x-range of each column (first page)
    # Each body cell's box on its page (row_pages), parallel to body_rows: (x0, y0, x1, y1) in PDF points
    # of the unrotated page (origin bottom-left, as pdfium's text layer), None where no cell was ruled.
    body_boxes: list[list[Box | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Present but without a single amount (printed as 本表无数据 / 空表, or just blank)."""
        return not any(is_amount(c) for row in self.body_rows for c in row if c)

    @property
    def page_label(self) -> str:
        return f"p.{self.pages[0]}" if len(self.pages) == 1 else f"pp.{self.pages[0]}-{self.pages[-1]}"


@dataclass
class _Grid:
    page: int
    top: float
    bottom: float
    cells: list[list[str]]
    header_fill: list[list[str]]  # cells with merged header text copied across its span
    cols: list[tuple[float, float]]  # x-range of each column
    coverage: float = 1.0  # share of the text printed inside the grid that landed in its cells
    open_right: list[list[bool]] = field(default_factory=list)  # no ruling line right of the cell
    boxes: list[list[Box | None]] = field(default_factory=list)  # each cell's box, unrotated page (PDF points)


def _cell_text(text: str) -> str:
    # Wrapped text inside a cell comes back with line breaks: CJK lines join without a space.
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "".join(lines)


def _text_in(pdf: PdfText, page_number: int, left: float, bottom: float, right: float, top: float) -> str:
    """Text inside a box given as camelot gives it: in the page as displayed.

    camelot reads a page turned by its /Rotate entry (landscape tables printed on portrait media,
    Yantai 公开表2-12) in the displayed frame; the text layer is addressed in the unrotated one.
    """
    return pdf.text_in(page_number, *unrotated_box(pdf, page_number, (left, bottom, right, top)))


def unrotated_box(pdf: PdfText, page_number: int, box: Box) -> Box:
    """A box (left, bottom, right, top) given in the page as displayed, in the unrotated page's frame
    (the text layer's, and the one a cell's box is kept in)."""
    shown = pdf.pages[page_number - 1]  # width and height as displayed
    rotation = shown.rotation
    if not rotation:
        return box
    left, bottom, right, top = box
    media_w, media_h = (shown.height, shown.width) if rotation in (90, 270) else (shown.width, shown.height)
    if rotation == 90:
        return (media_w - top, left, media_w - bottom, right)
    if rotation == 180:
        return (media_w - right, media_h - top, media_w - left, media_h - bottom)
    return (bottom, media_h - right, top, media_h - left)  # 270


# Share of the text printed inside a grid that must land in its cells. Below it, the vector
# engine missed a ruling line or invented one and text fell out of the grid: the page is read
# again with camelot's rendering engine ("combined"), and the better reading is kept.
MIN_TEXT_COVERAGE = 0.97


# camelot's text layout analysis (pdfminer's LAParams, through playa): its defaults but for
# `boxes_flow`, which orders the text boxes of a page for reading by grouping them pairwise, ≈40% of
# the layout's time. A lattice reading places each text line by its own position and never asks
# for that order, so None (no grouping) finds the same cells (bench/results.md, 2026-12-04).
LAYOUT = {"boxes_flow": None}


def _grids(pdf: PdfText, pages: list[int], engine: str) -> list[_Grid]:
    by_page = _read_grids(pdf, pages, engine)
    if engine == "vector":
        weak = [p for p, grids in by_page.items() if any(g.coverage < MIN_TEXT_COVERAGE for g in grids)]
        if weak:
            again = _read_grids(pdf, weak, "combined")
            for p in weak:
                if _page_coverage(again.get(p, [])) > _page_coverage(by_page[p]):
                    log.info("%s p.%d: vector engine lost text; using the rendering engine", pdf.path.name, p)
                    by_page[p] = again[p]
    return sorted((g for grids in by_page.values() for g in grids), key=lambda g: (g.page, -g.top))


def _page_coverage(grids: list[_Grid]) -> float:
    return min((g.coverage for g in grids), default=0.0)


def _read_grids(pdf: PdfText, pages: list[int], engine: str) -> dict[int, list[_Grid]]:
    import camelot  # heavy import: only when a document is actually extracted

    by_page: dict[int, list[_Grid]] = {p: [] for p in pages}
    if not pages:
        return by_page
    spec = ",".join(str(p) for p in pages)
    with camelot_patched():
        tables = camelot.read_pdf(str(pdf.path), pages=spec, flavor="lattice", engine=engine,
                                  split_text=True, suppress_stdout=True, layout_kwargs=LAYOUT)
    for t in tables:
        x1, y1, x2, y2 = t._bbox
        page = int(t.page)
        cells = _text_where_printed(pdf, page, t.cells, [[_cell_text(c.text) for c in row] for row in t.cells])
        filled = [row[:] for row in cells]
        for r, row in enumerate(t.cells):
            for c, cell in enumerate(row):
                if filled[r][c]:
                    continue
                if c > 0 and not cell.left:
                    filled[r][c] = filled[r][c - 1]
                elif r > 0 and not cell.top:
                    filled[r][c] = filled[r - 1][c]
        printed = len(re.sub(r"\s", "", _text_in(pdf, page, x1, y1, x2, y2)))
        kept = sum(len(re.sub(r"\s", "", c)) for row in cells for c in row)
        by_page[page].append(_Grid(page, top=y2, bottom=y1, cells=cells, header_fill=filled, cols=list(t.cols),
                                   coverage=kept / printed if printed else 1.0,
                                   open_right=[[not c.right for c in row] for row in t.cells],
                                   boxes=[[_box(pdf, page, c) for c in row] for row in t.cells]))
    return by_page


def _box(pdf: PdfText, page: int, cell) -> Box:
    """A camelot cell's box (x1, y1, x2, y2, in the page as displayed) in the unrotated page, rounded to 0.01 pt."""
    return tuple(round(v, 2) for v in unrotated_box(pdf, page, (cell.x1, cell.y1, cell.x2, cell.y2)))


def _text_where_printed(pdf: PdfText, page: int, grid_cells, cells: list[list[str]]) -> list[list[str]]:
    """Cell texts as the text layer places them, where camelot put them in other cells.

    Fonts embedded with wrong metrics make camelot place some text a line off (Chongqing 表二: codes
    and amounts one row below their names, “201 | 发展与改革事务 | 5,183.00”). Where the amounts of
    two or more rows (and a fifth of the rows with amounts) differ from the text printed inside each
    cell's box, the rows with amounts are read from the text layer; header rows stay as camelot
    joined them (merged header cells span several boxes).
    """
    layer = [[_cell_text(_text_in(pdf, page, c.x1 + 0.5, c.y1 + 0.5, c.x2 - 0.5, c.y2 - 0.5)) for c in row]
             for row in grid_cells]
    rows = [r for r in range(len(cells)) if any(is_amount(x) for x in cells[r] + layer[r] if x)]
    differ = [r for r in rows if _amounts_at(cells[r]) != _amounts_at(layer[r])]
    # The symptom: a row's printed amounts are what camelot gave the row above or below.
    shifted = [r for r in differ if _amounts_at(layer[r]) and any(
        0 <= r + d < len(cells) and _amounts_at(layer[r]) == _amounts_at(cells[r + d]) for d in (-1, 1))]
    if len(shifted) < 2 or len(shifted) < 0.2 * len(rows):
        return cells
    log.info("%s p.%d: text placed in other cells than printed; read from the text layer", pdf.path.name, page)
    return [layer[r] if r in rows else cells[r] for r in range(len(cells))]


def _amounts_at(row: list[str]) -> list[tuple[int, str]]:
    return [(i, clean_cell(x)) for i, x in enumerate(row) if x and is_amount(x)]


def _is_data_row(row: list[str]) -> bool:
    texts = [c for c in row if c]
    if not texts:
        return False
    if _column_number_row(row):
        return False
    if any(is_amount(c) for c in texts):
        return True
    if _SUBJECT_CODE.match(texts[0]):
        return True
    # “合计” alone on a row of blanks is an empty table's total row; “合计 | 基本支出 | 项目支出”
    # with no amounts is a header naming measures.
    return bool(_TOTAL_LABEL.match(texts[0])) and len(texts) == 1


def _column_number_row(row: list[str]) -> bool:
    """1 2 3 … under the header; the label columns may be marked ** (Changsha, Hangzhou, Huzhou) or 栏次."""
    texts = [c for c in row if c and not re.fullmatch(r"\*+|栏次|行次", c)]
    return len(texts) >= 3 and texts == [str(i) for i in range(1, len(texts) + 1)]


def _header_count(grid: _Grid) -> int:
    n = 0
    for row, filled in zip(grid.cells, grid.header_fill, strict=False):
        if _is_data_row(row):
            break
        nonempty = [i for i, c in enumerate(row) if c]
        # A label-only row (e.g. “因公出国（境）费” with blank amounts) after the header is body;
        # a caption spanning several columns (“科目编码” over 类 | 款 | 项) is header.
        spans = len(row) > 1 and filled[1] == row[0]
        if n > 0 and len(nonempty) == 1 and nonempty[0] == 0 and not spans and not _column_number_row(row):
            break
        n += 1
    return n  # all rows: a table printed with its header only (上年结转 tables with nothing carried over)


_CODE_CAPTIONS = ["类", "款", "项"]


def _join_columns_split_only_in_header(grid: _Grid, n_header: int) -> _Grid:
    """Join two columns that only the header separates.

    When a producer's header and body rulings do not line up (a Word table: “功能科目代码 |
    功能科目名称” divided a little right of “204 | 公共安全支出”), the grid gets a sliver column:
    the header's code cell spans the codes and the sliver, the body's name cell spans the sliver
    and the name column, so every name lands under “功能科目代码”. A column boundary with no ruling
    on any body row is not a column of the body: the two columns are read as one, headed by the
    caption that starts there (not the one that spans into it from the left).
    """
    body = range(n_header, len(grid.cells))
    # Only where body rows are ruled for themselves: not a lone 合计 row spanning columns (an empty table).
    if not grid.open_right or not any(_SUBJECT_CODE.match(c) for r in body for c in grid.cells[r]):
        return grid
    joins = [j for j in range(len(grid.cols) - 1)
             if all(grid.open_right[r][j] for r in body) and not all(grid.open_right[r][j] for r in range(n_header))]
    if not joins:
        return grid
    cells, fill, open_right = ([row[:] for row in m] for m in (grid.cells, grid.header_fill, grid.open_right))
    boxes = [row[:] for row in grid.boxes]
    cols = list(grid.cols)
    for j in reversed(joins):
        for r in range(len(cells)):
            cells[r][j:j + 2] = [cells[r][j] + cells[r][j + 1]]
            if boxes:
                boxes[r][j:j + 2] = [_union(boxes[r][j], boxes[r][j + 1])]
            spans_from_left = j > 0 and fill[r][j] == fill[r][j - 1]
            fill[r][j:j + 2] = [fill[r][j + 1] if spans_from_left else fill[r][j]]
            open_right[r][j:j + 2] = [open_right[r][j + 1]]
        cols[j:j + 2] = [(cols[j][0], cols[j + 1][1])]
    return replace(grid, cells=cells, header_fill=fill, cols=cols, open_right=open_right, boxes=boxes)


def _union(a: Box | None, b: Box | None) -> Box | None:
    """The box around two cells' boxes (cells joined into one)."""
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _split_header_and_body(grid: _Grid, n_header: int) -> tuple[list[list[str]], list[list[str]]]:
    """Header rows (merged cells filled across their span) and body rows of a grid.

    Some templates print the 类 | 款 | 项 captions of a split subject code on the same ruled line
    as the first data row (“类 | 款 | 项 | 合计 | 2,940.05 | …”, the other header cells spanning
    down to it): the captions go to the header, the amounts stay in the body.
    """
    header = [row[:] for row in grid.header_fill[:n_header]]
    body = [row[:] for row in grid.cells[n_header:]]
    if body:
        first = body[0]
        for j in range(len(first) - 2):
            if first[j:j + 3] == _CODE_CAPTIONS:
                caption = header[-1][:] if header else [""] * len(first)
                caption[j:j + 3] = _CODE_CAPTIONS
                header.append(caption)
                first[j:j + 3] = ["", "", ""]
                break
    return header, body


def _columns(header_fill: list[list[str]], n_header: int, width: int) -> list[str]:
    columns = []
    for c in range(width):
        parts: list[str] = []
        for r in range(n_header):
            text = header_fill[r][c]
            if text and text not in parts and not text.isdigit():
                parts.append(text)
        columns.append("/".join(parts))
    return columns


def _context_above(pdf: PdfText, grid: _Grid, ceiling: float) -> list[str]:
    page = pdf.pages[grid.page - 1]
    text = _text_in(pdf, grid.page, 0, grid.top, page.width, ceiling)
    return [squeeze(ln.strip()) for ln in text.splitlines() if ln.strip()]


def _context_below(pdf: PdfText, grid: _Grid, floor: float) -> list[str]:
    page = pdf.pages[grid.page - 1]
    text = _text_in(pdf, grid.page, 0, floor, page.width, grid.bottom)
    return [squeeze(ln.strip()) for ln in text.splitlines() if ln.strip()][:3]


def _title_from(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """(number label, title, unit) from the lines printed above a table, nearest title first.

    A title wrapped over two lines (“公开09表：…培训费” / “支出预算表”) is joined back.
    """
    unit = next((m.group(1) for ln in lines for m in [MONEY_UNIT_LINE.search(ln)] if m), None)
    lines = [MONEY_UNIT_LINE.sub("", ln).strip() for ln in lines]
    for i in range(len(lines) - 1, -1, -1):
        title_line = None
        if looks_like_title(lines[i]):
            title_line = lines[i]
            before = lines[i - 1] if i > 0 else ""
            if (before and not looks_like_title(before) and split_number_label(before)[0] != before
                    and not _HEADER_LABEL.search(before) and looks_like_title(before + lines[i])):
                title_line = before + lines[i]
        elif i + 1 < len(lines) and looks_like_title(lines[i] + lines[i + 1]):
            title_line = lines[i] + lines[i + 1]
        if title_line and not EMPTY_TABLE_WORDS.search(title_line):
            label, title = split_number_label(title_line)
            if label is None and i > 0:
                prev_label, rest = split_number_label(lines[i - 1])
                if prev_label and not rest:
                    label = prev_label
            return label, title, unit
    return None, None, unit


def _title_rows_inside(grid: _Grid) -> tuple[list[str], _Grid]:
    """Title and “预算单位：X 单位：万元” lines printed inside the table's outer frame (Changchun: an
    Excel sheet whose border encloses them) are lines above the table, not its header."""
    n = 0
    lines = []
    for row in grid.cells:
        texts = [c for c in row if c]
        text = " ".join(texts)
        if not texts or len(texts) > 2 or not (looks_like_title(text) or _HEADER_LABEL.search(text)
                                               or MONEY_UNIT_LINE.search(text)):
            break
        lines.append(squeeze(text))
        n += 1
    if not n or n == len(grid.cells):
        return [], grid
    return lines, replace(grid, cells=grid.cells[n:], header_fill=grid.header_fill[n:],
                          open_right=grid.open_right[n:] if grid.open_right else [], boxes=grid.boxes[n:])


def _tail_of_previous_page(pdf: PdfText, grid: _Grid, grids: list[_Grid], skip: set[int]) -> list[str]:
    """Lines at the bottom of the previous page, where producers sometimes leave a table's title."""
    page_no = grid.page - 1
    if page_no < 1 or page_no in skip:
        return []
    page = pdf.pages[page_no - 1]
    on_page = [g for g in grids if g.page == page_no]
    floor = min(g.bottom for g in on_page) if on_page else page.height
    text = _text_in(pdf, page_no, 0, 0, page.width, floor)
    lines = [squeeze(ln.strip()) for ln in text.splitlines() if ln.strip()]
    return [ln for ln in lines if not re.fullmatch(r"[-—\d\s第页共/]+", ln)][-4:]


def extract_tables(pdf: PdfText, skip_pages: list[int] | None = None, engine: str = "vector") -> list[ExtractedTable]:
    """All ruled tables of the document, classified and stitched across pages.

    engine="vector" reads ruling lines from the PDF's drawing operators (no rendering: ~0.02 s a
    page); "raster" renders every page for OpenCV (~0.3 s a page). Both give the same tables on
    every template in the corpus (bench/benchmark.py checks it).
    """
    skip = set(skip_pages or [])
    pages = [p.number for p in pdf.pages if p.number not in skip]
    if engine == "vector":  # its ruling lines are the page's paths: a page of prose alone has none to read
        pages = [p for p in pages if pdf.draws_paths(p)]
    grids = _grids(pdf, pages, engine)
    tables: list[ExtractedTable] = []
    for i, grid in enumerate(grids):
        prev_on_page = grids[i - 1] if i > 0 and grids[i - 1].page == grid.page else None
        nxt_on_page = grids[i + 1] if i + 1 < len(grids) and grids[i + 1].page == grid.page else None
        page = pdf.pages[grid.page - 1]
        above = _context_above(pdf, grid, prev_on_page.bottom if prev_on_page else page.height)
        inside, grid = _title_rows_inside(grid)
        label, title, unit = _title_from(above + inside)
        if title is None and prev_on_page is None:
            tail_label, tail_title, tail_unit = _title_from(_tail_of_previous_page(pdf, grid, grids, skip))
            if tail_title:
                label, title, unit = tail_label, tail_title, unit or tail_unit
        below = _context_below(pdf, grid, nxt_on_page.top if nxt_on_page else 0)
        note = next((ln for ln in below if EMPTY_TABLE_WORDS.search(ln)), None)

        # No title and no “单位：” line above a grid at the top of a page, or the same title printed
        # again: the previous table goes on.
        prev = tables[-1] if tables else None
        follows = prev is not None and prev_on_page is None and prev.pages[-1] == grid.page - 1
        repeated_title = (follows and title is not None and title == prev.title
                          and prev.code != TableCode.PERFORMANCE_TARGETS)
        if follows and (repeated_title or (title is None and unit is None)):
            _continue(tables[-1], grid)
            if note:
                tables[-1].note = note
            continue
        if title is None:
            title = ""
            log.warning("%s p.%d: a ruled table with no title above it", pdf.path.name, grid.page)
        code = classify_title(title) if title else UNCLASSIFIED
        n_header = 0 if code == TableCode.PERFORMANCE_TARGETS else _header_count(grid)
        grid = _join_columns_split_only_in_header(grid, n_header)
        width = len(grid.cols)
        header, body = _split_header_and_body(grid, n_header)
        code = refine_by_columns(code, _columns(header, len(header), width))
        tables.append(ExtractedTable(
            seq=len(tables) + 1,
            code=code,
            title=title,
            number_label=label,
            unit=unit,
            pages=[grid.page],
            header_rows=header,
            body_rows=body,
            row_pages=[grid.page] * len(body),
            note=note,
            columns=_columns(header, len(header), width),
            col_x=grid.cols,
            body_boxes=_body_boxes(grid, len(body)),
        ))
    return tables


def _body_boxes(grid: _Grid, n_body: int) -> list[list[Box | None]]:
    """The boxes of a grid's last n_body rows (its body), None for each cell where the grid has none."""
    if not grid.boxes:
        return [[None] * len(grid.cols) for _ in range(n_body)]
    return [row[:] for row in grid.boxes[len(grid.boxes) - n_body:]] if n_body else []


def _align(row: list[str], cols: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[str]:
    """Place a continuation row's cells under the columns they overlap most (merged cells differ)."""
    out = [""] * len(target)
    for text, (x1, x2) in zip(row, cols, strict=False):
        if not text:
            continue
        j = _widest_overlap((x1, x2), target)
        out[j] = out[j] + text if out[j] else text
    return out


def _align_boxes(row: list[str], boxes: list[Box | None], cols: list[tuple[float, float]],
                 target: list[tuple[float, float]]) -> list[Box | None]:
    """The boxes of a row placed by _align: a target column's box surrounds the cells placed in it."""
    out: list[Box | None] = [None] * len(target)
    for text, box, col in zip(row, boxes, cols, strict=False):
        if text:
            j = _widest_overlap(col, target)
            out[j] = _union(out[j], box)
    return out


def _continue(table: ExtractedTable, grid: _Grid) -> None:
    if not table.body_rows and table.col_x and len(grid.cols) > len(table.col_x):
        _take_over_columns(table, grid)
        return
    rows, boxes = grid.cells, _body_boxes(grid, len(grid.cells))
    # Drop header rows the producer repeated on the continuation page.
    n = len(table.header_rows)
    if n and [[clean_cell(c) for c in r] for r in grid.header_fill[:n]] == [
        [clean_cell(c) for c in r] for r in table.header_rows
    ]:
        rows, boxes = rows[n:], boxes[n:]
    if len(grid.cols) != len(table.col_x) and table.col_x:
        boxes = [_align_boxes(r, b, grid.cols, table.col_x) for r, b in zip(rows, boxes, strict=True)]
        rows = [_align(r, grid.cols, table.col_x) for r in rows]
    if rows and table.body_rows and _rest_of_broken_label(table.body_rows[-1], rows[0]):
        rows, boxes = rows[1:], boxes[1:]
    table.body_rows.extend(rows)
    table.body_boxes.extend(boxes)
    table.row_pages.extend([grid.page] * len(rows))
    if grid.page not in table.pages:
        table.pages.append(grid.page)


_LABEL_ENDING = re.compile(r"^(小计|合计|总计|计)$")


def _rest_of_broken_label(last: list[str], first: list[str]) -> bool:
    """A row broken by the page: “当 年 收 入 | 13,649.07 | …” ends one page and “小计”, alone and
    without amounts, begins the next. The ending is put back on the label (in `last`)."""
    texts = [(j, c) for j, c in enumerate(first) if c]
    if len(texts) != 1 or not _LABEL_ENDING.match(clean_cell(texts[0][1])):
        return False
    j, ending = texts[0]
    if not last[j] or is_amount(last[j]) or not any(is_amount(c) for c in last if c):
        return False
    last[j] += ending
    return True


def _take_over_columns(table: ExtractedTable, grid: _Grid) -> None:
    """The page before printed only the top of the header (“收入 | 支出”), and the table goes on
    in finer columns (“项目名称 | 金额 | 项目名称 | 金额”): the header printed so far is spread over
    the columns it spans, the continuation's own header rows follow, and the body is read in the
    continuation's columns (squeezing it into the coarse ones would join names and amounts)."""
    n_header = _header_count(grid)
    grid = _join_columns_split_only_in_header(grid, n_header)
    spread = [[row[_widest_overlap(x, table.col_x)] for x in grid.cols] for row in table.header_rows]
    header, table.body_rows = _split_header_and_body(grid, n_header)
    table.body_boxes = _body_boxes(grid, len(table.body_rows))
    table.header_rows = spread + header
    table.row_pages = [grid.page] * len(table.body_rows)
    table.columns = _columns(table.header_rows, len(table.header_rows), len(grid.cols))
    table.col_x = grid.cols
    table.pages.append(grid.page)


def _widest_overlap(col: tuple[float, float], target: list[tuple[float, float]]) -> int:
    x1, x2 = col
    return max(range(len(target)), key=lambda k: max(0.0, min(x2, target[k][1]) - max(x1, target[k][0])))
