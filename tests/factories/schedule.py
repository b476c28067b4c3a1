"""Factories for schedules: a fencing event with drawn pools, pistes and a day's session to place them in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from events.enums import VenueResourceKind
from events.models import Event
from events.services.competition import pools_generate
from tests.factories.competition import FencingEventFactory, fencers
from tests.factories.events import SessionFactory, VenueResourceFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def pistes(venue, count: int) -> list:
    return [
        VenueResourceFactory(
            venue=venue,
            kind=VenueResourceKind.PISTE,
            code=f"piste-{i + 1}",
            name_zh=f"{i + 1}号剑道",
            name_en=f"Piste {i + 1}",
        )
        for i in range(count)
    ]


def drawn_event(
    *, count: int = 10, piste_count: int = 3, hours: tuple[int, int] = (9, 18), **fields
) -> Event:
    """A published fencing event with `count` fencers drawn into pools, `piste_count` pistes at its
    venue, and one session on its first day from `hours[0]` to `hours[1]` (the venue's opening).
    With `count=0` nothing is drawn (the caller brings its own competitors)."""
    event = FencingEventFactory(**fields)
    if count:
        fencers(event, count)
    pistes(event.venue, piste_count)
    day = event.start_date
    SessionFactory(
        event=event,
        starts_at=dt.datetime.combine(day, dt.time(hours[0]), tzinfo=SHANGHAI),
        ends_at=dt.datetime.combine(day, dt.time(hours[1]), tzinfo=SHANGHAI),
    )
    if count:
        pools_generate(event=event)
    return event


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
