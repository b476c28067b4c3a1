"""Booking experience places for named members: confirmed while places last, then a waiting list
that is offered freed places in order; refusals leave nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from registration.enums import MembershipRole
from tests.factories.exchange import SlotFactory
from tests.factories.registration import AthleteFactory, DelegationFactory, MembershipFactory
from tourism.exchange.enums import BookingStatus
from tourism.exchange.errors import CapacityError
from tourism.exchange.models import Booking
from tourism.exchange.services.experiences import booking_accept, booking_cancel, slot_book

pytestmark = pytest.mark.django_db


def test_places_confirmed_until_full_then_waitlisted_in_order(camp):
    slot = SlotFactory(experience__programme=camp.delegation.programme, capacity=2)
    made = slot_book(
        slot=slot, delegation=camp.delegation, athletes=camp.children, memberships=[camp.chaperone]
    )
    assert [b.status for b in made] == [
        BookingStatus.CONFIRMED,
        BookingStatus.CONFIRMED,
        BookingStatus.WAITLISTED,
        BookingStatus.WAITLISTED,
    ]
    # Booking the same people again changes nothing.
    assert slot_book(slot=slot, delegation=camp.delegation, athletes=camp.children) == []
    assert Booking.objects.filter(slot=slot).count() == 4


def test_freed_place_offered_to_the_first_waiting_then_accepted(camp, django_capture_on_commit_callbacks):
    MembershipFactory(delegation=camp.delegation, role=MembershipRole.MANAGER, user__email="boss@example.com")
    slot = SlotFactory(experience__programme=camp.delegation.programme, capacity=1)
    first, second, third = slot_book(slot=slot, delegation=camp.delegation, athletes=camp.children)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (BookingStatus.OFFERED, BookingStatus.WAITLISTED)
    assert any("boss@example.com" in m.to for m in mail.outbox)
    booking_accept(booking=second)
    second.refresh_from_db()
    assert second.status == BookingStatus.CONFIRMED
    with pytest.raises(CapacityError):
        booking_accept(booking=third)


def test_minimum_age_refused_and_nothing_booked(camp):
    slot = SlotFactory(experience__programme=camp.delegation.programme, experience__minimum_age=16)
    with pytest.raises(CapacityError, match="minimum age"):
        slot_book(slot=slot, delegation=camp.delegation, athletes=camp.children[:1])
    assert not Booking.objects.exists()


def test_other_delegations_members_and_other_programmes_refused(camp):
    slot = SlotFactory(experience__programme=camp.delegation.programme)
    stranger = AthleteFactory(birth_date=dt.date(2014, 1, 1))
    with pytest.raises(CapacityError):
        slot_book(slot=slot, delegation=camp.delegation, athletes=[stranger])
    with pytest.raises(CapacityError):
        slot_book(slot=SlotFactory(), delegation=camp.delegation, athletes=camp.children[:1])
    with pytest.raises(CapacityError):
        slot_book(
            slot=slot,
            delegation=DelegationFactory(programme=camp.delegation.programme),
            athletes=camp.children[:1],
        )
    assert not Booking.objects.exists()
