"""Database constraints refuse impossible catalogue data even when the forms are bypassed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from events.models import Event, Session, Venue
from tests.factories import EventFactory, SessionFactory, VenueFactory
from tests.factories.events import SHANGHAI

pytestmark = pytest.mark.django_db


def test_venue_capacity_below_zero_is_refused_by_the_database():
    venue = VenueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.filter(pk=venue.pk).update(capacity=-1)
    venue.refresh_from_db()
    assert venue.capacity == 1000


def test_event_ending_before_it_starts_is_refused_by_the_database():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end_date=dt.date(2027, 4, 30))
    event.refresh_from_db()
    assert event.end_date == dt.date(2027, 5, 3)


def test_weapon_on_a_non_fencing_event_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(weapon="foil")


def test_session_outside_its_event_dates_is_refused_by_the_database_trigger():
    event = EventFactory()  # 2027-05-01 .. 2027-05-03
    before = dt.datetime(2027, 4, 30, 10, tzinfo=SHANGHAI)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            event=event,
            venue=event.venue,
            kind="match",
            name_zh="早",
            name_en="Early",
            starts_at=before,
            ends_at=before + dt.timedelta(hours=1),
        )
    assert not Session.objects.filter(event=event).exists()


def test_session_late_in_the_evening_of_the_last_day_is_accepted():
    # 23:00 in Shanghai is 15:00 UTC on the same day: the trigger compares local dates.
    event = EventFactory()
    late = dt.datetime(2027, 5, 3, 22, tzinfo=SHANGHAI)
    SessionFactory(event=event, starts_at=late, ends_at=late + dt.timedelta(minutes=90))
    stored = Session.objects.filter(event=event).values_list("starts_at", "ends_at")
    assert list(stored) == [(late, late + dt.timedelta(minutes=90))]


def test_session_crossing_midnight_after_the_last_day_is_refused():
    event = EventFactory()
    late = dt.datetime(2027, 5, 3, 23, tzinfo=SHANGHAI)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=event, starts_at=late, ends_at=late + dt.timedelta(hours=2))


def test_moving_an_event_so_a_session_falls_outside_is_refused():
    session = SessionFactory()  # on 2027-05-01
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=session.event_id).update(start_date=dt.date(2027, 5, 2))
    session.event.refresh_from_db()
    assert session.event.start_date == dt.date(2027, 5, 1)


def test_session_ending_before_it_starts_is_refused():
    event = EventFactory()
    start = dt.datetime(2027, 5, 1, 10, tzinfo=SHANGHAI)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=event, starts_at=start, ends_at=start)


def test_map_link_points_at_amap_with_the_venue_coordinates():
    venue = VenueFactory(name_zh="普陀体育中心")
    assert venue.map_url.startswith("https://uri.amap.com/marker?")
    assert "position=121.403180%2C31.245260" in venue.map_url


def test_the_team_flag_on_a_sport_that_is_always_between_teams_is_refused_with_a_reason():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from tests.factories.competition import BasketballEventFactory

    event = BasketballEventFactory()
    event.team_event = True
    for language, words in (
        ("en", "Only a fencing event can be marked a team event"),
        ("zh-hans", "只有击剑项目"),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            event.full_clean()
        assert words in str(refused.value)
    event.refresh_from_db()
    assert event.team_event is False  # nothing saved
