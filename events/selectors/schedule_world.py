"""The schedule problem of a programme, read from the database (read path, shared by services and pages).

`schedule_world` turns the programme's matches, venue resources, sessions (the venues' opening hours)
and rules into a pure `events.scheduling.Problem`, with every athlete in every event through the
competitors' opaque person keys, and keeps the rows behind each id so answers map back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from events import scheduling as sched
from events.enums import CompetitorKind, MatchStatus, SessionStatus, StageKind, VenueResourceKind
from events.models import (
    AgeBandLimit,
    Match,
    Placement,
    Programme,
    ScheduleSettings,
    Session,
    TravelTime,
    VenueResource,
)

TZ = ZoneInfo("Asia/Shanghai")
PLAYED = (MatchStatus.RUNNING, MatchStatus.DONE)


def schedule_settings_for(programme: Programme) -> ScheduleSettings:
    """The programme's settings, or the defaults (unsaved) when the organiser has set none."""
    found = ScheduleSettings.objects.filter(programme=programme).first()
    return found or ScheduleSettings(programme=programme)


def _merge(windows: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


@dataclass
class ScheduleWorld:
    """A programme's schedule problem, with the rows behind each id (match and resource primary keys)."""

    programme: Programme
    problem: sched.Problem
    epoch: dt.datetime
    matches: dict[str, Match]
    resources: dict[str, VenueResource]
    draft: dict[str, sched.Placement] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # competitor id or person key -> public name

    def readable(self, violations: list[sched.Violation]) -> list[sched.Violation]:
        """The violations with "who" as the public name, not the opaque key the builder knows."""
        return [
            dataclasses.replace(
                v, params={**v.params, "who": self.names.get(v.params["who"], v.params["who"])}
            )
            if "who" in v.params
            else v
            for v in violations
        ]

    def minute(self, moment: dt.datetime) -> int:
        return int((moment - self.epoch).total_seconds() // 60)

    def at(self, minute: int) -> dt.datetime:
        return self.epoch + dt.timedelta(minutes=minute)

    def duration(self, match_id: str) -> int:
        return self.problem.match_by_id[match_id].duration


def _duration(match: Match, config: ScheduleSettings) -> int:
    if match.stage.kind == StageKind.POOLS:
        return config.pool_bout_minutes
    return config.elimination_bout_minutes


def _after(match: Match, stage_matches: dict[int, list[Match]], previous: dict[int, int | None]) -> tuple:
    """The matches whose results this one needs: its sources, or the whole previous stage."""
    codes = {m.code: m for m in stage_matches[match.stage_id]}
    needed = [
        str(codes[source.split(":", 1)[1]].pk)
        for source in (match.left_source, match.right_source)
        if source.startswith("winner:") and source.split(":", 1)[1] in codes
    ]
    if needed:
        return tuple(needed)
    earlier = previous.get(match.stage_id)
    if earlier is None or match.left_id or match.right_id:
        return ()
    return tuple(str(m.pk) for m in stage_matches.get(earlier, ()))


def match_sides(match: Match) -> list:
    """Every competitor in a match: its two sides, and the crews in its lanes where a race has them
    (`Match.lanes`, added with dragon-boat races; absent here it is simply skipped)."""
    sides = [match.left, match.right]
    lanes = getattr(match, "lanes", None)
    if lanes is not None:
        sides += [lane.competitor for lane in lanes.all()]
    return [side for side in sides if side is not None]


def _name_people(names: dict[str, str], side) -> None:
    """Each person of a competitor by their own public name where it is known (a team's `members`, or a
    single fencer's competitor), else by their team's name until a better one turns up: a child who
    paddles and fences is named, not "Suzhou A", when the builder finds them in two places."""
    people, members = side.person_keys or (), side.members or {}
    for person in people:
        own = members.get(person)
        if own is None and side.kind == CompetitorKind.FENCER and len(people) == 1:
            own = side.display_name
        if own:
            names[person] = own
        else:
            names.setdefault(person, side.display_name)


def schedule_world(programme: Programme, *, with_draft: bool = True) -> ScheduleWorld:
    """Build the schedule problem of `programme` from the database (reads only).

    Resources are the pistes, courts and lanes of every venue where the programme has sessions; a
    resource is open while a session of the programme is on at its venue. A match may go on the
    resources of its event's venue and session venues, within the event's dates. Pinned drafts and
    matches already running or played are pins.
    """
    config = schedule_settings_for(programme)
    sessions = list(
        Session.objects.filter(event__programme=programme)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("venue__city")
    )
    first_day = min([programme.start_date, *(timezone.localtime(s.starts_at, TZ).date() for s in sessions)])
    epoch = dt.datetime.combine(first_day, dt.time(), tzinfo=TZ)

    def minute(moment: dt.datetime) -> int:
        return int((moment - epoch).total_seconds() // 60)

    venue_windows: dict[int, list[tuple[int, int]]] = {}
    event_venues: dict[int, set[int]] = {}
    for session in sessions:
        venue_windows.setdefault(session.venue_id, []).append(
            (minute(session.starts_at), minute(session.ends_at))
        )
        event_venues.setdefault(session.event_id, set()).add(session.venue_id)
    resource_rows = (
        VenueResource.objects.filter(venue_id__in=venue_windows)
        .exclude(kind=VenueResourceKind.GATE)
        .select_related("venue__city")
        .order_by("venue_id", "code")
    )
    resources = {str(r.pk): r for r in resource_rows}
    by_venue: dict[int, set[str]] = {}
    for key, row in resources.items():
        by_venue.setdefault(row.venue_id, set()).add(key)
    problem_resources = tuple(
        sched.Resource(
            id=key,
            venue=str(row.venue_id),
            city=str(row.venue.city_id),
            windows=_merge(venue_windows[row.venue_id]),
            label=f"{row.venue.name} · {row.name}",
        )
        for key, row in resources.items()
    )

    rows = (
        Match.objects.filter(stage__event__programme=programme)
        # A bye or a walkover is not fenced: it needs no piste and no time.
        .exclude(status__in=(MatchStatus.WITHDRAWN, MatchStatus.WALKOVER))
        .select_related("stage__event", "left", "right")
        .order_by("stage__event_id", "stage__order", "round", "pool", "sequence", "pk")
    )
    if hasattr(Match, "lanes"):
        rows = rows.prefetch_related("lanes__competitor")
    rows = list(rows)
    stage_matches: dict[int, list[Match]] = {}
    stage_order: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        stage_matches.setdefault(row.stage_id, []).append(row)
        stage_order.setdefault(row.stage.event_id, [])
        if (row.stage.order, row.stage_id) not in stage_order[row.stage.event_id]:
            stage_order[row.stage.event_id].append((row.stage.order, row.stage_id))
    previous: dict[int, int | None] = {}
    for stages in stage_order.values():
        stages.sort()
        for index, (_order, stage_id) in enumerate(stages):
            previous[stage_id] = stages[index - 1][1] if index else None

    matches: dict[str, Match] = {}
    names: dict[str, str] = {}
    problem_matches = []
    for row in rows:
        event = row.stage.event
        allowed = set()
        for venue_id in {event.venue_id, *event_venues.get(event.id, ())} - {None}:
            allowed |= by_venue.get(venue_id, set())
        sides = match_sides(row)
        competitors = tuple(
            sched.Competitor(key=str(side.pk), people=frozenset(side.person_keys or ())) for side in sides
        )
        for side in sides:
            names[str(side.pk)] = side.display_name
            _name_people(names, side)
        key = str(row.pk)
        matches[key] = row
        problem_matches.append(
            sched.Match(
                id=key,
                duration=_duration(row, config),
                competitors=competitors,
                event=str(event.pk),
                age_band=event.age_group,
                earliest=minute(dt.datetime.combine(event.start_date, dt.time(), tzinfo=TZ)),
                latest_end=minute(
                    dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time(), tzinfo=TZ)
                ),
                after=_after(row, stage_matches, previous),
                resources=frozenset(allowed),
            )
        )

    usable = set().union(*(m.resources for m in problem_matches)) if problem_matches else set()
    draft: dict[str, sched.Placement] = {}
    pins: dict[str, sched.Placement] = {}
    pinned: set[str] = set()
    if with_draft:
        for placement in Placement.objects.filter(match__stage__event__programme=programme):
            key = str(placement.match_id)
            if key not in matches or str(placement.resource_id) not in resources:
                continue
            draft[key] = sched.Placement(key, str(placement.resource_id), minute(placement.starts_at))
            if placement.pinned or matches[key].status in PLAYED:
                pins[key] = draft[key]
                pinned.add(key)

    travel_venues, travel_cities = {}, {}
    for row in TravelTime.objects.filter(programme=programme):
        if row.from_venue_id:
            travel_venues[(str(row.from_venue_id), str(row.to_venue_id))] = row.minutes
        else:
            travel_cities[(str(row.from_city_id), str(row.to_city_id))] = row.minutes

    def day_minute(value: dt.time | None) -> int | None:
        return None if value is None else value.hour * 60 + value.minute

    limits = {
        row.band: sched.AgeBandLimit(
            band=row.band,
            max_matches_per_day=row.max_matches_per_day,
            earliest_start=day_minute(row.earliest_start),
            latest_start=day_minute(row.latest_start),
        )
        for row in AgeBandLimit.objects.filter(programme=programme)
    }
    problem = sched.Problem(
        matches=tuple(problem_matches),
        # Only resources some match may use: every other one only widens the builders' search.
        resources=tuple(r for r in problem_resources if r.id in usable),
        step=config.step_minutes,
        min_rest=config.min_rest_minutes,
        dependency_rest=config.dependency_rest_minutes,
        travel=sched.TravelMatrix(
            venues=travel_venues,
            cities=travel_cities,
            same_city=config.same_city_travel_minutes,
            other_city=config.other_city_travel_minutes,
        ),
        age_limits=limits,
        pins=pins,
    )
    return ScheduleWorld(programme, problem, epoch, matches, resources, draft, pinned, names)


# ---- the organiser's grid --------------------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    """One match on the grid: its row, where it is, and the reasons of every rule it breaks."""

    key: str
    match: Match
    start: dt.datetime | None
    resource_id: str | None
    pinned: bool
    problems: tuple[str, ...]


@dataclass
class GridRow:
    time: dt.datetime
    cells: list[list[Chip]]


@dataclass
class Grid:
    day: dt.date | None
    days: list[dt.date]
    resources: list[VenueResource]
    rows: list[GridRow]
    unplaced: list[Chip]
    problems: list[sched.Violation]
    placed: int
    total: int


def schedule_grid(world: ScheduleWorld, *, day: dt.date | None = None) -> Grid:
    """Resources against time for one day of the draft (the first open day when `day` is None)."""
    problem = world.problem
    violations = world.readable(sched.check_schedule(problem, world.draft))
    reasons: dict[str, list[str]] = {}
    for violation in violations:
        for key in violation.matches:
            reasons.setdefault(key, []).append(violation.reason)

    def chip(key: str) -> Chip:
        placement = world.draft.get(key)
        return Chip(
            key,
            world.matches[key],
            world.at(placement.start) if placement else None,
            placement.resource_id if placement else None,
            key in world.pinned,
            tuple(reasons.get(key, ())),
        )

    days = sorted(
        {
            (world.epoch + dt.timedelta(days=d)).date()
            for r in problem.resources
            for start, end in r.windows
            for d in range(sched.problem.day_of(start), sched.problem.day_of(end - 1) + 1)
        }
    )
    if day not in days:
        day = days[0] if days else None
    keys = [r.id for r in problem.resources]
    rows: list[GridRow] = []
    if day is not None:
        offset = (day - world.epoch.date()).days * sched.problem.MINUTES_PER_DAY
        spans = [
            (max(start, offset), min(end, offset + sched.problem.MINUTES_PER_DAY))
            for r in problem.resources
            for start, end in r.windows
            if start < offset + sched.problem.MINUTES_PER_DAY and end > offset
        ]
        step = problem.step
        first = min(s for s, _e in spans) // step * step
        last = max(e for _s, e in spans)
        index = {key: i for i, key in enumerate(keys)}
        rows = [GridRow(world.at(minute), [[] for _ in keys]) for minute in range(first, last, step)]
        for key, placement in sorted(world.draft.items(), key=lambda item: item[1].start):
            slot = (placement.start - first) // step
            if 0 <= slot < len(rows) and placement.resource_id in index:
                rows[slot].cells[index[placement.resource_id]].append(chip(key))
    return Grid(
        day=day,
        days=days,
        resources=[world.resources[key] for key in keys],
        rows=rows,
        unplaced=[chip(key) for key in world.matches if key not in world.draft],
        problems=violations,
        placed=len(world.draft),
        total=len(world.matches),
    )
