"""Experience places are never overbooked: delegations race for the last places of one slot on
PostgreSQL with real threads. The control run takes the slot lock away and shows the overbooking,
so the passing test proves the lock."""

from __future__ import annotations

import pytest

from tests.concurrency import pause_after, race
from tests.factories.events import ProgrammeFactory
from tests.factories.exchange import SlotFactory
from tests.factories.registration import AthleteFactory, DelegationFactory
from tourism.exchange.enums import BookingStatus
from tourism.exchange.models import Booking, ExperienceSlot
from tourism.exchange.services import experiences

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DELEGATIONS = 12
PLACES = 3


def _round() -> tuple[int, list[BaseException]]:
    programme = ProgrammeFactory()
    slot = SlotFactory(experience__programme=programme, capacity=PLACES)
    parties = []
    for _ in range(DELEGATIONS):
        delegation = DelegationFactory(programme=programme)
        parties.append((delegation, AthleteFactory(delegation=delegation)))
    calls = [
        lambda d=delegation, a=athlete: experiences.slot_book(slot=slot, delegation=d, athletes=[a])
        for delegation, athlete in parties
    ]
    _results, errors = race(calls)
    confirmed = Booking.objects.filter(slot=slot, status=BookingStatus.CONFIRMED).count()
    waiting = Booking.objects.filter(slot=slot, status=BookingStatus.WAITLISTED).count()
    assert confirmed + waiting == DELEGATIONS or errors
    return confirmed, errors


@pytest.fixture
def widen_race(monkeypatch):
    """Sleep between counting the places and writing the bookings, so an unlocked race would show."""
    pause_after(monkeypatch, experiences, "slot_taken", 0.05)


def test_racing_delegations_never_overbook_a_slot(widen_race):
    for _ in range(3):
        confirmed, errors = _round()
        assert errors == []
        assert confirmed == PLACES


def test_control_without_the_slot_lock_the_race_overbooks(widen_race, monkeypatch):
    monkeypatch.setattr(
        experiences,
        "_lock_slot",
        lambda slot: ExperienceSlot.objects.select_related("experience").get(pk=slot.pk),
    )
    overbooked = max(_round()[0] for _ in range(2)) - PLACES
    assert overbooked > 0, "the harness did not produce a race: the locked test would prove nothing"
