"""Races on PostgreSQL with real threads: two organisers publishing at once, and two moves at once
that would double-book one fencer.

Each test holds the first thread right after it read the schedule (`schedule_world`), the point an
unlocked service would decide on stale data. With the programme row lock the second thread waits and
then sees the first one's work; the controls switch the lock off and show the race is real.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from events.errors import ScheduleError
from events.models import Match, Placement, ScheduleVersion
from events.services import schedule as services
from tests.concurrency import hold_after, race
from tests.factories.schedule import drawn_event, local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event():
    event = drawn_event(count=6, piste_count=3)
    services.schedule_build_greedy(programme=event.programme)
    return event


def _no_lock(monkeypatch):
    monkeypatch.setattr(services, "schedule_lock", lambda programme: programme)


def test_two_organisers_publishing_at_once_get_one_version_number_each(monkeypatch, event):
    hold_after(monkeypatch, services, "schedule_world")
    results, errors = race([lambda: services.schedule_publish(programme=event.programme)] * 2)
    assert errors == []
    assert sorted(version.number for version in results) == [1, 2]
    assert list(ScheduleVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_control_without_the_lock_both_take_number_one_and_the_constraint_refuses_one(monkeypatch, event):
    _no_lock(monkeypatch)
    hold_after(monkeypatch, services, "schedule_world")
    results, errors = race([lambda: services.schedule_publish(programme=event.programme)] * 2)
    assert [version.number for version in results] == [1]
    assert [type(error) for error in errors] == [IntegrityError]
    assert ScheduleVersion.objects.count() == 1  # never two rows with one number


def _two_bouts_of_one_fencer(event) -> tuple[Match, Match]:
    first = Match.objects.filter(stage__event=event).order_by("sequence").first()
    second = Match.objects.filter(stage__event=event, left=first.left).exclude(pk=first.pk).first()
    return first, second


def _moves(event):
    first, second = _two_bouts_of_one_fencer(event)
    pistes = list(event.venue.resources.filter(kind="piste").order_by("code"))
    when = local(event.start_date, 17)
    # Clear the evening so each move alone is allowed.
    Placement.objects.filter(starts_at__gte=local(event.start_date, 16)).delete()
    return [
        lambda: services.placement_move(
            programme=event.programme, match=first, resource=pistes[0], starts_at=when
        ),
        lambda: services.placement_move(
            programme=event.programme, match=second, resource=pistes[1], starts_at=when
        ),
    ], first.left


def test_two_moves_at_once_cannot_put_one_fencer_on_two_pistes(monkeypatch, event):
    calls, fencer = _moves(event)
    hold_after(monkeypatch, services, "schedule_world")
    results, errors = race(calls)
    assert len(results) == 1 and [type(error) for error in errors] == [ScheduleError]
    assert "athlete_overlap" in errors[0].codes
    at_five = Placement.objects.filter(starts_at=local(event.start_date, 17), match__left=fencer)
    assert at_five.count() == 1


def test_control_without_the_lock_the_fencer_is_double_booked(monkeypatch, event):
    calls, fencer = _moves(event)
    _no_lock(monkeypatch)
    hold_after(monkeypatch, services, "schedule_world")
    results, errors = race(calls)
    assert errors == [] and len(results) == 2
    assert Placement.objects.filter(starts_at=local(event.start_date, 17), match__left=fencer).count() == 2
