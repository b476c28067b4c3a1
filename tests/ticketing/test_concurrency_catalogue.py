"""An organiser cuts a quota's capacity while buyers take its places: on PostgreSQL, with real threads,
the capacity never ends below what is sold or held (`quota_update` locks the Quota row and checks its
`taken` counter; a buyer's conditional UPDATE of that counter waits for the lock and then sees the
new capacity). The control run lets the buyers read the counter, check it and write it back without
the conditional UPDATE, and shows the cut then leaves the quota oversold, so a pass proves it."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.utils import timezone

from tests.concurrency import locked_then, race, stop_before
from tests.factories.checkin import issued_ticket
from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session
from ticketing.errors import CatalogueError, SoldOutError
from ticketing.models import CartLine, Quota
from ticketing.selectors.availability import taken_recount
from ticketing.selectors.catalogue import quota_taken
from ticketing.services import catalogue, places
from ticketing.services.carts import cart_add

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 12
SOLD = 8
CUT_TO = 10


@pytest.fixture
def slow_count(monkeypatch):
    """The organiser's look at what is taken (lapsed holds released, then the counter read) is
    followed by a pause, so a sale that did not respect the row lock would slip in."""
    real = catalogue.holds_reclaim

    def slow(**kwargs):
        result = real(**kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(catalogue, "holds_reclaim", slow)


def _round(users) -> tuple[int, int, list[BaseException]]:
    session = future_session()
    quota = QuotaFactory(session=session, capacity=20)
    ticket_type = TicketTypeFactory(session=session, quota=quota, max_per_order=1)
    for _ in range(SOLD):
        issued_ticket(ticket_type=ticket_type)

    def cut():
        try:
            catalogue.quota_update(quota=quota, data=catalogue.CapacityData("配额", "Cut", CUT_TO))
        except CatalogueError:
            return "refused"
        return "cut"

    def buy(user):
        try:
            cart_add(user=user, ticket_type=ticket_type, quantity=1)
        except SoldOutError:
            return "sold out"
        return "held"

    results, errors = race([cut, *[lambda user=user: buy(user) for user in users]])
    assert "cut" in results or "refused" in results
    quota.refresh_from_db()
    return quota.capacity, quota_taken(quota), errors


def test_capacity_cut_racing_buyers_never_leaves_a_quota_oversold(slow_count):
    users = [buyer() for _ in range(BUYERS)]
    for _round_number in range(3):
        capacity, taken, errors = _round(users)
        assert errors == []  # in particular no deadlock
        assert taken <= capacity
        for user in users:
            user.ticket_cart.lines.all().delete()


def test_control_buyers_without_the_lock_oversell_after_the_cut(slow_count, monkeypatch):
    monkeypatch.setattr(places, "LOCKING_ENABLED", False)
    users = [buyer() for _ in range(BUYERS)]
    oversold = 0
    for _round_number in range(3):
        capacity, taken, _errors = _round(users)
        oversold += taken > capacity
        for user in users:
            user.ticket_cart.lines.all().delete()
    assert oversold > 0
    assert Quota.objects.filter(capacity=CUT_TO).exists()


def test_a_capacity_change_releasing_lapsed_holds_and_a_buyer_do_not_deadlock(monkeypatch):
    """The quota's lapsed holds may be of a type that also draws on a quota with a lower key: the
    organiser locks both in the rule's order before releasing them, so a buyer who holds the lower
    one and asks for this one waits or goes first, and neither fails (PostgreSQL's "deadlock
    detected" before)."""
    session = future_session()
    low, resized = QuotaFactory(session=session), QuotaFactory(session=session, capacity=10)
    lapsing = TicketTypeFactory(session=session, quota=low)
    lapsing.quotas.add(resized)
    selling = TicketTypeFactory(session=session, quota=resized)
    early, late = buyer(), buyer()
    cart_add(user=early, ticket_type=lapsing, quantity=2)
    CartLine.objects.filter(cart__user=early).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))
    organiser_releasing, buyer_waits = threading.Event(), threading.Event()
    stop_before(monkeypatch, places, "holds_lapsed", organiser_releasing, buyer_waits)

    def resize():
        catalogue.quota_update(quota=resized, data=catalogue.CapacityData("配额", "Resized", 8))
        return "resized"

    def buy():
        assert organiser_releasing.wait(10)
        locked_then(Quota, low.pk, buyer_waits, lambda: cart_add(user=late, ticket_type=selling, quantity=1))
        return "bought"

    results, errors = race([resize, buy])
    assert errors == []
    assert sorted(results) == ["bought", "resized"]
    assert not CartLine.objects.filter(cart__user=early).exists()
    stored = {
        pk: (capacity, taken) for pk, capacity, taken in Quota.objects.values_list("pk", "capacity", "taken")
    }
    assert stored == {low.pk: (100, 0), resized.pk: (8, 1)}


@pytest.mark.parametrize(
    "quotas", [1, 2], ids=["one quota (cart_add's one statement)", "two quotas (places_take)"]
)
def test_a_sale_waiting_for_a_type_being_moved_takes_from_where_it_moved(monkeypatch, quotas):
    """The sale reads the type's quotas after the organiser's move commits, not from before it: a
    statement that waited for the type row still sees the other tables as they were when it began,
    so the sale locks the type row first and reads its quotas in a statement of its own."""
    session = future_session()
    old = [QuotaFactory(session=session, capacity=10) for _ in range(quotas)]
    new = [QuotaFactory(session=session, capacity=10) for _ in range(quotas)]
    ticket_type = TicketTypeFactory(session=session, quota=old[0])
    ticket_type.quotas.add(*old[1:])
    moved = threading.Event()
    real_move = catalogue._move_taken

    def move_then_hold(*args, **kwargs):
        real_move(*args, **kwargs)
        moved.set()
        time.sleep(1.0)  # the organiser's transaction stays open: the sale now waits for the type row

    monkeypatch.setattr(catalogue, "_move_taken", move_then_hold)
    data = catalogue.TicketTypeData(
        name_zh=ticket_type.name_zh, name_en=ticket_type.name_en, kind="adult", price_fen=8000, quotas=new
    )

    def move():
        catalogue.ticket_type_update(ticket_type=ticket_type, data=data)
        return "moved"

    def buy():
        assert moved.wait(10)
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)
        return "bought"

    results, errors = race([move, buy])
    assert errors == []
    assert sorted(results) == ["bought", "moved"]
    stored = {("quota", pk): taken for pk, taken in Quota.objects.values_list("pk", "taken")}
    assert stored == taken_recount(quota_ids=[q.pk for q in old + new], section_ids=[])
    assert all(stored[("quota", q.pk)] == 0 for q in old)
    assert all(stored[("quota", q.pk)] == 2 for q in new)


def _type_on_sale():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=10)
    return quota, TicketTypeFactory(session=session, quota=quota)


def test_a_sale_waiting_for_a_type_being_deleted_is_refused(monkeypatch):
    """The organiser deletes an unsold type while a buyer adds it: the buyer's cart_add waits for the
    type's sales lock, then finds the type gone and is refused as not on sale; nothing is held."""
    quota, ticket_type = _type_on_sale()
    deleting = threading.Event()
    real_taken = catalogue.taken_by_type

    def taken_then_hold(type_ids):
        result = real_taken(type_ids)
        deleting.set()
        time.sleep(1.0)  # the organiser's transaction stays open: the sale now waits for it
        return result

    monkeypatch.setattr(catalogue, "taken_by_type", taken_then_hold)

    def delete():
        catalogue.ticket_type_delete(ticket_type=ticket_type)
        return "deleted"

    def buy():
        assert deleting.wait(10)
        try:
            cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)
        except SoldOutError:
            return "refused"
        return "bought"

    results, errors = race([delete, buy])
    assert errors == []
    assert sorted(results) == ["deleted", "refused"]
    assert not CartLine.objects.exists()
    quota.refresh_from_db()
    assert quota.taken == 0


def _delete_racing_a_held_sale(monkeypatch) -> tuple[list, list[BaseException]]:
    """A buyer's cart_add has taken its places and waits a second before its COMMIT; meanwhile the
    organiser deletes the type."""
    _quota, ticket_type = _type_on_sale()
    held = threading.Event()

    def hold():
        held.set()
        time.sleep(1.0)  # the buyer's transaction stays open: the delete comes now

    monkeypatch.setattr(places, "after_check_hook", hold)

    def buy():
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)
        return "bought"

    def delete():
        assert held.wait(10)
        try:
            catalogue.ticket_type_delete(ticket_type=ticket_type)
        except CatalogueError:
            return "refused"
        return "deleted"

    return race([buy, delete])


def test_a_delete_waiting_for_a_sale_is_refused(monkeypatch):
    """The delete takes the type's sales lock, so it waits for the buyer's COMMIT and then sees the
    hold: refused, and the buyer keeps the places."""
    results, errors = _delete_racing_a_held_sale(monkeypatch)
    assert errors == []
    assert sorted(results) == ["bought", "refused"]
    stored = {("quota", pk): taken for pk, taken in Quota.objects.values_list("pk", "taken")}
    assert stored == taken_recount(quota_ids=[pk for (_kind, pk) in stored], section_ids=[])
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [2]


def test_control_a_delete_without_the_sales_lock_breaks_the_sale(monkeypatch):
    """The control: without the delete's sales lock nothing stops it (the buyer no longer locks the
    type row), it deletes the type under the uncommitted hold, and the buyer's COMMIT fails on the
    hold's foreign key (a server error for a buyer who did nothing wrong)."""
    monkeypatch.setattr(catalogue.places, "type_change_lock", lambda type_id: None)
    results, errors = _delete_racing_a_held_sale(monkeypatch)
    assert results == ["deleted"]
    assert [type(error).__name__ for error in errors] == ["IntegrityError"]
