"""The merchant home: merchant owners and staff land on it after logging in, the header offers it
instead of the spectator's pages, and each sees only their own merchant's stores and figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, verified
from tests.factories.stub_reports import match_session, merchant_with_store, offer_of, redeem, store_of, stub
from tests.journeys.actions import PASSWORD
from tourism.models import MerchantMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner, counter = verified(UserFactory()), verified(UserFactory())
    merchant, first_store = merchant_with_store(owner=owner)
    second_store = store_of(merchant)
    MerchantMembership.objects.create(user=counter, merchant=merchant, store=second_store, role="staff")
    offer = offer_of(merchant, subsidy_percent=50)
    session = match_session(merchant.programme)
    now = timezone.now()
    first = redeem(
        stub(session), offer, first_store, at=now - dt.timedelta(hours=1), bill_fen=30_000, discount_fen=3_000
    )
    redeem(
        stub(session), offer, second_store, at=now - dt.timedelta(hours=2), bill_fen=7_000, discount_fen=1_000
    )
    return {
        "owner": owner,
        "counter": counter,
        "merchant": merchant,
        "first": first_store,
        "second": second_store,
        "day": first.business_day,
    }


def log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_merchant_staff_land_on_their_merchant_home(client, world):
    response = log_in(client, world["owner"])
    assert response["Location"] == reverse("tourism:merchant-home")
    page = client.get(reverse("tourism:merchant-home"), follow=True).content.decode()
    assert world["merchant"].name in page
    assert reverse("tourism:merchant-home") in page  # the header's link
    assert reverse("ticketing:cart") not in page  # instead of the spectator's menu


def test_spectators_still_land_on_the_home_page(client):
    response = log_in(client, verified(UserFactory()))
    assert response["Location"] == reverse("events:home")


def test_owner_sees_every_store_and_the_statements(client, world):
    client.force_login(world["owner"])
    page = client.get(
        reverse("tourism:merchant-dashboard", kwargs={"pk": world["merchant"].pk})
    ).content.decode()
    assert world["first"].name in page and world["second"].name in page
    assert "¥370.00" in page  # both bills
    assert (
        reverse(
            "tourism:statement-detail",
            kwargs={
                "pk": world["merchant"].pk,
                "year": world["day"].year,
                "month": world["day"].month,
            },
        )
        in page
    )


def test_counter_staff_see_their_own_store_only_and_no_statements(client, world):
    client.force_login(world["counter"])
    page = client.get(
        reverse("tourism:merchant-dashboard", kwargs={"pk": world["merchant"].pk})
    ).content.decode()
    assert world["second"].name in page and world["first"].name not in page
    assert "¥70.00" in page and "¥370.00" not in page
    assert "/settlement/" not in page


def test_another_merchants_staff_get_a_404(client, world):
    other_owner = verified(UserFactory())
    merchant_with_store(owner=other_owner)
    client.force_login(other_owner)
    assert (
        client.get(reverse("tourism:merchant-dashboard", kwargs={"pk": world["merchant"].pk})).status_code
        == 404
    )
    client.force_login(verified(UserFactory()))
    assert client.get(reverse("tourism:merchant-home")).status_code == 404
