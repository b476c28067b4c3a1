"""The CP-SAT builder: a time-limited, warm-started optimisation of the greedy answer.

The whole model (`formulation.Formulation`) proves the lower bound; neighbourhood searches beside it
re-solve small parts of the schedule exactly and keep every gain. See `build_cpsat`.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict

from events.scheduling.checker import objective
from events.scheduling.formulation import Formulation
from events.scheduling.greedy import build_greedy, finish
from events.scheduling.problem import Problem
from events.scheduling.result import Progress, ProgressCallback, ScheduleResult
from events.scheduling.rules import Severity


def build_cpsat(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    warm_start: ScheduleResult | None = None,
    on_progress: ProgressCallback | None = None,
    seed: int = 0,
    log: bool = False,
) -> ScheduleResult:
    """Optimise the schedule with CP-SAT for at most `time_limit` seconds on `workers` threads.

    Warm-started from `warm_start` (the greedy answer when not given), whose every variable is
    hinted. Two searches share the threads: the whole model, which proves the lower bound (the LP
    of the clique model is strong) and may find better schedules; and a time-window search, which
    fixes everything outside two windows of the timeline and re-solves the windows exactly,
    growing them when they solve fast and shrinking them when not. With one worker they run one
    after the other.

    `on_progress` receives the objective and the proven bound as they improve (a Celery task can
    store them for the organiser's page); it may be called from a solver thread. Returns the same
    `ScheduleResult` as the greedy, with `bound` set; never worse than the warm start.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    if warm_start is None:
        # A few seeded restarts of the greedy are the cheapest first improvement there is.
        warm_start = build_greedy(problem, time_limit=0.04 * time_limit, keep_trying=True, seed=seed)
    built = Formulation(problem)
    built.candidates()
    built.capacity()
    built.identities()
    built.dependencies()
    built.soft_rules()
    if not warm_start.unplaced and warm_start.objective < problem.weights.unplaced:
        # The warm start places every match, so any schedule leaving one out costs more: placing
        # all is then a valid cut, and it keeps the huge `unplaced` weight out of the LP.
        for placed in built.placed.values():
            built.model.add(placed == 1)
    built.model.minimize(sum(built.objective_terms) + built.constant)
    built.hint(warm_start.placements)
    search = _Search(built, warm_start, started, on_progress)
    cp_model = built.cp_model

    full = _solver(cp_model, 1.0, 1, seed, log)
    if workers > 1:
        full.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
        whole = threading.Thread(target=search.run_full, args=(full,), daemon=True)
        whole.start()
        searchers = [
            threading.Thread(target=search.windows, args=(deadline, seed + n), daemon=True)
            for n in range(workers - 1)
        ]
        for thread in searchers:
            thread.start()
        # Once the bound stops rising (for a while, and not too early: on a busy machine it rises in
        # steps), the whole model's thread is worth more as one more neighbourhood search.
        stall = max(1.0, 0.15 * time_limit)
        while any(thread.is_alive() for thread in searchers) and time.perf_counter() < deadline:
            time.sleep(0.05)
            if (
                whole.is_alive()
                and search.bound_since is not None
                and time.perf_counter() - search.bound_since > stall
                and time.perf_counter() - started > 0.4 * time_limit
            ):
                full.stop_search()
                whole.join()
                searchers.append(
                    threading.Thread(target=search.windows, args=(deadline, seed + workers), daemon=True)
                )
                searchers[-1].start()
        # The window searches can end early on a small model: let the whole model finish its proof
        # (it stops at the deadline by itself) instead of cutting it off and reporting "feasible".
        whole.join(timeout=max(0.0, deadline - time.perf_counter()))
        full.stop_search()
        whole.join()
        for thread in searchers:
            thread.join()
    else:
        full.parameters.max_time_in_seconds = max(0.1, (deadline - time.perf_counter()) * 0.3)
        search.run_full(full)
        if not search.proven:
            search.windows(deadline, seed)
    if search.values is None:
        return finish(
            "cpsat",
            problem,
            dict(warm_start.placements),
            started,
            status=search.status,
            progress=search.progress,
        )
    placements = built.placements_from(search.values)
    if objective(problem, placements) > warm_start.objective and not _blocking(problem, warm_start):
        placements = dict(warm_start.placements)
    status = "optimal" if search.proven else "feasible"
    return finish(
        "cpsat", problem, placements, started, bound=search.bound, status=status, progress=search.progress
    )


class _Search:
    """The best schedule and bound so far, shared by the whole-model solve and the window search."""

    def __init__(
        self,
        built: Formulation,
        warm_start: ScheduleResult,
        started: float,
        on_progress: ProgressCallback | None,
    ):
        self.built = built
        self.started = started
        self.on_progress = on_progress
        self.lock = threading.Lock()
        self.progress: list[Progress] = []
        self.bound: int | None = None
        self.bound_since: float | None = None  # when the bound last rose
        self.full_done = False
        self.full_optimal = False
        self.status = "unknown"
        self.values: dict | None = None
        self.best: int | None = None
        class_of = {r.id: index for index, resources in enumerate(built.classes) for r in resources}
        chosen = {
            (m, class_of[p.resource_id], p.start)
            for m, p in warm_start.placements.items()
            if m in built.placed
        }
        if all(key in built.x for key in chosen) and len(chosen) == len(built.placed):
            self.values = {key: key in chosen for key in built.x}
            # The warm start is the first schedule to report (the page shows it at once). `best`
            # stays unset until the whole model confirms it, so the first windows may step sideways.
            first = Progress(warm_start.objective, None, time.perf_counter() - started)
            self.progress.append(first)
            if on_progress:
                on_progress(first)

    @property
    def proven(self) -> bool:
        if self.full_optimal:
            return True
        return self.best is not None and self.bound is not None and self.best <= self.bound

    def offer(
        self, value: int, values: dict | None, bound: float | None = None, *, sideways: bool = False
    ) -> None:
        """Take a schedule if it is better (or as good, `sideways`) and a bound if it is higher;
        report what changed."""
        with self.lock:
            changed = False
            if bound is not None and (self.bound is None or max(0, round(bound)) > self.bound):
                self.bound = max(0, round(bound))
                self.bound_since = time.perf_counter()
                changed = True
            if values is not None and (self.best is None or value < self.best):
                self.best, self.values = value, values
                changed = True
            elif values is not None and sideways and value == self.best:
                self.values = values  # same objective, nothing to report
            if not changed:
                return
            item = Progress(self.best, self.bound, time.perf_counter() - self.started)
            self.progress.append(item)
        if self.on_progress:
            self.on_progress(item)

    def run_full(self, solver) -> None:
        built, cp_model = self.built, self.built.cp_model
        search = self

        class Callback(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                value = round(self.objective_value)
                better = search.best is None or value < search.best
                values = {key: self.boolean_value(var) for key, var in built.x.items()} if better else None
                search.offer(value, values, self.best_objective_bound)

        # The bound also rises between solutions: report it (the organiser's page shows both).
        solver.best_bound_callback = lambda bound: search.offer(0, None, bound)
        status = solver.solve(built.model, Callback())
        self.status = solver.status_name(status).lower()
        self.full_optimal = status == cp_model.OPTIMAL
        self.full_done = True
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.offer(round(solver.objective_value), None, solver.best_objective_bound)

    def windows(self, deadline: float, seed: int) -> None:
        """Large-neighbourhood search: free some matches, fix the rest, solve exactly, keep a gain.

        Half the rounds free the matches in two windows of the timeline (they may move anywhere
        inside them: a later match into an early gap); half free a late match and the matches
        linked to it by people and competitors (they may move anywhere). Both kinds are resized
        so each sub-problem solves in a fraction of a second.
        """
        built = self.built
        cp_model = built.cp_model
        # Without a complete warm start, wait for the whole model's first schedule.
        while self.values is None and not self.full_done and time.perf_counter() < deadline:
            time.sleep(0.02)
        points = sorted({key[2] for key in built.x})
        index_of = {point: n for n, point in enumerate(points)}
        rng = random.Random(seed)  # noqa: S311  neighbourhood choice, not a secret
        width = max(2, min(len(points) // 5, 4))
        step_limit = 0.5
        sub = built.model.clone()
        variables = [(key, sub.proto.variables[var.index], var.index) for key, var in built.x.items()]
        domains = {key: (0, 1) for key in built.x}  # what each domain in `sub` is now
        size = 16  # matches freed by a related-matches neighbourhood
        while len(points) > 1 and self.values is not None and not self.proven:
            remaining = deadline - time.perf_counter()
            if remaining < 0.15:
                break
            with self.lock:
                values, best = self.values, self.best
            current = {key[0]: key for key, value in values.items() if value}
            by_window = rng.random() < 0.5
            if by_window:
                first, second = self._pick(points, index_of, current, width, rng)
                window = set(points[first : first + width]) | set(points[second : second + width])
            else:
                related = self._related(current, size, rng)
            sub.clear_hints()
            free = []
            for key, proto, index in variables:
                if (
                    key[2] in window and current.get(key[0], (0, 0, None))[2] in window
                    if by_window
                    else key[0] in related
                ):
                    wanted = (0, 1)
                    free.append((key, index))
                else:
                    # A Boolean's domain is [0, 1]: fixing both ends fixes it, no constraint added.
                    wanted = (int(values[key]),) * 2
                if domains[key] != wanted:
                    proto.domain[0], proto.domain[1] = wanted
                    domains[key] = wanted
            for key, index in free:
                sub.add_hint(sub.get_bool_var_from_proto_index(index), values[key])
            solver = _solver(cp_model, min(step_limit, remaining), 1, seed, False)
            status = solver.solve(sub)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                value = round(solver.objective_value)
                if best is None or value <= best:
                    # An equal schedule is taken too: a sideways step that lets the next
                    # neighbourhoods start from somewhere new instead of circling one plateau.
                    solution = solver.response_proto.solution
                    found = dict(values)
                    for key, index in free:
                        found[key] = bool(solution[index])
                    self.offer(value, found, sideways=True)
            fast = status == cp_model.OPTIMAL and solver.wall_time < step_limit / 4
            slow = status != cp_model.OPTIMAL
            if by_window:
                width = min(len(points), width + 1) if fast else max(2, width - 1) if slow else width
            else:
                size = min(len(built.placed), size + 2) if fast else max(4, size - 2) if slow else size

    def _related(self, current, size: int, rng) -> set[str]:
        """A late match and the matches linked to it through people and competitors, freed to go
        anywhere: long moves across the day, which time windows cannot make."""
        problem = self.built.problem
        placed = sorted(current.values(), key=lambda key: -key[2])
        if not placed:
            return set()
        seed_match = placed[int(rng.random() ** 2 * len(placed))][0]
        chosen, queue = {seed_match}, [seed_match]
        while queue and len(chosen) < size:
            match_id = queue.pop(rng.randrange(len(queue)))
            for identity in problem.identities_of.get(match_id, ()):
                for other in identity.matches:
                    if other in current and other not in chosen and len(chosen) < size:
                        chosen.add(other)
                        queue.append(other)
            if not queue and len(chosen) < size:  # an island: jump to another late match
                other = placed[int(rng.random() ** 2 * len(placed))][0]
                if other not in chosen:
                    chosen.add(other)
                    queue.append(other)
        return chosen

    def _pick(self, points, index_of, current, width, rng) -> tuple[int, int]:
        """Two windows that do not overlap: mostly the first around a time point with room left
        (a free court early on is where a later match can move to), the second later on."""
        last = max(0, len(points) - width)
        first = rng.randrange(0, max(1, len(points) - 2 * width + 1))
        if rng.random() < 0.7:
            usage: dict[tuple[int, int], int] = defaultdict(int)
            for _match, c, s in current.values():
                usage[(c, s)] += 1
            capacity = {c: len(resources) for c, resources in enumerate(self.built.classes)}
            room = sorted({index_of[s] for (c, s) in self.built.x_points if usage[(c, s)] < capacity[c]})
            if room:
                hole = room[min(len(room) - 1, int(rng.random() ** 2 * len(room)))]  # early holes first
                first = max(0, min(hole - rng.randrange(width), last))
        second = rng.randrange(min(first + width, last), last + 1) if first + width <= last else last
        return first, second


def _blocking(problem: Problem, result: ScheduleResult) -> bool:
    return any(v.severity is Severity.BLOCKS_SCHEDULING for v in result.violations)


def _solver(cp_model, seconds: float, workers: int, seed: int, log: bool):
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    # Presolve may drop solutions that are symmetric or dominated, the hint among them; keep them
    # so the warm start is the first solution.
    solver.parameters.keep_all_feasible_solutions_in_presolve = True
    return solver
