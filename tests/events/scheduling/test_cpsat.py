"""The CP-SAT builder respects every hard rule, reports progress and never does worse than the greedy."""

from __future__ import annotations

import pytest

from events.scheduling import (
    AgeBandLimit,
    Placement,
    Rule,
    Severity,
    build_cpsat,
    build_greedy,
    check_schedule,
)
from events.scheduling.standard import standard_instance
from tests.events.scheduling.conftest import at, bout, make_problem, team


def hard(violations):
    return [v for v in violations if v.severity is not Severity.WARNING]


def test_cpsat_respects_every_hard_rule_on_the_standard_instance():
    problem = standard_instance()
    greedy = build_greedy(problem)
    seen = []
    # A few seconds: on a quiet machine the bound is proven within one; a busy CI box needs more.
    result = build_cpsat(problem, time_limit=6.0, workers=2, warm_start=greedy, on_progress=seen.append)
    assert result.placed == 96
    assert hard(check_schedule(problem, result.placements)) == []
    assert result.objective <= greedy.objective
    assert result.bound is not None and 0 < result.bound <= result.objective
    # The standard instance's objective is the sum of slot indices.
    assert result.objective == sum(problem.start_cost(p.start) for p in result.placements.values())
    assert any(report.objective == result.objective for report in seen)
    assert all(p.bound is None or p.bound <= result.objective for p in seen)


def test_cpsat_small_problem_is_optimal_with_travel_and_children(venues):
    child = "child-5"
    matches = [
        bout("f1", team("li", child), team("wu"), event="fencing"),
        bout(
            "b1",
            team("u10", child, "child-6"),
            team("u10b"),
            event="basketball",
            resources=frozenset({"court-1"}),
        ),
        bout("b2", team("u10b"), team("u10c"), event="basketball"),
        bout("f2", team("zhao"), team("qian"), after=("f1",), event="fencing"),
    ]
    problem = make_problem(
        matches,
        venues,
        slot_starts=tuple(at(day, h) for day in (0, 1) for h in (9, 10, 11, 12, 14, 15, 16)),
        min_rest=30,
        dependency_rest=30,
        age_limits={"U10": AgeBandLimit("U10", max_matches_per_day=1, earliest_start=10 * 60)},
        person_bands={child: "U10", "child-6": "U10"},
    )
    result = build_cpsat(
        problem, time_limit=60.0, workers=1
    )  # returns once proven; the limit only guards a loaded machine
    assert result.status == "optimal"
    assert result.placed == 4
    assert hard(result.violations) == []
    f1, b1 = result.placements["f1"], result.placements["b1"]
    assert f1.start // 1440 != b1.start // 1440  # one match a day for the under-10
    assert result.placements["f2"].start >= f1.start + 60 + 30
    assert b1.resource_id == "court-1"


@pytest.mark.parametrize("workers", [1, 2])
def test_cpsat_keeps_pins_and_reports_unplaceable_matches(venues, workers):
    child = "child-9"
    problem = make_problem(
        [bout(f"m{n}", team(f"t{n}", child), team(f"o{n}")) for n in range(3)],
        venues,
        age_limits={"U8": AgeBandLimit("U8", max_matches_per_day=1)},
        person_bands={child: "U8"},
        pins={"m0": Placement("m0", "piste-2", at(0, 10))},
        slot_starts=(at(0, 10), at(0, 12), at(1, 10)),
    )
    result = build_cpsat(
        problem, time_limit=60.0, workers=workers
    )  # returns once proven; the limit only guards a loaded machine
    assert result.status == "optimal"  # proven: no schedule places the third match
    assert result.placements["m0"] == Placement("m0", "piste-2", at(0, 10))
    assert result.placed == 2
    assert [u.rules[0] for u in result.unplaced] == [Rule.AGE_DAILY_LIMIT]


def test_cpsat_leaves_travel_time_between_cities(venues):
    # One athlete plays in Shanghai and in Nanjing on the only day: 150 minutes of travel between.
    athlete = "rower-1"
    problem = make_problem(
        [
            bout("sh", team("crew-a", athlete), team("crew-b"), resources=frozenset({"piste-1"})),
            bout("nj", team("crew-c", athlete), team("crew-d"), resources=frozenset({"court-1"})),
        ],
        venues,
        slot_starts=tuple(at(0, 9 + hour) for hour in range(9)),
        min_rest=15,
    )
    result = build_cpsat(
        problem, time_limit=60.0, workers=1
    )  # returns once proven; the limit only guards a loaded machine
    assert result.status == "optimal"
    first, second = sorted(result.placements.values(), key=lambda p: p.start)
    assert second.start - (first.start + 60) >= 150
    assert second.start - (first.start + 60) < 150 + 60  # and no later than it has to be
    assert hard(result.violations) == []


def test_cpsat_keeps_a_team_at_one_venue_a_day(venues):
    a = team("a")
    problem = make_problem(
        [bout("m1", a, team("b")), bout("m2", a, team("c")), bout("m3", team("d"), team("e"))],
        venues,
        slot_starts=(at(0, 9), at(0, 11), at(0, 13)),
    )
    result = build_cpsat(
        problem, time_limit=60.0, workers=1
    )  # returns once proven; the limit only guards a loaded machine
    venue = {m: problem.resource_by_id[p.resource_id].venue for m, p in result.placements.items()}
    assert venue["m1"] == venue["m2"]
    assert [v for v in result.violations if v.rule is Rule.TEAM_VENUES] == []


def test_cpsat_in_continuous_minutes_with_mixed_durations(venues):
    # No slot grid: starts every 15 minutes; bouts of 20 to 90 minutes on two pistes and a court.
    fencers = [team(f"f{n}", f"fencer-{n}") for n in range(6)]
    matches = [
        bout(f"b{a}{b}", fencers[a], fencers[b], duration=20 + 10 * ((a + b) % 8))
        for a in range(6)
        for b in range(a + 1, 6)
    ]
    problem = make_problem(matches, venues, min_rest=10, step=15)
    greedy = build_greedy(problem)
    result = build_cpsat(problem, time_limit=3.0, workers=2, warm_start=greedy)
    assert result.placed == len(matches)
    assert hard(result.violations) == []
    assert result.objective <= greedy.objective
    assert all(p.start % 15 == 0 for p in result.placements.values())
