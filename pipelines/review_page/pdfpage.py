"""A PDF page as a PNG, and where on it a value is printed.

A check's table cells are boxed where its evidence says they are (the cell's box camelot ruled, kept with
the cell into v_check_result.evidence); values a check names without a box (its prose, a warehouse loaded
before evidence was kept) are found with pdfium's own text search on the page's text layer (the layer the
tables were read from), so a box sits on the characters that were read. Char boxes come in PDF points, origin at the
bottom left of the page; the image's origin is its top left. Boxes are returned as fractions of the
rendered image (0..1 from its left and top edge), whatever the scale, so HTML can place them in percent.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

RENDER_SCALE = 2.0  # 144 dpi: small print legible on a screen
MAX_SIDE = 2400  # pixels: a poster-sized page is rendered smaller rather than as a huge image
MAX_MATCHES = 8  # of one value on one page; past that the value is no clue to the cell


@dataclass(frozen=True)
class Box:
    """A rectangle on the rendered page, as fractions of its width and height, from the top left."""
    left: float
    top: float
    width: float
    height: float
    value: str  # the text found there


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int  # pixels
    height: int

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def to_image_fraction(rect: tuple[float, float, float, float], cropbox: tuple[float, float, float, float],
                      rotation: int = 0) -> tuple[float, float, float, float]:
    """A rectangle in PDF points (left, bottom, right, top; y up, as pdfium gives char boxes) as
    (left, top, right, bottom) fractions of the page image (y down), for the page's crop box and its
    /Rotate (degrees clockwise, as displayed)."""
    x0, y0, x1, y1 = cropbox
    w, h = x1 - x0, y1 - y0
    left, bottom, right, top = rect
    # Unrotated: from the crop box's top left corner, y down.
    u0, u1 = (left - x0) / w, (right - x0) / w
    v0, v1 = (y1 - top) / h, (y1 - bottom) / h
    turn = rotation % 360
    if turn == 90:  # clockwise: the page's left edge becomes the image's top
        u0, v0, u1, v1 = 1 - v1, u0, 1 - v0, u1
    elif turn == 180:
        u0, v0, u1, v1 = 1 - u1, 1 - v1, 1 - u0, 1 - v0
    elif turn == 270:
        u0, v0, u1, v1 = v0, 1 - u1, v1, 1 - u0
    return u0, v0, u1, v1


def _standalone(textpage: pdfium.PdfTextPage, index: int, count: int) -> bool:
    """A match that is a whole number on the page, not part of a longer one (5.18 inside 15.18 or 5.185);
    a ',' or '.' after it that no digit follows is punctuation."""
    total = textpage.count_chars()

    def char(i: int) -> str:
        return textpage.get_text_range(i, 1) if 0 <= i < total else ""

    def numeric(c: str) -> bool:
        return c != "" and (c.isdigit() or c in ".,")

    end = index + count
    continues = char(end).isdigit() or (numeric(char(end)) and char(end + 1).isdigit())
    return not numeric(char(index - 1)) and not continues


def merge_lines(rects: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """pdfium's rectangles of one match (one per run of text, down to one per character where each is
    placed on its own), joined into one per line: rectangles that overlap vertically by half the lower's
    height are one line."""
    lines: list[tuple[float, float, float, float]] = []
    for left, bottom, right, top in rects:
        for i, (l0, b0, r0, t0) in enumerate(lines):
            if min(top, t0) - max(bottom, b0) >= 0.5 * min(top - bottom, t0 - b0):
                lines[i] = (min(left, l0), min(bottom, b0), max(right, r0), max(top, t0))
                break
        else:
            lines.append((left, bottom, right, top))
    return lines


def find_boxes(page: pdfium.PdfPage, values: list[str]) -> list[Box]:
    """Where each of `values` is printed on the page, whole numbers only, at most MAX_MATCHES each;
    one box per text line a match spans."""
    textpage = page.get_textpage()
    cropbox, rotation = page.get_cropbox(), page.get_rotation()
    boxes: list[Box] = []
    seen: set[tuple[int, int]] = set()
    try:
        for value in values:
            searcher = textpage.search(value, match_case=True)
            matches = []
            while (found := searcher.get_next()) is not None:
                if found not in seen and _standalone(textpage, *found):
                    matches.append(found)
            if len(matches) > MAX_MATCHES:
                continue
            for index, count in matches:
                seen.add((index, count))
                rects = [textpage.get_rect(i) for i in range(textpage.count_rects(index, count))]
                for rect in merge_lines(rects):
                    u0, v0, u1, v1 = to_image_fraction(rect, cropbox, rotation)
                    boxes.append(Box(u0, v0, u1 - u0, v1 - v0, value))
    finally:
        textpage.close()
    return boxes


def place_boxes(page: pdfium.PdfPage, rects: list[tuple[tuple[float, float, float, float], str]]) -> list[Box]:
    """Boxes where the evidence of a check says its cells are: (rect in PDF points of the unrotated page,
    as pdfium's text layer and v_check_result.evidence give it; the value printed there), in order."""
    cropbox, rotation = page.get_cropbox(), page.get_rotation()
    boxes = []
    for rect, value in rects:
        u0, v0, u1, v1 = to_image_fraction(rect, cropbox, rotation)
        boxes.append(Box(u0, v0, u1 - u0, v1 - v0, value))
    return boxes


def render_page(pdf_path: Path, page_number: int, values: list[str], scale: float = RENDER_SCALE,
                rects: list[tuple[tuple[float, float, float, float], str]] = ()) -> tuple[PageImage, list[Box]]:
    """Page `page_number` (1-based) as a grey PNG, and the boxes of `values` on it, then those of `rects`
    (place_boxes), in their order."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[page_number - 1]
        boxes = find_boxes(page, values) + place_boxes(page, list(rects))
        scale = min(scale, MAX_SIDE / max(page.get_size()))
        image = page.render(scale=scale).to_pil().convert("L")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return PageImage(out.getvalue(), image.width, image.height), boxes
    finally:
        pdf.close()
