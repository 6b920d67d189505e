"""Server-side SVG charts (图表) for pages: bar and line charts drawn as inline SVG, with the numbers in
a table beside them.

Charts are drawn on the server so a page needs no JavaScript and no charting library loaded from a CDN,
and so the figure a screen reader or a text browser gets is the same table the chart was drawn from.
The markup is escaped here; a view hands the result to its template as it is::

    chart = bar_chart(["A", "B", "C", "D"], [Series("主体数", [120, 80, 14, 3])], title="等级分布")

PDFs draw their own charts with reportlab's graphics (``reportlab.graphics.charts``), not these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

#: Colours distinguishable with the common colour-vision deficiencies (Okabe–Ito), darkest first so a
#: single series reads well on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")

_FONT = 'font-family="sans-serif" font-size="12"'


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label."""

    name: str
    values: Sequence[float]
    colour: str = ""


def nice_scale(top: float, ticks: int = 5) -> tuple[float, float]:
    """An axis maximum at or above ``top`` and a step of 1, 2 or 5 × 10ⁿ giving about ``ticks`` gridlines."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.ceil(top / step) * step, step


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _clip(label: str, length: int) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels")


def _legend(series: Sequence[Series], colours: Sequence[str], x: float, y: float) -> str:
    if len(series) < 2:
        return ""
    parts, offset = [], 0.0
    for s, colour in zip(series, colours, strict=True):
        parts.append(
            f'<rect x="{x + offset:.1f}" y="{y - 10:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + offset + 14:.1f}" y="{y:.1f}" {_FONT}>{escape(s.name)}</text>'
        )
        offset += 28 + 12 * len(s.name)
    return "".join(parts)


def _table(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    head = "".join(f"<th scope=col>{escape(s.name)}</th>" for s in series)
    rows = "".join(
        "<tr><th scope=row>{}</th>{}</tr>".format(
            escape(label), "".join(f"<td>{_number(s.values[i])}</td>" for s in series)
        )
        for i, label in enumerate(labels)
    )
    caption = escape(_("数据表")) + (f"（{escape(unit)}）" if unit else "")
    return (
        f'<details class="chart-data"><summary>{caption}</summary>'
        f'<table class="table"><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></details>'
    )


def _figure(svg: str, title: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> SafeString:
    return format_html(
        '<figure class="chart">{}<figcaption>{}</figcaption>{}</figure>',
        mark_safe(svg),  # noqa: S308 - built above from escaped parts only
        title,
        mark_safe(_table(labels, series, unit)),  # noqa: S308 - escaped in _table
    )


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        # No style attribute: the content security policy (style-src 'self') refuses inline styles;
        # site.css caps a chart's width (figure.chart svg).
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img"><title>{escape(title)}</title>'
    )


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    stacked: bool = False,
    horizontal: bool = False,
    width: int = 640,
) -> SafeString:
    """Bars per label, one colour per series, side by side or ``stacked``. ``horizontal`` suits long
    labels such as unit names (a ranking); vertical suits months and grades."""
    _check(labels, series)
    colours = _colours(series)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, step = nice_scale(max(totals if stacked else [v for s in series for v in s.values] or [0]))
    parts: list[str] = []
    band: float
    y: float
    thickness: float
    x0: float
    y0: float
    if horizontal:
        band, left, right, head = 26 if (stacked or len(series) == 1) else 14 * len(series) + 8, 150, 20, 30
        height = head + band * len(labels) + 30
        plot = width - left - right
        parts.append(_svg_open(width, height, title))
        tick = 0.0
        while tick <= top + step / 2:
            x = left + plot * tick / top
            parts.append(
                f'<line x1="{x:.1f}" y1="{head}" x2="{x:.1f}" y2="{height - 30}" stroke="#ddd"/>'
                f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" {_FONT}>{_number(tick)}</text>'
            )
            tick += step
        for i, label in enumerate(labels):
            y = head + band * i
            parts.append(
                f'<text x="{left - 6}" y="{y + band / 2 + 4:.1f}" text-anchor="end" {_FONT}>'
                f"<title>{escape(label)}</title>{escape(_clip(label, 12))}</text>"
            )
            offset = 0.0
            for j, s in enumerate(series):
                length = plot * s.values[i] / top
                if stacked:
                    y0, thickness, x0 = y + 4, band - 8, left + offset
                    offset += length
                else:
                    thickness = (band - 8) / len(series)
                    y0, x0 = y + 4 + thickness * j, left
                parts.append(
                    f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{length:.1f}" height="{thickness:.1f}" '
                    f'fill="{colours[j]}"><title>{escape(label)} {escape(s.name)}：{_number(s.values[i])}</title></rect>'
                )
        parts.append(_legend(series, colours, left, 18))
    else:
        height, left, bottom, head = 260, 56, 40, 30
        plot_h, plot_w = height - head - bottom, width - left - 16
        band = plot_w / max(len(labels), 1)
        parts.append(_svg_open(width, height, title))
        tick = 0.0
        while tick <= top + step / 2:
            y = head + plot_h * (1 - tick / top)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="#ddd"/>'
                f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{_number(tick)}</text>'
            )
            tick += step
        every = max(1, math.ceil(len(labels) * 48 / plot_w))  # thin the labels rather than overlap them
        for i, label in enumerate(labels):
            x = left + band * i
            if i % every == 0:
                parts.append(
                    f'<text x="{x + band / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" {_FONT}>'
                    f"<title>{escape(label)}</title>{escape(_clip(label, 8))}</text>"
                )
            offset = 0.0
            for j, s in enumerate(series):
                length = plot_h * s.values[i] / top
                if stacked:
                    x0, thickness = x + band * 0.15, band * 0.7
                    y0 = head + plot_h - offset - length
                    offset += length
                else:
                    thickness = band * 0.7 / len(series)
                    x0, y0 = x + band * 0.15 + thickness * j, head + plot_h - length
                parts.append(
                    f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{thickness:.1f}" height="{length:.1f}" '
                    f'fill="{colours[j]}"><title>{escape(label)} {escape(s.name)}：{_number(s.values[i])}</title></rect>'
                )
        parts.append(_legend(series, colours, left, 18))
    parts.append("</svg>")
    return _figure("".join(parts), title, labels, series, unit)


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, unit: str = "", width: int = 640
) -> SafeString:
    """Lines over ordered labels (months, days): trends such as a rate over twelve months."""
    _check(labels, series)
    colours = _colours(series)
    height, left, bottom, head = 260, 56, 40, 30
    plot_h, plot_w = height - head - bottom, width - left - 16
    top, step = nice_scale(max([v for s in series for v in s.values] or [0]))
    gap = plot_w / max(len(labels) - 1, 1)
    parts = [_svg_open(width, height, title)]
    tick = 0.0
    while tick <= top + step / 2:
        y = head + plot_h * (1 - tick / top)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{_number(tick)}</text>'
        )
        tick += step
    every = max(1, math.ceil(len(labels) * 48 / plot_w))
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{left + gap * i:.1f}" y="{height - bottom + 16}" text-anchor="middle" {_FONT}>'
                f"{escape(_clip(label, 8))}</text>"
            )
    for j, s in enumerate(series):
        points = [(left + gap * i, head + plot_h * (1 - v / top)) for i, v in enumerate(s.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colours[j]}" stroke-width="2"/>')
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours[j]}">'
            f"<title>{escape(labels[i])} {escape(s.name)}：{_number(s.values[i])}</title></circle>"
            for i, (x, y) in enumerate(points)
        )
    parts.append(_legend(series, colours, left, 18))
    parts.append("</svg>")
    return _figure("".join(parts), title, labels, series, unit)
