"""Server-side SVG charts: well-formed, proportional, escaped, with the numbers in a table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import translation

from xinyong.core.charts import Series, bar_chart, line_chart, nice_scale

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg.*</svg>", html, re.S)
    assert match, html
    return ET.fromstring(match.group(0))  # noqa: S314 - our own output


@pytest.mark.parametrize(
    ("top", "expected"), [(0, (1.0, 1.0)), (7, (8, 2)), (10, (10, 2)), (95, (100, 20)), (1234, (1500, 500))]
)
def test_nice_scale_rounds_up_to_one_two_or_five_steps(top: float, expected: tuple[float, float]) -> None:
    assert nice_scale(top) == expected


def test_bar_heights_are_proportional_to_values() -> None:
    html = bar_chart(["A", "B", "C", "D"], [Series("主体数", [40, 20, 10, 0])], title="等级分布")
    bars = svg_of(html).findall(f"{SVG}rect")
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[0] == pytest.approx(2 * heights[1]) == pytest.approx(4 * heights[2])
    assert heights[3] == 0
    assert "<figcaption>等级分布</figcaption>" in html


def test_stacked_horizontal_bars_add_up_per_label() -> None:
    html = bar_chart(
        ["市场监管局", "税务局"],
        [Series("A", [3, 1]), Series("D", [1, 1])],
        title="分部门等级",
        stacked=True,
        horizontal=True,
    )
    bars = [b for b in svg_of(html).findall(f"{SVG}rect") if b.find(f"{SVG}title") is not None]
    widths = [float(b.get("width", "0")) for b in bars]
    assert widths[0] + widths[1] == pytest.approx(2 * (widths[2] + widths[3]))
    assert "税务局 D：1" in html


def test_labels_and_names_are_escaped() -> None:
    html = line_chart(["<script>"], [Series('x"y<b>', [1])], title="<i>t</i>")
    assert "<script>" not in html and "<b>" not in html and "<i>t</i>" not in html
    svg_of(html)  # still well-formed


def test_the_numbers_are_in_a_table_too() -> None:
    with translation.override(settings.LANGUAGE_CODE):
        html = line_chart(["2026-10", "2026-11"], [Series("及时率", [97.5, 100])], title="及时率", unit="%")
    assert "<td>97.5</td>" in html and "<td>100</td>" in html
    assert "<summary>数据表（%）</summary>" in html


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        bar_chart(["a", "b", "c"], [Series("n", [1, 2])], title="t")
