"""Boxing a printed value on a PDF page: pdfium's text search, whole numbers only, PDF points (y up) to
image fractions (y down) for every crop box and /Rotate, checked against where the ink lands when rendered."""

import io

import pypdfium2 as pdfium
import pytest
from PIL import ImageOps
from reportlab.pdfgen import canvas

from pipelines.review_page.pdfpage import MAX_MATCHES, find_boxes, merge_lines, render_page, to_image_fraction

A4 = (595.0, 842.0)


def make_pdf(lines: list[tuple[float, float, str]], rotation: int = 0, size: float = 14) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setPageRotation(rotation)
    c.setFont("Helvetica", size)
    for x, y, s in lines:
        c.drawString(x, y, s)
    c.showPage()
    c.save()
    return out.getvalue()


def ink_box(page: pdfium.PdfPage, scale: float = 2.0) -> tuple[float, float, float, float]:
    """Where the page's only text lands on the rendered image: (left, top, right, bottom) as fractions."""
    image = page.render(scale=scale).to_pil().convert("L")
    left, top, right, bottom = ImageOps.invert(image).point(lambda v: 255 if v > 60 else 0).getbbox()
    return left / image.width, top / image.height, right / image.width, bottom / image.height


def test_points_to_image_fractions_flip_the_y_axis():
    # A rectangle near the top left corner of an upright A4 page is near the top left of the image.
    left, top, right, bottom = to_image_fraction((59.5, 757.8, 119.0, 842.0), (0, 0, *A4))
    assert (round(left, 3), round(top, 3), round(right, 3), round(bottom, 3)) == (0.1, 0.0, 0.2, 0.1)


def test_crop_box_offset_and_each_rotation_move_a_corner_where_a_viewer_shows_it():
    corner = (10.0, 10.0, 20.0, 20.0)  # near the bottom left of the crop box (10, 10, 110, 210)
    crop = (0.0, 0.0, 110.0, 210.0)
    assert to_image_fraction((20.0, 20.0, 30.0, 30.0), (10, 10, 110, 210)) == pytest.approx((0.1, 0.9, 0.2, 0.95))
    assert to_image_fraction(corner, crop, 0) == pytest.approx((10 / 110, 190 / 210, 20 / 110, 200 / 210))
    # Turned clockwise a quarter, the bottom left corner goes to the top left.
    assert to_image_fraction(corner, crop, 90) == pytest.approx((10 / 210, 10 / 110, 20 / 210, 20 / 110))
    assert to_image_fraction(corner, crop, 180) == pytest.approx((90 / 110, 10 / 210, 100 / 110, 20 / 210))
    assert to_image_fraction(corner, crop, 270) == pytest.approx((190 / 210, 90 / 110, 200 / 210, 100 / 110))


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_box_lands_on_the_ink_of_the_value(rotation):
    pdf = pdfium.PdfDocument(make_pdf([(300, 500, "4045.42")], rotation))
    page = pdf[0]
    boxes = find_boxes(page, ["4045.42"])
    assert [b.value for b in boxes] == ["4045.42"]
    b = boxes[0]
    ink = ink_box(page)
    assert (b.left, b.top, b.left + b.width, b.top + b.height) == pytest.approx(ink, abs=0.004)
    pdf.close()


def test_box_follows_a_crop_box_that_does_not_start_at_the_origin():
    pdf = pdfium.PdfDocument(make_pdf([(300, 500, "959.55")]))
    page = pdf[0]
    page.set_cropbox(100, 200, 500, 800)
    b, = find_boxes(page, ["959.55"])
    assert (b.left, b.top, b.left + b.width, b.top + b.height) == pytest.approx(ink_box(page), abs=0.004)
    pdf.close()


def test_only_whole_numbers_are_boxed():
    pdf = pdfium.PdfDocument(make_pdf([(100, 700, "4045.42"), (100, 650, "14045.42"), (100, 600, "4045.425"),
                                       (100, 550, "24,045.42"), (100, 500, "total 4045.42, then"),
                                       (100, 450, "4045.42.")]))
    boxes = find_boxes(pdf[0], ["4045.42"])
    tops = sorted(round(b.top * A4[1]) for b in boxes)  # points from the top of the page
    # The line at y=700, the one followed by a comma, the one ending a sentence; not inside longer numbers.
    assert len(boxes) == 3 and tops[0] < 842 - 690 and all(t < 842 - 440 for t in tops)
    pdf.close()


def test_a_value_printed_everywhere_is_no_clue_and_is_not_boxed():
    lines = [(100, 800 - 20 * i, "5.18") for i in range(MAX_MATCHES + 1)] + [(300, 100, "673.63")]
    pdf = pdfium.PdfDocument(make_pdf(lines))
    assert [b.value for b in find_boxes(pdf[0], ["5.18", "673.63"])] == ["673.63"]
    pdf.close()


def test_render_page_gives_a_png_of_the_page_and_its_boxes(tmp_path):
    path = tmp_path / "p.pdf"
    path.write_bytes(make_pdf([(300, 500, "3085.87")]))
    image, boxes = render_page(path, 1, ["3085.87", "9999.99"])
    assert image.png.startswith(b"\x89PNG") and (image.width, image.height) == (1190, 1684)
    assert image.data_uri().startswith("data:image/png;base64,iVBOR")
    assert [b.value for b in boxes] == ["3085.87"]
    assert boxes[0].left == pytest.approx(300 / 595, abs=0.002)


def test_a_match_placed_character_by_character_is_one_box_per_line():
    chars = [(100 + 6 * i, 500, 106 + 6 * i, 510) for i in range(7)]  # one rectangle per character
    wrapped = [(500, 500, 540, 510), (60, 480, 80, 490.5)]  # a number broken over two lines
    assert merge_lines(chars) == [(100, 500, 142, 510)]
    assert merge_lines(wrapped) == wrapped
    assert merge_lines([(0, 0, 5, 10), (5, 1, 9, 9.5)]) == [(0, 0, 9, 10)]


def test_characters_drawn_one_by_one_give_one_box():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 12)
    x = 200.0
    for ch in "1434.89":  # each character its own text object, as some producers write
        c.drawString(x, 400, ch)
        x += c.stringWidth(ch, "Helvetica", 12)
    c.save()
    pdf = pdfium.PdfDocument(out.getvalue())
    boxes = find_boxes(pdf[0], ["1434.89"])
    assert len(boxes) == 1 and boxes[0].left == pytest.approx(200 / 595, abs=0.004)  # the glyph, not its advance
    pdf.close()


def test_a_poster_sized_page_is_rendered_smaller(tmp_path):
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(5000, 3000))
    c.setFont("Helvetica", 40)
    c.drawString(2500, 1500, "959.55")
    c.save()
    path = tmp_path / "poster.pdf"
    path.write_bytes(out.getvalue())
    image, (box,) = render_page(path, 1, ["959.55"])
    assert (image.width, image.height) == (2400, 1440)
    assert box.left == pytest.approx(0.5, abs=0.002)  # fractions do not depend on the scale
