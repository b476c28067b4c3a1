"""Team competitions in the database: Berger round robins, groups then knockout with cross-overs, single
elimination with placement matches, fencing team relays; results checked by the stage's rules, carried
through the knockout, corrected through everything after them, every change logged."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from events.competition.errors import DrawError, ResultError
from events.competition.roundrobin import berger_table
from events.enums import GameRules, MatchStatus, StageKind
from events.models import Match, ResultChange
from events.selectors.results import bracket_rounds, event_classification, group_tables
from events.services.games import game_result_record, games_generate, team_lineup_set
from tests.factories import UserFactory
from tests.factories.competition import BasketballEventFactory, FencingEventFactory, entrants

pytestmark = pytest.mark.django_db


def _play(match, user, home, away, **kwargs):
    return game_result_record(match=match, home_score=home, away_score=away, user=user, **kwargs)


def test_round_robin_of_six_follows_the_fide_berger_table():
    event = BasketballEventFactory()
    teams = entrants(event, 6)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    number = {t.pk: i + 1 for i, t in enumerate(teams)}
    rounds: dict[int, list] = {}
    for m in stage.matches.order_by("sequence"):
        rounds.setdefault(m.round, []).append((number[m.left_id], number[m.right_id]))
    # FIDE Handbook C.05 Annex 1, 6 players: round 1 is 1-6, 2-5, 3-4; round 2 is 6-4, 5-3, 1-2.
    assert rounds[1] == [(1, 6), (2, 5), (3, 4)]
    assert rounds[2] == [(6, 4), (5, 3), (1, 2)]
    assert [rounds[r] for r in sorted(rounds)] == [list(b) for b in berger_table(6)]
    assert stage.settings["rules"] == "fiba"


def test_basketball_draw_is_refused_in_both_languages():
    event = BasketballEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    match = stage.matches.first()
    with pytest.raises(ResultError) as refused:
        _play(match, UserFactory(), 70, 70)
    assert "basketball game cannot end in a draw" in refused.value.message_in("en")
    assert "篮球" in refused.value.message_in("zh-hans")
    match.refresh_from_db()
    assert match.status == MatchStatus.SCHEDULED and not ResultChange.objects.exists()


def test_a_football_group_draw_counts_a_point_each():
    event = BasketballEventFactory()
    _a, _b = entrants(event, 2)
    [stage] = games_generate(event=event, rules=GameRules.FIFA, groups=1, knockout=False)
    _play(stage.matches.get(), UserFactory(), 1, 1)
    [table] = group_tables(stage=stage)
    assert [(row.points, row.drawn) for row, _c in table.rows] == [(1, 1), (1, 1)]


def test_too_few_entries_and_impossible_groups_say_why_and_what_fixes_it():
    event = BasketballEventFactory()
    entrants(event, 1)
    with pytest.raises(DrawError) as refused:
        games_generate(event=event, rules=GameRules.FIBA)
    with override("en"):
        assert (
            str(refused.value)
            == "too few entries: 1, a knockout needs at least 2; add entries or merge categories"
        )
    entrants(event, 4)
    with pytest.raises(DrawError) as refused:
        games_generate(event=event, rules=GameRules.FIBA, groups=3)
    assert refused.value.code == "groups"
    assert (
        refused.value.message_in("zh-hans")
        == "5 个报名无法分成每组至少 2 个的 3 个小组；请减少小组数量或增加报名"
    )


def _groups_then_knockout():
    event = BasketballEventFactory()
    teams = entrants(event, 8)
    groups, knockout = games_generate(event=event, rules=GameRules.FIBA, groups=2, places=4)
    return event, teams, groups, knockout


def _finish_groups(groups, user, *, better_wins=True):
    for m in groups.matches.select_related("left", "right").order_by("pool", "sequence"):
        home_better = m.left.seed < m.right.seed
        home_wins = home_better if better_wins else not home_better
        _play(m, user, 80 if home_wins else 60, 60 if home_wins else 80)


def test_groups_fill_the_crossovers_and_knockout_results_carry_to_the_final():
    event, teams, groups, knockout = _groups_then_knockout()
    user = UserFactory()
    semis = knockout.matches.filter(round=1).order_by("sequence")
    assert [(m.left_source, m.right_source) for m in semis] == [
        ("group:A1", "group:B2"),
        ("group:B1", "group:A2"),
    ]
    assert all(m.left_id is None for m in semis)
    _finish_groups(groups, user)
    # Serpentine groups: A = seeds 1, 4, 5, 8; B = seeds 2, 3, 6, 7. The better seed wins every game.
    seed = {t.pk: t.seed for t in teams}
    semis = list(knockout.matches.filter(round=1).order_by("sequence"))
    assert [(seed[m.left_id], seed[m.right_id]) for m in semis] == [(1, 3), (2, 4)]
    _play(semis[0], user, 90, 70)
    _play(semis[1], user, 60, 75)
    final = knockout.matches.get(detail__places=[1, 2])
    third = knockout.matches.get(detail__places=[3, 4])
    assert (seed[final.left_id], seed[final.right_id]) == (1, 4)
    assert (seed[third.left_id], seed[third.right_id]) == (3, 2)
    _play(final, user, 88, 80)
    _play(third, user, 70, 72)
    places = [(place, c.seed) for place, c in event_classification(event=event)]
    assert places == [(1, 1), (2, 4), (3, 2), (4, 3)]
    with override("en"):
        titles = [r.title for r in bracket_rounds(stage=knockout)]
    assert titles == ["Semi-finals", "Final", "Placement, round 2"]


def test_a_group_correction_flows_through_the_knockout_and_is_logged():
    _event, teams, groups, knockout = _groups_then_knockout()
    user, referee = UserFactory(), UserFactory()
    _finish_groups(groups, user)
    semi = knockout.matches.filter(round=1).order_by("sequence").first()
    _play(semi, user, 90, 70)
    final = knockout.matches.get(detail__places=[1, 2])
    assert final.left_id == semi.left_id
    # Seed 1 now loses both its group games against 4 and 5: group A is won by another team.
    seed = {t.pk: t.seed for t in teams}
    for m in groups.matches.filter(pool=1).select_related("left", "right"):
        if 1 in (seed[m.left_id], seed[m.right_id]) and {seed[m.left_id], seed[m.right_id]} & {4, 5}:
            one_home = seed[m.left_id] == 1
            _play(m, referee, 50 if one_home else 70, 70 if one_home else 50)
    semi.refresh_from_db()
    final.refresh_from_db()
    assert seed[semi.left_id] != 1
    assert semi.status == MatchStatus.SCHEDULED and semi.left_score is None
    assert final.left_id is None
    cleared = ResultChange.objects.filter(match=semi).order_by("pk").last()
    assert (
        cleared.changed_by == referee
        and cleared.before["left_score"] == 90
        and cleared.after["left_score"] is None
    )


def test_single_elimination_with_byes_and_a_match_for_third():
    event = BasketballEventFactory()
    entrants(event, 6)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, places=4)
    assert stage.kind == StageKind.KNOCKOUT
    first = list(stage.matches.filter(round=1).order_by("sequence"))
    # Six teams in a draw of eight: seeds 1 and 2 have byes and wait for the winners of round 1.
    assert len(first) == 2
    assert all(m.left_id and m.right_id for m in first)
    semis = stage.matches.filter(round=2, detail__places=[1, 4])
    assert semis.count() == 2
    assert {m.left_source or m.right_source for m in semis} == {"winner:M1", "winner:M2"}


def test_a_drawn_knockout_football_game_needs_the_penalty_winner():
    event = BasketballEventFactory()
    entrants(event, 2)
    [stage] = games_generate(event=event, rules=GameRules.UEFA, places=2)
    final = stage.matches.get()
    with pytest.raises(ResultError) as refused:
        _play(final, UserFactory(), 1, 1)
    assert refused.value.code == "knockout_draw"
    done = _play(final, UserFactory(), 1, 1, winner="away")
    assert done.winner_id == done.right_id


def test_the_fencing_relay_is_refused_for_another_sport_and_not_offered_in_its_draw_form():
    from events.forms.competition import GamesDrawForm

    event = BasketballEventFactory()
    entrants(event, 4)
    with pytest.raises(DrawError) as refused:
        games_generate(event=event, rules=GameRules.FENCING_TEAM, places=4)
    assert refused.value.code == "team_sport"
    assert refused.value.message_in("zh-hans") == "击剑团体接力赛只适用于击剑项目；请选择该项目所属运动的规则"
    assert not event.stages.exists()
    assert GameRules.FENCING_TEAM not in dict(GamesDrawForm().fields["rules"].choices)
    assert GameRules.FIBA in dict(GamesDrawForm().fields["rules"].choices)


def test_fencing_team_match_is_the_nine_bout_relay():
    event = FencingEventFactory()
    entrants(event, 2)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    final = stage.matches.get()
    with pytest.raises(ResultError) as refused:
        _play(final, UserFactory(), 0, 0, relays=([5, 11], [3, 8]))
    assert refused.value.code == "over_target"
    home = [5, 10, 14, 20, 25, 28, 35, 40, 45]
    away = [3, 8, 15, 17, 21, 30, 33, 36, 41]
    done = _play(final, UserFactory(), 0, 0, relays=(home, away))
    assert (done.left_score, done.right_score, done.winner_id) == (45, 41, done.left_id)
    assert done.detail["relays"] == [home, away]
    assert ResultChange.objects.get(match=final).after["relays"] == [home, away]


def test_a_result_for_a_game_without_both_sides_is_refused():
    _event, _teams, _groups, knockout = _groups_then_knockout()
    semi = knockout.matches.filter(round=1).first()
    with pytest.raises(ResultError) as refused:
        _play(semi, UserFactory(), 80, 70)
    assert refused.value.code == "not_ready"
    assert not Match.objects.filter(pk=semi.pk, status=MatchStatus.DONE).exists()


def test_the_draw_is_refused_once_games_have_results():
    event = BasketballEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    _play(stage.matches.first(), UserFactory(), 70, 60)
    with pytest.raises(DrawError) as refused:
        games_generate(event=event, rules=GameRules.FIBA, groups=1, knockout=False)
    assert refused.value.code == "games_started"


def _members(team, count: int = 3) -> list[str]:
    team.members = {f"p-{team.pk}-{n}": f"Fencer {team.pk}.{n}" for n in range(1, count + 1)}
    team.person_keys = list(team.members)
    team.save(update_fields=["members", "person_keys"])
    return team.person_keys


def test_a_teams_order_is_kept_by_team_and_leaves_with_it():
    """The order is stored under the team; when a corrected semi-final sends the other team to the final,
    the team that left takes its order away, and the one still there keeps it."""
    event = FencingEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semis, final = stage.matches.filter(round=1).order_by("sequence"), stage.matches.get(round=2)
    organiser = UserFactory()
    home = [5, 10, 15, 20, 25, 30, 35, 40, 45]
    away = [0, 5, 10, 15, 20, 25, 30, 35, 40]
    for semi in semis:
        _play(semi, organiser, 0, 0, relays=(home, away))
    final.refresh_from_db()
    first, second = final.left, final.right
    team_lineup_set(match=final, team=first, order=_members(first), user=organiser)
    team_lineup_set(match=final, team=second, order=_members(second)[::-1], user=organiser)
    final.refresh_from_db()
    assert final.detail["lineup"] == {
        str(first.pk): first.person_keys,
        str(second.pk): second.person_keys[::-1],
    }

    _play(semis[0], organiser, 0, 0, relays=(away, home))  # the other team of semi 1 goes through
    final.refresh_from_db()
    assert final.left_id == semis[0].right_id and final.right_id == second.pk
    assert final.detail["lineup"] == {str(second.pk): second.person_keys[::-1]}
    changes = list(ResultChange.objects.filter(match=final).order_by("pk"))
    assert len(changes) == 3  # each order, then the order that left with its team
    assert changes[-1].after["lineup"] == final.detail["lineup"] and changes[-1].changed_by == organiser


def test_an_order_is_refused_for_a_team_not_in_the_match_or_a_match_that_is_no_relay():
    event = FencingEventFactory()
    teams = entrants(event, 3)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semi = stage.matches.exclude(left=None).exclude(right=None).first()
    outsider = next(t for t in teams if t.pk not in (semi.left_id, semi.right_id))
    with pytest.raises(ResultError) as refused:
        team_lineup_set(match=semi, team=outsider, order=_members(outsider), user=UserFactory())
    assert refused.value.code == "not_in_match"
    with pytest.raises(ResultError) as refused:  # the team's fencers are all it can name
        team_lineup_set(match=semi, team=semi.left, order=_members(semi.right), user=UserFactory())
    assert refused.value.code == "lineup_member"
    basketball = BasketballEventFactory()
    entrants(basketball, 2)
    [games] = games_generate(event=basketball, rules=GameRules.FIBA, places=2)
    game = games.matches.get()
    with pytest.raises(ResultError) as refused:
        team_lineup_set(match=game, team=game.left, order=_members(game.left), user=UserFactory())
    assert refused.value.code == "not_relay"
    semi.refresh_from_db()
    assert "lineup" not in semi.detail and not ResultChange.objects.exists()
