"""The CP-SAT formulation of a schedule problem, shaped to prove good bounds quickly.

- Identical resources (same venue, hours and restrictions) form one class. A match chooses a class
  and a start (one boolean each); the class's capacity is counted per time point, and concrete
  courts are dealt out afterwards by interval colouring. No boolean per match, start and court, so
  no symmetric copies of a schedule with two courts swapped.
- "Not in two places, with rest" is one clique constraint per person (grouped: people with the same
  matches share one) and time point: the starts that would cover that point sum to at most one.
  People whose matches are a subset of someone else's add nothing and are skipped.
- "Results first" is time-indexed: a match may start at s only if what it needs started early
  enough, which the LP relaxation sees (a big-M on start times would hide it).
- Daily limits are sums per day; travel is a pairwise clique only where two venues are far apart.
- Pins and the frozen part of a schedule are constants; their own clashes are reported, never
  allowed to make the model infeasible. A match may stay unplaced at a large cost, so the answer
  always says which matches have no place and why.

`ortools` is imported inside `Formulation`, so importing this module stays cheap.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from events.scheduling.checker import ScheduleState, team_venues_by_day
from events.scheduling.problem import Placement, Problem, Resource, day_of


def resource_classes(problem: Problem) -> list[list[Resource]]:
    restricted = {
        r.id: frozenset(m.id for m in problem.matches if r.id in m.resources) for r in problem.resources
    }
    fixed_on = defaultdict(set)
    for match_id, placement in problem.fixed.items():
        fixed_on[placement.resource_id].add(match_id)
    groups: dict[tuple, list[Resource]] = defaultdict(list)
    for resource in problem.resources:
        key = (
            resource.venue,
            resource.city,
            resource.windows,
            restricted[resource.id],
            frozenset(fixed_on[resource.id]),
            # A pinned or baseline resource stays itself, so a pin can name it.
            resource.id if fixed_on[resource.id] else "",
        )
        groups[key].append(resource)
    return list(groups.values())


class Formulation:
    def __init__(self, problem: Problem):
        from ortools.sat.python import cp_model  # noqa: PLC0415  heavy optional library: loaded only when solving

        self.cp_model = cp_model
        self.problem = problem
        self.model = cp_model.CpModel()
        self.state = ScheduleState(problem, problem.fixed.values())
        self.classes = resource_classes(problem)
        self.class_travel = {
            (a, b): problem.travel.minutes(first[0], second[0])
            for a, first in enumerate(self.classes)
            for b, second in enumerate(self.classes)
        }
        self.free = [m for m in problem.matches if m.id not in problem.fixed]
        self.x: dict[tuple[str, int, int], object] = {}  # (match, class, start) -> bool
        self.x_points: set[tuple[int, int]] = set()  # (class, start) pairs some match may take
        self.by_match: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.placed: dict[str, object] = {}
        self.objective_terms: list = []
        self.hint_values: dict[object, int] = {}

    # ---- variables --------------------------------------------------------------------------

    def candidates(self) -> None:
        problem, state = self.problem, self.state
        for match in self.free:
            for index, resources in enumerate(self.classes):
                representative = resources[0]
                starts = (
                    problem.time_points
                    if problem.slot_starts is not None
                    else tuple(m for o, c in representative.windows for m in range(o, c, problem.step))
                )
                for start in starts:
                    if state.static_violations(match, representative, start):
                        continue
                    # Clashes with fixed matches (pins, the frozen past) are ruled out here.
                    if state.clash_violations(
                        match,
                        representative,
                        start,
                        first_only=True,
                        check_resource=False,
                        needed_placed=False,
                    ):
                        continue
                    self.x[(match.id, index, start)] = self.model.new_bool_var(
                        f"x[{match.id},{index},{start}]"
                    )
                    self.by_match[match.id].append((index, start))
                    self.x_points.add((index, start))
            placed = self.model.new_bool_var(f"placed[{match.id}]")
            self.placed[match.id] = placed
            self.model.add(sum(self.x[(match.id, c, s)] for c, s in self.by_match[match.id]) == placed)

    # ---- hard rules ------------------------------------------------------------------------

    def capacity(self) -> None:
        """Per class and time point: the matches running then fit on the class's free resources."""
        state = self.state
        for index, resources in enumerate(self.classes):
            points = sorted({s for m in self.free for c, s in self.by_match[m.id] if c == index})
            covering: dict[int, list] = defaultdict(list)
            for match in self.free:
                for c, s in self.by_match[match.id]:
                    if c != index:
                        continue
                    # The points inside [s, s + duration), found by bisection, not by a scan.
                    for point in points[bisect_left(points, s) : bisect_left(points, s + match.duration)]:
                        covering[point].append(self.x[(match.id, c, s)])
            for point, terms in covering.items():
                busy = sum(1 for r in resources if state.resource_busy(r.id, point, point + 1) is not None)
                capacity = max(0, len(resources) - busy)
                if len(terms) > capacity:
                    self.model.add(sum(terms) <= capacity)

    def identities(self) -> None:
        problem = self.problem
        free_ids = {m.id for m in self.free}
        sets = {}
        for key, identity in problem.identities.items():
            matches = frozenset(m for m in identity.matches if m in free_ids)
            if len(matches) >= 2:
                sets[key] = matches
        # Skip an identity whose free matches are a subset of another's: its cliques are implied.
        containing: dict[str, list[str]] = defaultdict(list)
        for key, matches in sets.items():
            for match_id in matches:
                containing[match_id].append(key)
        kept = []
        for key, matches in sorted(sets.items()):
            first = next(iter(matches))
            dominated = any(
                other != key and matches <= sets[other] and (matches != sets[other] or other < key)
                for other in containing[first]
            )
            if not dominated:
                kept.append(key)
        for key in kept:
            self._clique_per_point(sorted(sets[key]))
            self._travel(sorted(sets[key]))
        # Daily limits concern every identity with a limit, dominated or not.
        for identity in problem.identities.values():
            limits = []
            if identity.competitors and problem.max_matches_per_day is not None:
                limits.append(problem.max_matches_per_day)
            band = problem.band_limit(identity)
            if band is not None and band.max_matches_per_day is not None:
                limits.append(band.max_matches_per_day)
            if limits:
                self._daily(identity.matches, min(limits))

    def _clique_per_point(self, match_ids: list[str]) -> None:
        problem = self.problem
        points = sorted({s for m in match_ids for _, s in self.by_match[m]})
        covering: dict[int, list] = defaultdict(list)
        for match_id in match_ids:
            reach = problem.match_by_id[match_id].duration + problem.min_rest
            for c, s in self.by_match[match_id]:
                for point in points[bisect_left(points, s) : bisect_left(points, s + reach)]:
                    covering[point].append(self.x[(match_id, c, s)])
        for point in points:
            if len(covering[point]) > 1:
                self.model.add_at_most_one(covering[point])

    def _travel(self, match_ids: list[str]) -> None:
        problem = self.problem
        rest = problem.min_rest
        classes = {c for match_id in match_ids for c, _ in self.by_match[match_id]}
        if all(self.class_travel[(a, b)] <= rest for a in classes for b in classes):
            return  # one venue, or venues close enough: the clique per point already covers it
        for i, first_id in enumerate(match_ids):
            first = problem.match_by_id[first_id]
            for second_id in match_ids[i + 1 :]:
                second = problem.match_by_id[second_id]
                for c1, s1 in self.by_match[first_id]:
                    clash = []
                    for c2, s2 in self.by_match[second_id]:
                        travel = self.class_travel[(c1, c2)]
                        if travel <= rest:
                            continue  # the clique per point already covers it
                        if s1 <= s2:
                            too_close = s2 - (s1 + first.duration) < travel
                        else:
                            too_close = s1 - (s2 + second.duration) < travel
                        if too_close:
                            clash.append(self.x[(second_id, c2, s2)])
                    if clash:
                        self.model.add(self.x[(first_id, c1, s1)] + sum(clash) <= 1)

    def _daily(self, match_ids: tuple[str, ...], limit: int) -> None:
        fixed = defaultdict(int)
        per_day: dict[int, list] = defaultdict(list)
        for match_id in match_ids:
            if match_id in self.problem.fixed:
                fixed[day_of(self.problem.fixed[match_id].start)] += 1
                continue
            for c, s in self.by_match.get(match_id, ()):
                per_day[day_of(s)].append(self.x[(match_id, c, s)])
        for day, terms in per_day.items():
            room = max(0, limit - fixed[day])
            if len({id(t) for t in terms}) > room:
                # Several candidates per match: count matches, not candidates (each sums to at most 1).
                self.model.add(sum(terms) <= room)

    def dependencies(self) -> None:
        problem = self.problem
        for match in self.free:
            for needed_id in match.after:
                needed = problem.match_by_id.get(needed_id)
                if needed is None or needed_id in problem.fixed:
                    continue  # fixed ones were checked when the candidates were made
                self.model.add_implication(self.placed[match.id], self.placed[needed_id])
                gap = needed.duration + problem.dependency_rest
                by_start: dict[int, list] = defaultdict(list)
                for c, s in self.by_match[match.id]:
                    by_start[s].append(self.x[(match.id, c, s)])
                for start, terms in by_start.items():
                    early_enough = [
                        self.x[(needed_id, c, s)] for c, s in self.by_match[needed_id] if s + gap <= start
                    ]
                    self.model.add(sum(terms) <= sum(early_enough))

    # ---- objective -------------------------------------------------------------------------

    def soft_rules(self) -> None:
        problem, weights = self.problem, self.problem.weights
        terms = self.objective_terms
        for match in self.free:
            terms.append(weights.unplaced * (1 - self.placed[match.id]))
            for c, s in self.by_match[match.id]:
                cost = problem.start_cost(s)
                if cost:
                    terms.append(weights.start * cost * self.x[(match.id, c, s)])
        self.constant = weights.unplaced * 0 + weights.start * sum(
            problem.start_cost(p.start) for p in problem.fixed.values()
        )
        venues = sorted({r.venue for r in problem.resources})
        if len(venues) > 1:
            self._team_venues()
            self._balance(venues)
        if problem.baseline:
            self._moves()

    def _team_venues(self) -> None:
        problem = self.problem
        model = self.model
        # (competitor, day) -> venue -> x list, and fixed venues
        by_team_day: dict[tuple[str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
        fixed_venues: dict[tuple[str, int], set[str]] = defaultdict(set)
        for match in problem.matches:
            for competitor in match.competitors:
                if match.id in problem.fixed:
                    placement = problem.fixed[match.id]
                    venue = problem.resource_by_id[placement.resource_id].venue
                    fixed_venues[(competitor.key, day_of(placement.start))].add(venue)
                    continue
                for c, s in self.by_match[match.id]:
                    by_team_day[(competitor.key, day_of(s))][self.classes[c][0].venue].append(
                        self.x[(match.id, c, s)]
                    )
        self.team_venue_vars = []
        for key, venues in by_team_day.items():
            if len(venues) + len(fixed_venues[key] - set(venues)) < 2:
                continue
            used = []
            for venue, xs in venues.items():
                if venue in fixed_venues[key]:
                    continue
                u = model.new_bool_var(f"u[{key},{venue}]")
                for x in xs:
                    model.add_implication(x, u)
                used.append(u)
                self.team_venue_vars.append((key, venue, u))
            plays = model.new_bool_var(f"plays[{key}]")
            all_x = [x for xs in venues.values() for x in xs]
            if fixed_venues[key]:
                model.add(plays == 1)
            else:
                model.add(plays <= sum(all_x))
            self.team_venue_vars.append((key, None, plays))
            self.objective_terms.append(
                self.problem.weights.team_venue_split * (sum(used) + len(fixed_venues[key]) - plays)
            )

    def _balance(self, venues: list[str]) -> None:
        problem, model = self.problem, self.model
        counts = {}
        for venue in venues:
            fixed = sum(
                1 for p in problem.fixed.values() if problem.resource_by_id[p.resource_id].venue == venue
            )
            xs = [
                self.x[(m.id, c, s)]
                for m in self.free
                for c, s in self.by_match[m.id]
                if self.classes[c][0].venue == venue
            ]
            counts[venue] = sum(xs) + fixed
        high = model.new_int_var(0, len(problem.matches), "busiest")
        low = model.new_int_var(0, len(problem.matches), "quietest")
        for count in counts.values():
            model.add(high >= count)
            model.add(low <= count)
        self.balance_vars = (high, low)
        self.objective_terms.append(problem.weights.venue_imbalance * (high - low))

    def _moves(self) -> None:
        problem = self.problem
        class_of = {r.id: index for index, resources in enumerate(self.classes) for r in resources}
        for match in self.free:
            before = problem.baseline.get(match.id)
            if before is None:
                continue
            stay = self.x.get((match.id, class_of.get(before.resource_id, -1), before.start))
            if stay is None:
                self.constant += problem.weights.moved
            else:
                self.objective_terms.append(problem.weights.moved * (1 - stay))

    # ---- hint and solution -----------------------------------------------------------------

    def hint(self, placements: dict[str, Placement]) -> None:
        class_of = {r.id: index for index, resources in enumerate(self.classes) for r in resources}
        chosen = set()
        for match_id, placement in placements.items():
            if match_id in self.placed:
                chosen.add((match_id, class_of[placement.resource_id], placement.start))
        for key, var in self.x.items():
            self.model.add_hint(var, 1 if key in chosen else 0)
        placed_ids = {key[0] for key in chosen if key in self.x}
        for match_id, var in self.placed.items():
            self.model.add_hint(var, 1 if match_id in placed_ids else 0)
        venue_days = team_venues_by_day(self.problem, placements)
        for key, venue, var in getattr(self, "team_venue_vars", []):
            venues = venue_days.get(key, {})
            self.model.add_hint(var, 1 if (venue in venues if venue else bool(venues)) else 0)
        if hasattr(self, "balance_vars"):
            load = defaultdict(int)
            for placement in placements.values():
                load[self.problem.resource_by_id[placement.resource_id].venue] += 1
            values = [load[v] for v in {r.venue for r in self.problem.resources}]
            self.model.add_hint(self.balance_vars[0], max(values))
            self.model.add_hint(self.balance_vars[1], min(values))

    def placements_from(self, values: dict[tuple[str, int, int], bool]) -> dict[str, Placement]:
        """The chosen class and start of each match, then concrete resources by interval colouring."""
        problem = self.problem
        placements = dict(problem.fixed)
        per_class: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for (match_id, c, s), value in values.items():
            if value:
                per_class[c].append((s, s + problem.match_by_id[match_id].duration, match_id))
        for c, items in per_class.items():
            resources = self.classes[c]
            free_at = {r.id: -(10**9) for r in resources}
            for start, end, match_id in sorted(items):
                before = problem.baseline.get(match_id)
                ready = [r.id for r in resources if free_at[r.id] <= start]
                if before is not None and before.resource_id in ready:
                    chosen = before.resource_id
                else:
                    chosen = min(ready, key=lambda rid: (-free_at[rid], rid)) if ready else resources[0].id
                free_at[chosen] = end
                placements[match_id] = Placement(match_id, chosen, start)
        return placements
