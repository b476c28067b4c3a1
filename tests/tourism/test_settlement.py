"""Monthly settlement: a statement per merchant and month of subsidised redemptions and reversals,
confirmed once by an organiser and frozen; later reversals go on the next statement."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified
from tests.factories.stub_reports import (
    match_session,
    merchant_with_store,
    offer_of,
    redeem,
    stub,
)
from tests.factories.stub_reports import (
    reverse as reverse_redemption,
)
from tourism.enums import SettlementLineKind
from tourism.errors import SettlementError
from tourism.models import SettlementLine, SettlementStatement
from tourism.services.settlement import settlement_confirm

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
NOV = dt.date(2026, 11, 1)


@pytest.fixture
def world():
    owner = verified(UserFactory())
    merchant, store = merchant_with_store(owner=owner)
    subsidised, plain = offer_of(merchant, subsidy_percent=50), offer_of(merchant)
    session = match_session(merchant.programme)
    organiser = verified(ProgrammeMembershipFactory(programme=merchant.programme).user)
    at = dt.datetime(2026, 11, 28, 12, 0, tzinfo=SH)
    first = redeem(stub(session), subsidised, store, at=at, bill_fen=12_000, discount_fen=2_000)
    second = redeem(
        stub(session), subsidised, store, at=at + dt.timedelta(hours=1), bill_fen=8_000, discount_fen=2_000
    )
    redeem(stub(session), plain, store, at=at, bill_fen=5_000, discount_fen=1_000)  # no subsidy: not settled
    return {
        "merchant": merchant,
        "store": store,
        "owner": owner,
        "organiser": organiser,
        "first": first,
        "second": second,
    }


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH))
def test_confirm_freezes_the_subsidised_lines_and_totals(world):
    statement, created = settlement_confirm(merchant=world["merchant"], period=NOV, user=world["organiser"])
    assert created and statement.number == f"ST-202611-{world['merchant'].pk:05d}"
    assert (statement.redemptions, statement.reversals) == (2, 0)
    assert (statement.bill_fen, statement.discount_fen, statement.subsidy_fen) == (20_000, 4_000, 2_000)
    assert sorted(statement.lines.values_list("redemption_id", flat=True)) == [
        world["first"].pk,
        world["second"].pk,
    ]


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH))
def test_confirming_again_changes_nothing(world):
    first, created = settlement_confirm(merchant=world["merchant"], period=NOV, user=world["organiser"])
    again, created_again = settlement_confirm(
        merchant=world["merchant"], period=dt.date(2026, 11, 17), user=world["owner"]
    )
    assert created and not created_again and again.pk == first.pk
    assert SettlementStatement.objects.count() == 1 and SettlementLine.objects.count() == 2


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False)
def test_a_later_reversal_goes_on_the_next_statement(world):
    november, _ = settlement_confirm(merchant=world["merchant"], period=NOV, user=world["organiser"])
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=SH), tick=False):
        reverse_redemption(world["first"], at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=SH))
        december, _ = settlement_confirm(
            merchant=world["merchant"], period=dt.date(2026, 12, 1), user=world["organiser"]
        )
    november.refresh_from_db()
    assert (november.subsidy_fen, november.reversals) == (2_000, 0)  # frozen
    line = december.lines.get()
    assert (line.kind, line.redemption_id, line.subsidy_fen) == (
        SettlementLineKind.REVERSAL,
        world["first"].pk,
        -1_000,
    )
    assert december.subsidy_fen == -1_000


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH))
def test_a_month_not_begun_cannot_be_confirmed(world):
    with pytest.raises(SettlementError):
        settlement_confirm(merchant=world["merchant"], period=dt.date(2026, 12, 1), user=world["organiser"])
    assert not SettlementStatement.objects.exists()


def _url(name, world):
    return reverse(name, kwargs={"pk": world["merchant"].pk, "year": 2026, "month": 11})


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH))
def test_owner_reads_the_draft_and_downloads_pdf_and_csv(client, world):
    client.force_login(world["owner"])
    page = client.get(_url("tourism:statement-detail", world))
    content = page.content.decode()
    assert world["first"].receipt_number in content and world["second"].receipt_number in content
    assert (
        "Confirm statement" not in content and "确认结算单" not in content
    )  # owners read, organisers confirm
    rows = list(
        csv.reader(
            io.StringIO(client.get(_url("tourism:statement-csv", world)).content.decode().lstrip("\ufeff"))
        )
    )
    assert rows[-1][5:8] == ["200.00", "40.00", "20.00"]
    pdf = client.get(_url("tourism:statement-pdf", world))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert world["second"].receipt_number in text and pdf["Content-Type"] == "application/pdf"
    assert client.post(_url("tourism:statement-confirm", world)).status_code == 404
    assert not SettlementStatement.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH))
def test_organiser_confirms_from_the_page_and_staff_of_the_merchant_cannot_read_it(client, world):
    login_two_factor(client, world["organiser"])
    response = client.post(_url("tourism:statement-confirm", world), follow=True)
    assert SettlementStatement.objects.filter(merchant=world["merchant"]).count() == 1
    assert "ST-202611" in response.content.decode()
    counter = verified(UserFactory())
    world["merchant"].memberships.create(user=counter, role="staff")
    client.force_login(counter)
    assert client.get(_url("tourism:statement-detail", world)).status_code == 404
    assert client.get(_url("tourism:statement-pdf", world)).status_code == 404
