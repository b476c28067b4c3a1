"""The itinerary on paper and in calendars: a day sheet PDF (ticketing's embedded Noto fonts, so
Chinese prints anywhere) and an iCalendar feed, both in the reader's language."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from registration.models import Delegation
from tourism.exchange.models import Segment

MM = 72 / 25.4


def _place(segment: Segment) -> str:
    if segment.origin_id and segment.venue_id:
        return f"{segment.origin.name} → {segment.venue.name}"
    return segment.venue.name if segment.venue_id else ""


def _lines(segment: Segment) -> list[str]:
    start, end = timezone.localtime(segment.starts_at), timezone.localtime(segment.ends_at)
    lines = [f"{start:%H:%M}–{end:%H:%M}  {segment.title}  ({segment.get_kind_display()})"]
    place = _place(segment)
    if place:
        lines.append("    " + place)
    if segment.vehicle:
        lines.append(
            "    "
            + _("Vehicle %(vehicle)s, driver %(driver)s %(phone)s")
            % {"vehicle": segment.vehicle, "driver": segment.driver_name, "phone": segment.driver_phone}
        )
    if segment.slot_id and segment.slot.experience.safety_notes:
        lines.append("    " + _("Safety: %(notes)s") % {"notes": segment.slot.experience.safety_notes})
    if segment.flagged_at:
        lines.append("    ! " + _("The schedule moved this match: check the itinerary."))
    return lines


def day_sheet_pdf(delegation: Delegation, day: dt.date, segments: Sequence[Segment]) -> bytes:
    """One A4 page (more if needed) listing the day's segments in order."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415  heavy optional library (reportlab), loaded only when used

    from events.rendering.fonts import CJK_FONT, fonts  # noqa: PLC0415  registers the embedded fonts, with reportlab

    fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Day sheet"))
    _width, height = A4
    y = height - 20 * MM
    canvas.setFont(CJK_FONT, 16)
    canvas.drawString(15 * MM, y, f"{delegation.name} · {_('Day sheet')} · {day:%Y-%m-%d}")
    y -= 12 * MM
    canvas.setFont(CJK_FONT, 10)
    if not segments:
        canvas.drawString(15 * MM, y, _("Nothing planned on this day."))
    for segment in segments:
        for line in _lines(segment):
            if y < 20 * MM:
                canvas.showPage()
                canvas.setFont(CJK_FONT, 10)
                y = height - 20 * MM
            canvas.drawString(15 * MM, y, line[:110])
            y -= 6 * MM
        y -= 3 * MM
    canvas.save()
    return buffer.getvalue()


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """RFC 5545 folds lines longer than 75 octets; continuation lines start with a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return out


def itinerary_ics(delegation: Delegation, segments: Sequence[Segment]) -> str:
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    now = _ics_time(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Corridor//Exchange programme//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(delegation.name)}",
    ]
    for segment in segments:
        description = "\n".join(line.strip() for line in _lines(segment)[1:])
        lines += [
            "BEGIN:VEVENT",
            f"UID:exchange-segment-{segment.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_ics_time(segment.starts_at)}",
            f"DTEND:{_ics_time(segment.ends_at)}",
            f"SUMMARY:{_ics_text(segment.title)}",
            f"LOCATION:{_ics_text(_place(segment))}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
