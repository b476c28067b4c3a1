"""Standings with FIBA, FIFA, UEFA and ITTF tie-breakers against the rules' worked examples."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.competition.errors import ResultError
from events.competition.roundrobin import round_robin
from events.competition.standings import FIBA, FIFA, ITTF, UEFA, Game, game_check, standings


def test_fiba_example_1_two_pairs_tied_decided_by_their_game():
    # FIBA Official Basketball Rules, Appendix D.2, example 1.
    games = [
        Game("A", "B", 100, 55),
        Game("A", "C", 90, 85),
        Game("A", "D", 75, 80),
        Game("B", "C", 100, 95),
        Game("B", "D", 80, 75),
        Game("C", "D", 60, 55),
    ]
    table = standings(list("ABCD"), games, FIBA)
    assert [(r.team, r.place, r.points) for r in table] == [
        ("A", 1, 5),
        ("B", 2, 5),
        ("C", 3, 4),
        ("D", 4, 4),
    ]


def test_fiba_example_2_three_way_tie_restarts_for_the_two_left():
    # FIBA Official Basketball Rules, Appendix D.2, example 2: B, C, D level on 4 points and one win
    # each among themselves; goal difference among them puts B (+10) second; C and D (-5 each) restart
    # from the first step on their own game: C beat D.
    games = [
        Game("A", "B", 100, 55),
        Game("A", "C", 90, 85),
        Game("A", "D", 120, 75),
        Game("B", "C", 100, 85),
        Game("B", "D", 75, 80),
        Game("C", "D", 65, 55),
    ]
    table = standings(list("ABCD"), games, FIBA)
    assert [r.team for r in table] == ["A", "B", "C", "D"]
    assert [r.place for r in table] == [1, 2, 3, 4]
    assert "head-to-head diff" in table[1].decided_by
    assert "head-to-head points" in table[2].decided_by


def test_fiba_forfeit_is_worth_nothing_and_a_loss_one():
    games = [Game("A", "B", 20, 0, forfeit="B"), Game("A", "C", 70, 60), Game("B", "C", 50, 40)]
    table = {r.team: r for r in standings(list("ABC"), games, FIBA)}
    assert (table["A"].points, table["B"].points, table["C"].points) == (4, 2, 2)


def test_a_basketball_draw_is_refused_in_both_languages():
    with pytest.raises(ResultError) as error:
        game_check(Game("A", "B", 70, 70), FIBA)
    assert error.value.code == "draw"
    assert (
        error.value.message_in("en")
        == "a basketball game cannot end in a draw; enter the score after overtime"
    )
    assert "篮球" in error.value.message_in("zh-hans")


def _football():
    # A, B, C level on 6 points: A beat B 1-0, B beat C 1-0, C beat A 1-0 (level among themselves);
    # everyone beat D, C by 5-0 and the others 1-0.
    return [
        Game("A", "B", 1, 0),
        Game("B", "C", 1, 0),
        Game("C", "A", 1, 0),
        Game("A", "D", 1, 0),
        Game("B", "D", 1, 0),
        Game("C", "D", 5, 0),
    ]


def test_football_fifa_and_uefa_orders_differ_when_head_to_head_disagrees_with_goal_difference():
    # A and B both 6 points. A beat B 1-0, but B has the better overall goal difference.
    games = [
        Game("A", "B", 1, 0),
        Game("A", "C", 0, 1),
        Game("A", "D", 1, 0),
        Game("B", "C", 4, 0),
        Game("B", "D", 4, 0),
        Game("C", "D", 0, 0),
    ]
    fifa = standings(list("ABCD"), games, FIFA)
    uefa = standings(list("ABCD"), games, UEFA)
    assert [r.team for r in fifa][:2] == ["B", "A"]
    assert [r.team for r in uefa][:2] == ["A", "B"]
    assert fifa[0].decided_by == ["overall diff"]
    assert uefa[0].decided_by == ["head-to-head points"]


def test_uefa_circle_of_three_falls_back_to_overall_goal_difference_without_restarting():
    table = standings(list("ABCD"), _football(), UEFA)
    assert [(r.team, r.place, r.tied) for r in table] == [
        ("C", 1, False),
        ("A", 2, True),
        ("B", 2, True),
        ("D", 4, False),
    ]


def test_fiba_restarts_after_an_overall_criterion_places_a_team():
    # A, B, C level (4 points, one win each among them, equal difference among them); C has the best
    # overall difference; A and B restart on their own game: A beat B.
    games = [
        Game("A", "B", 71, 70),
        Game("B", "C", 71, 70),
        Game("C", "A", 71, 70),
        Game("A", "D", 61, 60),
        Game("B", "D", 61, 60),
        Game("C", "D", 90, 60),
    ]
    table = standings(list("ABCD"), games, FIBA)
    assert [(r.team, r.place, r.tied) for r in table] == [
        ("C", 1, False),
        ("A", 2, False),
        ("B", 3, False),
        ("D", 4, False),
    ]
    assert table[1].decided_by == ["overall diff", "head-to-head points"]


def test_ittf_excludes_the_matches_of_a_player_already_placed():
    # A, B, C each won one match among themselves, all 3-1, so game ratios are equal. Point ratios
    # among the three: C 144/120, A 108/120, B 108/120: C is placed first; A and B are then resolved on
    # their own match only, excluding their matches with C: A beat B.
    games = [
        Game("A", "B", 3, 1, home_points=60, away_points=36),
        Game("B", "C", 3, 1, home_points=72, away_points=60),
        Game("C", "A", 3, 1, home_points=84, away_points=48),
        Game("A", "D", 3, 0, home_points=33, away_points=10),
        Game("B", "D", 3, 0, home_points=33, away_points=10),
        Game("C", "D", 3, 0, home_points=33, away_points=10),
    ]
    table = standings(list("ABCD"), games, ITTF)
    assert [(r.team, r.place, r.tied) for r in table] == [
        ("C", 1, False),
        ("A", 2, False),
        ("B", 3, False),
        ("D", 4, False),
    ]
    assert table[0].decided_by == ["head-to-head point_ratio"]


def test_table_tennis_match_cannot_be_drawn():
    with pytest.raises(ResultError) as error:
        game_check(Game("A", "B", 2, 2), ITTF)
    assert error.value.code == "draw"


def test_teams_tied_on_everything_share_the_place():
    games = [Game("A", "B", 1, 1), Game("A", "C", 0, 0), Game("B", "C", 0, 0)]
    table = standings(list("ABC"), games, FIFA)
    assert {(r.team, r.place, r.tied) for r in table if r.team in "AB"} == {("A", 1, True), ("B", 1, True)}


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["fiba", "fifa", "uefa", "ittf"]),
    st.integers(min_value=2, max_value=7),
    st.randoms(use_true_random=False),
)
def test_any_round_robin_gives_a_consistent_table(rules, count, rnd):
    teams = [f"T{i}" for i in range(count)]
    games = []
    for p in round_robin(teams):
        if p.bye:
            continue
        a, b = rnd.randrange(4), rnd.randrange(4)
        if a == b and rules in ("fiba", "ittf"):
            b = a + 1
        games.append(Game(p.home, p.away, a, b, home_points=rnd.randrange(40), away_points=rnd.randrange(40)))
    table = standings(teams, games, rules)
    assert sorted(r.team for r in table) == teams
    assert [r.points for r in table] == sorted((r.points for r in table), reverse=True)
    assert table[0].place == 1
    for i, row in enumerate(table):
        assert row.place == i + 1 or (row.tied and row.place == table[i - 1].place)
