"""cart_add's refusal as sold out from reads alone (`_sold_out_at_sight`) decides on one snapshot.

A release of lapsed holds (the periodic sweep, or another buyer's `reclaiming`) that commits between
the type's read and the refusal's decision frees places: a refusal judging the room from before the
release and the lapsed holds from after it is one no serial order explains (before the release the
locked path reclaims the holds and sells; after it the room is there). The release runs right after
cart_add's first statement returns, where a commit by another connection would land (the refusal's
reads run in autocommit, each seeing the latest commit). Found by review of orderfast4; each of these
failed before `places.room_seen_for` read the room and the lapsed holds together.
"""

from __future__ import annotations

import contextvars
import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.models import CartLine, Quota
from ticketing.services import carts
from ticketing.services.carts import cart_add, holds_release_expired

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _lapse(user) -> None:
    CartLine.objects.filter(cart__user=user).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))


def _after_type_read(monkeypatch, release):
    """Run `release` once, right after cart_add's first statement (the type's read) returns."""
    real = carts.TYPE_FOR_SALE
    done = []

    def read_then_release(**kwargs):
        rows = real(**kwargs)
        if not done:
            done.append(True)
            release()
        return rows

    monkeypatch.setattr(carts, "TYPE_FOR_SALE", read_then_release)


@pytest.mark.parametrize("releaser", ["sweep", "another buyer reclaiming"])
def test_a_release_of_lapsed_holds_between_the_reads_does_not_refuse_a_buyer_with_room(monkeypatch, releaser):
    session = future_session()
    quota = QuotaFactory(session=session, capacity=4)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    holder, other, late = buyer(), buyer(), buyer()
    cart_add(user=holder, ticket_type=ticket_type, quantity=4)  # the quota is full...
    _lapse(holder)  # ... of a hold that lapsed: its 4 places are to be reclaimed

    if releaser == "sweep":
        release = holds_release_expired
    else:  # another buyer's cart_add (its own request: a fresh context) reclaims the 4, takes 1
        release = lambda: contextvars.Context().run(  # noqa: E731
            cart_add, user=other, ticket_type=ticket_type, quantity=1
        )
    _after_type_read(monkeypatch, release)

    cart_add(user=late, ticket_type=ticket_type, quantity=1)

    assert CartLine.objects.get(cart__user=late).quantity == 1


def test_a_buyers_own_lapsed_line_released_between_the_reads_does_not_refuse_them(monkeypatch):
    """The buyer's own lapsed line of the type (the full path reuses it, under its lock) is swept
    between the type's read and the unlocked read of the cart: the refusal path no longer sees the
    line, nor a lapsed hold, and refuses from a counter that still counted the line."""
    session = future_session()
    quota = QuotaFactory(session=session, capacity=2)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    holder = buyer()
    cart_add(user=holder, ticket_type=ticket_type, quantity=2)
    _lapse(holder)
    _after_type_read(monkeypatch, holds_release_expired)

    cart_add(user=holder, ticket_type=ticket_type, quantity=2)

    assert CartLine.objects.get(cart__user=holder).quantity == 2
    assert Quota.objects.get(pk=quota.pk).taken == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_with_the_sweep_in_its_own_connection(monkeypatch):
    """PostgreSQL, a real second connection: the periodic sweep commits in another thread while the
    buyer is between the type's read and the lapsed-holds check."""
    import threading

    from django.db import connection

    session = future_session()
    quota = QuotaFactory(session=session, capacity=4)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    holder, late = buyer(), buyer()
    cart_add(user=holder, ticket_type=ticket_type, quantity=4)
    _lapse(holder)

    def sweep_elsewhere():
        def run():
            try:
                holds_release_expired()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(10)

    _after_type_read(monkeypatch, sweep_elsewhere)
    cart_add(user=late, ticket_type=ticket_type, quantity=1)
    assert CartLine.objects.get(cart__user=late).quantity == 1
    assert Quota.objects.get(pk=quota.pk).taken == 1
