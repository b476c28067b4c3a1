"""Statements per purchase on the scarce-stock path (cart_add then order_place), pinned.

Counted without a test transaction around them (savepoints would be counted); BEGIN and COMMIT are
in the counts. Before issue 10: cart_add 24 and order_place 21 for two tickets; 10 and 13 before
the quota counter (services/places.py), with the hot quota row locked for 5 round trips; 8 and 9
before the session re-check moved into the holds' DELETE.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.models import CartLine, Ticket
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place

pytestmark = pytest.mark.django_db(transaction=True)


def test_cart_add_and_order_place_statement_counts():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=50)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    user = buyer()

    # The type; BEGIN, cart upsert, its lines locked, line upsert, the type's quota and section ids
    # (type row FOR SHARE), the one conditional UPDATE of the quota counter, COMMIT.
    with CaptureQueriesContext(connection) as added:
        cart_add(user=user, ticket_type=ticket_type, quantity=2)
    assert len(added) == 8
    # The quota row is locked by its UPDATE, which is the last statement before COMMIT.
    assert "UPDATE" in added[-2]["sql"] and '"taken"' in added[-2]["sql"]
    assert added[-1]["sql"].upper().startswith("COMMIT")
    # BEGIN, the cart lines locked, order, order line, credentials in one INSERT, holds deleted on
    # condition that their sessions are still on sale (the re-check after the lock), the tickets in
    # one INSERT, COMMIT. The holds already took the places: no quota row is read, locked or written.
    with CaptureQueriesContext(connection) as placed:
        order = order_place(user=user, provider="demo")
    assert len(placed) == 8
    assert not any("ticketing_quota" in query["sql"] for query in placed)
    quota.refresh_from_db()
    assert quota.taken == 2

    assert Ticket.objects.filter(order=order, ticket_type=ticket_type).count() == 2
    assert len({ticket.credential_id for ticket in order.tickets.all()}) == 2
    assert not CartLine.objects.filter(cart__user=user).exists()


def test_an_order_of_two_sessions_takes_as_many_statements_as_one():
    """Order lines, credentials and tickets of every line go in one INSERT each."""
    first_session = future_session()
    first = TicketTypeFactory(session=first_session, quota=QuotaFactory(session=first_session, capacity=50))
    second_session = future_session(event__programme=first_session.event.programme)
    second = TicketTypeFactory(
        session=second_session, quota=QuotaFactory(session=second_session, capacity=50)
    )
    user = buyer()
    cart_add(user=user, ticket_type=first, quantity=1)
    cart_add(user=user, ticket_type=second, quantity=2)

    with CaptureQueriesContext(connection) as placed:
        order = order_place(user=user, provider="demo")
    assert len(placed) == 8
    assert order.lines.count() == 2
    assert sorted(order.tickets.values_list("ticket_type_id", "session_id")) == sorted(
        [(first.pk, first_session.pk), (second.pk, second_session.pk), (second.pk, second_session.pk)]
    )
    assert len({ticket.credential.session_id for ticket in order.tickets.select_related("credential")}) == 2
    assert not CartLine.objects.filter(cart__user=user).exists()
