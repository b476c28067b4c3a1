"""The conflict checker catches each rule, with its severity, the people involved and a reason in both languages."""

from __future__ import annotations

import time

from django.utils import translation

from events.scheduling import (
    AgeBandLimit,
    Placement,
    Rule,
    ScheduleState,
    Severity,
    check_schedule,
)
from tests.events.scheduling.conftest import at, bout, make_problem, team


def rules_of(violations) -> list[Rule]:
    """The hard rules broken (soft-rule warnings such as venue balance are tested on their own)."""
    return sorted({violation.rule for violation in violations if violation.severity is not Severity.WARNING})


def test_schedule_check_child_in_fencing_and_basketball_at_once(venues):
    # The same child plays in a fencing bout and a basketball game: different events, cities, teams.
    fencer = team("fencer-li", "child-7")
    basketball = team("u12-shanghai", "child-7", "child-8")
    problem = make_problem(
        [
            bout("f1", fencer, team("fencer-wu"), event="fencing"),
            bout("b1", basketball, team("u12-nanjing"), event="basketball"),
        ],
        venues,
    )
    violations = check_schedule(
        problem, [Placement("f1", "piste-1", at(0, 9)), Placement("b1", "court-1", at(0, 9.5))]
    )
    overlap = [v for v in violations if v.rule is Rule.ATHLETE_OVERLAP]
    assert len(overlap) == 1
    assert set(overlap[0].matches) == {"f1", "b1"}
    assert overlap[0].people == ("child-7",)
    assert overlap[0].severity is Severity.BLOCKS_SCHEDULING
    with translation.override("en"):
        assert overlap[0].reason == "child-7 would be in two matches at once."
    with translation.override("zh-hans"):
        assert overlap[0].reason == "child-7 会同时出现在两场比赛中。"


def test_schedule_check_rest_travel_and_resource(venues):
    a, b, c = team("a"), team("b"), team("c")
    problem = make_problem(
        [bout("m1", a, b), bout("m2", a, c), bout("m3", b, c), bout("m4", team("d"), team("e"))],
        venues,
        min_rest=30,
    )
    violations = check_schedule(
        problem,
        [
            Placement("m1", "piste-1", at(0, 9)),
            Placement("m2", "piste-2", at(0, 10.25)),  # a: 15 minutes after m1 ends, needs 30
            Placement("m3", "court-1", at(0, 12)),  # b: Shanghai to Nanjing in 60 minutes, needs 150
            Placement("m4", "piste-1", at(0, 9.5)),  # piste 1 is still busy with m1
        ],
    )
    found = {v.rule: v for v in violations}
    assert found[Rule.REST].matches == ("m2", "m1")
    assert found[Rule.REST].params["minutes"] == 30
    travel = {frozenset(v.matches): v.params["minutes"] for v in violations if v.rule is Rule.TRAVEL}
    # b goes from m1 (ends 10:00) and c from m2 (ends 11:15) to Nanjing for 12:00.
    assert travel == {frozenset({"m1", "m3"}): 150, frozenset({"m2", "m3"}): 150}
    assert set(found[Rule.RESOURCE_OVERLAP].matches) == {"m1", "m4"}


def test_schedule_check_hours_grid_window_and_resource_restriction(venues):
    problem = make_problem(
        [
            bout("late", team("a"), team("b"), duration=90),
            bout("final", team("c"), team("d"), resources=frozenset({"court-1"})),
            bout("window", team("e"), team("f"), earliest=at(0, 14), latest_end=at(0, 16)),
        ],
        venues,
    )
    violations = check_schedule(
        problem,
        [
            Placement("late", "piste-1", at(0, 19)),  # the hall closes at 20:00
            Placement("final", "piste-2", at(0, 9)),
            Placement("window", "piste-1", at(0, 15.5)),  # finishes 16:30
        ],
    )
    assert rules_of(violations) == sorted([Rule.VENUE_HOURS, Rule.RESOURCE_NOT_ALLOWED, Rule.LATEST])
    early = check_schedule(problem, [Placement("window", "piste-1", at(0, 13))])
    assert Rule.EARLIEST in rules_of(early)
    grid = make_problem(problem.matches, venues, slot_starts=(at(0, 9), at(0, 10)))
    assert Rule.SLOT_GRID in rules_of(check_schedule(grid, [Placement("late", "piste-1", at(0, 9.5))]))


def test_schedule_check_childrens_limits_count_every_event(venues):
    child = "child-3"
    problem = make_problem(
        [
            bout("f1", team("li", child), team("wu"), event="fencing"),
            bout("f2", team("li", child), team("zhao"), event="fencing"),
            bout("b1", team("u10", child, "child-4"), team("u10b"), event="basketball"),
        ],
        venues,
        age_limits={
            "U10": AgeBandLimit("U10", max_matches_per_day=2, earliest_start=9 * 60, latest_start=17 * 60)
        },
        person_bands={child: "U10", "child-4": "U10"},
    )
    violations = check_schedule(
        problem,
        [
            Placement("f1", "piste-1", at(0, 9)),
            Placement("f2", "piste-1", at(0, 11)),
            Placement("b1", "court-1", at(0, 17.5)),  # third match of the day, and after 17:00
        ],
    )
    daily = [v for v in violations if v.rule is Rule.AGE_DAILY_LIMIT]
    assert len(daily) == 1 and child in daily[0].people
    hours_ = [v for v in violations if v.rule is Rule.AGE_HOURS]
    assert {p for v in hours_ for p in v.people} == {child, "child-4"}
    with translation.override("en"):
        assert daily[0].reason == "child-3 may play at most 2 matches a day in age band U10."


def test_schedule_check_team_daily_limit_and_dependency(venues):
    a = team("a")
    problem = make_problem(
        [
            bout("sf1", a, team("b")),
            bout("sf2", team("c"), team("d")),
            bout("final", a, team("c"), after=("sf1", "sf2")),
            bout("extra", a, team("e")),
        ],
        venues,
        max_matches_per_day=2,
        dependency_rest=30,
    )
    violations = check_schedule(
        problem,
        [
            Placement("sf1", "piste-1", at(0, 9)),
            Placement("sf2", "piste-2", at(0, 10)),
            Placement("final", "piste-1", at(0, 11)),  # sf2 ends 11:00, needs 30 minutes more
            Placement("extra", "piste-2", at(0, 15)),  # team a's third game of the day
        ],
    )
    dependency = [v for v in violations if v.rule is Rule.DEPENDENCY]
    assert [v.matches for v in dependency] == [("final", "sf2")]
    assert [v.params["who"] for v in violations if v.rule is Rule.DAILY_LIMIT] == ["a"]


def test_schedule_check_pin_and_freeze(venues):
    problem = make_problem(
        [bout("m1", team("a"), team("b")), bout("m2", team("c"), team("d"))],
        venues,
        pins={"m1": Placement("m1", "court-1", at(0, 10))},
        frozen_before=at(0, 12),
        baseline={"m2": Placement("m2", "piste-1", at(0, 13))},
    )
    violations = check_schedule(
        problem, [Placement("m1", "court-1", at(0, 11)), Placement("m2", "piste-1", at(0, 11))]
    )
    assert rules_of(violations) == sorted([Rule.PIN, Rule.FROZEN])


def test_schedule_check_unplaced_match_names_its_binding_rules(venues):
    child = "child-9"
    problem = make_problem(
        [bout(f"m{n}", team(f"t{n}", child), team(f"o{n}")) for n in range(3)],
        venues[:1],
        age_limits={"U8": AgeBandLimit("U8", max_matches_per_day=1)},
        person_bands={child: "U8"},
        slot_starts=(at(0, 9), at(0, 11), at(1, 9)),
    )
    violations = check_schedule(
        problem, [Placement("m0", "piste-1", at(0, 9)), Placement("m1", "piste-1", at(1, 9))]
    )
    unplaced = [v for v in violations if v.rule is Rule.UNPLACED]
    assert [v.matches for v in unplaced] == [("m2",)]
    assert unplaced[0].severity is Severity.BLOCKS_PUBLISHING
    assert unplaced[0].params["binding"][0] in (Rule.AGE_DAILY_LIMIT, Rule.RESOURCE_OVERLAP)
    assert Rule.AGE_DAILY_LIMIT in unplaced[0].params["binding"]
    with translation.override("en"):
        assert "children's matches per day" in unplaced[0].reason


def test_schedule_check_soft_rules_are_warnings(venues):
    a = team("a")
    problem = make_problem(
        [bout("m1", a, team("b")), bout("m2", a, team("c")), bout("m3", team("d"), team("e"))], venues
    )
    violations = check_schedule(
        problem,
        [
            Placement("m1", "piste-1", at(0, 9)),
            Placement("m2", "court-1", at(0, 15)),
            Placement("m3", "court-1", at(0, 9)),
        ],
    )
    assert rules_of(violations) == []
    split = [v for v in violations if v.rule is Rule.TEAM_VENUES]
    assert split[0].severity is Severity.WARNING and split[0].params["who"] == "a"
    assert split[0].matches == ("m1", "m2")
    assert [v.rule for v in violations if v.rule is Rule.VENUE_BALANCE] == []
    lopsided = check_schedule(
        problem,
        [
            Placement("m1", "piste-1", at(0, 9)),
            Placement("m2", "piste-1", at(0, 15)),
            Placement("m3", "piste-2", at(0, 9)),
        ],
    )
    balance = [v for v in lopsided if v.rule is Rule.VENUE_BALANCE]
    assert balance[0].severity is Severity.WARNING and balance[0].params["difference"] == 3


def test_check_move_reports_only_the_moved_match(venues):
    a = team("a")
    problem = make_problem(
        [bout("m1", a, team("b")), bout("m2", a, team("c")), bout("m3", team("x"), team("y"))], venues
    )
    state = ScheduleState(
        problem,
        [
            Placement("m1", "piste-1", at(0, 9)),
            Placement("m2", "piste-2", at(0, 11)),
            Placement("m3", "court-1", at(0, 9)),
        ],
    )
    assert state.check_move("m2", "piste-2", at(0, 13)) == []
    clash = state.check_move("m2", "piste-1", at(0, 9.5))
    assert rules_of(clash) == sorted([Rule.RESOURCE_OVERLAP, Rule.ATHLETE_OVERLAP])
    assert all("m2" in v.matches for v in clash)
    assert [v.rule for v in state.check_move("m2", "nowhere", at(0, 9))] == [Rule.UNKNOWN]


def test_check_move_answers_a_drag_and_drop_at_once():
    from events.scheduling import build_greedy
    from events.scheduling.standard import standard_instance

    problem = standard_instance()
    state = ScheduleState(problem, build_greedy(problem).placements.values())
    match = problem.matches[0]
    starts = problem.time_points
    started = time.perf_counter()
    answers = [state.check_move(match.id, "court-1", start) for start in starts]
    per_move = (time.perf_counter() - started) / len(starts)
    assert per_move < 0.01  # well under a frame; about 50 µs on a quiet machine
    own = state.placements[match.id]
    assert state.check_move(match.id, own.resource_id, own.start) == []  # its own place is legal
    assert any(Rule.RESOURCE_OVERLAP in {v.rule for v in answer} for answer in answers)
