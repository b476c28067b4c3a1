"""iCal feeds of the published schedule (RFC 5545 via `icalendar`), in Beijing time with its zone.

One VEVENT per match: the event and bout, who plays (name and delegation only), where (venue,
piste/court/lane, city). UIDs are stable per match, so a calendar app updates a moved match in place.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.selectors.schedule import match_end

TZ = ZoneInfo("Asia/Shanghai")


def _side(competitor, source: str) -> str:
    if competitor is None:
        return source or "?"
    return f"{competitor.display_name} ({competitor.club})" if competitor.club else competitor.display_name


def calendar_bytes(matches, *, name: str, host: str = "corridor") -> bytes:
    """The matches as an iCalendar file named `name`."""
    import icalendar  # noqa: PLC0415  heavy-ish, only feeds need it

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Corridor//schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    lengths: dict[int, tuple[int, int]] = {}
    stamp = timezone.now()
    for match in matches:
        event = icalendar.Event()
        start = timezone.localtime(match.starts_at, TZ)
        end = timezone.localtime(match_end(match, lengths), TZ)
        title = f"{match.stage.event.name} · {match.code}"
        who = f"{_side(match.left, match.left_source)} – {_side(match.right, match.right_source)}"
        venue = match.resource.venue
        event.add("uid", f"match-{match.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"{title}: {who}")
        event.add("location", f"{venue.name} · {match.resource.name} · {venue.city.name}")
        event.add("description", who)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_start() -> dt.datetime:
    """Feeds list matches from a week ago on (older ones only make the file long)."""
    return timezone.now() - dt.timedelta(days=7)
