"""The direct-elimination tableau: placement, byes, results, final classification with two bronzes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.competition.errors import DrawError, ResultError
from events.competition.fencing.ranking import Standing
from events.competition.fencing.tableau import (
    final_classification,
    placement,
    tableau_bouts,
    tableau_draw,
    tableau_record,
)


def test_fie_placement_in_a_tableau_of_sixteen():
    order = placement(16)
    pairs = [tuple(order[i : i + 2]) for i in range(0, 16, 2)]
    assert pairs == [(1, 16), (9, 8), (5, 12), (13, 4), (3, 14), (11, 6), (7, 10), (15, 2)]


@given(st.sampled_from([2, 4, 8, 16, 32, 64, 128, 256]))
def test_placement_is_symmetric_and_seeds_meet_as_late_as_possible(size):
    order = placement(size)
    assert sorted(order) == list(range(1, size + 1))
    for i in range(0, size, 2):
        assert order[i] + order[i + 1] == size + 1  # 1 v last, 2 v second last...
    half = size // 2
    if size >= 2:
        assert 1 in order[:half] and 2 in order[half:]
    if size >= 4:
        quarter = size // 4
        quarters = [set(order[q * quarter : (q + 1) * quarter]) for q in range(4)]
        assert all(len(q & {1, 2, 3, 4}) == 1 for q in quarters)


def test_byes_go_to_the_top_seeds():
    tableau = tableau_draw([f"s{i}" for i in range(1, 13)])
    assert tableau.size == 16
    first = [b for b in tableau_bouts(tableau) if b.table == 16]
    byes = {b.winner for b in first if b.bye}
    assert byes == {"s1", "s2", "s3", "s4"}


def test_a_tableau_of_one_is_refused():
    with pytest.raises(DrawError) as error:
        tableau_draw(["a"])
    assert error.value.code == "too_few"


def _play_out(tableau):
    """Higher seed wins every bout 15-10."""
    seed = {k: i for i, k in enumerate(tableau.seeds)}
    while True:
        open_bouts = [b for b in tableau_bouts(tableau) if b.winner is None and b.top and b.bottom]
        if not open_bouts:
            return tableau
        b = open_bouts[0]
        top_wins = seed[b.top] < seed[b.bottom]
        tableau = tableau_record(
            tableau,
            table=b.table,
            index=b.index,
            top_score=15 if top_wins else 10,
            bottom_score=10 if top_wins else 15,
        )


def test_final_classification_two_bronzes_and_places_by_seed():
    tableau = _play_out(tableau_draw([f"s{i}" for i in range(1, 11)]))
    cut = [Standing("s11", 0, 5, 5, 25, place=11), Standing("s12", 0, 5, 4, 25, place=11, tied=True)]
    places = final_classification(tableau, cut)
    assert places[:4] == [(1, "s1"), (2, "s2"), (3, "s3"), (3, "s4")]
    assert places[4:8] == [(5, "s5"), (6, "s6"), (7, "s7"), (8, "s8")]
    assert places[8:] == [(9, "s9"), (10, "s10"), (11, "s11"), (11, "s12")]


def test_results_are_validated_to_fifteen_and_need_both_fencers():
    tableau = tableau_draw([f"s{i}" for i in range(1, 5)])
    with pytest.raises(ResultError) as error:
        tableau_record(tableau, table=4, index=0, top_score=16, bottom_score=10)
    assert error.value.code == "over_limit"
    with pytest.raises(ResultError) as error:
        tableau_record(tableau, table=2, index=0, top_score=15, bottom_score=10)
    assert error.value.code == "not_ready"


def test_a_corrected_result_drops_what_depended_on_it():
    tableau = _play_out(tableau_draw(["a", "b", "c", "d"]))
    first = next(b for b in tableau_bouts(tableau) if b.table == 4 and b.index == 0)
    assert (first.top, first.bottom, first.winner) == ("a", "d", "a")
    corrected = tableau_record(tableau, table=4, index=0, top_score=12, bottom_score=15)
    final = next(b for b in tableau_bouts(corrected) if b.table == 2)
    assert final.top == "d" and final.winner is None
