"""The nine-bout team relay to 45 touches."""

import pytest

from events.competition.errors import ResultError
from events.competition.fencing.team import TeamMatchResult, lineup_check, relay_order, team_match_check


def test_relay_order_is_the_fie_order_and_every_fencer_meets_all_three_opponents():
    relays = relay_order()
    assert [(r.a_fencer, r.b_fencer) for r in relays] == [
        (3, 6), (1, 5), (2, 4), (1, 6), (3, 4), (2, 5), (1, 4), (2, 6), (3, 5)
    ]  # fmt: skip
    assert [r.target for r in relays] == [5, 10, 15, 20, 25, 30, 35, 40, 45]
    assert {(r.a_fencer, r.b_fencer) for r in relays} == {(a, b) for a in (1, 2, 3) for b in (4, 5, 6)}


def test_a_match_to_45_has_a_winner():
    a = (5, 10, 12, 20, 25, 30, 35, 40, 45)
    b = (3, 8, 15, 18, 22, 27, 30, 33, 41)
    assert team_match_check(TeamMatchResult(a, b)) == "a"


def test_no_team_can_reach_45_before_the_ninth_relay():
    a = (5, 10, 15, 20, 25, 30, 35, 45)
    b = (0, 1, 2, 3, 4, 5, 6, 7)
    with pytest.raises(ResultError) as error:
        team_match_check(TeamMatchResult(a, b))
    assert error.value.code == "over_target"


@pytest.mark.parametrize(
    ("a", "b", "code"),
    [
        ((5, 11), (3, 4), "over_target"),
        ((5, 4), (3, 6), "goes_down"),
        ((5, 10, 15), (0, 0, 0), "unfinished"),
        ((5, 10, 15, 20, 25, 30, 35, 40, 40), (0, 5, 10, 15, 20, 25, 30, 35, 40), "draw"),
    ],
)
def test_impossible_relay_scores_are_refused(a, b, code):
    with pytest.raises(ResultError) as error:
        team_match_check(TeamMatchResult(a, b))
    assert error.value.code == code


@pytest.mark.parametrize(
    ("order", "code"),
    [
        (["a", "b"], "lineup_size"),
        (["a", "b", "c", "d"], "lineup_size"),
        (["a", "", "c"], "lineup_size"),
        (["a", "a", "b"], "lineup_twice"),
        (["a", "b", "z"], "lineup_member"),
    ],
)
def test_a_teams_order_is_three_different_fencers_of_the_team(order, code):
    with pytest.raises(ResultError) as error:
        lineup_check(order, {"a", "b", "c", "d"})
    assert error.value.code == code


def test_the_reserve_may_fence_in_any_position():
    assert lineup_check(["d", "a", "b"], {"a", "b", "c", "d"}) == ("d", "a", "b")
