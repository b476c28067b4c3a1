"""Pool results to a ranking (V/M, indicator, touches, ties, annulled bouts) and the cut."""

import pytest

from events.competition.errors import ResultError
from events.competition.fencing.ranking import PoolBout, bout_check, pool_cut, pool_ranking


def test_a_pool_bout_six_five_when_fought_to_five_is_refused_in_both_languages():
    with pytest.raises(ResultError) as error:
        bout_check(PoolBout("a", "b", 6, 5))
    assert error.value.code == "over_limit"
    assert error.value.message_in("en") == (
        "6–5 cannot happen in a bout fought to 5 touches; enter at most 5 touches for the winner"
    )
    assert "5" in error.value.message_in("zh-hans")
    assert "cannot happen" not in error.value.message_in("zh-hans")


@pytest.mark.parametrize(
    ("bout", "code"),
    [
        (PoolBout("a", "b", 5, 5), "both_at_limit"),
        (PoolBout("a", "b", 3, 3), "draw"),
        (PoolBout("a", "b", 2, 4, winner="a"), "winner_behind"),
        (PoolBout("a", "b", -1, 5), "negative"),
        (PoolBout("a", "a", 5, 1), "same_fencer"),
    ],
)
def test_impossible_pool_scores_are_refused(bout, code):
    with pytest.raises(ResultError) as error:
        bout_check(bout)
    assert error.value.code == code


def test_a_win_on_priority_at_equal_touches_is_accepted():
    bout = PoolBout("a", "b", 3, 3, winner="b")
    bout_check(bout)
    assert bout.victor == "b"


def _pool():
    # a beats everyone; b beats c and d; c beats d; d none. c and d tie on nothing.
    return [
        PoolBout("a", "b", 5, 3),
        PoolBout("a", "c", 5, 0),
        PoolBout("a", "d", 5, 4),
        PoolBout("b", "c", 5, 2),
        PoolBout("b", "d", 5, 1),
        PoolBout("c", "d", 5, 4),
    ]


def test_ranking_by_victories_then_indicator_then_touches():
    ranking = pool_ranking(["a", "b", "c", "d"], _pool())
    assert [(s.key, s.place, s.victories, s.indicator, s.scored) for s in ranking] == [
        ("a", 1, 3, 8, 15),
        ("b", 2, 2, 5, 13),
        ("c", 3, 1, -7, 7),
        ("d", 4, 0, -6, 9),
    ]


def test_indicator_decides_between_equal_victories_then_touches_then_a_tie():
    bouts = [
        PoolBout("a", "b", 5, 4),
        PoolBout("b", "c", 5, 4),
        PoolBout("c", "a", 5, 4),
    ]
    # Three-way circle: same V/M, indicator and touches: all tied first.
    ranking = pool_ranking(
        ["a", "b", "c", "d"],
        [*bouts, PoolBout("a", "d", 5, 0), PoolBout("b", "d", 5, 0), PoolBout("c", "d", 5, 0)],
    )
    assert [(s.key, s.place, s.tied) for s in ranking] == [
        ("a", 1, True),
        ("b", 1, True),
        ("c", 1, True),
        ("d", 4, False),
    ]


def test_bouts_of_a_withdrawn_fencer_are_annulled():
    ranking = pool_ranking(["a", "b", "c", "d"], _pool(), withdrawn=["a"])
    assert [s.key for s in ranking] == ["b", "c", "d"]
    b = ranking[0]
    assert (b.victories, b.bouts, b.scored, b.received) == (2, 2, 10, 3)


def test_v_over_m_compares_fencers_from_pools_of_different_sizes():
    # x wins all 3 bouts of a pool of 4 by 5-4; y wins 3 of 4 in a pool of 5 by 5-0 (a far better
    # indicator): V/M 1.0 beats 0.75 whatever the touches.
    pool_of_four = [PoolBout("x", o, 5, 4) for o in ("a", "b", "c")] + [
        PoolBout("a", "b", 5, 1),
        PoolBout("a", "c", 5, 1),
        PoolBout("b", "c", 5, 1),
    ]
    pool_of_five = [PoolBout("y", o, 5, 0) for o in ("d", "e", "f")] + [
        PoolBout("g", "y", 5, 4),
        PoolBout("d", "e", 5, 1),
        PoolBout("d", "f", 5, 1),
        PoolBout("d", "g", 5, 1),
        PoolBout("e", "f", 5, 1),
        PoolBout("e", "g", 5, 1),
        PoolBout("f", "g", 5, 1),
    ]
    ranking = pool_ranking(list("xabcydefg"), pool_of_four + pool_of_five)
    x, y = (next(s for s in ranking if s.key == k) for k in "xy")
    assert (x.victories, x.bouts, x.indicator) == (3, 3, 3)
    assert (y.victories, y.bouts, y.indicator) == (3, 4, 14)
    assert x.place == 1 and y.place == 2


def test_the_cut_keeps_everyone_tied_on_the_line():
    bouts = [
        PoolBout("a", "b", 5, 4),
        PoolBout("b", "c", 5, 4),
        PoolBout("c", "a", 5, 4),
        PoolBout("a", "d", 5, 0),
        PoolBout("b", "d", 5, 0),
        PoolBout("c", "d", 5, 0),
    ]
    ranking = pool_ranking(["a", "b", "c", "d"], bouts)
    assert [s.key for s in pool_cut(ranking, qualify=2)] == ["a", "b", "c"]
    assert [s.key for s in pool_cut(ranking, percent=100)] == ["a", "b", "c", "d"]
    assert len(pool_cut(ranking)) == 4
