"""Pool sizes, serpentine seeding and separation by club then city."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.competition.errors import DrawError
from events.competition.fencing.pools import Fencer, pool_sizes, pools_draw, serpentine


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (4, [4]),
        (7, [7]),
        (8, [4, 4]),
        (13, [7, 6]),
        (14, [7, 7]),
        (20, [7, 7, 6]),
        (36, [6, 6, 6, 6, 6, 6]),
        (43, [7] * 1 + [6] * 6),
    ],
)
def test_pool_sizes_as_many_sevens_as_possible_two_sizes_at_most(count, sizes):
    assert pool_sizes(count) == sizes


def test_local_events_can_ask_for_smaller_pools():
    assert pool_sizes(20, max_size=5) == [5, 5, 5, 5]
    assert pool_sizes(6, max_size=5) == [6]  # two pools of 3 would be too small


@given(st.integers(min_value=4, max_value=400), st.sampled_from([5, 6, 7]))
def test_pool_sizes_never_more_than_two_sizes_within_four_to_nine(count, max_size):
    sizes = pool_sizes(count, max_size=max_size)
    assert sum(sizes) == count
    assert max(sizes) - min(sizes) <= 1
    assert min(sizes) >= 4 and max(sizes) <= 9


def test_too_few_fencers_says_why_and_what_would_fix_it():
    with pytest.raises(DrawError) as error:
        pool_sizes(3)
    assert error.value.code == "too_few"
    assert error.value.message_in("en") == (
        "too few entries: 3 fencers, a pool needs at least 4; add fencers or merge categories"
    )
    assert "3" in error.value.message_in("zh-hans")
    assert "add fencers" not in error.value.message_in("zh-hans")


def test_a_pool_of_three_is_refused():
    with pytest.raises(DrawError) as error:
        pool_sizes(11, pools=3)
    assert error.value.code == "pool_too_small"
    assert "pool of 3" in error.value.message_in("en")


def test_serpentine_deals_one_to_n_then_back():
    fencers = [Fencer(str(i), i) for i in range(1, 13)]
    pools = serpentine(fencers, [4, 4, 4])
    assert [[f.seed for f in p] for p in pools] == [[1, 6, 7, 12], [2, 5, 8, 11], [3, 4, 9, 10]]


def test_separation_moves_a_clubmate_with_the_nearest_ranked_fencer_not_the_top_seed():
    # Serpentine puts 1 and 6 (both club A) in pool 1; swapping 6 with 5 (nearest) separates them.
    fencers = [Fencer(str(i), i, club="A" if i in (1, 6) else f"c{i}") for i in range(1, 13)]
    draw = pools_draw(fencers, pools=3)
    first = [f.seed for f in draw.pools[0].fencers]
    assert first[0] == 1
    assert 6 not in first and 5 in first
    assert draw.unseparated == ()


def test_separation_by_city_does_not_undo_club_separation():
    fencers = [
        Fencer(
            str(i),
            i,
            club=("A" if i in (1, 6) else f"c{i}"),
            city=("Suzhou" if i in (2, 5, 8) else f"city{i}"),
        )
        for i in range(1, 13)
    ]
    draw = pools_draw(fencers, pools=3)
    for pool in draw.pools:
        assert max(Counter(f.club for f in pool.fencers).values()) == 1
        assert max(Counter(f.city for f in pool.fencers).values()) == 1
    assert [p.fencers[0].seed for p in draw.pools] == [1, 2, 3]


def test_more_teammates_than_pools_is_refused_when_strict_with_the_fix():
    fencers = [Fencer(str(i), i, club="A" if i <= 3 else f"c{i}") for i in range(1, 9)]
    with pytest.raises(DrawError) as error:
        pools_draw(fencers, strict=True)
    assert error.value.code == "cannot_separate"
    assert error.value.message_in("en") == (
        "A has 3 fencers but there are only 2 pools, so two of them would meet in a pool; "
        "use at least 3 pools, or allow teammates in the same pool"
    )


def test_leftover_teammates_are_reported_and_fence_each_other_first():
    fencers = [Fencer(str(i), i, club="A" if i <= 3 else f"c{i}") for i in range(1, 9)]
    draw = pools_draw(fencers)
    assert len(draw.unseparated) == 1
    level, club, number = draw.unseparated[0]
    assert (level, club) == ("club", "A")
    pool = draw.pools[number - 1]
    club_a = {f.key for f in pool.fencers if f.club == "A"}
    assert len(club_a) == 2
    assert set(pool.order.bouts[0]) == club_a


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=8, max_value=60),
    st.integers(min_value=2, max_value=8),
    st.randoms(use_true_random=False),
)
def test_separation_keeps_top_seeds_and_everyone_once(count, clubs, rnd):
    fencers = [Fencer(f"f{i}", i, club=f"club{rnd.randrange(clubs)}") for i in range(1, count + 1)]
    sizes = pool_sizes(count)
    plain = serpentine(fencers, sizes)
    draw = pools_draw(fencers)
    assert [p.fencers[0] for p in draw.pools] == [p[0] for p in plain]
    assert sorted(f.key for p in draw.pools for f in p.fencers) == sorted(f.key for f in fencers)
    assert [len(p.fencers) for p in draw.pools] == sizes
