"""A ticket type deleted by a path other than catalogue.ticket_type_delete (its session deleted, as
the Event admin's Session inline lets an organiser do, cascading to the session's types, quotas and
sections) while a buyer's cart_add has taken its places and not yet committed. The cascade takes no
sales lock and the buyer does not lock the type row: the cascade's DELETE of the quota waits for the
buyer's counter UPDATE, so the buyer commits first and the organiser's COMMIT fails on the new hold's
foreign key. Nothing deadlocks and the sale stands."""

from __future__ import annotations

import threading
import time

import pytest

from tests.concurrency import race
from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.services import places
from ticketing.services.carts import cart_add

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_session_deleted_under_a_held_sale_does_not_fail_the_buyer(monkeypatch):
    session = future_session()
    quota = QuotaFactory(session=session, capacity=10)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    held = threading.Event()

    def hold():
        held.set()
        time.sleep(1.0)  # the buyer's transaction stays open: the organiser's delete comes now

    monkeypatch.setattr(places, "after_check_hook", hold)

    def buy():
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)
        return "bought"

    def delete_session():
        assert held.wait(10)
        session.delete()
        return "deleted"

    results, errors = race([buy, delete_session])
    # The buyer's sale stands, as before f6a7d9c; the organiser's cascade is the one refused (on
    # the new hold's foreign key), and nothing deadlocks.
    assert results == ["bought"]
    assert [type(error).__name__ for error in errors] == ["IntegrityError"]
