"""The greedy builder places everything it can at once, and names the rules that stop the rest."""

from __future__ import annotations

import time

from events.scheduling import AgeBandLimit, Placement, Rule, Severity, build_greedy, check_schedule
from events.scheduling.standard import standard_instance
from tests.events.scheduling.conftest import at, bout, make_problem, team


def hard(violations):
    return [v for v in violations if v.severity is not Severity.WARNING]


def test_greedy_places_a_small_tournament_with_every_rule(venues):
    teams = [team(f"t{n}") for n in range(6)]
    child = "child-1"
    teams[0] = team("t0", child, "t0-2")
    matches = [bout(f"g{a}{b}", teams[a], teams[b]) for a in range(6) for b in range(a + 1, 6)]
    matches.append(bout("fencing", team("fencer", child), team("other"), event="fencing"))
    matches.append(bout("final", teams[0], teams[1], after=("g01", "g23")))
    problem = make_problem(
        matches,
        venues,
        min_rest=30,
        max_matches_per_day=3,
        dependency_rest=60,
        age_limits={
            "U12": AgeBandLimit("U12", max_matches_per_day=4, earliest_start=9 * 60, latest_start=17 * 60)
        },
        person_bands={child: "U12"},
    )
    result = build_greedy(problem)
    assert result.placed == len(matches)
    assert result.unplaced == []
    assert hard(result.violations) == []
    assert check_schedule(problem, result.placements) == result.violations
    final, needed = result.placements["final"], result.placements["g23"]
    assert final.start >= needed.start + 60 + 60


def test_greedy_places_all_96_standard_games_in_milliseconds():
    problem = standard_instance()
    started = time.perf_counter()
    result = build_greedy(problem)
    elapsed = time.perf_counter() - started
    assert result.placed == 96
    assert hard(result.violations) == []
    assert elapsed < 2.0  # about 0.1 s on a quiet machine; generous for a loaded CI box


def test_greedy_lists_an_impossible_match_with_its_binding_rule(venues):
    child = "child-2"
    problem = make_problem(
        [bout(f"m{n}", team(f"t{n}", child), team(f"o{n}")) for n in range(3)],
        venues,
        age_limits={"U8": AgeBandLimit("U8", max_matches_per_day=1)},
        person_bands={child: "U8"},
    )
    result = build_greedy(problem)
    assert result.placed == 2  # two days, one match a day for an under-8
    assert len(result.unplaced) == 1
    assert result.unplaced[0].rules[0] is Rule.AGE_DAILY_LIMIT
    assert not result.publishable
    assert [v.rule for v in result.violations if v.severity is Severity.BLOCKS_PUBLISHING] == [Rule.UNPLACED]


def test_greedy_names_static_rules_when_no_place_exists(venues):
    problem = make_problem(
        [bout("marathon", team("a"), team("b"), duration=13 * 60)],  # longer than any opening
        venues,
    )
    result = build_greedy(problem)
    assert result.placed == 0
    assert result.unplaced[0].rules == (Rule.VENUE_HOURS,)


def test_greedy_keeps_pins_where_they_are(venues):
    a = team("a")
    pin = Placement("m1", "court-1", at(0, 15))
    problem = make_problem([bout("m1", a, team("b")), bout("m2", a, team("c"))], venues, pins={"m1": pin})
    result = build_greedy(problem)
    assert result.placements["m1"] == pin
    assert hard(result.violations) == []
