"""rows_insert writes what bulk_create writes, with its INSERT built once per shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.db import rows_insert
from tests.factories.ticketing import TicketTypeFactory, buyer, future_session
from ticketing.models import Cart, CartLine

pytestmark = pytest.mark.django_db


def test_new_rows_get_their_keys_defaults_and_auto_now_in_one_statement():
    ticket_type = TicketTypeFactory(session=future_session())
    carts = [Cart(user=buyer()), Cart(user=buyer())]
    before = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        returned = rows_insert(carts)
    assert len(captured) == 1
    assert returned is carts
    assert all(cart.pk and not cart._state.adding for cart in carts)
    assert {cart.pk for cart in carts} == set(Cart.objects.values_list("pk", flat=True))
    assert all(cart.updated_at >= before for cart in Cart.objects.all())

    expires = timezone.now() + dt.timedelta(minutes=5)
    (line,) = rows_insert(
        [CartLine(cart=carts[0], ticket_type=ticket_type, quantity=2, hold_expires_at=expires)]
    )
    stored = CartLine.objects.get()
    assert (stored.pk, stored.cart_id, stored.quantity, stored.hold_expires_at) == (
        line.pk,
        carts[0].pk,
        2,
        expires,
    )
    assert stored.created_at >= before  # auto_now_add, from the field's pre_save


def test_a_conflict_replaces_only_the_named_fields_and_returns_the_existing_key():
    ticket_type = TicketTypeFactory(session=future_session())
    cart = Cart.objects.create(user=buyer())
    first = timezone.now() + dt.timedelta(minutes=5)
    (line,) = rows_insert(
        [CartLine(cart=cart, ticket_type=ticket_type, quantity=1, hold_expires_at=first)],
        unique_fields=("cart", "ticket_type"),
        update_fields=("quantity", "hold_expires_at"),
    )
    created_at = CartLine.objects.get().created_at
    later = first + dt.timedelta(minutes=10)
    (again,) = rows_insert(
        [CartLine(cart=cart, ticket_type=ticket_type, quantity=3, hold_expires_at=later)],
        unique_fields=("cart", "ticket_type"),
        update_fields=("quantity", "hold_expires_at"),
    )
    assert again.pk == line.pk
    stored = CartLine.objects.get()
    assert (stored.quantity, stored.hold_expires_at, stored.created_at) == (3, later, created_at)


def test_a_row_with_a_key_or_an_unsaved_relation_is_refused():
    with pytest.raises(ValueError, match="primary key already"):
        rows_insert([Cart.objects.create(user=buyer())])
    with pytest.raises(ValueError, match="unsaved related object"):
        rows_insert([Cart(user=type(buyer())(email="unsaved@example.org"))])
    assert rows_insert([]) == []
