"""Heats, repechages and finals from the table; lanes from the centre; times; combined-time formats."""

import datetime as dt

import pytest

from events.competition.dragonboat.lanes import lanes_from_centre, start_times
from events.competition.dragonboat.progression import (
    Finish,
    combined_ranking,
    progression_for,
    progression_run,
    time_check,
)
from events.competition.errors import ResultError


def test_lanes_fill_from_the_centre():
    assert lanes_from_centre(9) == [5, 4, 6, 3, 7, 2, 8, 1, 9]
    assert lanes_from_centre(6) == [3, 4, 2, 5, 1, 6]
    assert lanes_from_centre(4) == [2, 3, 1, 4]


def test_ten_crews_on_six_lanes_heats_repechages_final():
    table = progression_for(10, 6)
    seeds = [f"c{i}" for i in range(1, 11)]
    heats = progression_run(table, seeds)
    assert [r.code for r in heats] == ["H1", "H2"]
    assert heats[0].crews == ("c9", "c5", "c1", "c4", "c8")  # lanes 1..5; seed 1 in lane 3, the centre
    assert dict(heats[0].lanes)[3] == "c1"
    # Heat results: the lower number is faster, except c4 beats c1 in heat 1.
    times = {c: 60_000 + int(c[1:]) * 100 for c in seeds}
    times["c4"] = 59_000
    finishes = [Finish(r.code, c, times[c]) for r in heats for c in r.crews]
    races = progression_run(table, seeds, finishes)
    assert [r.code for r in races] == ["H1", "H2", "R1", "R2"]
    reps = [r for r in races if r.round == "repechage"]
    assert sorted(c for r in reps for c in r.crews) == sorted(set(seeds) - {"c4", "c2"})
    finishes += [Finish(r.code, c, times[c]) for r in reps for c in r.crews]
    final = progression_run(table, seeds, finishes)[-1]
    assert final.code == "FA"
    # Heat winners first (c4 faster than c2, centre lane), then the repechages' first two.
    assert dict(final.lanes)[3] == "c4" and dict(final.lanes)[4] == "c2"
    assert sorted(final.crews) == ["c1", "c2", "c3", "c4", "c5", "c6"]


def test_later_round_waits_for_every_result_of_the_rounds_feeding_it():
    table = progression_for(10, 6)
    seeds = [f"c{i}" for i in range(1, 11)]
    heats = progression_run(table, seeds)
    partial = [Finish("H1", c, 60_000 + i) for i, c in enumerate(heats[0].crews)]
    assert [r.code for r in progression_run(table, seeds, partial)] == ["H1", "H2"]


def test_a_time_faster_than_half_the_course_record_is_refused():
    time_check(55_000, course_record_ms=50_000)
    with pytest.raises(ResultError) as error:
        time_check(24_000, course_record_ms=50_000)
    assert error.value.code == "too_fast"
    assert error.value.message_in("en") == (
        "24.00 s is faster than half the course record (50.00 s); check the time: a digit may be missing"
    )
    assert "50.00" in error.value.message_in("zh-hans")


def test_combined_time_ranks_on_the_total_and_a_missing_run_last():
    ranking = combined_ranking({"a": [60_000, 61_000], "b": [59_000, 61_500], "c": [58_000, None]}, runs=2)
    assert ranking == [(1, "b", 120_500), (2, "a", 121_000), (3, "c", None)]


def test_races_start_at_a_fixed_interval():
    first = dt.datetime(2026, 6, 19, 9, 0, tzinfo=dt.UTC)
    starts = start_times(first, 3, interval=dt.timedelta(minutes=8))
    assert [s.strftime("%H:%M") for s in starts] == ["09:00", "09:08", "09:16"]
