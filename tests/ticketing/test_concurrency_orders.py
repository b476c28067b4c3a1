"""Never oversell: 50 real threads race for the last 10 places on PostgreSQL, 20 rounds.

Places are taken by one conditional UPDATE of the quota's counter (ticketing/services/places.py).
The control test replaces it by a read, a check and a write-back (places.LOCKING_ENABLED off) and
shows the race really happens in this harness, so the passing test proves the statement, not luck.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone, translation

from tests.concurrency import race
from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.enums import TicketState
from ticketing.errors import SoldOutError
from ticketing.models import CartLine, Ticket
from ticketing.models.sales import TICKET_HOLDING_STATES
from ticketing.services import places
from ticketing.services.carts import cart_add, holds_release_expired
from ticketing.services.orders import order_place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 50
PLACES = 10
# A buyer waits for the quota row at most this long (the 49 others hold it a few milliseconds each).
LOCK_WAIT_SECONDS = 15


def _round(ticket_type, users) -> tuple[int, int, list[str], list[BaseException]]:
    """All users hold nothing, then all `cart_add` + `order_place` at once. Returns tickets, holds, errors."""
    CartLine.objects.all().delete()

    def buy(user) -> str:
        """The buyer's sold-out message, in English (a bare thread would get Chinese), or "" once bought."""
        with connection.cursor() as cursor:  # this thread's own connection, closed after the race
            # A buyer stuck behind the quota lock fails the round (as an error) instead of a wall-clock
            # limit on the whole test: speed is measured in bench/, not asserted here.
            cursor.execute(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
        with translation.override("en"):  # a buyer's request carries a language
            try:
                cart_add(user=user, ticket_type=ticket_type, quantity=1)
                order_place(user=user, provider="demo")
            except SoldOutError as exc:
                return str(exc)
        return ""

    results, errors = race([lambda user=user: buy(user) for user in users])
    sold_out = [message for message in results if message]
    sold = Ticket.objects.filter(
        ticket_type=ticket_type, state__in=[TicketState.RESERVED, TicketState.VALID]
    ).count()
    held = CartLine.objects.filter(ticket_type=ticket_type).aggregate(n=Sum("quantity"))["n"] or 0
    return sold, held, sold_out, errors


@pytest.fixture
def widen_race(monkeypatch):
    """Sleep between the check of the counter and the writes, so an unlocked race would show."""
    monkeypatch.setattr(places, "after_check_hook", lambda: time.sleep(0.005))


def test_fifty_buyers_ten_places_never_oversell(widen_race):
    users = [buyer() for _ in range(BUYERS)]
    for _round_number in range(20):
        session = future_session()
        ticket_type = TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=PLACES))
        sold, held, sold_out, errors = _round(ticket_type, users)
        # In particular no deadlock (PostgreSQL would raise it) and no lock wait over LOCK_WAIT_SECONDS.
        assert errors == []
        assert sold == PLACES and held == 0
        assert len(sold_out) == BUYERS - PLACES
        assert all(message.startswith("Sold out") for message in sold_out)


def test_control_without_the_lock_the_race_oversells(widen_race, monkeypatch):
    monkeypatch.setattr(places, "LOCKING_ENABLED", False)
    users = [buyer() for _ in range(BUYERS)]
    oversold = 0
    for _round_number in range(3):
        session = future_session()
        ticket_type = TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=PLACES))
        sold, held, _sold_out, _errors = _round(ticket_type, users)
        # Places promised to buyers (tickets plus holds) beyond the capacity.
        oversold = max(oversold, sold + held - PLACES)
    assert oversold > 0, "the harness did not produce a race: the locked test would prove nothing"


def test_holds_lapsing_while_buyers_arrive_never_oversell_nor_leak_places(widen_race):
    """Every place is held by a hold that has lapsed (no event: only the clock says so) when 30
    buyers, 5 of the lapsed holders coming back and 3 sweepers arrive at once. Buyers who find the
    quota full release lapsed holds themselves; sweepers and the returning holders may reach the
    same holds: each is released once, so the counter ends equal to the recount."""
    early = [buyer() for _ in range(PLACES)]
    buyers = [buyer() for _ in range(30)]
    for _round_number in range(5):
        CartLine.objects.all().delete()
        session = future_session()
        quota = QuotaFactory(session=session, capacity=PLACES)
        ticket_type = TicketTypeFactory(session=session, quota=quota)
        for user in early:
            cart_add(user=user, ticket_type=ticket_type, quantity=1)
        CartLine.objects.update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))

        def buy(user, place=True, ticket_type=ticket_type):
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
            try:
                cart_add(user=user, ticket_type=ticket_type, quantity=1)
                if place:
                    order_place(user=user, provider="demo")
            except SoldOutError:
                return "sold out"
            return "bought"

        def sweep():
            return sum(holds_release_expired() for _ in range(3))

        calls = [lambda user=user: buy(user) for user in buyers]
        calls += [lambda user=user: buy(user, place=False) for user in early[:5]]
        calls += [sweep for _ in range(3)]
        _results, errors = race(calls)
        assert errors == []  # no deadlock, no constraint violation, no lock wait over the limit
        sold = Ticket.objects.filter(ticket_type=ticket_type, state__in=TICKET_HOLDING_STATES).count()
        live = (
            CartLine.objects.filter(ticket_type=ticket_type, hold_expires_at__gt=timezone.now()).aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        lapsed = (
            CartLine.objects.filter(ticket_type=ticket_type, hold_expires_at__lte=timezone.now()).aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        quota.refresh_from_db()
        assert sold + live <= PLACES  # never oversold
        assert quota.taken == sold + live + lapsed  # nothing leaked, nothing released twice
        holds_release_expired()
        quota.refresh_from_db()
        assert quota.taken == sold + live
        assert sold >= PLACES - 5  # the lapsed places went back on sale (5 holders came back)
