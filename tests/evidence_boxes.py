"""What a failed table check's evidence must show (issue 23 part 3): each operand printed in a table
carries its cell's box, and the box lands on the printed cell — pdfium reads the value in it from the
page's text layer, and the rendered page has ink there."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageOps

from pipelines.money import clean_cell
from pipelines.process import process_document
from pipelines.store import store_raw

SCALE = 2.0


def box_problems(pdf_path: Path, data_dir: Path) -> tuple[int, list[str]]:
    """(boxes checked, what is wrong) over the failed checks of one document."""
    doc = process_document(store_raw(pdf_path, data_dir))
    pdf = pdfium.PdfDocument(str(pdf_path))
    rendered: dict[int, object] = {}
    checked, problems = 0, []
    for c in doc.failed_checks:
        if c.table_seq is None and not any("printed" in o for o in c.evidence):
            continue  # prose or the document as a whole: no table cell
        cells = [o for o in c.evidence if "printed" in o]
        if c.table_seq is not None and not c.evidence:
            problems.append(f"{c.check_id} p.{c.page}: no evidence")
        for o in cells:
            if not o.get("bbox"):
                problems.append(f"{c.check_id} p.{o['page']} {o['row']} {o['printed']}: no box")
                continue
            checked += 1
            page = pdf[o["page"] - 1]
            x0, y0, x1, y1 = o["bbox"]
            text = page.get_textpage().get_text_bounded(left=x0, bottom=y0, right=x1, top=y1)
            if clean_cell("".join(text.split())) != clean_cell(o["printed"]):
                problems.append(f"{c.check_id} p.{o['page']}: box {o['bbox']} reads {text!r}, not {o['printed']!r}")
            if o["page"] not in rendered:
                rendered[o["page"]] = page.render(scale=SCALE, may_draw_forms=False).to_pil().convert("L")
            if not _ink_in(rendered[o["page"]], page, o["bbox"]):
                problems.append(f"{c.check_id} p.{o['page']}: no ink in box {o['bbox']}")
    pdf.close()
    return checked, problems


def _ink_in(image, page: pdfium.PdfPage, bbox: list[float]) -> bool:
    """Whether the rendered page has dark pixels inside the box (PDF points of the unrotated page)."""
    from pipelines.review_page.pdfpage import to_image_fraction

    u0, v0, u1, v1 = to_image_fraction(tuple(bbox), page.get_cropbox(), page.get_rotation())
    crop = image.crop((int(u0 * image.width) + 2, int(v0 * image.height) + 2,
                       int(u1 * image.width) - 2, int(v1 * image.height) - 2))
    return ImageOps.invert(crop).point(lambda v: 255 if v > 100 else 0).getbbox() is not None
