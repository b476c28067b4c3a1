"""Statements per purchase on the scarce-stock path (cart_add then order_place), pinned.

Counted without a test transaction around them (savepoints would be counted); BEGIN and COMMIT are
in the counts. Before issue 10: cart_add 24 and order_place 21 for two tickets; 10 and 13 before
the quota counter (services/places.py), with the hot quota row locked for 5 round trips; 8 and 9
before the session re-check moved into the holds' DELETE, and the writes into one statement on
PostgreSQL; cart_add 8 before its hold, type rows and take became one statement on PostgreSQL, then
7 there once the type row was locked in a statement before the one that reads its quotas (a read that
waited for the lock saw the quotas from before an organiser's move: test_concurrency_catalogue.py),
then 6 once that lock became the type's sales lock, taken by the cart's upsert (services/cart_rows.py).
A refusal as sold out took 8 (7 and the ROLLBACK) until the type's read brought the room left: 3 now.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.models import CartLine, Credential, Order, Ticket
from ticketing.services import order_rows
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place

pytestmark = pytest.mark.django_db(transaction=True)

# order_place: BEGIN, the locked read, COMMIT and the writes (one statement on PostgreSQL, five elsewhere).
WRITES_AND_FOUR = 4 if connection.vendor == "postgresql" else 8
# cart_add: the type, BEGIN, the cart, its lines, COMMIT and the hold with its take (one statement on
# PostgreSQL, after the cart's upsert took the type's sales lock; three elsewhere: services/cart_rows.py).
HOLD_AND_FIVE = 6 if connection.vendor == "postgresql" else 8


def test_cart_add_and_order_place_statement_counts():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=50)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    user = buyer()

    # The type; BEGIN, cart upsert, its lines locked, line upsert, the type's quota and section ids
    # (type row FOR SHARE), the one conditional UPDATE of the quota counter, COMMIT; on PostgreSQL the
    # cart upsert takes the type's sales lock, then the line upsert, the type's rows and the UPDATE
    # are one statement.
    with CaptureQueriesContext(connection) as added:
        cart_add(user=user, ticket_type=ticket_type, quantity=2)
    assert len(added) == HOLD_AND_FIVE
    # The quota row is locked by its UPDATE, which is the last statement before COMMIT.
    assert "UPDATE" in added[-2]["sql"] and '"taken"' in added[-2]["sql"]
    assert added[-1]["sql"].upper().startswith("COMMIT")
    # BEGIN, the cart lines locked, order, order line, credentials in one INSERT, holds deleted on
    # condition that their sessions are still on sale (the re-check after the lock), the tickets in
    # one INSERT, COMMIT; on PostgreSQL the five writes are one statement (services/order_rows.py).
    # The holds already took the places: no quota row is read, locked or written.
    with CaptureQueriesContext(connection) as placed:
        order = order_place(user=user, provider="demo")
    assert len(placed) == WRITES_AND_FOUR
    assert not any("ticketing_quota" in query["sql"] for query in placed)
    quota.refresh_from_db()
    assert quota.taken == 2

    assert Ticket.objects.filter(order=order, ticket_type=ticket_type).count() == 2
    assert len({ticket.credential_id for ticket in order.tickets.all()}) == 2
    assert not CartLine.objects.filter(cart__user=user).exists()


def test_a_sold_out_type_is_refused_in_three_reads_with_no_transaction():
    """When a flash sale sells out, every buyer still asking gets a refusal: it is read, not written.
    The type (with the room left in its quota and section), the buyer's cart lines, whether lapsed
    holds count in the type's rows; no BEGIN, no lock, no upsert rolled back."""
    from ticketing.errors import SoldOutError

    session = future_session()
    quota = QuotaFactory(session=session, capacity=3)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)
    late = buyer()
    with CaptureQueriesContext(connection) as refused, pytest.raises(SoldOutError):
        cart_add(user=late, ticket_type=ticket_type, quantity=2)
    assert len(refused) == 3
    assert not any(
        query["sql"].upper().startswith(("BEGIN", "INSERT", "UPDATE", "DELETE", "WITH"))
        or "FOR " in query["sql"]
        for query in refused
    )
    assert not CartLine.objects.filter(cart__user=late).exists()
    quota.refresh_from_db()
    assert quota.taken == 2
    cart_add(user=late, ticket_type=ticket_type, quantity=1)  # the one place left is still sold
    quota.refresh_from_db()
    assert quota.taken == 3


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
    assert len(placed) == WRITES_AND_FOUR
    assert order.lines.count() == 2
    assert sorted(order.tickets.values_list("ticket_type_id", "session_id")) == sorted(
        [(first.pk, first_session.pk), (second.pk, second_session.pk), (second.pk, second_session.pk)]
    )
    stored = list(order.tickets.select_related("credential", "line"))
    assert len({ticket.credential_id for ticket in stored}) == 3
    for ticket in stored:
        # Each ticket is joined to its own line and credential (one statement on PostgreSQL matches them
        # by ticket type and by the credential's public id).
        assert ticket.line.ticket_type_id == ticket.ticket_type_id and ticket.line.order_id == order.pk
        assert ticket.credential.session_id == ticket.session_id
    assert not CartLine.objects.filter(cart__user=user).exists()


@pytest.mark.postgres
def test_on_postgresql_a_text_too_long_for_its_column_is_refused_not_cut():
    """The one-statement writes cast their values to the columns' types but never to a varchar's
    length, which would cut the text where a statement of its own refuses it."""
    from django.db import DataError

    from ticketing.models import Order

    session = future_session(event__name_en="E" * 150, name_en="S" * 60)
    ticket_type = TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=5))
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=1)
    with pytest.raises(DataError, match="too long"):
        order_place(user=user, provider="demo")
    assert not Order.objects.exists()
    assert CartLine.objects.filter(cart__user=user).exists()


@pytest.mark.postgres
def test_the_one_write_statement_stores_what_a_statement_per_table_stores(monkeypatch):
    """services/order_rows.py sends the rows as JSON and casts each value back in SQL: an order of
    two lines and three tickets written that way stores the same values as the INSERTs of one table
    at a time (SQLite's path), keys, codes and creation times aside."""
    session = future_session()
    quota = QuotaFactory(session=session, capacity=50)
    types = [
        TicketTypeFactory(
            session=session, quota=quota, name_zh="看台·成人票", gate_codes=["N2", "N1"], allows_reentry=True
        ),
        TicketTypeFactory(session=session, quota=quota, name_zh="儿童票", price_fen=0),
    ]

    def place(one_statement: bool):
        monkeypatch.setattr(order_rows, "one_statement", lambda: one_statement)
        user = buyer()
        cart_add(user=user, ticket_type=types[0], quantity=2)
        cart_add(user=user, ticket_type=types[1], quantity=1)
        order = order_place(user=user, provider="demo")
        ignored = {
            "id",
            "order",
            "line",
            "credential",
            "public_id",
            "short_code",
            "created_at",
            "code",
            "user",
        }

        def values(rows) -> list[dict]:
            return sorted(
                ({k: v for k, v in row.items() if not {k, k.removesuffix("_id")} & ignored} for row in rows),
                key=repr,
            )

        return (
            values(Order.objects.filter(pk=order.pk).values()),
            values(order.lines.values()),
            values(Credential.objects.filter(ticket__order=order).values()),
            values(order.tickets.values()),
        )

    with time_machine.travel(timezone.now(), tick=False):  # the same expiry and validity times
        assert place(one_statement=True) == place(one_statement=False)
