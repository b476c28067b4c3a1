"""Read paths of schedules: the published timetable for the public pages (by event, venue, city,
delegation, athlete or team), what is on now, versions and the difference between two of them.

The public schedule is what was last published: `Match.resource` / `Match.starts_at` of public
events. Athletes appear by name and delegation only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from events.enums import EventStatus, StageKind
from events.models import (
    City,
    Competitor,
    Match,
    Programme,
    ScheduleSettings,
    ScheduleVersion,
    SolveJob,
    Venue,
    VenueResource,
)

TZ = ZoneInfo("Asia/Shanghai")
PUBLIC = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def published_matches() -> QuerySet[Match]:
    """Every placed match of a public event, in time order, shaped for the timetable."""
    return (
        Match.objects.filter(stage__event__status__in=PUBLIC, resource__isnull=False, starts_at__isnull=False)
        .select_related("stage__event__programme", "resource__venue__city", "left", "right")
        .order_by("starts_at", "resource__venue_id", "resource__code", "pk")
    )


def matches_for_event(event) -> QuerySet[Match]:
    return published_matches().filter(stage__event=event)


def matches_for_venue(venue: Venue) -> QuerySet[Match]:
    return published_matches().filter(resource__venue=venue)


def matches_for_city(city: City) -> QuerySet[Match]:
    return published_matches().filter(resource__venue__city=city)


def matches_for_delegation(programme: Programme, club: str) -> QuerySet[Match]:
    """Matches of a delegation (by its public name, in either language) in one programme."""
    competitors = Competitor.objects.filter(event__programme=programme).filter(
        club_zh=club
    ) | Competitor.objects.filter(event__programme=programme, club_en=club)
    ids = list(competitors.values_list("pk", flat=True))
    return published_matches().filter(stage__event__programme=programme).filter(
        left_id__in=ids
    ) | published_matches().filter(stage__event__programme=programme, right_id__in=ids)


def matches_for_day(programme: Programme, date: dt.date) -> QuerySet[Match]:
    """A programme's published matches on one day (Beijing time)."""
    start = dt.datetime.combine(date, dt.time(), tzinfo=TZ)
    return published_matches().filter(
        stage__event__programme=programme, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
    )


def competitor_family(competitor: Competitor) -> list[int]:
    """The competitor and every competitor of the same programme that shares a person with it: an
    athlete's entries in every event, or the entries of a team's people (matched in Python, since
    SQLite cannot search inside JSON lists)."""
    people = set(competitor.person_keys or ())
    if not people:
        return [competitor.pk]
    rows = Competitor.objects.filter(event__programme_id=competitor.event.programme_id).values_list(
        "pk", "person_keys"
    )
    return [pk for pk, keys in rows if pk == competitor.pk or people & set(keys or ())]


def matches_for_competitor(competitor: Competitor) -> QuerySet[Match]:
    ids = competitor_family(competitor)
    return published_matches().filter(left_id__in=ids) | published_matches().filter(right_id__in=ids)


def competitor_public_get(pk: int) -> Competitor | None:
    return (
        Competitor.objects.filter(pk=pk, event__status__in=PUBLIC).select_related("event__programme").first()
    )


def durations(programme_id: int) -> tuple[int, int]:
    """(pool bout, elimination bout) minutes of a programme."""
    found = ScheduleSettings.objects.filter(programme_id=programme_id).first() or ScheduleSettings()
    return found.pool_bout_minutes, found.elimination_bout_minutes


def match_end(match: Match, lengths: dict[int, tuple[int, int]]) -> dt.datetime:
    programme_id = match.stage.event.programme_id
    if programme_id not in lengths:
        lengths[programme_id] = durations(programme_id)
    pool, elimination = lengths[programme_id]
    return match.starts_at + dt.timedelta(
        minutes=pool if match.stage.kind == StageKind.POOLS else elimination
    )


@dataclass(frozen=True)
class NowOn:
    resource: VenueResource
    current: Match | None
    following: Match | None


def now_on(venue: Venue, *, now: dt.datetime | None = None) -> list[NowOn]:
    """Per piste, court or lane of the venue: the match on now and the next one (published)."""
    now = now or timezone.now()
    day_start = now - dt.timedelta(hours=3)
    matches = list(
        matches_for_venue(venue).filter(starts_at__gte=day_start, starts_at__lt=now + dt.timedelta(hours=12))
    )
    lengths: dict[int, tuple[int, int]] = {}
    found = []
    for resource in VenueResource.objects.filter(venue=venue, pk__in={m.resource_id for m in matches}):
        mine = [m for m in matches if m.resource_id == resource.pk]
        current = next((m for m in mine if m.starts_at <= now < match_end(m, lengths)), None)
        following = next((m for m in mine if m.starts_at > now), None)
        found.append(NowOn(resource, current, following))
    return found


@dataclass(frozen=True)
class Day:
    date: dt.date
    matches: list[Match]


def by_day(matches) -> list[Day]:
    days: dict[dt.date, list[Match]] = {}
    for match in matches:
        days.setdefault(timezone.localtime(match.starts_at, TZ).date(), []).append(match)
    return [Day(date, rows) for date, rows in sorted(days.items())]


# ---- organiser reads -------------------------------------------------------------------------------


def versions_for(programme: Programme) -> QuerySet[ScheduleVersion]:
    return (
        ScheduleVersion.objects.filter(programme=programme).select_related("published_by").order_by("-number")
    )


def solve_job_for(programme: Programme, pk: int) -> SolveJob | None:
    return SolveJob.objects.filter(programme=programme, pk=pk).first()


@dataclass(frozen=True)
class DiffRow:
    match: Match
    before: tuple[VenueResource | None, dt.datetime | None]
    after: tuple[VenueResource | None, dt.datetime | None]


def versions_diff(older: ScheduleVersion, newer: ScheduleVersion) -> list[DiffRow]:
    """Every match whose place or time differs between two versions, with both places."""
    before = {row["match"]: row for row in older.placements}
    after = {row["match"]: row for row in newer.placements}
    moved = sorted(
        key
        for key in set(before) | set(after)
        if (before.get(key) or {}).get("resource") != (after.get(key) or {}).get("resource")
        or (before.get(key) or {}).get("start") != (after.get(key) or {}).get("start")
    )
    resource_ids = {row["resource"] for rows in (before, after) for key, row in rows.items() if key in moved}
    resources = VenueResource.objects.select_related("venue").in_bulk(resource_ids)
    events = {
        m.pk: m for m in Match.objects.filter(pk__in=moved).select_related("stage__event", "left", "right")
    }

    def place(row):
        if not row:
            return None, None
        return resources.get(row["resource"]), dt.datetime.fromisoformat(row["start"]).astimezone(TZ)

    return [
        DiffRow(events[key], place(before.get(key)), place(after.get(key))) for key in moved if key in events
    ]
