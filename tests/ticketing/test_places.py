"""The quota and section counters (ticketing/services/places.py) against a recount from the rows.

Every path that takes a place or gives one back is walked in turn, and after each step every
quota's and section's `taken` must equal what the tickets and cart lines say (tickets reserved or
valid, plus every cart line). The races are in test_concurrency_orders.py (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.checkin import issued_ticket
from tests.factories.ticketing import (
    BallotFactory,
    QuotaFactory,
    SectionFactory,
    TicketTypeFactory,
    buyer,
    future_session,
)
from ticketing.enums import OrderState
from ticketing.errors import CatalogueError, OrderLimitError, SalesError, SoldOutError
from ticketing.models import CartLine, Quota, Section
from ticketing.selectors.availability import remaining_for_types, taken_recount
from ticketing.services import catalogue
from ticketing.services.ballots import ballot_apply, ballot_draw
from ticketing.services.carts import cart_add, cart_remove, holds_release_expired
from ticketing.services.expiry import sales_expire_due
from ticketing.services.orders import order_cancel, order_expire, order_place
from ticketing.services.payments import payment_confirm_demo
from ticketing.services.places import counters_recount
from ticketing.services.refunds import order_record_external_refund, order_refund
from ticketing.services.sessions import session_cancel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.PAYMENT_DEMO_ENABLED = True


def counters() -> dict[tuple[str, int], int]:
    """Every counter, as stored."""
    stored = {("quota", pk): taken for pk, taken in Quota.objects.values_list("pk", "taken")}
    stored.update({("section", pk): taken for pk, taken in Section.objects.values_list("pk", "taken")})
    return stored


def assert_counters_true() -> dict[tuple[str, int], int]:
    stored = counters()
    recount = taken_recount(
        quota_ids=Quota.objects.values_list("pk", flat=True),
        section_ids=Section.objects.values_list("pk", flat=True),
    )
    assert stored == recount
    return stored


def _lapse(user) -> None:
    CartLine.objects.filter(cart__user=user).update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))


@pytest.fixture
def shop():
    """Two types sharing quota `shared`; `adult` also in section `stand`, `child` also in quota `kids`."""
    session = future_session()
    shared = QuotaFactory(session=session, capacity=20)
    kids = QuotaFactory(session=session, capacity=10)
    stand = SectionFactory(session=session, capacity=10)
    adult = TicketTypeFactory(session=session, quota=shared, section=stand, price_fen=8000)
    child = TicketTypeFactory(session=session, quota=shared, price_fen=4000)
    child.quotas.add(kids)
    return {
        "session": session,
        "shared": shared,
        "kids": kids,
        "stand": stand,
        "adult": adult,
        "child": child,
    }


def test_holds_take_places_and_every_way_a_hold_ends_gives_them_back(shop):
    adult, child = shop["adult"], shop["child"]
    first, second, third = buyer(), buyer(), buyer()
    cart_add(user=first, ticket_type=adult, quantity=2)
    cart_add(user=first, ticket_type=adult, quantity=1)  # the line grows to 3
    cart_add(user=second, ticket_type=child, quantity=4)
    stored = assert_counters_true()
    assert stored[("quota", shop["shared"].pk)] == 7
    assert stored[("section", shop["stand"].pk)] == 3 and stored[("quota", shop["kids"].pk)] == 4

    cart_remove(user=second, line_id=CartLine.objects.get(cart__user=second).pk)
    assert assert_counters_true()[("quota", shop["kids"].pk)] == 0

    cart_add(user=third, ticket_type=child, quantity=2)
    _lapse(third)
    # A lapsed hold still counts until released, but pages already show its places as free.
    assert counters()[("quota", shop["kids"].pk)] == 2
    assert remaining_for_types([child]) == {child.pk: 10}
    assert holds_release_expired() == 1
    assert holds_release_expired() == 0  # a hold is released once
    assert assert_counters_true()[("quota", shop["kids"].pk)] == 0

    # The buyer's own lapsed line is reused by the next cart_add: it takes only the difference.
    cart_add(user=third, ticket_type=child, quantity=5)
    _lapse(third)
    cart_add(user=third, ticket_type=child, quantity=2)
    assert CartLine.objects.get(cart__user=third).quantity == 2
    assert assert_counters_true()[("quota", shop["kids"].pk)] == 2


def test_a_full_quota_releases_lapsed_holds_itself_before_refusing():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=3)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    early, late, other = buyer(), buyer(), buyer()
    cart_add(user=early, ticket_type=ticket_type, quantity=3)
    with pytest.raises(SoldOutError):
        cart_add(user=late, ticket_type=ticket_type, quantity=1)
    _lapse(early)
    cart_add(user=late, ticket_type=ticket_type, quantity=2)  # no sweep ran: the seller released it
    assert not CartLine.objects.filter(cart__user=early).exists()
    assert assert_counters_true()[("quota", quota.pk)] == 2
    cart_add(user=other, ticket_type=ticket_type, quantity=1)
    with pytest.raises(SoldOutError, match="Sold out"):
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=1)
    assert assert_counters_true()[("quota", quota.pk)] == 3


def test_a_refusal_as_sold_out_keeps_the_order_of_refusals_and_the_release_of_lapsed_holds():
    """cart_add refuses a full type from its first read, before any transaction (services/carts.py
    `_sold_out_at_sight`), only where the full path would: the cart's own refusals come first, a full
    section refuses as a full quota does, and lapsed holds in the type's rows (another buyer's, or
    the buyer's own line of the type, which the upsert reuses) are still released and sold."""
    session = future_session()
    section = SectionFactory(session=session, capacity=2)
    quota = QuotaFactory(session=session, capacity=10)
    ticket_type = TicketTypeFactory(session=session, quota=quota, section=section, max_per_order=3)
    other_session = future_session()
    elsewhere = TicketTypeFactory(
        session=other_session, quota=QuotaFactory(session=other_session, capacity=5)
    )
    first, second = buyer(), buyer()
    cart_add(user=first, ticket_type=ticket_type, quantity=2)  # the section is full, the quota is not
    with pytest.raises(SoldOutError, match="not enough places"):
        cart_add(user=second, ticket_type=ticket_type, quantity=1)
    # The cart's refusals come before sold out, as in the transaction: another programme's hold...
    cart_add(user=second, ticket_type=elsewhere, quantity=1)
    with pytest.raises(SalesError, match="one programme"):
        cart_add(user=second, ticket_type=ticket_type, quantity=1)
    # ... and more than the type allows per order, counting what the buyer holds.
    with pytest.raises(OrderLimitError, match="at most 3"):
        cart_add(user=first, ticket_type=ticket_type, quantity=2)
    with pytest.raises(SoldOutError):
        cart_add(user=first, ticket_type=ticket_type, quantity=1)
    # The buyer's own lapsed line of the type is reused by the upsert: it still counts, so fits.
    _lapse(first)
    cart_add(user=first, ticket_type=ticket_type, quantity=2)
    assert CartLine.objects.get(cart__user=first, ticket_type=ticket_type).quantity == 2
    # Another buyer's lapsed hold is released by the refused buyer's seller, who then gets the places.
    _lapse(first)
    third = buyer()
    cart_add(user=third, ticket_type=ticket_type, quantity=1)
    assert not CartLine.objects.filter(cart__user=first).exists()
    counts = assert_counters_true()
    assert counts[("section", section.pk)] == 1 and counts[("quota", quota.pk)] == 1


def test_lapsed_holds_are_found_through_every_quota_and_the_section_of_a_type(shop):
    """places.room_seen_for(type).lapsed answers as _lapsed_holds_count_in(its quotas, its section):
    a lapsed hold of any type sharing one of its quotas or its section counts, others do not; its
    room is the least left in them."""
    from ticketing.services.places import _lapsed_holds_count_in, room_seen_for

    session = shop["session"]
    stand_only = TicketTypeFactory(
        session=session, quota=QuotaFactory(session=session), section=shop["stand"]
    )
    kids_only = TicketTypeFactory(session=session, quota=shop["kids"])
    apart = TicketTypeFactory(session=session, quota=QuotaFactory(session=session))
    every = [shop["adult"], shop["child"], stand_only, kids_only, apart]
    seen = {}
    for lapsed in every:
        holder = buyer()
        cart_add(user=holder, ticket_type=lapsed, quantity=1)
        _lapse(holder)
        for ticket_type in every:
            quota_ids = list(ticket_type.quotas.values_list("pk", flat=True))
            section_ids = [ticket_type.section_id] if ticket_type.section_id else []
            expected = _lapsed_holds_count_in(quota_ids, section_ids)
            answer = room_seen_for(ticket_type.pk)
            assert answer.lapsed == expected
            rooms = [quota.capacity - quota.taken for quota in ticket_type.quotas.all()]
            if ticket_type.section_id:
                section = Section.objects.get(pk=ticket_type.section_id)
                rooms.append(section.capacity - section.taken)
            assert answer.room == min(rooms)
            seen[(lapsed.pk, ticket_type.pk)] = expected
        CartLine.objects.filter(cart__user=holder).delete()
    # The walk met both answers through each way of sharing: a quota, the section, the kids' quota.
    assert seen[(stand_only.pk, shop["adult"].pk)] and not seen[(stand_only.pk, shop["child"].pk)]
    assert seen[(kids_only.pk, shop["child"].pk)] and not seen[(kids_only.pk, shop["adult"].pk)]
    assert seen[(shop["child"].pk, shop["adult"].pk)] and not seen[(apart.pk, shop["adult"].pk)]


def test_orders_keep_the_places_of_their_holds_and_give_them_back_when_they_end(shop):
    adult, child = shop["adult"], shop["child"]
    payer, canceller, late, refunder, outside = buyer(), buyer(), buyer(), buyer(), buyer()

    cart_add(user=canceller, ticket_type=child, quantity=2)
    cart_add(user=canceller, ticket_type=adult, quantity=1)
    CartLine.objects.filter(cart__user=canceller, ticket_type=adult).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    order = order_place(user=canceller, provider="demo")  # the lapsed adult line is given back
    assert order.lines.count() == 1
    assert assert_counters_true()[("section", shop["stand"].pk)] == 0
    order_cancel(order=order)
    order_cancel(order=order)  # already cancelled: nothing given back twice
    assert assert_counters_true()[("quota", shop["shared"].pk)] == 0

    cart_add(user=late, ticket_type=adult, quantity=2)
    order = order_place(user=late, provider="demo")
    assert assert_counters_true()[("quota", shop["shared"].pk)] == 2
    with time_machine.travel(order.expires_at + dt.timedelta(minutes=1)):
        assert sales_expire_due()["orders"] == 1
        order.refresh_from_db()
        assert order.state == OrderState.EXPIRED
    assert assert_counters_true()[("quota", shop["shared"].pk)] == 0

    cart_add(user=payer, ticket_type=adult, quantity=3)
    order = payment_confirm_demo(order=order_place(user=payer, provider="demo"))
    assert order.state == OrderState.PAID
    assert assert_counters_true()[("section", shop["stand"].pk)] == 3
    order_refund(order=order, tickets=[order.tickets.order_by("pk").first()])
    assert assert_counters_true()[("section", shop["stand"].pk)] == 2
    order_refund(order=order)
    assert assert_counters_true()[("section", shop["stand"].pk)] == 0

    cart_add(user=refunder, ticket_type=child, quantity=2)
    order = payment_confirm_demo(order=order_place(user=refunder, provider="demo"))
    order_record_external_refund(order=order, refunded_fen=order.total_fen)
    order_record_external_refund(order=order, refunded_fen=order.total_fen)
    assert assert_counters_true()[("quota", shop["kids"].pk)] == 0

    # A cancelled session gives back its holds, its unpaid and (refunded) paid places.
    cart_add(user=outside, ticket_type=child, quantity=1)
    cart_add(user=payer, ticket_type=adult, quantity=2)
    payment_confirm_demo(order=order_place(user=payer, provider="demo"))
    cart_add(user=canceller, ticket_type=child, quantity=1)
    order_place(user=canceller, provider="demo")
    assert assert_counters_true()[("quota", shop["shared"].pk)] == 4
    result = session_cancel(session=shop["session"])
    assert not result.failed
    assert set(assert_counters_true().values()) == {0}


def test_ballot_offers_take_places_and_lapsed_offers_give_them_back():
    session = future_session()
    quota = QuotaFactory(session=session, capacity=2)
    ticket_type = TicketTypeFactory(session=session, quota=quota, price_fen=5000)
    ballot = BallotFactory(ticket_type=ticket_type, max_per_application=2, pay_within_hours=1)
    for _ in range(3):
        ballot_apply(ballot=ballot, user=buyer(), quantity=2)
    with time_machine.travel(ballot.applications_close_at + dt.timedelta(minutes=1)):
        ballot_draw(ballot=ballot, seed="s")
    assert assert_counters_true()[("quota", quota.pk)] == 2  # one offer; the losers take nothing
    offered = ballot.applications.get(order__isnull=False).order
    with time_machine.travel(offered.expires_at + dt.timedelta(minutes=1)):
        order_expire(order=offered)
        assert assert_counters_true()[("quota", quota.pk)] == 0
        assert sales_expire_due()["offers"] == 1  # the places pass down to the next applicant
    assert assert_counters_true()[("quota", quota.pk)] == 2


def test_moving_a_type_moves_its_places_and_a_capacity_never_goes_below_them(shop):
    adult, child = shop["adult"], shop["child"]
    session = shop["session"]
    cart_add(user=buyer(), ticket_type=adult, quantity=2)
    holder = buyer()
    cart_add(user=holder, ticket_type=adult, quantity=3)
    _lapse(holder)  # lapsed: released by the move, not moved
    payment_confirm_demo(order=_placed(adult, 1))
    elsewhere = QuotaFactory(session=session, capacity=5)
    other_stand = SectionFactory(session=session, capacity=5)
    data = catalogue.TicketTypeData(
        name_zh="成人票",
        name_en="Adult",
        kind="adult",
        price_fen=8000,
        quotas=[elsewhere],
        section=other_stand,
    )
    catalogue.ticket_type_update(ticket_type=adult, data=data)
    stored = assert_counters_true()
    assert stored[("quota", elsewhere.pk)] == 3 and stored[("section", other_stand.pk)] == 3
    assert stored[("quota", shop["shared"].pk)] == 0 and stored[("section", shop["stand"].pk)] == 0

    tiny = QuotaFactory(session=session, capacity=2)
    with pytest.raises(CatalogueError, match="room for 2 but 3 places"):
        catalogue.ticket_type_update(
            ticket_type=adult, data=catalogue.TicketTypeData(**{**data.__dict__, "quotas": [tiny]})
        )
    assert assert_counters_true()[("quota", tiny.pk)] == 0

    with pytest.raises(CatalogueError, match="room for 2 but 3 places are sold or held"):
        catalogue.quota_update(quota=elsewhere, data=catalogue.CapacityData("配额", "Elsewhere", 2))
    catalogue.quota_update(quota=elsewhere, data=catalogue.CapacityData("配额", "Elsewhere", 3))
    # The database refuses it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=elsewhere.pk).update(capacity=2)

    # A type that never sold can be deleted: its lapsed holds give their places back first.
    lapsing = buyer()
    cart_add(user=lapsing, ticket_type=child, quantity=2)
    _lapse(lapsing)
    catalogue.ticket_type_delete(ticket_type=child)
    assert set(assert_counters_true().values()) <= {0, 3}


def _placed(ticket_type, quantity):
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    return order_place(user=user, provider="demo")


def test_recount_repairs_counters_after_tickets_written_without_a_sale(shop):
    issued_ticket(ticket_type=shop["adult"])  # the factory counts its place, as a sale would
    Quota.objects.filter(pk=shop["shared"].pk).update(taken=0)  # a seed that wrote tickets directly
    assert counters_recount(session_ids=[shop["session"].pk]) == 1
    assert assert_counters_true()[("quota", shop["shared"].pk)] == 1
    assert counters_recount(session_ids=[shop["session"].pk]) == 0
