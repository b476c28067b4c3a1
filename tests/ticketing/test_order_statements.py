"""Statements per purchase on the scarce-stock path (cart_add then order_place), pinned.

Counted without a test transaction around them (savepoints would be counted); BEGIN and COMMIT are
in the counts. Before issue 10: cart_add 24 and order_place 21 for two tickets.
"""

from __future__ import annotations

import pytest

from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.models import CartLine, Ticket
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place

pytestmark = pytest.mark.django_db(transaction=True)


def test_cart_add_and_order_place_statement_counts(django_assert_num_queries):
    session = future_session()
    ticket_type = TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=50))
    user = buyer()

    # The type; BEGIN, cart upsert, lines, line upsert, quota set-up (2), quota lock, tickets and holds
    # counted in one statement, COMMIT.
    with django_assert_num_queries(10):
        cart_add(user=user, ticket_type=ticket_type, quantity=2)
    # The cart lines; BEGIN, order, order line, credentials in one INSERT, holds deleted, quota set-up
    # (2); then under the quota lock only: the count, the session re-check, the tickets in one INSERT
    # and COMMIT.
    with django_assert_num_queries(13):
        order = order_place(user=user, provider="demo")

    assert Ticket.objects.filter(order=order, ticket_type=ticket_type).count() == 2
    assert len({ticket.credential_id for ticket in order.tickets.all()}) == 2
    assert not CartLine.objects.filter(cart__user=user).exists()
