"""Berger tables against FIDE's published tables, double round robins and byes."""

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.competition.errors import DrawError
from events.competition.roundrobin import berger_table, round_robin


def _parse(text):
    return [
        [tuple(int(x) for x in bout.split("-")) for bout in line.split()]
        for line in text.strip().splitlines()
    ]


# FIDE Handbook C.05 Annex 1, Berger tables (home/white first).
FIDE_4 = _parse("""
1-4 2-3
4-3 1-2
2-4 3-1
""")
FIDE_6 = _parse("""
1-6 2-5 3-4
6-4 5-3 1-2
2-6 3-1 4-5
6-5 1-4 2-3
3-6 4-2 5-1
""")
FIDE_8 = _parse("""
1-8 2-7 3-6 4-5
8-5 6-4 7-3 1-2
2-8 3-1 4-7 5-6
8-6 7-5 1-4 2-3
3-8 4-2 5-1 6-7
8-7 1-6 2-5 3-4
4-8 5-3 6-2 7-1
""")


@pytest.mark.parametrize(("n", "published"), [(4, FIDE_4), (6, FIDE_6), (8, FIDE_8)])
def test_berger_table_matches_fide(n, published):
    assert berger_table(n) == published


def test_odd_count_gives_each_entry_one_bye():
    pairings = round_robin(list("abcde"))
    byes = [p.home for p in pairings if p.bye]
    assert sorted(byes) == list("abcde")
    rounds = Counter(p.round for p in pairings)
    assert len(rounds) == 5


@given(st.integers(min_value=2, max_value=24), st.sampled_from([1, 2]))
def test_every_pair_meets_once_per_cycle_and_nobody_twice_in_a_round(count, cycles):
    entries = [f"t{i}" for i in range(count)]
    pairings = round_robin(entries, cycles=cycles)
    games = [p for p in pairings if not p.bye]
    met = Counter(frozenset((p.home, p.away)) for p in games)
    assert set(met) == {frozenset(c) for c in combinations(entries, 2)}
    assert set(met.values()) == {cycles}
    for r in {p.round for p in pairings}:
        playing = [t for p in pairings if p.round == r for t in (p.home, p.away) if t]
        assert len(playing) == len(set(playing))


def test_double_round_robin_swaps_home_and_away():
    pairings = round_robin(list("abcd"), cycles=2)
    first = {(p.home, p.away) for p in pairings if p.round <= 3}
    second = {(p.away, p.home) for p in pairings if p.round > 3}
    assert first == second


def test_a_round_robin_of_one_is_refused():
    with pytest.raises(DrawError) as error:
        round_robin(["a"])
    assert error.value.code == "too_few"
