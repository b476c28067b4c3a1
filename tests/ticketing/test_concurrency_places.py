"""The lazy release of lapsed holds keeps the locking rule, so it cannot deadlock (PostgreSQL, threads).

A buyer whose quota is full releases the lapsed holds there itself before refusing
(services/places.py). Those holds may be of another type that also draws on a quota with a lower
primary key than a row the buyer has already taken. Taking that row while holding the higher one
breaks the rule (ascending primary key), and a second buyer who takes the two rows in the rule's
order then waits on the first while the first waits on it: PostgreSQL kills one of them with
"deadlock detected". The test stops the first buyer just before its release, lets the second lock
the lower row and ask for the higher one, then lets the first go on. Each side then either runs or
waits for the other to commit; neither may fail.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tests.concurrency import locked_then, race, stop_before
from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.models import CartLine, Quota
from ticketing.selectors.availability import taken_recount
from ticketing.services import places
from ticketing.services.carts import cart_add

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 10  # seconds either side waits for the other's signal


def test_a_buyer_releasing_lapsed_holds_and_a_buyer_taking_in_order_do_not_deadlock(monkeypatch):
    session = future_session()
    low, middle, full = (QuotaFactory(session=session, capacity=5) for _ in range(3))
    full.capacity = 1
    full.save(update_fields=["capacity"])
    assert low.pk < middle.pk < full.pk
    wanted = TicketTypeFactory(session=session, quota=middle)  # the first buyer's: middle, then full
    wanted.quotas.add(full)
    lapsing = TicketTypeFactory(session=session, quota=low)  # a lapsed hold in low and full
    lapsing.quotas.add(full)
    crossing = TicketTypeFactory(session=session, quota=low)  # the second buyer's: low, then middle
    crossing.quotas.add(middle)
    early, first, second = buyer(), buyer(), buyer()
    cart_add(user=early, ticket_type=lapsing, quantity=1)
    CartLine.objects.filter(cart__user=early).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))

    first_releasing, second_waits = threading.Event(), threading.Event()
    # The first buyer found `full` full: the second takes `low` before that buyer's release goes on.
    stop_before(monkeypatch, places, "holds_lapsed", first_releasing, second_waits)

    def buy_first():
        cart_add(user=first, ticket_type=wanted, quantity=1)
        return "first"

    def buy_second():
        assert first_releasing.wait(WAIT)
        # The rule's order: `low` first, then `middle` through the seller's own path (it waits while
        # the first buyer holds it).
        locked_then(
            Quota, low.pk, second_waits, lambda: cart_add(user=second, ticket_type=crossing, quantity=1)
        )
        return "second"

    results, errors = race([buy_first, buy_second])

    assert errors == []  # in particular no "deadlock detected"
    assert sorted(results) == ["first", "second"]
    assert not CartLine.objects.filter(cart__user=early).exists()  # the lapsed hold was released once
    stored = {("quota", pk): taken for pk, taken in Quota.objects.values_list("pk", "taken")}
    assert stored == taken_recount(quota_ids=[low.pk, middle.pk, full.pk], section_ids=[])
    assert stored == {("quota", low.pk): 1, ("quota", middle.pk): 2, ("quota", full.pk): 1}


def test_a_take_that_waited_for_its_row_and_found_it_full_releases_lapsed_holds_without_deadlock():
    """A conditional UPDATE that waited for its row and then found no room still holds the row. The
    buyer must not release lapsed holds (which locks a lower row) while holding it: a buyer holding
    the lower row and asking for this one would deadlock with it. The buyer's transaction is rolled
    back first, the holds are released in a transaction of their own, and the buyer tries once more."""
    session = future_session()
    low, full = QuotaFactory(session=session, capacity=5), QuotaFactory(session=session, capacity=2)
    wanted = TicketTypeFactory(session=session, quota=full)  # one quota: cart_add's one statement
    lapsing = TicketTypeFactory(session=session, quota=low)
    lapsing.quotas.add(full)
    early, first = buyer(), buyer()
    cart_add(user=early, ticket_type=lapsing, quantity=1)
    CartLine.objects.filter(cart__user=early).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))
    holding, second_holds_low = threading.Event(), threading.Event()

    def take_the_last_place():  # commits once the buyer below waits for `full`
        with transaction.atomic():
            Quota.objects.filter(pk=full.pk).update(taken=F("taken") + 1)
            holding.set()
            time.sleep(1.0)
        return "last place"

    def buy():
        assert holding.wait(WAIT)
        cart_add(user=first, ticket_type=wanted, quantity=1)  # waits for `full`, then finds it full
        return "bought"

    def lock_low_then_full():
        assert holding.wait(WAIT)
        time.sleep(0.5)  # the buyer is waiting for `full` by now
        return (
            locked_then(
                Quota,
                low.pk,
                second_holds_low,
                lambda: list(Quota.objects.select_for_update().filter(pk=full.pk)),
            )
            and "locked"
        )

    results, errors = race([take_the_last_place, buy, lock_low_then_full])

    assert errors == []  # in particular no "deadlock detected"
    assert sorted(results) == ["bought", "last place", "locked"]
    assert not CartLine.objects.filter(cart__user=early).exists()  # released, once
    assert CartLine.objects.get(cart__user=first).quantity == 1
    stored = {pk: taken for pk, taken in Quota.objects.values_list("pk", "taken")}
    assert stored == {low.pk: 0, full.pk: 2}  # the manual take above, and the buyer's
