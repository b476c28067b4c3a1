"""The database refuses impossible competition rows, whatever code writes them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from events.enums import MatchStatus, StageKind
from events.models import Match, Stage
from tests.factories.competition import CompetitorFactory, FencingEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bout():
    event = FencingEventFactory()
    stage = Stage.objects.create(event=event, kind=StageKind.POOLS, order=1)
    left, right = CompetitorFactory(event=event), CompetitorFactory(event=event)
    return Match.objects.create(stage=stage, code="P1-01", pool=1, sequence=1, left=left, right=right)


@pytest.mark.parametrize(
    "changes",
    [
        {"left_score": -1},
        {"status": "abandoned"},
        {"status": MatchStatus.DONE},  # done without scores or a winner
    ],
)
def test_impossible_match_rows_are_refused(bout, changes):
    for name, value in changes.items():
        setattr(bout, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        bout.save()


def test_a_winner_must_be_one_of_the_two_sides(bout):
    bout.left_score, bout.right_score, bout.status = 5, 3, MatchStatus.DONE
    bout.winner = CompetitorFactory(event=bout.stage.event)
    with pytest.raises(IntegrityError), transaction.atomic():
        bout.save()


def test_a_fencer_cannot_meet_themselves(bout):
    bout.right = bout.left
    with pytest.raises(IntegrityError), transaction.atomic():
        bout.save()


def test_match_codes_are_unique_in_a_stage(bout):
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(stage=bout.stage, code="P1-01", pool=1, sequence=2)


def test_competitor_keys_are_unique_in_an_event(bout):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetitorFactory(event=bout.stage.event, key=bout.left.key)
