"""Entry fees through ticketing's fee orders: deposits first, balance later, payment before approval,
an invoice (manual provider) marked paid by the organiser through ticketing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from registration.enums import EntryStatus
from registration.errors import EntryNotReadyError, FeeError
from registration.models import FeeBasis, FeeCharge, FeeChargeState, FeePart
from registration.selectors import fees as fees_selectors
from registration.services import fees, workflow
from tests.factories import UserFactory
from tests.factories.registration import EntryFactory, EventFeeFactory, TeamFactory, complete_paperwork
from ticketing.services.orders import order_mark_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def team():
    return TeamFactory()


def _entry(team, status):
    entry = EntryFactory(team=team, status=status)
    complete_paperwork(entry.athlete)
    return entry


@time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
def test_deposit_then_balance_per_athlete_and_approval_waits_for_deposit(team):
    EventFeeFactory(
        event=team.event, amount_fen=20000, deposit_fen=5000, payment_required_before_approval=True
    )
    first, second = _entry(team, EntryStatus.SUBMITTED), _entry(team, EntryStatus.SUBMITTED)
    manager = UserFactory()

    with pytest.raises(EntryNotReadyError) as refused:
        workflow.entry_approve(entry=first, user=None)
    assert "The entry fee's deposit is not paid yet" in [str(reason) for reason in refused.value.reasons]

    order = fees.fee_order_create(team=team, user=manager, provider="manual", part=FeePart.DEPOSIT)
    assert order.total_fen == 10000
    assert sorted(order.lines.values_list("reference", flat=True)) == sorted(
        f"regfee:{pk}" for pk in FeeCharge.objects.values_list("pk", flat=True)
    )
    with pytest.raises(FeeError):  # the same deposit is already awaiting payment
        fees.fee_order_create(team=team, user=manager, provider="manual", part=FeePart.DEPOSIT)

    order_mark_paid(order=order)  # the organiser marks the city bureau's invoice paid

    assert set(FeeCharge.objects.values_list("state", flat=True)) == {FeeChargeState.PAID}
    assert workflow.entry_approve(entry=first, user=None).status == EntryStatus.APPROVED
    balance = fees.fee_order_create(team=team, user=manager, provider="manual", part=FeePart.BALANCE)
    assert balance.total_fen == 30000
    assert {line.description_en.split(" · ")[0] for line in balance.lines.all()} == {"Entry fee balance"}
    assert second.athlete.name_latin in " ".join(balance.lines.values_list("description_en", flat=True))


@time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
def test_team_fee_is_one_line_and_refund_reopens_the_requirement(team):
    from ticketing.hooks import fire_order_refunded

    EventFeeFactory(
        event=team.event, basis=FeeBasis.TEAM, amount_fen=50000, payment_required_before_approval=True
    )
    entry = _entry(team, EntryStatus.SUBMITTED)
    order = fees.fee_order_create(team=team, user=UserFactory(), provider="manual")
    assert order.lines.count() == 1 and order.total_fen == 50000
    order_mark_paid(order=order)
    assert fees_selectors.fee_blocker(entry) == ""

    fire_order_refunded(order)

    assert FeeCharge.objects.get().state == FeeChargeState.REFUNDED
    assert fees_selectors.fee_blocker(entry) != ""


def test_no_fee_means_nothing_blocks_and_nothing_to_pay(team):
    entry = _entry(team, EntryStatus.SUBMITTED)
    assert fees_selectors.fee_blocker(entry) == ""
    with pytest.raises(FeeError):
        fees.fee_order_create(team=team, user=UserFactory(), provider="manual")


def test_pay_page_redirects_to_ticketing_order(client, team):
    from tests.factories.registration import MembershipFactory

    membership = MembershipFactory(delegation=team.delegation)
    EventFeeFactory(event=team.event, amount_fen=10000)
    _entry(team, EntryStatus.DRAFT)
    client.force_login(membership.user)

    response = client.post(f"/teams/{team.pk}/fees/pay/", {"part": "full", "provider": "manual"})

    charge = FeeCharge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{charge.order.code}/pay/"


def test_checklist_shows_the_fee_breakdown_before_paying_and_it_matches_the_order(client, team):
    from tests.factories.registration import MembershipFactory

    membership = MembershipFactory(delegation=team.delegation)
    EventFeeFactory(event=team.event, amount_fen=20000, deposit_fen=5000)
    first, second = _entry(team, EntryStatus.DRAFT), _entry(team, EntryStatus.DRAFT)
    client.force_login(membership.user)

    html = client.get(f"/teams/{team.pk}/checklist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    full = html.split('id="fee-breakdown-full"', 1)[1].split("</details>", 1)[0]
    assert "Full fee: ¥400.00 to pay now" in full
    assert f"<td>{first.athlete.display_name}</td><td>Full fee</td><td>¥200.00</td>" in full
    deposit = html.split('id="fee-breakdown-deposit"', 1)[1].split("</details>", 1)[0]
    assert "¥100.00 to pay now" in deposit
    assert 'id="fee-breakdown-balance"' not in html  # nothing to balance before a deposit

    client.post(f"/teams/{team.pk}/fees/pay/", {"part": "deposit", "provider": "manual"})
    assert FeeCharge.objects.get(athlete=second.athlete).order.total_fen == 10000
    html = client.get(f"/teams/{team.pk}/checklist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="fee-breakdown-deposit"' not in html  # awaiting payment: not offered twice
    assert "¥300.00 to pay now" in html.split('id="fee-breakdown-balance"', 1)[1]
