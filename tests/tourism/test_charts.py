"""Server-drawn SVG charts: accessible names, every value in the data table, suppressed cells said so, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from tourism.views.charts import Chart, Series

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(chart: Chart) -> ET.Element:
    with translation.override("en"):
        return ET.fromstring(str(chart.svg()))  # noqa: S314  our own SVG, parsed to check it


def test_bar_chart_has_title_desc_and_one_bar_per_visible_value():
    chart = Chart(
        kind="bar",
        title="Redemptions by origin",
        categories=("Nanjing", "Suzhou", "Wuxi"),
        series=(Series("Redemptions", (120, 40, None)),),
        slug="origin",
    )
    root = parse(chart)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "origin-title origin-desc"
    assert root.find("svg:title", NS).text == "Redemptions by origin"
    bars = root.findall("svg:rect", NS)
    assert len(bars) == 2
    assert float(bars[0].get("width")) > 2.9 * float(bars[1].get("width"))  # 120 against 40
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "120" in texts and "suppressed (fewer than 10 people)" in texts
    with translation.override("en"):
        rows = chart.table_rows()
    assert rows == [
        ("Nanjing", ["120"]),
        ("Suzhou", ["40"]),
        ("Wuxi", ["suppressed (fewer than 10 people)"]),
    ]


def test_stacked_bars_sum_per_category_with_a_legend():
    chart = Chart(
        kind="stacked",
        title="By category",
        categories=("Sat", "Sun"),
        series=(Series("Restaurant", (10, 20)), Series("Hotel", (30, 15))),
        fmt=lambda v: f"¥{v}",
    )
    root = parse(chart)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Restaurant", "Hotel", "¥40", "¥35"} <= set(texts)
    assert len(root.findall("svg:rect", NS)) == 2 + 4  # legend swatches and four segments


def test_line_breaks_at_a_suppressed_day():
    chart = Chart(
        kind="line",
        title="By day",
        categories=("28", "29", "30", "01"),
        series=(Series("Redemptions", (12, None, 30, 25)),),
    )
    root = parse(chart)
    assert len(root.findall("svg:polyline", NS)) == 1  # 30 and 25 joined; 12 alone
    assert len(root.findall("svg:circle", NS)) == 3


def test_labels_are_escaped():
    chart = Chart(kind="bar", title="<script>", categories=("a&b",), series=(Series("x", (1,)),))
    svg = str(chart.svg())
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    ET.fromstring(svg)  # noqa: S314  our own SVG: it must still parse


def test_mismatched_series_are_refused():
    with pytest.raises(ValueError, match="3 categories"):
        Chart(kind="bar", title="t", categories=("a", "b", "c"), series=(Series("x", (1, 2)),))
