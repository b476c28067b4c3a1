"""Scoped roles: each role reaches only its own objects; organiser staff must use two-factor auth."""

from __future__ import annotations

import pytest

from tests.factories import (
    EventFactory,
    ProgrammeMembershipFactory,
    UserFactory,
    login_two_factor,
    totp_code,
    two_factor,
    verified,
    with_totp,
)
from tourism.models import Merchant, MerchantMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programmes():
    mine, theirs = EventFactory(), EventFactory()
    organiser = ProgrammeMembershipFactory(programme=mine.programme).user
    return organiser, mine, theirs


def test_organiser_reaches_only_their_programme(two_programmes):
    organiser, mine, theirs = two_programmes
    two_factor(organiser)
    assert organiser.has_perm("events.manage_event", mine)
    assert organiser.has_perm("events.manage_programme", mine.programme)
    assert not organiser.has_perm("events.manage_event", theirs)
    assert not organiser.has_perm("events.manage_programme", theirs.programme)


def test_spectator_reaches_no_organiser_object(two_programmes):
    _, mine, _theirs = two_programmes
    spectator = UserFactory()
    assert not spectator.has_perm("events.manage_event", mine)
    assert not spectator.has_perm("events.organiser_area")


def test_merchant_staff_reach_only_their_merchant():
    from tests.factories import CityFactory

    city = CityFactory()
    mine = Merchant.objects.create(
        slug="noodles", name_zh="面馆", name_en="Noodles", city=city, category="restaurant"
    )
    other = Merchant.objects.create(
        slug="hotel", name_zh="酒店", name_en="Hotel", city=city, category="hotel"
    )
    staff = UserFactory()
    MerchantMembership.objects.create(user=staff, merchant=mine, role="staff")
    assert staff.has_perm("tourism.redeem_at_merchant", mine)
    assert not staff.has_perm("tourism.redeem_at_merchant", other)
    assert not staff.has_perm("tourism.manage_merchant", mine)  # staff, not owner


def test_organiser_without_two_factor_is_sent_to_set_it_up(client, two_programmes):
    organiser, *_ = two_programmes
    verified(organiser)
    client.force_login(organiser)
    response = client.get("/organiser/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_organiser_with_two_factor_sees_only_their_events(client, two_programmes):
    organiser, mine, theirs = two_programmes
    with_totp(verified(organiser))
    login_two_factor(client, organiser)
    body = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.name_en in body
    assert theirs.name_en not in body


def test_organiser_area_is_not_found_for_spectators(client):
    client.force_login(UserFactory())
    assert client.get("/organiser/").status_code == 404


def test_scoped_admin_lists_only_the_organisers_events(client, two_programmes):
    organiser, mine, theirs = two_programmes
    organiser.is_staff = True
    organiser.save()
    with_totp(verified(organiser))
    login_two_factor(client, organiser)
    body = client.get("/admin/events/event/").content.decode()
    assert mine.name_zh in body
    assert theirs.name_zh not in body
    assert (
        client.get(f"/admin/events/event/{theirs.pk}/change/").status_code == 302
    )  # admin: "doesn't exist" redirect


def test_login_with_totp_completes_for_an_organiser(client, two_programmes):
    organiser, *_ = two_programmes
    with_totp(verified(organiser))
    response = client.post(
        "/accounts/login/", {"login": organiser.email, "password": "correct horse battery staple"}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.get("/organiser/").status_code == 200
