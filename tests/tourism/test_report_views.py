"""The city report in the browser: organisers (two-factor) see every city, a city bureau viewer only
theirs, anyone else nothing; small cells are suppressed on the page and in the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CityFactory, ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.stub_reports import match_session, merchant_with_store, offer_of, redeem, stub
from tests.factories.stub_reports import reverse as reverse_redemption
from tourism.models import CityReportViewer

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
SAT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=SH)


@pytest.fixture
def world():
    zhenjiang = CityFactory(slug="zhenjiang", name_zh="镇江", name_en="Zhenjiang")
    nantong = CityFactory(slug="nantong", name_zh="南通", name_en="Nantong")
    merchant, store = merchant_with_store(city=zhenjiang)
    programme = merchant.programme
    programme.start_date, programme.end_date = dt.date(2026, 11, 1), dt.date(2026, 12, 31)
    programme.save()
    other, other_store = merchant_with_store(programme=programme, city=nantong, category="hotel")
    offer, other_offer = offer_of(merchant, subsidy_percent=50), offer_of(other)
    session = match_session(programme, city=zhenjiang)
    for _ in range(12):  # Shanghai visitors in Zhenjiang
        redeem(stub(session, area_code="310107"), offer, store, at=SAT)
    for _ in range(3):  # three Suzhou visitors: too few to publish
        redeem(stub(session, area_code="320583"), offer, store, at=SAT)
    for _ in range(11):  # locals, one redemption reversed
        redeem(stub(session, area_code="321102"), offer, store, at=SAT + dt.timedelta(days=1))
    reverse_redemption(redeem(stub(session, area_code="310107"), offer, store, at=SAT))
    for _ in range(10):
        redeem(stub(session), other_offer, other_store, at=SAT)
    organiser = verified(ProgrammeMembershipFactory(programme=programme).user)
    bureau = verified(UserFactory())
    CityReportViewer.objects.create(user=bureau, programme=programme, city=nantong)
    return {
        "programme": programme,
        "organiser": organiser,
        "bureau": bureau,
        "nantong": nantong,
        "zhenjiang": zhenjiang,
    }


def url(world, name="tourism:city-report"):
    return reverse(name, kwargs={"pk": world["programme"].pk})


def test_organiser_sees_every_city_with_small_cells_suppressed(client, world):
    login_two_factor(client, world["organiser"])
    with translation.override("en"):
        page = client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Redemptions by day" in page and "<svg" in page and 'role="img"' in page
    assert "Shanghai" in page and "Zhenjiang" in page and "Nantong" in page
    assert "suppressed (fewer than 10 people)" in page  # the three Suzhou visitors and a partner cell
    assert ">36<" in page  # 12 + 3 + 11 + 10 redemptions stand (the reversed one is left out)


def test_csv_matches_the_page_and_hides_small_cells(client, world):
    login_two_factor(client, world["organiser"])
    with translation.override("en"):
        body = client.get(url(world, "tourism:city-report-csv"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    origin = {row[1]: row for row in rows if row[0] == "City of origin"}
    assert origin["Shanghai"][2:4] == ["12", "12"]
    assert origin["Suzhou"][2] == "suppressed (fewer than 10 people)"
    assert origin["Total"][3] == "36"
    stubs = {row[1]: row[2] for row in rows if row[0] == "Stubs"}
    assert stubs["Stubs issued"] == stubs["Stubs activated"] == "37"
    # 37 activated, 36 redeemed: publishing both would show the one stub never used.
    assert stubs["Stubs redeemed"] == "suppressed (fewer than 10 people)"


def test_bureau_viewer_sees_only_their_city(client, world):
    client.force_login(world["bureau"])
    page = client.get(url(world)).content.decode()
    assert "南通" in page or "Nantong" in page
    chosen = client.get(
        url(world), {"start": "2026-11-01", "end": "2026-12-31", "city": world["zhenjiang"].pk}
    )
    assert chosen.status_code == 200
    assert (
        "Shanghai" not in chosen.content.decode() and "上海" not in chosen.content.decode()
    )  # the choice was refused


def test_spectators_and_other_organisers_get_a_404(client, world):
    for user in (verified(UserFactory()), verified(ProgrammeMembershipFactory().user)):
        login_two_factor(client, user)
        assert client.get(url(world)).status_code == 404
        assert client.get(url(world, "tourism:city-report-csv")).status_code == 404
    client.force_login(world["organiser"])  # an organiser without two-factor is sent to pass it
    assert client.get(url(world)).status_code == 302


def test_report_page_query_count_does_not_grow_with_redemptions(client, world, django_assert_max_num_queries):
    login_two_factor(client, world["organiser"])
    with django_assert_max_num_queries(20):
        client.get(url(world))
