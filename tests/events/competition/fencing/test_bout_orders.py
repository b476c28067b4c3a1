"""The stored bout-order tables against the official sheet's properties, and teammates fencing first."""

from itertools import combinations, pairwise

import pytest

from events.competition.errors import DrawError
from events.competition.fencing.bout_orders import STANDARD, VARIANTS, bout_order_for, tables_for

ALL_TABLES = [(n, "standard", t) for n, t in STANDARD.items()] + [
    (n, name, t) for n, variants in VARIANTS.items() for name, t in variants.items()
]


@pytest.mark.parametrize(("size", "name", "table"), ALL_TABLES, ids=lambda v: str(v)[:20])
def test_every_pair_fences_exactly_once(size, name, table):
    pairs = [frozenset(bout) for bout in table]
    assert len(pairs) == size * (size - 1) // 2
    assert set(pairs) == {frozenset(p) for p in combinations(range(1, size + 1), 2)}


@pytest.mark.parametrize(
    ("size", "name", "table"), [t for t in ALL_TABLES if t[0] >= 5], ids=lambda v: str(v)[:20]
)
def test_nobody_fences_two_bouts_in_a_row_from_pools_of_five(size, name, table):
    for first, second in pairwise(table):
        assert not set(first) & set(second), (first, second)


def test_the_published_opening_bouts():
    assert STANDARD[4][:2] == ((1, 4), (2, 3))
    assert STANDARD[7][:4] == ((1, 4), (2, 5), (3, 6), (7, 1))
    assert STANDARD[8][:2] == ((2, 3), (1, 5))
    assert STANDARD[9][:4] == ((1, 9), (2, 8), (3, 7), (4, 6))
    assert STANDARD[9][-1] == (9, 8)


def test_three_teammates_in_a_pool_of_seven_fence_each_other_first():
    order = bout_order_for(list("abcdefg"), ["x", None, "x", None, None, "x", None])
    teammates = {"a", "c", "f"}
    mutual = [i for i, bout in enumerate(order.bouts) if set(bout) <= teammates]
    assert order.table == "three teammates 1-2-3"
    assert mutual == [0, 3, 5]
    assert order.positions[:3] == ("a", "c", "f")


def test_three_pairs_of_teammates_in_a_pool_of_six_use_the_variant():
    order = bout_order_for(list("abcdef"), ["x", "y", "z", "x", "y", "z"])
    assert order.table == "pairs 1-4, 2-5, 3-6"
    assert {frozenset(b) for b in order.bouts[:3]} == {frozenset("ad"), frozenset("be"), frozenset("cf")}


def test_no_teammates_keeps_seed_order_and_the_standard_table():
    order = bout_order_for(list("abcde"))
    assert order.table == "standard"
    assert order.positions == tuple("abcde")
    assert order.bouts[0] == ("a", "b")


@pytest.mark.parametrize("size", [3, 10])
def test_a_pool_without_an_official_table_is_refused(size):
    with pytest.raises(DrawError) as error:
        tables_for(size)
    assert error.value.code == "pool_size"
    assert "4 to 9" in error.value.message_in("en")


@pytest.mark.parametrize("size", range(4, 10))
def test_two_teammates_fence_each_other_in_the_first_bout_whatever_their_seeds(size):
    for a, b in combinations(range(size), 2):
        teams = [None] * size
        teams[a] = teams[b] = "club"
        entries = [f"e{i}" for i in range(size)]
        order = bout_order_for(entries, teams)
        assert set(order.bouts[0]) == {entries[a], entries[b]}
        assert sorted(order.positions) == sorted(entries)
