"""Single elimination with placement matches, groups and cross-overs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.competition.brackets import crossover, groups_draw, single_elimination
from events.competition.errors import DrawError


def test_eight_seeds_first_round_and_final():
    matches = single_elimination([f"s{i}" for i in range(1, 9)])
    first = [(m.home.label, m.away.label) for m in matches if m.round == 1]
    assert first == [("s1", "s8"), ("s5", "s4"), ("s3", "s6"), ("s7", "s2")]
    final = matches[-1]
    assert final.places == (1, 2)
    assert final.home.winner_of and final.away.winner_of
    assert len(matches) == 7


def test_third_place_match_between_the_semi_final_losers():
    matches = single_elimination([f"s{i}" for i in range(1, 9)], places=4)
    third = next(m for m in matches if m.places == (3, 4))
    semis = [m.code for m in matches if m.places == (1, 4)]
    assert {third.home.loser_of, third.away.loser_of} == set(semis)
    assert set(third.after) == set(semis)


def test_all_places_played_for():
    matches = single_elimination([f"s{i}" for i in range(1, 9)], places=8)
    decided = sorted(m.places for m in matches if m.places[1] - m.places[0] == 1)
    assert decided == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert len(matches) == 12


def test_byes_go_to_the_top_seeds():
    matches = single_elimination([f"s{i}" for i in range(1, 7)])
    first = {m.home.label for m in matches if m.round == 1} | {m.away.label for m in matches if m.round == 1}
    assert first == {"s3", "s4", "s5", "s6"}


@given(st.integers(min_value=2, max_value=64))
def test_every_entry_plays_and_one_final(count):
    seeds = [f"s{i}" for i in range(1, count + 1)]
    matches = single_elimination(seeds)
    assert len(matches) == count - 1
    entered = {s.entry for m in matches for s in (m.home, m.away) if s.entry}
    assert entered == set(seeds)
    assert [m.places for m in matches].count((1, 2)) == 1


def test_groups_serpentine_and_crossover():
    groups = groups_draw([f"s{i}" for i in range(1, 9)], 2)
    assert groups == {"A": ["s1", "s4", "s5", "s8"], "B": ["s2", "s3", "s6", "s7"]}
    matches = crossover(4)
    first = [(m.home.label, m.away.label) for m in matches if m.round == 1]
    assert first == [("A1", "B2"), ("C1", "D2"), ("B1", "A2"), ("D1", "C2")]


def test_crossover_needs_a_power_of_two_groups():
    with pytest.raises(DrawError) as error:
        crossover(3)
    assert error.value.code == "crossover"
