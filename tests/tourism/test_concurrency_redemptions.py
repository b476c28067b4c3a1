"""Tills racing at the counter, on PostgreSQL with real threads: a once-only stub is redeemed once,
stock and subsidy budgets are never overspent, a repeated idempotency key returns the first receipt,
and reversals happen once, at the right store, within the window.

Each race widens its window (a pause right after the counts are read, in Python and in the
database's claim), so a pass proves the locks;
the control run switches the row locks off (redemptions.LOCK_ROWS) and shows the double redemption
they prevent.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.concurrency import pause_after, race
from tests.factories.tourism import MATCH_DAY_AFTERNOON, StoreFactory, counter_world, staff_of, ticket_stub
from tourism.errors import RedemptionError
from tourism.models import Offer, Redemption, Reversal
from tourism.services import redemptions
from tourism.services.stubs import stub_rotating_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def slow_counts(monkeypatch):
    pause_after(monkeypatch, redemptions, "stub_context", seconds=0.05)
    # PostgreSQL's one-statement consume re-reads the stub's uses under its lock, in the database:
    # the same pause there, between those reads and the writes.
    monkeypatch.setattr(redemptions, "CLAIM_PAUSE_SECONDS", 0.05)


def _till(world, stub, key: str, *, bill=10000):
    code = stub_rotating_code(stub=stub).code

    def consume():
        try:
            redemption, created = redemptions.redemption_consume(
                code=code,
                store=world.store,
                staff=world.staff,
                offer_id=world.offer.pk,
                idempotency_key=key,
                bill_fen=bill,
                head_count=1,
            )
        except RedemptionError as error:
            return error.code
        return (redemption.receipt_number, created)

    return consume


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_two_tills_one_once_only_stub_exactly_one_redeems():
    for _ in range(5):
        world = counter_world()
        results, errors = race([_till(world, world.stub, "till-a"), _till(world, world.stub, "till-b")])

        assert errors == []
        assert sorted(type(result).__name__ for result in results) == ["str", "tuple"]
        assert "already_used" in results
        assert Redemption.objects.filter(stub=world.stub).count() == 1


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_control_without_the_locks_the_stub_is_redeemed_twice(monkeypatch):
    monkeypatch.setattr(redemptions, "LOCK_ROWS", False)
    world = counter_world()

    results, errors = race([_till(world, world.stub, "till-a"), _till(world, world.stub, "till-b")])

    assert errors == []
    assert all(isinstance(result, tuple) for result in results)
    assert Redemption.objects.filter(stub=world.stub).count() == 2


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_stock_is_never_overspent():
    world = counter_world(total_stock=3)
    stubs = [ticket_stub(ticket_type=world.ticket_type) for _ in range(8)]

    results, errors = race([_till(world, stub, f"till-{i}") for i, stub in enumerate(stubs)])

    assert errors == []
    assert sum(isinstance(r, tuple) for r in results) == 3
    assert sorted(r for r in results if isinstance(r, str)) == ["sold_out"] * 5
    world.offer.refresh_from_db()
    assert world.offer.redeemed_count == 3 == Redemption.objects.filter(offer=world.offer).count()


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_subsidy_budget_is_never_overspent():
    # Each redemption: 20% of 100 yuan = 2000 fen off, half subsidised = 1000 fen; the budget holds 2.5.
    world = counter_world(subsidy_percent=50, subsidy_budget_fen=2500)
    stubs = [ticket_stub(ticket_type=world.ticket_type) for _ in range(6)]

    results, errors = race([_till(world, stub, f"till-{i}") for i, stub in enumerate(stubs)])

    assert errors == []
    assert sum(isinstance(r, tuple) for r in results) == 2
    world.offer.refresh_from_db()
    assert world.offer.subsidy_spent_fen == 2000 <= world.offer.subsidy_budget_fen


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_the_same_idempotency_key_twice_at_once_returns_one_receipt():
    world = counter_world()

    results, errors = race([_till(world, world.stub, "same-key"), _till(world, world.stub, "same-key")])

    assert errors == []
    receipts = {receipt for receipt, _created in results}
    assert len(receipts) == 1
    assert sorted(created for _receipt, created in results) == [False, True]
    assert Redemption.objects.count() == 1
    assert Offer.objects.get(pk=world.offer.pk).redeemed_count == 1


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_two_reversals_at_once_give_stock_back_once():
    world = counter_world(total_stock=5)
    redemption, _ = redemptions.redemption_consume(
        code=stub_rotating_code(stub=world.stub).code,
        store=world.store,
        staff=world.staff,
        offer_id=world.offer.pk,
        idempotency_key="k",
        bill_fen=10000,
    )

    def reverse(reason):
        return lambda: (
            redemptions.redemption_reverse(
                receipt_number=redemption.receipt_number, store=world.store, staff=world.staff, reason=reason
            ).pk
        )

    results, errors = race([reverse("first"), reverse("second")])

    assert errors == []
    assert len(set(results)) == 1 and Reversal.objects.count() == 1
    world.offer.refresh_from_db()
    assert world.offer.redeemed_count == 0


@time_machine.travel(MATCH_DAY_AFTERNOON, tick=False)
def test_reverse_after_the_window_or_at_another_store_changes_nothing():
    world = counter_world(reversal_window_minutes=5)
    redemption, _ = redemptions.redemption_consume(
        code=stub_rotating_code(stub=world.stub).code,
        store=world.store,
        staff=world.staff,
        offer_id=world.offer.pk,
        idempotency_key="k",
        bill_fen=10000,
    )
    sister = StoreFactory(merchant=world.merchant)
    with pytest.raises(RedemptionError):
        redemptions.redemption_reverse(
            receipt_number=redemption.receipt_number, store=sister, staff=staff_of(sister), reason="x"
        )
    with (
        time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(minutes=6), tick=False),
        pytest.raises(RedemptionError),
    ):
        redemptions.redemption_reverse(
            receipt_number=redemption.receipt_number, store=world.store, staff=world.staff, reason="late"
        )
    assert not Reversal.objects.exists()
    assert Offer.objects.get(pk=world.offer.pk).redeemed_count == 1
