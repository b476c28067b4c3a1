"""cart_add's hold and take (ticketing/services/cart_rows.py: one statement on PostgreSQL, a statement
each on SQLite): whatever the type draws on, the counters end equal to the recount, and a refusal
leaves no hold and no place taken."""

from __future__ import annotations

import pytest

from tests.factories.ticketing import QuotaFactory, SectionFactory, TicketTypeFactory, buyer, future_session
from tests.ticketing.test_places import assert_counters_true
from ticketing.errors import SoldOutError
from ticketing.models import CartLine
from ticketing.services.carts import cart_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_one_quota_holds_then_refuses_with_nothing_taken():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=3)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    user, late = buyer(), buyer()

    line = cart_add(user=user, ticket_type=ticket_type, quantity=2)
    again = cart_add(user=user, ticket_type=ticket_type, quantity=1)  # the line grows to 3
    assert line.pk == again.pk and CartLine.objects.get(pk=line.pk).quantity == 3
    with pytest.raises(SoldOutError, match="not enough places"):
        cart_add(user=late, ticket_type=ticket_type, quantity=1)
    assert not CartLine.objects.filter(cart__user=late).exists()
    assert assert_counters_true()[("quota", quota.pk)] == 3


def test_two_quotas_and_a_section_are_taken_in_order_or_not_at_all():
    """The statement takes only a one-quota type itself: the others go through places.py's ordered takes."""
    session = future_session()
    wide, narrow = QuotaFactory(session=session, capacity=10), QuotaFactory(session=session, capacity=10)
    section = SectionFactory(session=session, capacity=3)
    ticket_type = TicketTypeFactory(session=session, quota=wide, section=section)
    ticket_type.quotas.add(narrow)
    user = buyer()

    cart_add(user=user, ticket_type=ticket_type, quantity=2)
    with pytest.raises(SoldOutError):
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)  # the section has 1 left
    counters = assert_counters_true()
    assert (counters[("quota", wide.pk)], counters[("quota", narrow.pk)]) == (2, 2)
    assert counters[("section", section.pk)] == 2
    assert CartLine.objects.get().quantity == 2


def test_a_type_without_quota_is_refused_and_nothing_is_held():
    session = future_session()
    ticket_type = TicketTypeFactory(session=session, quota=False)
    with pytest.raises(SoldOutError, match="not on sale"):
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=1)
    assert not CartLine.objects.exists()
