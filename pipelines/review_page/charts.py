"""The charts budget disclosures print, drawn as inline SVG (no script, no font or library to fetch).

Each function takes plain numbers and a formatter for their labels and returns one <svg> element, or ""
when there is nothing to draw. Every text is escaped. Geometry is in user units of a fixed-width viewBox,
so a chart scales with the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

Number = Decimal | float | int
Formatter = Callable[[Number], str]

WIDTH = 720
PALETTE = ("#3b6ea5", "#e08a2c", "#5a9e5a", "#b5524a", "#7d6aa8", "#8c8c8c")
FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\" font-size=\"13\""


@dataclass(frozen=True)
class Bar:
    label: str
    parts: tuple[Number | None, ...]  # stacked segments, one per series


def _svg(title: str, height: int, body: list[str], kind: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
            f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" {FONT}>'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _positive(value: Number | None) -> float:
    return max(float(value), 0.0) if value is not None else 0.0


def _legend(names: Sequence[str], y: int, x0: int = 0) -> list[str]:
    out, x = [], x0
    for i, name in enumerate(names):
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                   f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
        x += 28 + 14 * len(name)
    return out


def stacked_bars(title: str, series: Sequence[str], bars: Sequence[Bar], fmt: Formatter,
                 label_width: int = 220) -> str:
    """Horizontal bars, one per item, each stacked from its series' parts, the total printed at its end."""
    totals = [sum(_positive(p) for p in bar.parts) for bar in bars]
    if not bars or max(totals) <= 0:
        return ""
    row, top = 26, 30 if len(series) > 1 else 8
    scale = (WIDTH - label_width - 110) / max(totals)
    body = _legend(series, 18, label_width) if len(series) > 1 else []
    for i, (bar, total) in enumerate(zip(bars, totals, strict=True)):
        y = top + i * row
        body.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>')
        x = float(label_width)
        for j, part in enumerate(bar.parts):
            w = _positive(part) * scale
            if w > 0:
                body.append(f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" '
                            f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(bar.label)} '
                            f'{escape(series[j])}: {escape(fmt(part))}</title></rect>')
            x += w
        shown = fmt(total) if any(p is not None for p in bar.parts) else "—"  # not printed, not zero
        body.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{escape(shown)}</text>')
    return _svg(title, top + len(bars) * row + 6, body, "bars")


def _point(cx: float, cy: float, radius: float, angle: float) -> str:
    """A point on a circle, `angle` in radians clockwise from the top (SVG's y axis points down)."""
    return f"{cx + radius * math.sin(angle):.3f} {cy - radius * math.cos(angle):.3f}"


def ring_slice(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """The path of a ring's sector from `start` to `end` (radians, clockwise from the top): the outer
    arc clockwise, then the inner arc back. A whole ring is drawn as all but a hair of one."""
    end = min(end, start + 2 * math.pi - 1e-4)
    large = 1 if end - start > math.pi else 0
    return (f"M {_point(cx, cy, outer, start)} A {outer} {outer} 0 {large} 1 {_point(cx, cy, outer, end)} "
            f"L {_point(cx, cy, inner, end)} A {inner} {inner} 0 {large} 0 {_point(cx, cy, inner, start)} Z")


def donut(title: str, parts: Sequence[tuple[str, Number | None]], fmt: Formatter) -> str:
    """Shares of a whole as a ring, from the top clockwise, one sector per part; the legend gives amounts
    and shares."""
    values = [(name, _positive(v), v) for name, v in parts]
    whole = sum(v for _, v, _ in values)
    if whole <= 0:
        return ""
    cx, cy = 110, 105
    body, start = [], 0.0
    for i, (name, v, raw) in enumerate(values):
        end = start + 2 * math.pi * v / whole
        if v > 0:
            body.append(f'<path class="slice" d="{ring_slice(cx, cy, 88, 52, start, end)}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(name)}: {escape(fmt(raw))}</title></path>')
        start = end
        y = 60 + i * 26
        body.append(f'<rect x="240" y="{y - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                    f'<text x="258" y="{y}">{escape(name)}: {escape(fmt(raw) if raw is not None else "—")} '
                    f"({100 * v / whole:.1f}%)</text>")
    return _svg(title, 2 * cy, body, "donut")


def grouped_columns(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Number | None]]],
                    fmt: Formatter) -> str:
    """Vertical columns: a group per category (a fiscal year), a column per series, its value above it."""
    values = [_positive(v) for _, vs in series for v in vs]
    if not categories or not values or max(values) <= 0:
        return ""
    height, base, top, left = 300, 250, 40, 20
    group = (WIDTH - left) / len(categories)
    col = min(60.0, (group - 20) / len(series))
    scale = (base - top - 16) / max(values)
    body = _legend([name for name, _ in series], 18, left)
    body.append(f'<line x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#999"/>')
    for i, category in enumerate(categories):
        x0 = left + i * group + (group - col * len(series)) / 2
        for j, (name, vs) in enumerate(series):
            v = vs[i]
            h = _positive(v) * scale
            x = x0 + j * col
            body.append(f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{col - 4:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(category)} {escape(name)}: '
                        f'{escape(fmt(v)) if v is not None else "—"}</title></rect>')
            if v is not None:
                body.append(f'<text x="{x + (col - 4) / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
                            f'font-size="10">{escape(fmt(v))}</text>')
        body.append(f'<text x="{left + (i + 0.5) * group:.1f}" y="{base + 20}" text-anchor="middle">'
                    f"{escape(category)}</text>")
    return _svg(title, height, body, "columns")
