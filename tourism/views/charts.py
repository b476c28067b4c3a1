"""Charts drawn on the server as inline SVG: horizontal bars, stacked bars and a line by day.

No chart library and no script: the page's Content-Security-Policy allows no inline style, so every
colour is an SVG presentation attribute. Each chart is an `<svg role="img">` named by its `<title>`
and `<desc>`, and every chart is shown with its data table (`Chart.table_rows`), so a screen reader
or a printed page loses nothing. A value of None is a suppressed cell (fewer than 10 people): no bar
or point is drawn, and the label says so instead of a number. Sizes are in CSS pixels at 360 wide,
the width of a phone, and the SVG scales up to its container.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind safe (Okabe–Ito), each dark enough for white text on it or for a thin line.
PALETTE = ("#0b5cad", "#d55e00", "#009e73", "#cc79a7", "#8a5a00", "#56b4e9", "#5b6472")
INK, MUTED, GRID = "#1d2430", "#5b6472", "#d9dee5"
WIDTH = 360
FONT = 12


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int | None, ...]  # one per category; None: suppressed


@dataclass(frozen=True)
class Chart:
    """One chart: `kind` is "bar" (one series), "stacked" (several, summed per category) or "line"."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    description: str = ""
    fmt: Callable[[int], str] = field(default=lambda value: f"{value:,}")
    slug: str = "chart"

    def __post_init__(self):
        if self.kind not in {"bar", "stacked", "line"}:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"series {series.label!r} has {len(series.values)} values for {len(self.categories)} categories"
                )

    def cell(self, value: int | None) -> str:
        return _("suppressed (fewer than 10 people)") if value is None else self.fmt(value)

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """(category, formatted values per series) for the data table shown with the chart."""
        return [
            (category, [self.cell(series.values[index]) for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    def svg(self) -> SafeString:
        if not self.categories or not self.series:
            return mark_safe("")
        draw = {"bar": _bars, "stacked": _bars, "line": _line}[self.kind]
        return mark_safe(draw(self))  # noqa: S308  every text drawn passes through escape()


def _attrs(**attributes) -> str:
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for key, value in attributes.items()
    )


def _text(x: float, y: float, content: str, **attributes) -> str:
    attributes = {"font_size": FONT, "fill": INK, **attributes}
    return f"<text {_attrs(x=f'{x:.1f}', y=f'{y:.1f}', **attributes)}>{escape(content)}</text>"


def _open(chart: Chart, height: float) -> str:
    title_id, desc_id = f"{chart.slug}-title", f"{chart.slug}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f"{_attrs(viewBox=f'0 0 {WIDTH} {height:.0f}', width=WIDTH, height=f'{height:.0f}')} "
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}">'
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(chart.description or _("The table below gives every value."))}</desc>'
    )


def _legend(chart: Chart, y: float) -> tuple[list[str], float]:
    """Swatches and names of the series, wrapped to the width; returns the parts and the height used."""
    parts, x = [], 0.0
    for index, series in enumerate(chart.series):
        width = 18 + FONT * 0.62 * _display_width(series.label) + 12
        if x and x + width > WIDTH:
            x, y = 0.0, y + FONT + 8
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f"<rect {_attrs(x=f'{x:.1f}', y=f'{y:.1f}', width=12, height=12, fill=colour)}/>")
        parts.append(_text(x + 16, y + 10.5, series.label))
        x += width
    return parts, y + FONT + 10


def _display_width(text: str) -> float:
    """Width in Latin-character units: a CJK character is about as wide as two."""
    return sum(2.0 if ord(character) > 0x2E80 else 1.0 for character in text)


def _bars(chart: Chart) -> str:
    """Horizontal bars, one row per category: the label above its bar, the value at the bar's end."""
    stacked = chart.kind == "stacked"
    series = chart.series if stacked else chart.series[:1]
    totals = []
    for index in range(len(chart.categories)):
        values = [item.values[index] for item in series]
        totals.append(None if any(value is None for value in values) else sum(values))
    peak = max((total for total in totals if total is not None), default=0) or 1
    parts, y = [], 0.0
    if stacked and len(series) > 1:
        legend, y = _legend(chart, 0.0)
        parts.extend(legend)
    row_height, bar_height, value_room = 40, 16, 96
    scale = (WIDTH - value_room) / peak
    for index, category in enumerate(chart.categories):
        top = y + index * row_height
        parts.append(_text(0, top + FONT + 1, category))
        bar_y = top + FONT + 6
        if totals[index] is None:
            parts.append(_text(0, bar_y + 12, chart.cell(None), fill=MUTED, font_style="italic"))
            continue
        x = 0.0
        for series_index, item in enumerate(series):
            value = item.values[index] or 0
            width = value * scale
            if width > 0:
                colour = PALETTE[series_index % len(PALETTE)]
                parts.append(
                    f"<rect {_attrs(x=f'{x:.1f}', y=f'{bar_y:.1f}', width=f'{max(width, 1):.1f}', height=bar_height, fill=colour)}>"
                    f"<title>{escape(f'{category} · {item.label}: {chart.fmt(value)}')}</title></rect>"
                )
            x += width
        parts.append(_text(x + 6, bar_y + 12.5, chart.fmt(totals[index])))
    height = y + len(chart.categories) * row_height + 4
    return _open(chart, height) + "".join(parts) + "</svg>"


def _line(chart: Chart) -> str:
    """One line per series over the categories (days), with a point per value; a suppressed value
    breaks the line. The y axis has a zero line and the peak value."""
    left, right, top = 44.0, 8.0, 8.0
    legend_parts: list[str] = []
    if len(chart.series) > 1:
        legend_parts, top = _legend(chart, 0.0)
    plot_height = 150.0
    bottom = top + plot_height
    labels_every = max(1, -(-len(chart.categories) // 6))
    height = bottom + FONT + 14
    values = [value for item in chart.series for value in item.values if value is not None]
    peak = max(values, default=0) or 1
    span = WIDTH - left - right
    step = span / max(len(chart.categories) - 1, 1)

    def point(index: int, value: int) -> tuple[float, float]:
        return left + index * step, bottom - value / peak * plot_height

    parts = [*legend_parts]
    for value in (0, peak):
        y = bottom - value / peak * plot_height
        parts.append(
            f"<line {_attrs(x1=left, x2=WIDTH - right, y1=f'{y:.1f}', y2=f'{y:.1f}', stroke=GRID)}/>"
        )
        parts.append(_text(left - 4, y + 4, chart.fmt(value), text_anchor="end", fill=MUTED))
    for index, category in enumerate(chart.categories):
        if index % labels_every == 0 or index == len(chart.categories) - 1:
            x = left + index * step
            parts.append(_text(x, bottom + FONT + 6, category, text_anchor="middle", fill=MUTED))
    for series_index, item in enumerate(chart.series):
        colour = PALETTE[series_index % len(PALETTE)]
        for run in _runs(item.values):
            coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in run))
            if len(run) > 1:
                parts.append(
                    f"<polyline {_attrs(points=coordinates, fill='none', stroke=colour, stroke_width=2)}/>"
                )
            for index, value in run:
                x, y = point(index, value)
                parts.append(
                    f"<circle {_attrs(cx=f'{x:.1f}', cy=f'{y:.1f}', r=3, fill=colour)}>"
                    f"<title>{escape(f'{chart.categories[index]} · {item.label}: {chart.fmt(value)}')}</title></circle>"
                )
    return _open(chart, height) + "".join(parts) + "</svg>"


def _runs(values: Sequence[int | None]) -> list[list[tuple[int, int]]]:
    """Unbroken stretches of (index, value), split where a value is suppressed."""
    runs: list[list[tuple[int, int]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]
