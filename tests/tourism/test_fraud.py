"""Fraud flags from the database: a check raises each finding once, organisers dismiss with a note
or suspend the store, and only the programme's organisers see or act on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.stub_reports import match_session, merchant_with_store, offer_of, redeem, store_of, stub
from tourism.enums import FraudFlagKind, FraudFlagStatus
from tourism.models import FraudFlag
from tourism.services.fraud import (
    FraudFlagError,
    fraud_flag_dismiss,
    fraud_flag_suspend_store,
    fraud_flags_refresh,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    staff = UserFactory()
    merchant, zhenjiang = merchant_with_store(staff=staff)
    shanghai = store_of(merchant, latitude="31.2400", longitude="121.4900")
    offer = offer_of(merchant)
    session = match_session(merchant.programme)
    now = timezone.now()
    travelled = stub(session)
    first = redeem(travelled, offer, zhenjiang, staff=staff, at=now - dt.timedelta(minutes=40))
    second = redeem(travelled, offer, shanghai, staff=staff, at=now - dt.timedelta(minutes=10))
    organiser = verified(ProgrammeMembershipFactory(programme=merchant.programme).user)
    return {
        "merchant": merchant,
        "zhenjiang": zhenjiang,
        "shanghai": shanghai,
        "organiser": organiser,
        "first": first,
        "second": second,
        "offer": offer,
        "session": session,
        "staff": staff,
    }


def test_a_check_raises_the_travel_flag_once(world):
    assert fraud_flags_refresh(programme=world["merchant"].programme) == 1
    flag = FraudFlag.objects.get()
    assert flag.kind == FraudFlagKind.TRAVEL and flag.store == world["shanghai"]
    assert set(flag.redemptions.values_list("pk", flat=True)) == {world["first"].pk, world["second"].pk}
    assert flag.detail["distance_m"] > 200_000
    assert fraud_flags_refresh(programme=world["merchant"].programme) == 0
    assert FraudFlag.objects.count() == 1


def test_a_burst_of_stubs_by_one_staff_member_is_flagged(world):
    start = timezone.now() - dt.timedelta(minutes=5)
    for i in range(7):
        redeem(
            stub(world["session"]),
            world["offer"],
            world["zhenjiang"],
            staff=world["staff"],
            at=start + dt.timedelta(seconds=8 * i),
        )
    fraud_flags_refresh(programme=world["merchant"].programme)
    burst = FraudFlag.objects.get(kind=FraudFlagKind.BURST)
    assert burst.staff == world["staff"] and burst.redemptions.count() == 7


def test_dismiss_needs_a_note_and_stays_dismissed(world):
    fraud_flags_refresh(programme=world["merchant"].programme)
    flag = FraudFlag.objects.get()
    with pytest.raises(FraudFlagError):
        fraud_flag_dismiss(flag=flag, user=world["organiser"], note="  ")
    fraud_flag_dismiss(
        flag=flag, user=world["organiser"], note="Two family members, one ticket each: checked."
    )
    fraud_flags_refresh(programme=world["merchant"].programme)
    flag.refresh_from_db()
    assert flag.status == FraudFlagStatus.DISMISSED and flag.note.startswith("Two family")
    with pytest.raises(FraudFlagError):
        fraud_flag_suspend_store(flag=flag, user=world["organiser"], note="again")


def test_suspending_from_a_flag_suspends_the_store(world):
    fraud_flags_refresh(programme=world["merchant"].programme)
    flag = fraud_flag_suspend_store(
        flag=FraudFlag.objects.get(), user=world["organiser"], note="Screenshots shared"
    )
    world["shanghai"].refresh_from_db()
    assert world["shanghai"].is_suspended and world["shanghai"].suspended_reason == "Screenshots shared"
    assert flag.status == FraudFlagStatus.STORE_SUSPENDED
    world["zhenjiang"].refresh_from_db()
    assert not world["zhenjiang"].is_suspended


def test_organiser_works_the_list_in_the_browser_pages(client, world):
    login_two_factor(client, world["organiser"])
    programme = world["merchant"].programme
    client.post(reverse("tourism:fraud-refresh", kwargs={"pk": programme.pk}))
    page = client.get(reverse("tourism:fraud-flags", kwargs={"pk": programme.pk})).content.decode()
    assert world["second"].receipt_number in page
    flag = FraudFlag.objects.get()
    url = reverse("tourism:fraud-flag-act", kwargs={"pk": flag.pk, "action": "suspend"})
    client.post(url, {"note": ""})
    flag.refresh_from_db()
    assert flag.status == FraudFlagStatus.OPEN  # no note: nothing changed
    client.post(url, {"note": "Resold stub"})
    flag.refresh_from_db()
    assert flag.status == FraudFlagStatus.STORE_SUSPENDED


def test_merchant_staff_and_other_organisers_get_nothing(client, world):
    fraud_flags_refresh(programme=world["merchant"].programme)
    flag = FraudFlag.objects.get()
    for user in (world["staff"], verified(ProgrammeMembershipFactory().user)):
        login_two_factor(client, user)
        assert (
            client.get(
                reverse("tourism:fraud-flags", kwargs={"pk": world["merchant"].programme.pk})
            ).status_code
            == 404
        )
        url = reverse("tourism:fraud-flag-act", kwargs={"pk": flag.pk, "action": "dismiss"})
        assert client.post(url, {"note": "x"}).status_code == 404
    flag.refresh_from_db()
    assert flag.status == FraudFlagStatus.OPEN
