"""Organisers' admin forms refuse impossible data with a clear message in both languages."""

from __future__ import annotations

import pytest

from events.models import Event, Session, Venue
from tests.factories import (
    CityFactory,
    EventFactory,
    ProgrammeMembershipFactory,
    login_two_factor,
    verified,
    with_totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    event = EventFactory()  # 2027-05-01 .. 2027-05-03
    organiser = ProgrammeMembershipFactory(programme=event.programme).user
    organiser.is_staff = True
    organiser.save()
    with_totp(verified(organiser))
    login_two_factor(client, organiser)
    client.event = event
    return client


def post(client, url, data, language):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "outside the event&#x27;s dates"), ("zh-hans", "不在赛事日期（")],
)
def test_session_outside_the_event_dates_is_refused_in_the_admin(organiser_client, language, message):
    event = organiser_client.event
    response = post(
        organiser_client,
        "/admin/events/session/add/",
        {
            "event": event.pk,
            "venue": event.venue.pk,
            "kind": "match",
            "name_zh": "错日",
            "name_en": "Wrong day",
            "starts_at_0": "2027-05-09",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-05-09",
            "ends_at_1": "12:00",
            "status": "scheduled",
        },
        language,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "capacity cannot be below zero"), ("zh-hans", "场馆容量不能小于零")],
)
def test_negative_venue_capacity_is_refused_in_the_admin(organiser_client, language, message):
    city = CityFactory()
    response = post(
        organiser_client,
        "/admin/events/venue/add/",
        {
            "slug": "bad-venue",
            "city": city.pk,
            "name_zh": "坏场馆",
            "name_en": "Bad venue",
            "address_zh": "某地",
            "kind": "arena",
            "capacity": "-5",
            "latitude": "31.2",
            "longitude": "121.4",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
        },
        language,
    )
    assert message in response.content.decode()
    assert not Venue.objects.filter(slug="bad-venue").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "An event cannot end before it starts."), ("zh-hans", "赛事的结束日期不能早于开始日期。")],
)
def test_event_ending_before_it_starts_is_refused_in_the_admin(organiser_client, language, message):
    event = organiser_client.event
    response = post(
        organiser_client,
        "/admin/events/event/add/",
        {
            "programme": event.programme.pk,
            "slug": "backwards",
            "name_zh": "倒序",
            "name_en": "Backwards",
            "discipline": "football",
            "category": "open",
            "host_city": event.host_city.pk,
            "start_date": "2027-05-03",
            "end_date": "2027-05-01",
            "status": "draft",
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
        },
        language,
    )
    assert message in response.content.decode()
    assert not Event.objects.filter(slug="backwards").exists()
