"""The greedy builder: instant drafts and what-ifs in pure Python.

Hardest matches first (results needed first, then the people with the most matches), each at its
cheapest legal place; a match with no legal place ejects one blocking match and re-places it
elsewhere; seeded restarts in a small time budget keep the best. A match still without a place is
listed with the rules that bind it, never dropped silently.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from events.scheduling.checker import ScheduleState, check_schedule, objective
from events.scheduling.problem import Match, Placement, Problem, Resource, day_of
from events.scheduling.result import Progress, ProgressCallback, ScheduleResult, Unplaced
from events.scheduling.rules import Rule


class _Options:
    """Per match, the (start, venue, resources) that pass the rules about the match alone."""

    def __init__(self, problem: Problem, state: ScheduleState):
        self.problem = problem
        venues: dict[tuple, list[Resource]] = defaultdict(list)
        for resource in problem.resources:
            venues[(resource.venue, resource.city, resource.windows)].append(resource)
        self.classes = list(venues.values())
        self.by_match: dict[str, list[tuple[int, int, list[Resource]]]] = {}
        for match in problem.matches:
            options = []
            for resources in self.classes:
                plain = not match.resources and match.id not in problem.fixed
                for start in self._starts(resources[0]):
                    if plain:
                        if state.static_violations(match, resources[0], start):
                            continue
                        allowed = resources
                    else:
                        allowed = [r for r in resources if not state.static_violations(match, r, start)]
                    if allowed:
                        options.append((problem.start_cost(start), start, allowed))
            options.sort(key=lambda option: (option[0], option[1]))
            self.by_match[match.id] = options

    def _starts(self, resource: Resource) -> tuple[int, ...]:
        if self.problem.slot_starts is not None:
            return self.problem.time_points
        return tuple(m for open_, close in resource.windows for m in range(open_, close, self.problem.step))


class GreedyBuilder:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.state = ScheduleState(problem, problem.fixed.values())
        self.options = _Options(problem, self.state)
        self.depth = self._depths()

    def _depths(self) -> dict[str, int]:
        depth: dict[str, int] = {}

        def visit(match_id: str, trail: frozenset[str]) -> int:
            if match_id in depth:
                return depth[match_id]
            match = self.problem.match_by_id.get(match_id)
            if match is None or match_id in trail:
                return 0
            value = 1 + max((visit(n, trail | {match_id}) for n in match.after), default=-1)
            depth[match_id] = value
            return value

        for match in self.problem.matches:
            visit(match.id, frozenset())
        return depth

    def order(self, rng: random.Random | None) -> list[Match]:
        problem = self.problem
        load = {
            match.id: sum(len(identity.matches) for identity in problem.identities_of.get(match.id, ()))
            + len(problem.identities_of.get(match.id, ()))
            for match in problem.matches
        }
        free = [match for match in problem.matches if match.id not in problem.fixed]
        noise = (lambda: rng.random()) if rng else (lambda: 0.0)
        keyed = [
            (self.depth[m.id], -(load[m.id] + 3 * noise()), len(self.options.by_match[m.id]), m.id, m)
            for m in free
        ]
        return [item[-1] for item in sorted(keyed)]

    # ---- placing one match ---------------------------------------------------------------

    def candidates(self, match: Match):
        """Legal-by-itself places, baseline first (fewest moves), then cheapest start."""
        baseline = self.problem.baseline.get(match.id)
        if baseline is not None:
            resource = self.problem.resource_by_id.get(baseline.resource_id)
            if resource is not None and not self.state.static_violations(match, resource, baseline.start):
                yield baseline.start, [resource]
        for _cost, start, resources in self.options.by_match[match.id]:
            yield start, self._prefer(match, start, resources)

    def _prefer(self, match: Match, start: int, resources: list[Resource]) -> list[Resource]:
        """Soft rules: the venue a competitor already plays at that day first, then the quietest venue."""
        venues = {r.venue for r in resources}
        if len(venues) < 2:
            return resources
        day = day_of(start)
        playing = set()
        for identity in self.problem.identities_of.get(match.id, ()):
            if identity.competitors:
                for other in self.state.by_identity.get(identity.key, ()):
                    placed = self.state.placements[other]
                    if day_of(placed.start) == day:
                        playing.add(self.problem.resource_by_id[placed.resource_id].venue)
        load: dict[str, int] = defaultdict(int)
        for placed in self.state.placements.values():
            load[self.problem.resource_by_id[placed.resource_id].venue] += 1
        return sorted(resources, key=lambda r: (r.venue not in playing, load[r.venue], r.id))

    def try_place(self, match: Match, below_cost: int | None = None) -> Placement | None:
        state = self.state
        for start, resources in self.candidates(match):
            if below_cost is not None and self.problem.start_cost(start) >= below_cost:
                return None
            end = start + match.duration
            checked_venues: dict[tuple[str, str], bool] = {}
            for resource in resources:
                venue = (resource.venue, resource.city)
                if venue not in checked_venues:
                    checked_venues[venue] = not state.clash_violations(
                        match, resource, start, first_only=True, check_resource=False
                    )
                if checked_venues[venue] and state.resource_busy(resource.id, start, end, match.id) is None:
                    placement = Placement(match.id, resource.id, start)
                    state.add(placement)
                    return placement
        return None

    def try_eject(self, match: Match, max_blockers: int = 2) -> bool:
        """Place `match` by moving up to `max_blockers` placed matches that block it elsewhere."""
        state, problem = self.state, self.problem
        tries = []
        looked = 0
        for start, resources in self.candidates(match):
            if looked > 150:  # the earliest places are where an ejection pays; stop looking later
                break
            for resource in resources:
                looked += 1
                blockers = self._blockers(match, resource, start)
                if blockers is not None and len(blockers) <= max_blockers:
                    tries.append((len(blockers), problem.start_cost(start), start, resource, blockers))
        tries.sort(key=lambda t: t[:3])
        # The cheapest few dozen are where a move pays off; the rest only cost time.
        for _size, _cost, start, resource, blockers in tries[:40]:
            old = [state.remove(blocker_id) for blocker_id in blockers]
            if not state.clash_violations(match, resource, start, first_only=True):
                state.add(Placement(match.id, resource.id, start))
                placed = [self.try_place(problem.match_by_id[b]) for b in blockers]
                if all(placed):
                    return True
                for placement in placed:
                    if placement is not None:
                        state.remove(placement.match_id)
                state.remove(match.id)
            for placement in old:
                state.add(placement)
        return False

    def _blockers(self, match: Match, resource: Resource, start: int) -> list[str] | None:
        """The placed matches whose removal would free this place (None when a pin is in the way)."""
        state, problem = self.state, self.problem
        blockers: set[str] = set()
        for violation in state.clash_violations(match, resource, start):
            if len(violation.matches) == 2:
                blockers.add(next(m for m in violation.matches if m != match.id))
            else:  # a daily limit: the latest of that identity's matches that day
                same_day = sorted(
                    (state.placements[other].start, other)
                    for identity in problem.identities_of.get(match.id, ())
                    if set(identity.people) & set(violation.people)
                    or identity.label == violation.params.get("who")
                    for other in state.by_identity.get(identity.key, ())
                    if day_of(state.placements[other].start) == day_of(start) and other not in problem.fixed
                )
                if not same_day:
                    return None
                blockers.add(same_day[-1][1])
        if blockers & set(problem.fixed):
            return None
        return sorted(blockers)

    def improve(self) -> None:
        """Move matches to cheaper legal places until none moves (finish early, fewer moves)."""
        problem, state = self.problem, self.state
        several_venues = len({r.venue for r in problem.resources}) > 1
        current = objective(problem, state.placements)
        changed = True
        while changed:
            changed = False
            for match_id in sorted(state.placements, key=lambda m: -state.placements[m].start):
                if match_id in problem.fixed:
                    continue
                old = state.remove(match_id)
                limit = None if several_venues or problem.baseline else problem.start_cost(old.start)
                placement = self.try_place(problem.match_by_id[match_id], below_cost=limit)
                if placement is None or placement == old:
                    state.add(old)
                    continue
                if several_venues or problem.baseline:
                    # Soft rules and moves depend on the whole schedule: score it all.
                    value = objective(problem, state.placements)
                    better = value < current
                else:
                    better = problem.start_cost(placement.start) < problem.start_cost(old.start)
                    value = current
                if better:
                    current, changed = value, True
                else:
                    state.add(old)

    def sweep(self, rng: random.Random | None) -> None:
        """List scheduling: walk the time points in order and fill every free resource at each one
        with the most urgent match that may start there (results needed first, then the people
        with the most matches still to play). Filling early slots fully is what finishes early.
        """
        problem, state = self.problem, self.state
        starts_of: dict[str, dict[int, list[Resource]]] = {
            match_id: {start: resources for _c, start, resources in options}
            for match_id, options in self.options.by_match.items()
        }
        left = {m.id: m for m in self.order(rng)}
        remaining: dict[str, int] = defaultdict(int)
        for match_id in left:
            for identity in problem.identities_of.get(match_id, ()):
                remaining[identity.key] += 1
        noise = {match_id: (rng.random() if rng else 0.0) for match_id in left}
        for point in problem.time_points:
            ready = [m for m in left.values() if point in starts_of[m.id]]
            if not ready:
                continue
            ready.sort(
                key=lambda m: (
                    self.depth[m.id],
                    -max((remaining[i.key] for i in problem.identities_of.get(m.id, ())), default=0),
                    -sum(remaining[i.key] for i in problem.identities_of.get(m.id, ())) - 2 * noise[m.id],
                    m.id,
                )
            )
            for match in ready:
                resources = self._prefer(match, point, starts_of[match.id][point])
                end = point + match.duration
                one_venue = len({(r.venue, r.city) for r in resources}) == 1
                if one_venue and state.clash_violations(
                    match, resources[0], point, first_only=True, check_resource=False
                ):
                    continue
                for resource in resources:
                    if state.resource_busy(resource.id, point, end, match.id) is not None:
                        continue
                    if state.clash_violations(match, resource, point, first_only=True, check_resource=False):
                        continue
                    state.add(Placement(match.id, resource.id, point))
                    del left[match.id]
                    for identity in problem.identities_of.get(match.id, ()):
                        remaining[identity.key] -= 1
                    break

    def run(self, rng: random.Random | None, *, sweep: bool = True) -> dict[str, Placement]:
        if sweep and not self.problem.baseline:
            self.sweep(rng)
        left = []
        for match in self.order(rng):
            if match.id not in self.state.placements and self.try_place(match) is None:
                left.append(match)
        for match in left:
            if match.id not in self.state.placements:
                self.try_eject(match)
        self.improve()
        return dict(self.state.placements)


def build_greedy(
    problem: Problem,
    *,
    time_limit: float = 0.3,
    max_restarts: int = 20,
    seed: int = 0,
    keep_trying: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ScheduleResult:
    """A complete or best-effort schedule in milliseconds.

    Runs once in a fixed order; if matches are left unplaced (or with `keep_trying`, to finish
    earlier), restarts with seeded random tie-breaks while `time_limit` seconds and `max_restarts`
    allow, keeping the best. Unplaced matches come back
    in `unplaced` with the rules that bind them, and as UNPLACED violations.
    """
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  tie-breaks, not secrets
    best: dict[str, Placement] | None = None
    best_value = 0
    progress = []
    for attempt in range(max_restarts + 1):
        # First the time sweep and the hardest-match-first order without noise, then seeded noise.
        placements = GreedyBuilder(problem).run(rng if attempt > 1 else None, sweep=attempt != 1)
        value = objective(problem, placements)
        if best is None or value < best_value:
            best, best_value = placements, value
            report = Progress(value, None, time.perf_counter() - started, len(placements))
            progress.append(report)
            if on_progress:
                on_progress(report)
        complete = len(best) == len(problem.matches)
        if (complete and not keep_trying) or time.perf_counter() - started > time_limit:
            break
    return finish("greedy", problem, best or {}, started, progress=progress)


def finish(
    builder: str, problem: Problem, placements: dict[str, Placement], started: float, **extra
) -> ScheduleResult:
    violations = check_schedule(problem, placements)
    unplaced = [
        Unplaced(v.matches[0], tuple(v.params.get("binding", ())))
        for v in violations
        if v.rule is Rule.UNPLACED
    ]
    status = extra.pop("status", "complete" if not unplaced else "incomplete")
    return ScheduleResult(
        builder=builder,
        placements=placements,
        unplaced=unplaced,
        violations=violations,
        objective=objective(problem, placements),
        status=status,
        elapsed=time.perf_counter() - started,
        **extra,
    )
