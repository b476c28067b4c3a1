"""The project composes the apps' pages: catalogue pages link to ticketing and registration."""

from __future__ import annotations

import pytest

from tests.factories import EventFactory, ProgrammeMembershipFactory, login_two_factor, verified, with_totp

pytestmark = pytest.mark.django_db


def test_published_event_page_links_to_its_tickets(client):
    event = EventFactory()
    body = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/events/{event.slug}/tickets/"' in body


def test_cancelled_event_page_offers_no_tickets(client):
    event = EventFactory(status="cancelled")
    body = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/tickets/" not in body.split("<main", 1)[1]


def test_organiser_home_links_each_event_to_sales_and_gates(client):
    event = EventFactory()
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    login_two_factor(client, organiser)
    body = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/organiser/ticketing/events/{event.slug}/sales/"' in body
    assert f'href="/organiser/ticketing/events/{event.slug}/gates/"' in body
    assert f'href="/organiser/ticketing/programmes/{event.programme.slug}/orders/"' in body
    assert "报名审核" in body
