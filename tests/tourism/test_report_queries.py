"""List pages of the reports pin their query counts for one row and for many, and bad input in a
URL or a filter is a 4xx or the default view, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.stub_reports import match_session, merchant_with_store, offer_of, redeem, stub
from tourism.models import FraudFlag

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _merchants(programme, count):
    for _ in range(count):
        merchant, store = merchant_with_store(programme=programme)
        offer = offer_of(merchant, subsidy_percent=50)
        redemption = redeem(stub(match_session(programme)), offer, store)
        flag = FraudFlag.objects.create(
            merchant=merchant,
            store=store,
            kind="outside_hours",
            key=f"outside_hours:{redemption.pk}",
            detail={"weekday": 0, "minute_of_day": 1400},
            first_seen_at=timezone.now(),
            last_seen_at=timezone.now(),
        )
        flag.redemptions.add(redemption)


@pytest.mark.parametrize("name", ["tourism:fraud-flags", "tourism:settlement-list"])
def test_organiser_lists_take_the_same_queries_for_one_row_and_many(client, name):
    organiser = verified(ProgrammeMembershipFactory().user)
    programme = organiser.programme_roles.get().programme
    login_two_factor(client, organiser)
    url = reverse(name, kwargs={"pk": programme.pk})
    _merchants(programme, 1)
    one = _queries(client, url)
    _merchants(programme, 4)
    many = _queries(client, url)
    assert many == one


def test_bad_filters_and_months_are_never_a_500(client):
    organiser = verified(ProgrammeMembershipFactory().user)
    programme = organiser.programme_roles.get().programme
    merchant, _store = merchant_with_store(programme=programme, owner=verified(UserFactory()))
    login_two_factor(client, organiser)
    report = reverse("tourism:city-report", kwargs={"pk": programme.pk})
    for query in (
        {"start": "not-a-date", "end": "2026-01-01"},
        {"start": "2026-12-01", "end": "2026-01-01"},
        {"start": "2026-01-01", "end": "2026-01-02", "city": "999999"},
        {"start": "2020-01-01", "end": "2029-01-01"},
    ):
        response = client.get(report, query)
        assert response.status_code == 200 and b"errorlist" in response.content
    for year, month in ((2026, 13), (2026, 0), (9999, 12)):
        url = f"/merchants/{merchant.pk}/settlement/{year}/{month}/"
        assert client.get(url).status_code == 404
    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    future = reverse(
        "tourism:statement-confirm",
        kwargs={"pk": merchant.pk, "year": next_month.year, "month": next_month.month},
    )
    assert client.post(future).status_code == 404
    assert (
        client.post(reverse("tourism:fraud-flag-act", kwargs={"pk": 999999, "action": "dismiss"})).status_code
        == 404
    )
