"""The schedule problem as plain data: matches, venue resources, rules, pins and a freeze horizon.

Times are whole minutes from the problem's epoch (midnight of day 0 in the venue's time zone), so
day `d` runs from `d * 1440` to `(d + 1) * 1440`. Nothing here knows about Django models: the
`events` services turn stages, competitors and venues into these objects and back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

MINUTES_PER_DAY = 1440


def day_of(minute: int) -> int:
    return minute // MINUTES_PER_DAY


def minute_of_day(minute: int) -> int:
    return minute % MINUTES_PER_DAY


@dataclass(frozen=True)
class Competitor:
    """An entry in a draw (a fencer, a crew, a team) with the opaque keys of the people in it."""

    key: str
    people: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    """A bout, game or race to place.

    `after` lists the matches whose results it needs: it starts no earlier than their end plus the
    problem's `dependency_rest`. `resources`, when not empty, limits it to those resource ids (a
    final on the centre court, a race on the regatta course).
    """

    id: str
    duration: int
    competitors: tuple[Competitor, ...] = ()
    event: str = ""
    age_band: str = ""
    earliest: int | None = None
    latest_end: int | None = None
    after: tuple[str, ...] = ()
    resources: frozenset[str] = frozenset()

    @cached_property
    def people(self) -> frozenset[str]:
        return frozenset(person for competitor in self.competitors for person in competitor.people)


@dataclass(frozen=True)
class Resource:
    """A piste, court or lane. `windows` are the venue's opening hours as (start, end) minutes."""

    id: str
    venue: str
    city: str
    windows: tuple[tuple[int, int], ...]
    label: str = ""


@dataclass(frozen=True)
class AgeBandLimit:
    """Safeguarding limits for children of one age band, counted per child across every event."""

    band: str
    max_matches_per_day: int | None = None
    earliest_start: int | None = None  # minute of the day
    latest_start: int | None = None  # minute of the day


@dataclass(frozen=True)
class TravelMatrix:
    """Minutes to get from one venue to another, edited by the organiser.

    Looked up by venue pair first, then by city pair; otherwise `same_city` or `other_city`.
    Pairs are symmetric: (a, b) also answers (b, a).
    """

    venues: Mapping[tuple[str, str], int] = field(default_factory=dict)
    cities: Mapping[tuple[str, str], int] = field(default_factory=dict)
    same_city: int = 0
    other_city: int = 120

    def minutes(self, a: Resource, b: Resource) -> int:
        if a.venue == b.venue:
            return 0
        for table, key in ((self.venues, (a.venue, b.venue)), (self.cities, (a.city, b.city))):
            if key in table:
                return table[key]
            if key[::-1] in table:
                return table[key[::-1]]
        return self.same_city if a.city == b.city else self.other_city


@dataclass(frozen=True)
class Identity:
    """People (`p:<key>`) and competitors (`c:<key>`) who play exactly the same matches."""

    key: str
    members: tuple[str, ...]
    matches: tuple[str, ...]
    band: str = ""

    @cached_property
    def people(self) -> tuple[str, ...]:
        return tuple(member[2:] for member in self.members if member.startswith("p:"))

    @cached_property
    def competitors(self) -> tuple[str, ...]:
        return tuple(member[2:] for member in self.members if member.startswith("c:"))

    @cached_property
    def label(self) -> str:
        return self.key[2:]


@dataclass(frozen=True)
class Placement:
    match_id: str
    resource_id: str
    start: int


@dataclass(frozen=True)
class Weights:
    """Weights of the soft rules in the objective; `unplaced` dwarfs the rest on purpose."""

    start: int = 1  # per slot index (or per `step` minutes) of each match's start: finish early
    team_venue_split: int = 4  # per extra venue a competitor plays at on one day
    venue_imbalance: int = 1  # per match between the busiest and the quietest venue
    moved: int = 1000  # per match moved from the baseline when rescheduling
    unplaced: int = 1_000_000


@dataclass(frozen=True)
class Problem:
    """Everything the builders and the checker need.

    - `slot_starts`: when given, matches start only at these minutes (a slot grid); otherwise at
      every `step` minutes inside a resource's windows.
    - `min_rest`: minutes between the end of one match and the start of the next for every person
      and every competitor (0 = back to back allowed).
    - `max_matches_per_day`: per competitor (a team plays at most this many games a day).
    - `person_bands`: the age band of a person key; `age_limits` apply to every match that person is
      in. A match's own `age_band` applies to its people who have none here.
    - `pins`: placements the builder keeps as they are.
    - `frozen_before` with `baseline`: same-day rescheduling; every baseline placement starting
      before the horizon stays, nothing else may start before it, and moves from the baseline cost
      `weights.moved` each.
    """

    matches: tuple[Match, ...]
    resources: tuple[Resource, ...]
    slot_starts: tuple[int, ...] | None = None
    step: int = 15
    min_rest: int = 0
    dependency_rest: int = 0
    max_matches_per_day: int | None = None
    travel: TravelMatrix = field(default_factory=TravelMatrix)
    age_limits: Mapping[str, AgeBandLimit] = field(default_factory=dict)
    person_bands: Mapping[str, str] = field(default_factory=dict)
    pins: Mapping[str, Placement] = field(default_factory=dict)
    frozen_before: int | None = None
    baseline: Mapping[str, Placement] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)

    # ---- derived look-ups, computed once per problem -------------------------------------------

    @cached_property
    def match_by_id(self) -> dict[str, Match]:
        return {match.id: match for match in self.matches}

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    @cached_property
    def time_points(self) -> tuple[int, ...]:
        """Every minute a match may start at, sorted; a start's index is its cost unit."""
        if self.slot_starts is not None:
            return tuple(sorted(set(self.slot_starts)))
        points: set[int] = set()
        for resource in self.resources:
            for start, end in resource.windows:
                points.update(range(start, end, self.step))
        return tuple(sorted(points))

    @cached_property
    def time_index(self) -> dict[int, int]:
        return {minute: index for index, minute in enumerate(self.time_points)}

    def start_cost(self, start: int) -> int:
        """The objective's unit for a start: its slot index (or its index on the `step` grid)."""
        index = self.time_index.get(start)
        if index is not None:
            return index
        return sum(1 for point in self.time_points if point < start)

    def person_band(self, person: str) -> str:
        return self.person_bands.get(person) or self._match_bands.get(person, "")

    @cached_property
    def _match_bands(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for match in self.matches:
            for person in match.people:
                if match.age_band:
                    found.setdefault(person, match.age_band)
        return found

    @cached_property
    def hour_limits(self) -> dict[str, tuple[tuple[str, AgeBandLimit], ...]]:
        """Per match, its people whose age band limits the start time, with that limit."""
        found = {}
        for match in self.matches:
            limited = []
            for person in sorted(match.people):
                limit = self.age_limits.get(self.person_band(person))
                if limit is not None and (limit.earliest_start is not None or limit.latest_start is not None):
                    limited.append((person, limit))
            found[match.id] = tuple(limited)
        return found

    @cached_property
    def identities(self) -> dict[str, Identity]:
        """Who cannot be in two places at once, grouped: people (and competitors) with the same
        matches and the same age band share one `Identity`, so a team of twelve is checked once.
        """
        matches_of: dict[str, list[str]] = defaultdict(list)
        for match in self.matches:
            keys = {f"c:{competitor.key}" for competitor in match.competitors}
            keys.update(f"p:{person}" for person in match.people)
            for key in keys:
                matches_of[key].append(match.id)
        groups: dict[tuple, list[str]] = defaultdict(list)
        for key, ids in matches_of.items():
            band = self.person_band(key[2:]) if key.startswith("p:") else ""
            groups[(tuple(sorted(ids)), band)].append(key)
        found = {}
        for (ids, band), members in groups.items():
            members.sort(key=lambda key: (not key.startswith("c:"), key))
            identity = Identity(key=members[0], members=tuple(members), matches=ids, band=band)
            found[identity.key] = identity
        return found

    @cached_property
    def identities_of(self) -> dict[str, tuple[Identity, ...]]:
        found: dict[str, list[Identity]] = defaultdict(list)
        for identity in self.identities.values():
            for match_id in identity.matches:
                found[match_id].append(identity)
        return {key: tuple(sorted(value, key=lambda i: i.key)) for key, value in found.items()}

    def band_limit(self, identity: Identity) -> AgeBandLimit | None:
        return self.age_limits.get(identity.band) if identity.band else None

    @cached_property
    def dependents(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = defaultdict(list)
        for match in self.matches:
            for needed in match.after:
                found[needed].append(match.id)
        return {key: tuple(value) for key, value in found.items()}

    @cached_property
    def fixed(self) -> dict[str, Placement]:
        """Placements no builder may change: pins, and the baseline before the freeze horizon."""
        fixed = dict(self.pins)
        if self.frozen_before is not None:
            for match_id, placement in self.baseline.items():
                if placement.start < self.frozen_before and match_id in self.match_by_id:
                    fixed.setdefault(match_id, placement)
        return fixed
