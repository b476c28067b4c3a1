"""The conflict checker: every broken rule of a schedule, or of one manual move, with its reason.

`ScheduleState` holds placements with per-resource and per-person indexes so that one move is
checked against only the matches it could clash with (the grid's drag-and-drop calls it on every
drop); the builders use the same state, so they and the checker never disagree about a rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from events.scheduling.problem import (
    MINUTES_PER_DAY,
    Match,
    Placement,
    Problem,
    Resource,
    day_of,
    minute_of_day,
)
from events.scheduling.rules import Rule, Violation, clock


class ScheduleState:
    """Placements plus the indexes that make checking one move cheap."""

    def __init__(self, problem: Problem, placements: Iterable[Placement] = ()):
        self.problem = problem
        self.placements: dict[str, Placement] = {}
        self.spans: dict[str, tuple[int, int, Resource]] = {}
        self.by_resource: dict[str, set[str]] = defaultdict(set)
        self.by_identity: dict[str, set[str]] = defaultdict(set)
        for placement in placements:
            self.add(placement)

    def add(self, placement: Placement) -> None:
        self.remove(placement.match_id)
        self.placements[placement.match_id] = placement
        match = self.problem.match_by_id.get(placement.match_id)
        resource = self.problem.resource_by_id.get(placement.resource_id)
        if match is not None and resource is not None:
            self.spans[placement.match_id] = (placement.start, placement.start + match.duration, resource)
        self.by_resource[placement.resource_id].add(placement.match_id)
        for identity in self.problem.identities_of.get(placement.match_id, ()):
            self.by_identity[identity.key].add(placement.match_id)

    def remove(self, match_id: str) -> Placement | None:
        placement = self.placements.pop(match_id, None)
        if placement is not None:
            self.spans.pop(match_id, None)
            self.by_resource[placement.resource_id].discard(match_id)
            for identity in self.problem.identities_of.get(match_id, ()):
                self.by_identity[identity.key].discard(match_id)
        return placement

    # ---- one placement against the rules ---------------------------------------------------

    def static_violations(self, match: Match, resource: Resource, start: int) -> list[Violation]:
        """Rules that depend on this match alone: hours, grid, earliest and latest, pins, freeze."""
        problem, found = self.problem, []
        end = start + match.duration
        ids = (match.id,)
        if match.resources and resource.id not in match.resources:
            found.append(
                Violation(Rule.RESOURCE_NOT_ALLOWED, ids, params={"resource": resource.label or resource.id})
            )
        if not any(open_ <= start and end <= close for open_, close in resource.windows):
            found.append(Violation(Rule.VENUE_HOURS, ids, params={"resource": resource.label or resource.id}))
        if problem.slot_starts is not None and start not in problem.time_index:
            found.append(Violation(Rule.SLOT_GRID, ids))
        if match.earliest is not None and start < match.earliest:
            found.append(Violation(Rule.EARLIEST, ids, params={"time": clock(match.earliest)}))
        if match.latest_end is not None and end > match.latest_end:
            found.append(Violation(Rule.LATEST, ids, params={"time": clock(match.latest_end)}))
        for person, limit in problem.hour_limits.get(match.id, ()):
            band = limit.band
            low = limit.earliest_start if limit.earliest_start is not None else 0
            high = limit.latest_start if limit.latest_start is not None else MINUTES_PER_DAY
            if not low <= minute_of_day(start) <= high:
                found.append(
                    Violation(
                        Rule.AGE_HOURS,
                        ids,
                        (person,),
                        {"band": band, "earliest": clock(low)[3:], "latest": clock(high)[3:]},
                    )
                )
        fixed = problem.fixed.get(match.id)
        if fixed is not None and (fixed.resource_id, fixed.start) != (resource.id, start):
            rule = Rule.PIN if match.id in problem.pins else Rule.FROZEN
            fixed_resource = problem.resource_by_id.get(fixed.resource_id)
            found.append(
                Violation(
                    rule,
                    ids,
                    params={
                        "resource": fixed_resource.label or fixed.resource_id
                        if fixed_resource
                        else fixed.resource_id,
                        "time": clock(fixed.start if rule is Rule.PIN else problem.frozen_before or 0),
                    },
                )
            )
        elif fixed is None and problem.frozen_before is not None and start < problem.frozen_before:
            found.append(Violation(Rule.FROZEN, ids, params={"time": clock(problem.frozen_before)}))
        return found

    def resource_busy(self, resource_id: str, start: int, end: int, match_id: str = "") -> str | None:
        """The id of a match using this resource during [start, end), if any."""
        for other_id in self.by_resource.get(resource_id, ()):
            if other_id == match_id:
                continue
            other_start, other_end, _ = self.spans[other_id]
            if other_start < end and start < other_end:
                return other_id
        return None

    def gap_needed(self, first: Resource, second: Resource) -> tuple[int, Rule]:
        travel = self.problem.travel.minutes(first, second)
        rest = self.problem.min_rest
        if travel > rest:
            return travel, Rule.TRAVEL
        return rest, Rule.REST

    def clash_violations(
        self,
        match: Match,
        resource: Resource,
        start: int,
        *,
        first_only: bool = False,
        check_resource: bool = True,
        needed_placed: bool = True,
    ) -> list[Violation]:
        """Rules between this placement and the placed matches: overlap, rest, travel, limits, order.

        With `needed_placed` false, a needed match that is not placed yet is no violation (the
        CP-SAT builder filters candidates against the fixed matches only).
        """
        problem, found = self.problem, []
        end = start + match.duration
        day = day_of(start)
        rest = problem.min_rest
        if check_resource:
            busy = self.resource_busy(resource.id, start, end, match.id)
            if busy is not None:
                found.append(
                    Violation(
                        Rule.RESOURCE_OVERLAP,
                        (match.id, busy),
                        params={"resource": resource.label or resource.id},
                    )
                )
                if first_only:
                    return found
        # People and competitors: overlap, rest and travel; daily limits.
        for identity in problem.identities_of.get(match.id, ()):
            same_day = 0
            for other_id in self.by_identity.get(identity.key, ()):
                if other_id == match.id:
                    continue
                other_start, other_end, other_resource = self.spans[other_id]
                if other_start // MINUTES_PER_DAY == day:
                    same_day += 1
                if other_start < end and start < other_end:
                    rule, minutes = Rule.ATHLETE_OVERLAP, 0
                else:
                    gap = other_start - end if other_start >= end else start - other_end
                    if gap >= rest and other_resource.venue == resource.venue:
                        continue
                    minutes, rule = self.gap_needed(resource, other_resource)
                    if gap >= minutes:
                        continue
                found.append(
                    Violation(
                        rule,
                        (match.id, other_id),
                        identity.people,
                        {"who": identity.label, "minutes": minutes},
                    )
                )
                if first_only:
                    return found
            daily = problem.max_matches_per_day if identity.competitors else None
            if daily is not None and same_day + 1 > daily:
                found.append(
                    Violation(
                        Rule.DAILY_LIMIT,
                        (match.id,),
                        identity.people,
                        {"who": identity.label, "limit": problem.max_matches_per_day},
                    )
                )
                if first_only:
                    return found
            limit = problem.band_limit(identity)
            band_daily = limit.max_matches_per_day if limit is not None else None
            if limit is not None and band_daily is not None and same_day + 1 > band_daily:
                found.append(
                    Violation(
                        Rule.AGE_DAILY_LIMIT,
                        (match.id,),
                        identity.people,
                        {"who": identity.label, "limit": limit.max_matches_per_day, "band": limit.band},
                    )
                )
                if first_only:
                    return found
        # Order: the results it needs first, and the matches needing its result after.
        for needed_id in match.after:
            needed = problem.match_by_id.get(needed_id)
            placed = self.placements.get(needed_id)
            if needed is None:
                continue
            if placed is None and not needed_placed:
                continue
            if placed is None or placed.start + needed.duration + problem.dependency_rest > start:
                found.append(
                    Violation(
                        Rule.DEPENDENCY,
                        (match.id, needed_id),
                        params={"needed": needed_id, "minutes": problem.dependency_rest},
                    )
                )
                if first_only:
                    return found
        for later_id in problem.dependents.get(match.id, ()):
            placed = self.placements.get(later_id)
            if placed is not None and end + problem.dependency_rest > placed.start:
                found.append(
                    Violation(
                        Rule.DEPENDENCY,
                        (later_id, match.id),
                        params={"needed": match.id, "minutes": problem.dependency_rest},
                    )
                )
                if first_only:
                    return found
        return found

    def check_move(self, match_id: str, resource_id: str, start: int) -> list[Violation]:
        """Every rule that placing (or moving) this match here would break, ignoring its old place."""
        match = self.problem.match_by_id.get(match_id)
        resource = self.problem.resource_by_id.get(resource_id)
        if match is None or resource is None:
            return [
                Violation(
                    Rule.UNKNOWN, (match_id,), params={"what": match_id if match is None else resource_id}
                )
            ]
        return self.static_violations(match, resource, start) + self.clash_violations(match, resource, start)

    def blocking_rules(self, match: Match) -> tuple[Rule, ...]:
        """Why a match has no place: the rules that rule out its candidate placements, most common first."""
        counts: Counter[Rule] = Counter()
        problem = self.problem
        starts = problem.time_points if problem.slot_starts is not None else None
        for resource in problem.resources:
            candidates = starts or tuple(
                minute for open_, close in resource.windows for minute in range(open_, close, problem.step)
            )
            for start in candidates:
                static = self.static_violations(match, resource, start)
                rules = {violation.rule for violation in static}
                if not rules:
                    rules = {violation.rule for violation in self.clash_violations(match, resource, start)}
                counts.update(rules)
        return tuple(rule for rule, _ in counts.most_common())


def unplaced_violation(state: ScheduleState, match: Match) -> Violation:
    rules = state.blocking_rules(match)
    return Violation(Rule.UNPLACED, (match.id,), params={"binding": rules})


def check_schedule(
    problem: Problem, placements: Mapping[str, Placement] | Iterable[Placement]
) -> list[Violation]:
    """Every violation in a whole schedule, each pair reported once; unplaced matches name their rules."""
    items = list(placements.values()) if isinstance(placements, Mapping) else list(placements)
    state = ScheduleState(problem)
    found: list[Violation] = []
    unknown = [
        p
        for p in items
        if p.match_id not in problem.match_by_id or p.resource_id not in problem.resource_by_id
    ]
    for placement in unknown:
        found.append(Violation(Rule.UNKNOWN, (placement.match_id,), params={"what": placement.match_id}))
    known = sorted((p for p in items if p not in unknown), key=lambda p: (p.start, p.match_id))
    for placement in known:
        match = problem.match_by_id[placement.match_id]
        resource = problem.resource_by_id[placement.resource_id]
        found.extend(state.static_violations(match, resource, placement.start))
        # Checked against those placed so far: each clash shows up once, on the later match.
        found.extend(state.clash_violations(match, resource, placement.start))
        state.add(placement)
    # A limit is broken once per extra match; keep one violation per rule, subject and day.
    found = _dedupe_limits(found, state)
    found.extend(soft_violations(problem, state.placements))
    for match in problem.matches:
        if match.id not in state.placements:
            found.append(unplaced_violation(state, match))
    return found


def _dedupe_limits(found: list[Violation], state: ScheduleState) -> list[Violation]:
    seen: set[tuple] = set()
    kept = []
    for violation in found:
        if violation.rule in (Rule.DAILY_LIMIT, Rule.AGE_DAILY_LIMIT):
            day = (
                day_of(state.placements[violation.matches[0]].start)
                if violation.matches[0] in state.placements
                else -1
            )
            key = (violation.rule, violation.params.get("who"), day)
            if key in seen:
                continue
            seen.add(key)
        kept.append(violation)
    return kept


def soft_violations(problem: Problem, placements: Mapping[str, Placement]) -> list[Violation]:
    """Warnings: a competitor at several venues on one day, and unbalanced venues."""
    found = []
    for key, venues in sorted(team_venues_by_day(problem, placements).items()):
        if len(venues) > 1:
            found.append(
                Violation(
                    Rule.TEAM_VENUES,
                    tuple(sorted(match_id for ids in venues.values() for match_id in ids)),
                    params={"who": key[0], "count": len(venues), "day": key[1]},
                )
            )
    imbalance = venue_imbalance(problem, placements)
    if imbalance > 1:
        found.append(Violation(Rule.VENUE_BALANCE, params={"difference": imbalance}))
    return found


def team_venues_by_day(
    problem: Problem, placements: Mapping[str, Placement]
) -> dict[tuple[str, int], dict[str, list[str]]]:
    found: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for match_id, placement in placements.items():
        match = problem.match_by_id.get(match_id)
        resource = problem.resource_by_id.get(placement.resource_id)
        if match is None or resource is None:
            continue
        for competitor in match.competitors:
            found[(competitor.key, day_of(placement.start))][resource.venue].append(match_id)
    return found


def venue_imbalance(problem: Problem, placements: Mapping[str, Placement]) -> int:
    venues = sorted({resource.venue for resource in problem.resources})
    if len(venues) < 2:
        return 0
    counts = Counter({venue: 0 for venue in venues})
    for placement in placements.values():
        resource = problem.resource_by_id.get(placement.resource_id)
        if resource is not None:
            counts[resource.venue] += 1
    return max(counts.values()) - min(counts.values())


def moved_matches(problem: Problem, placements: Mapping[str, Placement]) -> list[str]:
    return sorted(
        match_id
        for match_id, before in problem.baseline.items()
        if match_id in problem.match_by_id and placements.get(match_id) != before
    )


def objective(problem: Problem, placements: Mapping[str, Placement]) -> int:
    """The number both builders minimise (and CP-SAT bounds), from a schedule's placements."""
    weights = problem.weights
    total = weights.unplaced * sum(1 for match in problem.matches if match.id not in placements)
    total += weights.start * sum(
        problem.start_cost(p.start) for m, p in placements.items() if m in problem.match_by_id
    )
    splits = sum(len(venues) - 1 for venues in team_venues_by_day(problem, placements).values())
    total += weights.team_venue_split * splits
    total += weights.venue_imbalance * venue_imbalance(problem, placements)
    total += weights.moved * len(moved_matches(problem, placements))
    return total
