"""Competition services: pools stored with the official bout order, results checked and logged,
rankings derived, the tableau drawn from the ranking, winners carried on, corrections flowing through."""

from __future__ import annotations

import pytest
from django.utils import translation

from events.competition.errors import DrawError, ResultError
from events.competition.fencing.bout_orders import STANDARD
from events.enums import CompetitorStatus, MatchStatus, StageKind
from events.models import Match, ResultChange, Stage
from events.selectors.competition import overall_ranking, pools_view, tableau_view
from events.services.competition import bout_result_record, pools_generate, tableau_generate
from tests.factories import UserFactory
from tests.factories.competition import CompetitorFactory, FencingEventFactory, fencers

pytestmark = pytest.mark.django_db


def _positions(stage: Stage, pool: int) -> dict[int, int]:
    sheet = next(p for p in stage.settings["pools"] if p["number"] == pool)
    return {pk: i for i, pk in enumerate(sheet["positions"], start=1)}


def test_pools_are_stored_with_the_official_bout_order():
    event = FencingEventFactory()
    fencers(event, 14)
    stage = pools_generate(event=event)
    assert stage.kind == StageKind.POOLS
    assert [len(p["positions"]) for p in stage.settings["pools"]] == [7, 7]
    for number in (1, 2):
        where = _positions(stage, number)
        bouts = Match.objects.filter(stage=stage, pool=number).order_by("sequence")
        assert [(where[m.left_id], where[m.right_id]) for m in bouts] == list(STANDARD[7])
        assert [m.code for m in bouts][:2] == [f"P{number}-01", f"P{number}-02"]
    # Serpentine: seeds 1 and 2 head the two pools.
    heads = sorted(p["positions"][0] for p in stage.settings["pools"])
    assert heads == sorted(c.pk for c in event.competitors.filter(seed__in=[1, 2]))


def test_too_few_fencers_are_refused_with_the_reason_and_the_fix():
    event = FencingEventFactory()
    fencers(event, 3)
    with pytest.raises(DrawError) as refusal:
        pools_generate(event=event)
    assert refusal.value.code == "too_few"
    assert "3" in refusal.value.message_in("en") and "add fencers" in refusal.value.message_in("en")
    assert "报名人数太少：只有 3 名运动员" in refusal.value.message_in("zh-hans")
    assert not Stage.objects.filter(event=event).exists()


def test_withdrawn_competitors_are_not_drawn():
    event = FencingEventFactory()
    fencers(event, 8)
    CompetitorFactory(event=event, seed=9, status=CompetitorStatus.WITHDRAWN)
    stage = pools_generate(event=event)
    assert sum(len(p["positions"]) for p in stage.settings["pools"]) == 8


def _score(match: Match, user, *, left_wins: bool = True, loser: int = 2):
    if left_wins:
        return bout_result_record(match=match, left_score=5, right_score=loser, user=user)
    return bout_result_record(match=match, left_score=loser, right_score=5, user=user)


def test_a_pool_score_over_five_is_refused_in_both_languages_and_changes_nothing():
    event = FencingEventFactory()
    fencers(event, 5)
    stage = pools_generate(event=event)
    match = stage.matches.get(code="P1-01")
    with pytest.raises(ResultError) as refusal:
        bout_result_record(match=match, left_score=6, right_score=5, user=UserFactory())
    assert "6–5" in refusal.value.message_in("en") and "5 touches" in refusal.value.message_in("en")
    with translation.override("zh-hans"):
        assert "6–5" in str(refusal.value)
    match.refresh_from_db()
    assert match.status == MatchStatus.SCHEDULED and match.left_score is None
    assert not ResultChange.objects.exists()


def test_results_are_logged_and_rankings_follow():
    event = FencingEventFactory()
    field = fencers(event, 4)
    user = UserFactory()
    stage = pools_generate(event=event)
    # The top seed wins every bout 5-1; everybody else wins against nobody but each other by seed.
    for match in stage.matches.order_by("sequence"):
        left, right = match.left, match.right
        bout_result_record(
            match=match,
            left_score=5 if left.seed < right.seed else 3,
            right_score=3 if left.seed < right.seed else 5,
            user=user,
        )
    ranking = overall_ranking(stage=stage)
    assert [s.key for s in ranking] == [str(c.pk) for c in field]
    assert (ranking[0].victories, ranking[0].bouts, ranking[0].indicator) == (3, 3, 6)
    assert ResultChange.objects.count() == 6
    change = ResultChange.objects.first()
    assert change.changed_by == user and change.before["left_score"] is None
    assert change.after["status"] == MatchStatus.DONE
    sheet = pools_view(event=event).sheets[0]
    top = next(r for r in sheet.rows if r.competitor == field[0])
    assert top.standing.place == 1 and top.ratio == "1.000"
    assert [c.mark for c in top.cells if not c.own] == ["V", "V", "V"]


def _fence_pools(stage, user):
    for match in stage.matches.order_by("pool", "sequence"):
        better = match.left.seed < match.right.seed
        bout_result_record(
            match=match, left_score=5 if better else 2, right_score=2 if better else 5, user=user
        )


def test_tableau_is_drawn_from_the_pool_ranking_with_byes_to_the_top_seeds():
    event = FencingEventFactory()
    field = fencers(event, 10)
    user = UserFactory()
    pools = pools_generate(event=event)
    with pytest.raises(DrawError) as refusal:
        tableau_generate(event=event)
    assert refusal.value.code == "pools_unfinished"
    _fence_pools(pools, user)
    stage = tableau_generate(event=event)
    assert stage.settings["size"] == 16
    first = {m.code: m for m in stage.matches.filter(round=16)}
    # Seed 1 (first after the pools) meets the 16th place: a bye, already through.
    assert first["T16-1"].status == MatchStatus.WALKOVER
    assert first["T16-1"].winner_id == stage.settings["seeds"][0]
    eight = stage.matches.get(code="T8-1")
    assert eight.left_id == stage.settings["seeds"][0]
    assert eight.right_source == "winner:T16-2"
    assert {c.pk for c in field} == set(stage.settings["seeds"])


def test_tableau_winners_advance_and_a_correction_flows_through():
    event = FencingEventFactory()
    fencers(event, 8)
    user = UserFactory()
    _fence_pools(pools_generate(event=event), user)
    stage = tableau_generate(event=event)
    first = stage.matches.get(code="T8-1")
    second = stage.matches.get(code="T8-2")
    bout_result_record(match=first, left_score=15, right_score=9, user=user)
    bout_result_record(match=second, left_score=15, right_score=12, user=user)
    semi = stage.matches.get(code="T4-1")
    assert (semi.left_id, semi.right_id) == (first.left_id, second.left_id)
    bout_result_record(match=semi, left_score=15, right_score=3, user=user)
    final = stage.matches.get(code="T2-1")
    assert final.left_id == first.left_id
    # The first bout is corrected: the other fencer won. The semi-final they no longer fenced is cleared.
    bout_result_record(match=first, left_score=13, right_score=15, user=user)
    semi.refresh_from_db()
    final.refresh_from_db()
    assert semi.left_id == first.right_id and semi.status == MatchStatus.SCHEDULED
    assert semi.left_score is None and final.left_id is None
    assert ResultChange.objects.filter(match=semi).count() == 2
    with pytest.raises(ResultError):
        bout_result_record(match=stage.matches.get(code="T8-1"), left_score=16, right_score=3, user=user)
    rounds = tableau_view(event=event)[1]
    assert [r.table for r in rounds] == [8, 4, 2]


def test_a_pool_correction_redraws_a_tableau_without_results_and_is_refused_once_it_has_some():
    event = FencingEventFactory()
    field = fencers(event, 4)
    user = UserFactory()
    pools = pools_generate(event=event)
    _fence_pools(pools, user)
    tableau_generate(event=event)
    assert Stage.objects.get(event=event, kind=StageKind.TABLEAU).settings["seeds"][0] == field[0].pk
    # Seed 4 beat seed 1 after all: the ranking changes and the tableau follows.
    bout = pools.matches.get(left__in=[field[0], field[3]], right__in=[field[0], field[3]])
    scores = (2, 5) if bout.left_id == field[0].pk else (5, 2)
    bout_result_record(match=bout, left_score=scores[0], right_score=scores[1], user=user)
    tableau = Stage.objects.get(event=event, kind=StageKind.TABLEAU)
    assert tableau.settings["seeds"] == [s.key and int(s.key) for s in overall_ranking(stage=pools)]
    bout_result_record(match=tableau.matches.get(code="T4-1"), left_score=15, right_score=1, user=user)
    with pytest.raises(ResultError) as refusal:
        bout_result_record(match=bout, left_score=scores[1], right_score=scores[0], user=user)
    assert refusal.value.code == "tableau_started"


def test_pools_cannot_be_drawn_again_once_results_are_in():
    event = FencingEventFactory()
    fencers(event, 6)
    stage = pools_generate(event=event)
    again = pools_generate(event=event, max_size=6)
    assert not Stage.objects.filter(pk=stage.pk).exists() and again.pk != stage.pk
    _score(again.matches.first(), UserFactory())
    with pytest.raises(DrawError) as refusal:
        pools_generate(event=event)
    assert refusal.value.code == "pools_started"
