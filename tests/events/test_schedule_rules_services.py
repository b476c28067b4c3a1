"""The schedule rules' write paths and the constraints behind them: what the pages cannot post is
refused by the services, and what a bug might write is refused by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from events.errors import ScheduleError
from events.models import AgeBandLimit, TravelTime
from events.selectors.schedule_world import schedule_world
from events.services import schedule_rules as services
from tests.factories.events import VenueFactory
from tests.factories.schedule import drawn_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return drawn_event(count=0, piste_count=1)


def _set(event, venues, *, each_way=False, venue_ids=None):
    return services.travel_times_set(
        programme=event.programme,
        venue_ids=venue_ids or [event.venue.pk],
        city_ids=[event.venue.city_id],
        venues=venues,
        cities={},
        each_way=each_way,
    )


@pytest.mark.parametrize("minutes", [-1, 1441, 12.5])
def test_travel_outside_a_day_is_refused_and_nothing_changes(event, minutes):
    other = VenueFactory(city=event.venue.city)
    TravelTime.objects.create(programme=event.programme, from_venue=event.venue, to_venue=other, minutes=30)
    with pytest.raises(ScheduleError), translation.override("en"):
        _set(event, {(event.venue.pk, other.pk): minutes}, venue_ids=[event.venue.pk, other.pk])
    assert TravelTime.objects.get().minutes == 30


def test_a_venue_to_itself_and_a_venue_of_another_programme_are_refused(event):
    with pytest.raises(ScheduleError) as itself, translation.override("en"):
        _set(event, {(event.venue.pk, event.venue.pk): 5})
    assert "A venue to itself is 0 minutes" in str(itself.value)
    stranger = VenueFactory()
    with pytest.raises(ScheduleError):
        _set(event, {(event.venue.pk, stranger.pk): 5})
    assert not TravelTime.objects.exists()


def test_a_symmetric_matrix_stores_one_row_per_pair_and_the_builder_reads_it_both_ways(event):
    other = VenueFactory(city=event.venue.city)
    ids = [event.venue.pk, other.pk]
    assert _set(event, {(event.venue.pk, other.pk): 25, (other.pk, event.venue.pk): 25}, venue_ids=ids) == 1
    with pytest.raises(ScheduleError):
        _set(event, {(event.venue.pk, other.pk): 25, (other.pk, event.venue.pk): 40}, venue_ids=ids)
    assert (
        _set(
            event,
            {(event.venue.pk, other.pk): 25, (other.pk, event.venue.pk): 40},
            each_way=True,
            venue_ids=ids,
        )
        == 2
    )
    travel = schedule_world(event.programme).problem.travel
    assert travel.venues == {
        (str(event.venue.pk), str(other.pk)): 25,
        (str(other.pk), str(event.venue.pk)): 40,
    }


def test_the_database_refuses_travel_rows_no_page_could_write(event):
    for fields in (
        {"from_venue": event.venue, "to_venue": event.venue, "minutes": 5},
        {"from_city": event.venue.city, "to_city": event.venue.city, "minutes": 1441},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            TravelTime.objects.create(programme=event.programme, **fields)


def test_the_database_refuses_impossible_age_band_limits(event):
    for fields in (
        {"max_matches_per_day": 0},
        {"earliest_start": dt.time(10), "latest_start": dt.time(10)},
        {"earliest_start": dt.time(16), "latest_start": dt.time(9)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgeBandLimit.objects.create(programme=event.programme, band="U12", **fields)


def test_age_band_limits_are_checked_by_the_service_too(event):
    with pytest.raises(ScheduleError), translation.override("en"):
        services.age_band_limit_save(programme=event.programme, band="U12", max_matches_per_day=0)
    with pytest.raises(ScheduleError):
        services.age_band_limit_save(
            programme=event.programme, band="U12", earliest_start=dt.time(12), latest_start=dt.time(11)
        )
    limit = services.age_band_limit_save(programme=event.programme, band="U12", max_matches_per_day=2)
    other = drawn_event(count=0, piste_count=1)
    with pytest.raises(ScheduleError):
        services.age_band_limit_save(programme=other.programme, band="U10", limit=limit)
    assert AgeBandLimit.objects.get().band == "U12"
