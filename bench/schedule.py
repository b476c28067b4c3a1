"""The standard team instance of issue 11 (64 teams, 96 games, 8 courts, 2 days x 10 slots).

Four builders on the same seeded instance: a naive earliest-slot greedy (each game in fixture
order at the first legal slot), our greedy, a plain CP-SAT model (one Boolean per game and slot,
pairwise conflict constraints, no warm start) and our CP-SAT builder, both given the same time on
the same number of workers. Reports games placed, the objective (sum of slot indices 0–19), the
lower bound and the time; every schedule is re-checked by the conflict checker.
"""

from __future__ import annotations

import os
import time
from itertools import combinations

SECONDS = float(os.environ.get("BENCH_SCHEDULE_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_SCHEDULE_WORKERS", "2"))


def naive_greedy(problem, *, by_group: bool = False):
    """Each game in fixture order (round by round, or group by group) at its earliest legal slot."""
    from events.scheduling import Placement, ScheduleState

    state = ScheduleState(problem)
    matches = sorted(problem.matches, key=lambda m: m.id) if by_group else problem.matches
    for match in matches:
        for start in problem.time_points:
            free = next(
                (r for r in problem.resources if not state.check_move(match.id, r.id, start)),
                None,
            )
            if free is not None:
                state.add(Placement(match.id, free.id, start))
                break
    return state.placements


def plain_model(problem, seconds: float, workers: int):
    """The textbook model: x[game, slot], pairwise 'not both' constraints, no hint, no aggregation."""
    from ortools.sat.python import cp_model

    slots = problem.time_points
    day = [start // 1440 for start in slots]
    games = problem.matches
    teams: dict[str, list[int]] = {}
    rosters: dict[str, set[str]] = {}
    for index, game in enumerate(games):
        for competitor in game.competitors:
            teams.setdefault(competitor.key, []).append(index)
            rosters[competitor.key] = set(competitor.people)
    shared = [(a, b) for a, b in combinations(sorted(teams), 2) if rosters[a] & rosters[b]]
    model = cp_model.CpModel()
    x = {(g, t): model.new_bool_var(f"x{g}_{t}") for g in range(len(games)) for t in range(len(slots))}
    for g in range(len(games)):
        model.add_exactly_one(x[g, t] for t in range(len(slots)))
    for t in range(len(slots)):
        model.add(sum(x[g, t] for g in range(len(games))) <= len(problem.resources))
    for indices in teams.values():
        for t in range(len(slots)):
            model.add(sum(x[g, t] for g in indices) <= 1)
        for d in set(day):
            model.add(sum(x[g, t] for g in indices for t in range(len(slots)) if day[t] == d) <= 2)
        for g in indices:
            for h in indices:
                for t in range(len(slots) - 1):
                    if g != h and day[t] == day[t + 1]:
                        model.add_bool_or([x[g, t].Not(), x[h, t + 1].Not()])
    for a, b in shared:
        for g in teams[a]:
            for h in teams[b]:
                if g == h:
                    continue
                for t in range(len(slots)):
                    for u in range(max(0, t - 1), min(len(slots), t + 2)):
                        if day[t] == day[u]:
                            model.add_bool_or([x[g, t].Not(), x[h, u].Not()])
    model.minimize(sum(t * x[g, t] for g in range(len(games)) for t in range(len(slots))))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, None, solver.status_name(status)
    from events.scheduling import Placement

    placements = {}
    used: dict[int, int] = {}
    for (g, t), var in x.items():
        if solver.boolean_value(var):
            court = used.get(t, 0)
            used[t] = court + 1
            placements[games[g].id] = Placement(games[g].id, problem.resources[court].id, slots[t])
    return placements, round(solver.best_objective_bound), solver.status_name(status)


def measure(name, build, problem):
    from events.scheduling import Severity, check_schedule, objective

    wall, cpu = time.perf_counter(), time.process_time()
    placements, bound, status = build()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    hard = [v for v in check_schedule(problem, placements) if v.severity is Severity.BLOCKS_SCHEDULING]
    cost = sum(problem.start_cost(p.start) for p in placements.values())
    return {
        "builder": name,
        "placed": len(placements),
        "objective": cost if len(placements) == len(problem.matches) else f"({cost})",
        "bound": bound if bound is not None else "",
        "ratio": f"{cost / bound:.3f}" if bound and len(placements) == len(problem.matches) else "",
        "time": f"{wall:.3f} s" if wall < 1 else f"{wall:.1f} s",
        "cpu": f"{cpu:.1f} s",
        "status": status,
        "hard violations": len(hard),
        "score": objective(problem, placements),
    }


def main() -> list[dict]:
    from events.scheduling import build_cpsat, build_greedy
    from events.scheduling.standard import standard_instance

    problem = standard_instance()
    import ortools.sat.python.cp_model  # noqa: F401  import once, outside every timing

    def ours_greedy():
        result = build_greedy(problem)
        return result.placements, None, result.status

    def ours_cpsat():
        result = build_cpsat(problem, time_limit=SECONDS, workers=WORKERS)
        return result.placements, result.bound, result.status

    load = os.getloadavg()[0]
    rows = [
        measure(
            "naive earliest-slot greedy, round by round", lambda: (naive_greedy(problem), None, ""), problem
        ),
        measure(
            "naive earliest-slot greedy, group by group",
            lambda: (naive_greedy(problem, by_group=True), None, ""),
            problem,
        ),
        measure("our greedy", ours_greedy, problem),
        measure(
            f"plain CP-SAT, {SECONDS:g} s, {WORKERS} workers",
            lambda: plain_model(problem, SECONDS, WORKERS),
            problem,
        ),
        measure(f"our CP-SAT builder, {SECONDS:g} s, {WORKERS} workers", ours_cpsat, problem),
    ]
    keys = ["builder", "placed", "objective", "bound", "ratio", "time", "cpu", "status", "hard violations"]
    print(f"\nStandard team instance (seed 11): 96 games, 8 courts, 20 slots; load average {load:.1f}")
    widths = [max(len(str(row[key])) for row in [*rows, dict(zip(keys, keys, strict=True))]) for key in keys]
    for row in [dict(zip(keys, keys, strict=True)), *rows]:
        print("| " + " | ".join(str(row[key]).ljust(w) for key, w in zip(keys, widths, strict=True)) + " |")
    return [
        {
            "benchmark": f"schedule: {row['builder']}",
            "value": row["objective"],
            "unit": "sum of slots",
            "note": (
                f"{row['placed']}/96 placed"
                + (f", bound {row['bound']} (x{row['ratio']})" if row["bound"] != "" else "")
                + f", {row['time']}, {row['hard violations']} hard violations"
            ),
        }
        for row in rows
    ]


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    main()
