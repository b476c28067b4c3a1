"""Same-day rescheduling, contingency plans and the difference between two schedules.

`reschedule` freezes what has started (or is about to), closes the delayed resources for the
delay, and re-solves with every move from the published schedule costing `weights.moved`, so the
fewest matches move. `schedule_diff` says which matches moved and whose day changed: the
notifications tell only those people.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from events.scheduling.cpsat import build_cpsat
from events.scheduling.greedy import build_greedy
from events.scheduling.problem import Placement, Problem, Resource
from events.scheduling.result import ProgressCallback, ScheduleResult


@dataclass(frozen=True)
class Move:
    match_id: str
    before: Placement | None  # None: newly placed
    after: Placement | None  # None: no longer placed


@dataclass(frozen=True)
class ScheduleDiff:
    moved: tuple[Move, ...]
    people: frozenset[str]  # opaque person keys of everyone in a moved match
    competitors: frozenset[str]
    resources: frozenset[str]  # resources whose timetable changed (for ticket holders of a session)

    @property
    def match_ids(self) -> tuple[str, ...]:
        return tuple(move.match_id for move in self.moved)

    def __bool__(self) -> bool:
        return bool(self.moved)


def schedule_diff(
    problem: Problem, before: Mapping[str, Placement], after: Mapping[str, Placement]
) -> ScheduleDiff:
    """Which matches moved (resource or start changed, added or removed) and who is affected."""
    moved = []
    for match_id in sorted(set(before) | set(after)):
        old, new = before.get(match_id), after.get(match_id)
        if old != new:
            moved.append(Move(match_id, old, new))
    people: set[str] = set()
    competitors: set[str] = set()
    resources: set[str] = set()
    for move in moved:
        match = problem.match_by_id.get(move.match_id)
        if match is not None:
            people.update(match.people)
            competitors.update(c.key for c in match.competitors)
        resources.update(p.resource_id for p in (move.before, move.after) if p is not None)
    return ScheduleDiff(tuple(moved), frozenset(people), frozenset(competitors), frozenset(resources))


def _close(resource: Resource, start: int, end: int) -> Resource:
    windows = []
    for open_, close in resource.windows:
        if close <= start or open_ >= end:
            windows.append((open_, close))
            continue
        if open_ < start:
            windows.append((open_, start))
        if close > end:
            windows.append((end, close))
    return dataclasses.replace(resource, windows=tuple(windows))


def delayed_problem(
    problem: Problem,
    current: Mapping[str, Placement],
    *,
    now: int,
    delay: int = 0,
    resources: Iterable[str] | None = None,
) -> Problem:
    """The problem to re-solve after a delay of `delay` minutes from `now` on `resources` (all when None).

    Matches of the current schedule that start before `now` are frozen; the delayed resources take
    nothing new in [now, now + delay), except the frozen matches already on them.
    """
    closed = set(resources) if resources is not None else {r.id for r in problem.resources}
    new_resources = tuple(
        _close(resource, now, now + delay) if resource.id in closed and delay > 0 else resource
        for resource in problem.resources
    )
    return dataclasses.replace(problem, resources=new_resources, frozen_before=now, baseline=dict(current))


def reschedule(
    problem: Problem,
    current: Mapping[str, Placement],
    *,
    now: int,
    delay: int = 0,
    resources: Iterable[str] | None = None,
    time_limit: float = 5.0,
    workers: int = 2,
    on_progress: ProgressCallback | None = None,
) -> tuple[ScheduleResult, ScheduleDiff]:
    """Re-solve after a delay with the fewest moves; returns the new schedule and what changed."""
    delayed = delayed_problem(problem, current, now=now, delay=delay, resources=resources)
    greedy = build_greedy(delayed)
    result = build_cpsat(
        delayed, time_limit=time_limit, workers=workers, warm_start=greedy, on_progress=on_progress
    )
    return result, schedule_diff(problem, current, result.placements)


def switch_plan(
    problem: Problem, current: Mapping[str, Placement], plan: Mapping[str, Placement]
) -> tuple[dict[str, Placement], ScheduleDiff]:
    """Switch to a contingency plan prepared in advance (a wet-weather or high-water plan).

    A plan is a schedule built ahead against the contingency's problem (an indoor venue, fewer
    lanes). Returns the plan's placements and the diff against the current schedule, so only
    those whose matches moved are notified.
    """
    return dict(plan), schedule_diff(problem, current, plan)
