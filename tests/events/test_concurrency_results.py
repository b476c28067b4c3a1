"""Results entered at the same instant by different referees (PostgreSQL, real threads): both semi-finals
of a knockout, or two heats feeding the same repechages, each carried into the next round; the stage
lock makes them one after the other, so no result overwrites what the other carried forward."""

from __future__ import annotations

import pytest

from events.enums import GameRules, LaneStatus, MatchStatus
from events.models import ResultChange
from events.services import games
from events.services.games import game_result_record, games_generate, team_lineup_set
from events.services.races import race_result_record, races_generate
from tests.concurrency import pause_after, race
from tests.factories.competition import (
    BasketballEventFactory,
    DragonBoatEventFactory,
    FencingEventFactory,
    entrants,
)

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


def test_an_order_given_while_a_correction_moves_the_other_side_is_kept(monkeypatch):
    """A team's order saved at the instant a corrected semi-final changes the final's other side: the
    order takes the event's stage locks first, as results do, so the two run one after the other and
    the staying team's order survives, logged as the final is. Control run (the stage locks removed
    from `team_lineup_set`): the two deadlock on the final's row, or the correction writes the final
    back from a copy read before the order."""
    event = FencingEventFactory()
    entrants(event, 4)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    semis = list(stage.matches.filter(round=1).order_by("sequence"))
    won, lost = [5, 10, 15, 20, 25, 30, 35, 40, 45], [0, 5, 10, 15, 20, 25, 30, 35, 40]
    for semi in semis:
        game_result_record(match=semi, home_score=0, away_score=0, user=None, relays=(won, lost))
    final = stage.matches.get(round=2)
    staying = final.right
    staying.members = {f"p-{staying.pk}-{n}": f"Fencer {n}" for n in range(1, 4)}
    staying.person_keys = list(staying.members)
    staying.save(update_fields=["members", "person_keys"])
    # The correction reads the knockout's matches, then resolves each side: widen that window.
    pause_after(monkeypatch, games, "_resolve", 0.3)

    outcome = race(
        [
            lambda: game_result_record(
                match=semis[0], home_score=0, away_score=0, user=None, relays=(lost, won)
            ),
            lambda: team_lineup_set(match=final, team=staying, order=staying.person_keys, user=None),
        ]
    )

    assert outcome.errors == []
    final.refresh_from_db()
    assert (final.left_id, final.right_id) == (semis[0].right_id, staying.pk)
    assert final.detail["lineup"] == {str(staying.pk): staying.person_keys}
    last = ResultChange.objects.filter(match=final).order_by("pk").last()
    assert last.after.get("lineup") == final.detail["lineup"]
