"""Carts: holding places for a while before checkout (the hold lapses after TICKET_HOLD_MINUTES).

Adding to a cart takes its places from the quota and section counters (ticketing/services/places.py);
removing a line or a lapsed hold gives them back.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import CompiledQuery, rows_insert
from events.enums import EventStatus, SessionStatus
from events.models import Session
from ticketing.errors import OrderLimitError, SaleClosedError, SalesError, SoldOutError
from ticketing.models import Cart, CartLine, Quota, TicketType
from ticketing.services import cart_rows, places

MAX_LINES_PER_CART = 20

# The checkout's reads, compiled once per process (events/db.py `CompiledQuery`): building these
# joins cost the ORM more CPU than running them. The type comes with the room left, as last committed,
# in the fullest of its quotas (`quota_room`, None without one) and in its section (`section_room`,
# None without one): a plain read that waits for no lock (see `_sold_out_at_sight`).
TYPE_FOR_SALE = CompiledQuery(
    lambda type_id: (
        TicketType.objects.select_related("session__event", "ballot")
        .annotate(
            quota_room=Subquery(
                Quota.objects.filter(ticket_types=OuterRef("pk"))
                .annotate(room=F("capacity") - F("taken"))
                .order_by("room")
                .values("room")[:1]
            ),
            section_room=F("section__capacity") - F("section__taken"),
        )
        .filter(pk=type_id)
        .order_by()
    ),
    type_id=int,
)


class HeldLine(NamedTuple):
    """A cart line as cart_add judges it (values, no model rows)."""

    ticket_type_id: int
    quantity: int
    hold_expires_at: dt.datetime
    programme_id: int


HELD_LINE_COLUMNS = (
    "ticket_type_id",
    "quantity",
    "hold_expires_at",
    "ticket_type__session__event__programme_id",
)
# The cart's lines as HeldLine values, locked.
CART_LINES_LOCKED = CompiledQuery(
    lambda cart_id: (
        CartLine.objects.filter(cart_id=cart_id)
        .select_for_update(of=("self",))
        .values_list(*HELD_LINE_COLUMNS)
    ),
    cart_id=int,
)
# The same, by buyer, unlocked: what a refusal as sold out judges before any lock (`_sold_out_at_sight`).
CART_LINES_SEEN = CompiledQuery(
    lambda user_id: CartLine.objects.filter(cart__user_id=user_id).values_list(*HELD_LINE_COLUMNS),
    user_id=int,
)


def hold_minutes() -> int:
    return int(getattr(settings, "TICKET_HOLD_MINUTES", 15))


def check_session_open(session: Session) -> None:
    """Places of a session are sold (cart, order, ballot) only while it is scheduled and its event published."""
    check_statuses_open(session.status, session.event.status)


def check_statuses_open(session_status: str, event_status: str) -> None:
    """check_session_open on the two statuses alone (order_place re-reads just these, after its lock)."""
    if session_status != SessionStatus.SCHEDULED:
        raise SaleClosedError(_("This session has been cancelled."))
    if event_status != EventStatus.PUBLISHED:
        raise SaleClosedError(_("This event is not on sale."))


def check_sellable(ticket_type: TicketType, *, now: dt.datetime) -> None:
    check_session_open(ticket_type.session)
    if hasattr(ticket_type, "ballot"):
        raise SaleClosedError(_("Tickets for this session are sold by ballot: apply on the ballot page."))
    if not ticket_type.is_on_sale(now):
        raise SaleClosedError(_("“%(type)s” is not on sale at the moment.") % {"type": ticket_type.name})
    if ticket_type.session.ends_at <= now:
        raise SaleClosedError(_("This session is over."))


def check_quantity(ticket_type: TicketType, quantity: int) -> None:
    if quantity < ticket_type.min_per_order:
        raise OrderLimitError(
            _("“%(type)s”: at least %(count)d per order.")
            % {"type": ticket_type.name, "count": ticket_type.min_per_order}
        )
    if quantity > ticket_type.max_per_order:
        raise OrderLimitError(
            _("“%(type)s”: at most %(count)d per order.")
            % {"type": ticket_type.name, "count": ticket_type.max_per_order}
        )


@places.reclaiming
def cart_add(*, user, ticket_type: TicketType, quantity: int) -> CartLine:
    """Hold `quantity` more places of a type for TICKET_HOLD_MINUTES (the whole cart's holds are renewed).

    One cart per user may mix sessions of several events and cities of one programme.
    The type is read afresh by its key (with its session, event and ballot), so a caller that has
    only the id passes `TicketType(pk=id)`; a missing type raises TicketType.DoesNotExist.
    Locks the buyer's `Cart` row (its upsert; on PostgreSQL the type's sales lock, shared, in the
    same statement) and its lines, writes the hold, and takes the places last (services/places.py:
    one conditional UPDATE per quota or section; where the sales lock is not taken, after the type
    row is locked FOR SHARE), so the hot quota row is held for that UPDATE and the COMMIT only. On
    PostgreSQL the hold, the type's rows and a one-quota take are one statement (services/cart_rows.py).
    Sold out rolls it all back; where the type's read already shows no room, the refusal is made
    from reads alone, with no transaction (`_sold_out_at_sight`).
    """
    now = timezone.now()
    found = TYPE_FOR_SALE(type_id=ticket_type.pk)
    if not found:
        raise TicketType.DoesNotExist("TicketType matching query does not exist.")
    ticket_type = found[0]
    check_sellable(ticket_type, now=now)
    if quantity < 1:
        raise OrderLimitError(_("Choose at least one ticket."))
    if _no_room_seen(ticket_type, quantity):
        _sold_out_at_sight(user=user, ticket_type=ticket_type, quantity=quantity, now=now)
    with transaction.atomic():
        # One upsert creates the cart or touches it, and holds its row lock to the commit (and, on
        # PostgreSQL, the type's sales lock: services/cart_rows.py).
        cart = Cart(user=user, updated_at=now)
        cart_rows.cart_upsert(cart, ticket_type.pk)
        # Locked: a sweep releasing one of these lines meanwhile would release it twice otherwise.
        lines = [HeldLine(*row) for row in CART_LINES_LOCKED(cart_id=cart.pk)]
        live, existing_quantity, total = _judge(ticket_type, lines, quantity=quantity, now=now)
        expires = now + dt.timedelta(minutes=hold_minutes())
        if any(other.ticket_type_id != ticket_type.pk for other in live):
            CartLine.objects.filter(cart_id=cart.pk, hold_expires_at__gt=now).exclude(
                ticket_type=ticket_type
            ).update(hold_expires_at=expires)
        line = CartLine(cart_id=cart.pk, ticket_type=ticket_type, quantity=total, hold_expires_at=expires)
        # The cart's other holds are counted already: only this line's change is taken (or given back).
        change = total - existing_quantity
        if change > 0 and cart_rows.one_statement():
            # The line, the type's rows and (one quota, no section) the take in one statement.
            rows, taken = cart_rows.hold_write_and_take(line, change)
            if not taken:
                places.places_take({ticket_type.pk: change}, rows=rows, tried=rows.is_one_quota())
        else:
            rows_insert([line], **cart_rows.UPSERT)
            places.places_adjust({ticket_type.pk: change})
    return line


def _judge(ticket_type: TicketType, lines: list[HeldLine], *, quantity: int, now: dt.datetime):
    """cart_add's refusals that come before its take, on the cart's `lines`, in their order. Returns
    the live lines, the quantity this type's line holds now (live or lapsed) and the line's new total."""
    live = [line for line in lines if line.hold_expires_at > now]
    programmes = {line.programme_id for line in live}
    if programmes and programmes != {ticket_type.session.event.programme_id}:
        raise SalesError(_("One order covers one programme: check out your cart first."))
    # A lapsed line of this type still counts in `taken` until released: the upsert reuses it.
    existing = next((line for line in lines if line.ticket_type_id == ticket_type.pk), None)
    existing_quantity = existing.quantity if existing else 0
    existing_live = existing is not None and existing.hold_expires_at > now
    total = quantity + (existing_quantity if existing_live else 0)
    if total > ticket_type.max_per_order:
        check_quantity(ticket_type, total)
    if not existing_live and len(live) >= MAX_LINES_PER_CART:
        raise OrderLimitError(_("Your cart is full: check out first."))
    return live, existing_quantity, total


def _no_room_seen(ticket_type: TicketType, quantity: int) -> bool:
    """Whether the type's read (TYPE_FOR_SALE) saw too little room for `quantity` more places in one
    of its quotas or in its section. A type with no quota is left to places_take, which refuses it."""
    rooms = [room for room in (ticket_type.quota_room, ticket_type.section_room) if room is not None]
    return ticket_type.quota_room is not None and min(rooms) < quantity


def _sold_out_at_sight(*, user, ticket_type: TicketType, quantity: int, now: dt.datetime) -> None:
    """Refuse as sold out without a transaction, a write or a lock, when that is what cart_add would
    answer: the type's read saw no room for `quantity` (`_no_room_seen`), the buyer's cart (read now,
    unlocked) passes every check that comes before the take, so the take would be `quantity`, and no
    lapsed hold counts in the type's rows (which the take's path would release and try again), with
    too little room, both seen by one statement after the cart's read (`places.room_seen_for`). When a
    flash sale sells out, every buyer still asking gets this answer: before, each opened a
    transaction, upserted the cart and the hold, tried the take and rolled it all back (8 statements
    instead of 4, about as much CPU as an order). A plain read is a valid witness: the take's UPDATE
    would see the same committed counter or a later one, and a refusal changes nothing. Returns when
    the full path must decide (lapsed holds, a lapsed line of this type); raises otherwise."""
    lines = [HeldLine(*row) for row in CART_LINES_SEEN(user_id=user.pk)]
    _live, existing_quantity, total = _judge(ticket_type, lines, quantity=quantity, now=now)
    if total - existing_quantity != quantity:  # this type's lapsed line is reused: the take differs
        return
    # The decision itself: room and lapsed holds from one snapshot, read after the cart. The type's
    # read above only said this is worth asking (holds may have been released since, by the sweep or
    # another buyer's reclaim, this buyer's own lapsed line among them).
    seen = places.room_seen_for(ticket_type.pk, now=now)
    if seen.lapsed or seen.room is None or seen.room >= quantity:
        return
    raise SoldOutError(places.no_room_message())


def cart_remove(*, user, line_id: int) -> None:
    """Remove a line from the buyer's cart; its places go back on sale. Locks the line."""
    with transaction.atomic():
        lines = list(
            CartLine.objects.filter(pk=line_id, cart__user=user)
            .select_for_update(of=("self",))
            .only("pk", "ticket_type_id", "quantity")
        )
        deleted = places.holds_drop(lines)
    if not deleted:
        raise SalesError(_("This line is no longer in your cart."))


def holds_release_expired(*, now: dt.datetime | None = None) -> int:
    """The periodic task: delete lapsed holds and give their places back (sellers also release them
    lazily when a quota looks full). Each hold is released once: its row is locked, then deleted."""
    with transaction.atomic():
        return places.holds_drop(places.holds_lapsed(CartLine.objects.all(), now=now))
