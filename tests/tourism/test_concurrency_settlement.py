"""Two organisers confirming one merchant's month at the same instant: one statement, its lines once
(PostgreSQL, real threads). The control switches the Merchant row lock off and shows the race is
real: then the statement's unique month is all that stops a second one, and one confirm fails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from tests.concurrency import pause_after, race
from tests.factories import ProgrammeMembershipFactory
from tests.factories.stub_reports import match_session, merchant_with_store, offer_of, redeem, stub
from tourism.models import SettlementLine, SettlementStatement
from tourism.services import settlement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH)


@pytest.fixture
def month(monkeypatch):
    pause_after(monkeypatch, settlement, "open_items", seconds=0.1)  # widen the window after the read
    merchant, store = merchant_with_store()
    offer = offer_of(merchant, subsidy_percent=50)
    session = match_session(merchant.programme)
    for hour in range(3):
        redeem(stub(session), offer, store, at=dt.datetime(2026, 11, 28, 10 + hour, tzinfo=SH))
    organisers = [ProgrammeMembershipFactory(programme=merchant.programme).user for _ in range(2)]
    return merchant, organisers


def _confirm_both(merchant, organisers):
    return race(
        [
            lambda user=user: settlement.settlement_confirm(
                merchant=merchant, period=dt.date(2026, 11, 1), user=user
            )
            for user in organisers
        ]
    )


@time_machine.travel(NOW)
def test_two_confirms_at_once_make_one_statement(month):
    merchant, organisers = month
    results, errors = _confirm_both(merchant, organisers)
    assert errors == []
    assert sorted(created for _statement, created in results) == [False, True]
    assert len({statement.pk for statement, _created in results}) == 1
    assert SettlementStatement.objects.count() == 1
    assert SettlementLine.objects.count() == 3


@time_machine.travel(NOW)
def test_control_without_the_merchant_lock_races(month, monkeypatch):
    monkeypatch.setattr(settlement, "LOCK_MERCHANT_ROW", False)
    merchant, organisers = month
    results, errors = _confirm_both(merchant, organisers)
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], IntegrityError)
    assert SettlementStatement.objects.count() == 1 and SettlementLine.objects.count() == 3
