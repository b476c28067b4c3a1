"""Same-day rescheduling moves the fewest matches; the diff names exactly who is affected."""

from __future__ import annotations

from events.scheduling import (
    Placement,
    Rule,
    Severity,
    build_greedy,
    check_schedule,
    delayed_problem,
    reschedule,
    schedule_diff,
    switch_plan,
)
from tests.events.scheduling.conftest import at, bout, make_problem, team


def day_of_hall(venues):
    matches = [bout(f"m{n}", team(f"a{n}", f"p{n}"), team(f"b{n}", f"q{n}")) for n in range(8)]
    problem = make_problem(matches, venues[:2], slot_starts=tuple(at(0, h) for h in range(9, 19)))
    # Four rounds on two pistes, 9:00 to 12:00.
    current = {f"m{n}": Placement(f"m{n}", f"piste-{n % 2 + 1}", at(0, 9 + n // 2)) for n in range(8)}
    return problem, current


def test_reschedule_after_a_delay_moves_only_what_must_move(venues):
    problem, current = day_of_hall(venues)
    assert [v for v in check_schedule(problem, current) if v.severity is not Severity.WARNING] == []
    # At 10:00 piste 1 is out for two hours: m2 (10:00) and m4 (11:00) on it cannot stay.
    result, diff = reschedule(
        problem, current, now=at(0, 10), delay=120, resources=["piste-1"], time_limit=3.0, workers=1
    )
    assert result.placed == 8
    hard = [
        v
        for v in check_schedule(
            delayed_problem(problem, current, now=at(0, 10), delay=120, resources=["piste-1"]),
            result.placements,
        )
        if v.severity is not Severity.WARNING
    ]
    assert hard == []
    assert result.placements["m0"] == current["m0"] and result.placements["m1"] == current["m1"]
    assert set(diff.match_ids) == {"m2", "m4"}
    assert diff.people == frozenset({"p2", "q2", "p4", "q4"})
    assert diff.competitors == frozenset({"a2", "b2", "a4", "b4"})
    for match_id in diff.match_ids:
        assert not (
            result.placements[match_id].resource_id == "piste-1"
            and result.placements[match_id].start < at(0, 12)
        )


def test_reschedule_never_moves_the_frozen_past(venues):
    problem, current = day_of_hall(venues)
    frozen = delayed_problem(problem, current, now=at(0, 11), delay=60)
    result = build_greedy(frozen)
    for n in range(4):  # 9:00 and 10:00 matches started before the horizon
        assert result.placements[f"m{n}"] == current[f"m{n}"]
    assert all(
        p.start >= at(0, 12) for m, p in result.placements.items() if m not in {"m0", "m1", "m2", "m3"}
    )
    moved_early = check_schedule(frozen, {**result.placements, "m6": Placement("m6", "piste-1", at(0, 11))})
    assert Rule.FROZEN in {v.rule for v in moved_early} or Rule.VENUE_HOURS in {v.rule for v in moved_early}


def test_schedule_diff_lists_moves_and_affected_people(venues):
    problem, current = day_of_hall(venues)
    after = dict(current)
    after["m3"] = Placement("m3", "piste-2", at(0, 15))
    del after["m7"]
    diff = schedule_diff(problem, current, after)
    assert diff.match_ids == ("m3", "m7")
    assert diff.moved[1].after is None
    assert diff.people == frozenset({"p3", "q3", "p7", "q7"})
    assert diff.resources == frozenset({"piste-2"})
    assert not schedule_diff(problem, current, dict(current))


def test_switching_to_a_contingency_plan_reports_only_moved_matches(venues):
    problem, current = day_of_hall(venues)
    # The wet-weather plan, prepared in advance: the afternoon on the other piste.
    plan = dict(current)
    plan["m6"] = Placement("m6", "piste-2", at(0, 14))
    plan["m7"] = Placement("m7", "piste-1", at(0, 14))
    placements, diff = switch_plan(problem, current, plan)
    assert placements == plan
    assert diff.match_ids == ("m6", "m7")
    assert "p0" not in diff.people and {"p6", "q7"} <= diff.people
