"""The review page's SVG charts: well-formed, proportional, escaped, empty when there is nothing to draw."""

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from pipelines.review_page import charts

SVG = "{http://www.w3.org/2000/svg}"


def fmt(v) -> str:
    return f"{Decimal(str(v)):,.2f}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML: every text escaped
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    return root


def bar_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def test_stacked_bars_are_proportional_to_their_parts():
    bars = [charts.Bar("204 公共安全支出", (Decimal("30858700"), Decimal("9595500"))),
            charts.Bar("208 社会保障和就业支出", (Decimal("6736300"), None))]
    root = parse(charts.stacked_bars("支出", ["基本支出", "项目支出"], bars, fmt))
    widths = bar_widths(root)
    assert len(widths) == 3  # a missing part draws nothing
    assert math.isclose(widths[0] / widths[1], 30858700 / 9595500, rel_tol=1e-3)
    assert math.isclose(widths[2] / (widths[0] + widths[1]), 6736300 / 40454200, rel_tol=1e-3)
    # The longest bar spans the plot area: the width less the labels and the room for its total.
    assert math.isclose(widths[0] + widths[1], charts.WIDTH - 220 - 110, abs_tol=0.2)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "40,454,200.00" in texts and "6,736,300.00" in texts and "204 公共安全支出" in texts


def test_stacked_bars_escape_labels_and_mark_what_is_not_printed():
    svg = charts.stacked_bars("a <b> & c", ["x"], [charts.Bar("<script>alert(1)</script>", (5,)),
                                                  charts.Bar("公务接待费", (None,))], fmt)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &lt;b&gt; &amp; c" in svg
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "—" in texts  # not printed is not zero


def test_nothing_to_draw_gives_no_chart():
    assert charts.stacked_bars("t", ["x"], [], fmt) == ""
    assert charts.stacked_bars("t", ["x"], [charts.Bar("a", (None,)), charts.Bar("b", (0,))], fmt) == ""
    assert charts.donut("t", [("a", None), ("b", 0)], fmt) == ""
    assert charts.grouped_columns("t", ["2024"], [("x", [None])], fmt) == ""


def test_donut_sectors_follow_one_another_round_the_ring():
    parts = [("基本支出", Decimal("42149200")), ("项目支出", Decimal("9595500"))]
    root = parse(charts.donut("基本支出与项目支出", parts, fmt))
    slices = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("class") == "slice"]
    assert len(slices) == 2
    numbers = [[float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)] for d in slices]
    # M x y A R R 0 large 1 x y L x y A r r 0 large 0 x y Z: start of the outer arc, its flag, its end.
    starts, ends, large = [n[0:2] for n in numbers], [n[7:9] for n in numbers], [n[5] for n in numbers]
    assert starts[0] == pytest.approx([110, 105 - 88])  # the top
    assert ends[0] == pytest.approx(starts[1]) and ends[1] == pytest.approx(starts[0], abs=0.01)
    assert large == [1, 0]  # 81.5% takes more than half the ring, 18.5% less
    angle = math.atan2(ends[0][0] - 110, 105 - ends[0][1]) % (2 * math.pi)
    assert angle / (2 * math.pi) == pytest.approx(42149200 / 51744700, rel=1e-4)
    legend = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert "81.5%" in legend and "18.5%" in legend


def test_a_whole_ring_is_drawn():
    n = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", charts.ring_slice(0, 0, 10, 5, 0, 2 * math.pi))]
    assert n[0:2] == [0, -10] and n[5] == 1  # from the top, the large arc
    assert n[7:9] == pytest.approx([0, -10], abs=0.01) and n[7] < 0  # round to just short of where it began


def test_grouped_columns_heights_follow_values_per_year():
    root = parse(charts.grouped_columns("历年", ["2024", "2025"], [("支出", [100, 200]), ("基本", [50, None])], fmt))
    columns = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    heights = [float(r.get("height")) for r in columns]  # year by year, series within
    assert len(columns) == 4
    assert math.isclose(heights[2], 2 * heights[0], rel_tol=1e-3)
    assert math.isclose(heights[1], heights[0] / 2, rel_tol=1e-3)
    assert heights[3] == 0
    assert re.search(r"2025 基本: —", ET.tostring(columns[3], encoding="unicode"))
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"2024", "2025", "200.00"}
