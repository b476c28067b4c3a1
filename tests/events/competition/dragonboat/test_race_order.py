"""Cross-rostered paddlers are never in back-to-back races."""

import pytest

from events.competition.dragonboat.progression import Race
from events.competition.dragonboat.race_order import race_order_adjust, race_order_check
from events.competition.errors import DrawError


def _race(code, round_name, *crews):
    return Race(code, round_name, 1, tuple((lane, crew) for lane, crew in enumerate(crews, start=1)))


ROSTERS = {"mixed": {"li", "wang"}, "women": {"li"}, "open": {"zhao"}, "youth": {"wang"}, "masters": {"sun"}}


def test_a_paddler_in_two_consecutive_races_is_found():
    races = [_race("H1", "heat", "mixed"), _race("H2", "heat", "women"), _race("H3", "heat", "open")]
    clashes = race_order_check(races, ROSTERS)
    assert [(c.paddler, c.first, c.second) for c in clashes] == [("li", "H1", "H2")]


def test_the_adjuster_separates_them_and_keeps_rounds_in_order():
    races = [
        _race("H1", "heat", "mixed"),
        _race("H2", "heat", "women"),
        _race("H3", "heat", "youth"),
        _race("H4", "heat", "open"),
        _race("H5", "heat", "masters"),
        _race("F1", "final", "mixed"),
    ]
    adjusted = race_order_adjust(races, ROSTERS)
    assert race_order_check(adjusted, ROSTERS) == []
    assert adjusted[-1].code == "F1"
    assert sorted(r.code for r in adjusted) == sorted(r.code for r in races)


def test_an_impossible_order_is_refused_with_the_paddler():
    races = [_race("H1", "heat", "mixed"), _race("H2", "heat", "women")]
    with pytest.raises(DrawError) as error:
        race_order_adjust(races, ROSTERS)
    assert error.value.code == "back_to_back"
    assert "li" in error.value.message_in("en")
