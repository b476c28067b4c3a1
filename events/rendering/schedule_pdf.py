"""A day's published schedule as a PDF (A4, landscape-free portrait table), in the active language:
time, where, event and bout, and who (name and delegation only). Set in the embedded fonts of
`events.rendering.fonts`, so it prints the same anywhere, Chinese and English alike.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from events.rendering.fonts import draw_line, fonts, primary_font, text_width

MM = 72 / 25.4
COLUMNS = (0.0, 16 * MM, 70 * MM, 125 * MM)  # time, where, event · bout, who (offsets from the margin)


def _fit(text: str, *, width: float, size: float, primary: str) -> str:
    """The text cut to `width`, with an ellipsis when it had to be cut."""
    if text_width(text, size=size, primary=primary) <= width:
        return text
    while text and text_width(text + "…", size=size, primary=primary) > width:
        text = text[:-1]
    return text + "…"


def _side(competitor, source: str) -> str:
    if competitor is None:
        return source or "?"
    return f"{competitor.display_name} ({competitor.club})" if competitor.club else competitor.display_name


def day_schedule_pdf(matches: Sequence, *, title: str, note: str = "") -> bytes:
    """The matches (published, placed, in time order) as a table, one line each, pages as needed."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    fonts()
    primary = primary_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=primary)
    canvas.setTitle(title)
    canvas.setAuthor("Corridor")
    width, height = A4
    margin, size, line = 15 * MM, 8.5, 13
    headings = (_("Time"), _("Where"), _("Event"), _("Match"))
    limits = [COLUMNS[i + 1] - COLUMNS[i] - 2 * MM for i in range(3)] + [width - 2 * margin - COLUMNS[3]]

    def header() -> float:
        y = height - margin
        draw_line(canvas, margin, y - 12, title, size=14, primary=primary)
        if note:
            draw_line(canvas, margin, y - 28, note, size=9, primary=primary)
        y -= 46
        for offset, text in zip(COLUMNS, headings, strict=True):
            draw_line(canvas, margin + offset, y, text, size=size + 0.5, primary=primary)
        canvas.line(margin, y - 4, width - margin, y - 4)
        return y - line - 2

    y = header()
    if not matches:
        draw_line(canvas, margin, y, _("Nothing is published here yet."), size=size, primary=primary)
    for match in matches:
        if y < margin:
            canvas.showPage()
            y = header()
        cells = (
            timezone.localtime(match.starts_at).strftime("%H:%M"),
            f"{match.resource.venue.name} · {match.resource.name}",
            f"{match.stage.event.name} · {match.code}",
            f"{_side(match.left, match.left_source)} – {_side(match.right, match.right_source)}",
        )
        for offset, limit, text in zip(COLUMNS, limits, cells, strict=True):
            draw_line(
                canvas,
                margin + offset,
                y,
                _fit(text, width=limit, size=size, primary=primary),
                size=size,
                primary=primary,
            )
        y -= line
    canvas.save()
    return buffer.getvalue()
