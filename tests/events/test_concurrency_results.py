"""Results entered at the same instant by different referees (PostgreSQL, real threads): both semi-finals
of a knockout, or two heats feeding the same repechages, each carried into the next round; the stage
lock makes them one after the other, so no result overwrites what the other carried forward."""

from __future__ import annotations

import pytest

from events.enums import GameRules, LaneStatus, MatchStatus
from events.models import ResultChange
from events.services.games import game_result_record, games_generate
from events.services.races import race_result_record, races_generate
from tests.concurrency import race
from tests.factories.competition import BasketballEventFactory, DragonBoatEventFactory, entrants

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_both_semi_finals_at_once_fill_both_sides_of_the_final():
    event = BasketballEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FIBA, places=4)
    semis = list(stage.matches.filter(round=1).order_by("sequence"))
    outcome = race(
        [lambda m=m: game_result_record(match=m, home_score=80, away_score=70, user=None) for m in semis]
    )
    assert outcome.errors == []
    final = stage.matches.get(detail__places=[1, 2])
    third = stage.matches.get(detail__places=[3, 4])
    assert {final.left_id, final.right_id} == {semis[0].left_id, semis[1].left_id}
    assert {third.left_id, third.right_id} == {semis[0].right_id, semis[1].right_id}
    assert ResultChange.objects.count() == 2


def test_two_heats_at_once_both_reach_the_repechages():
    event = DragonBoatEventFactory()
    entrants(event, 10, kind="crew")
    stage = races_generate(event=event, lanes=6)
    heats = list(stage.matches.filter(code__in=["H1", "H2"]).prefetch_related("lanes"))

    def finishes(heat):
        return {ln.lane: (120_000 + 1000 * i, LaneStatus.FINISHED) for i, ln in enumerate(heat.lanes.all())}

    outcome = race([lambda h=h: race_result_record(match=h, finishes=finishes(h), user=None) for h in heats])
    assert outcome.errors == []
    assert stage.matches.filter(code__in=["H1", "H2"], status=MatchStatus.DONE).count() == 2
    repechages = stage.matches.filter(code__in=["R1", "R2"]).prefetch_related("lanes")
    assert all(ln.competitor_id for r in repechages for ln in r.lanes.all())
