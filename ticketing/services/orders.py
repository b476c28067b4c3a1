"""Placing orders and the order state machine; real-name holders of the tickets.

Order states and the only transitions (each one service, one transaction):
    pending -> paid                (order_mark_paid: issues/activates the tickets' credentials)
    pending -> cancelled           (order_cancel)
    pending -> expired             (order_expire, when not paid by `expires_at`)
    paid / partially_refunded -> partially_refunded / refunded   (order_refund, services/refunds.py)
The database refuses inconsistent rows (see Order.Meta.constraints).

Entry fees (registration) use the same orders and payments: `order_create_for_fees(...)`;
registration learns about payment and refunds through ticketing/hooks.py callbacks.

Locking: an order transition locks the ORDER row first (order_lock_row), then its payment rows;
scarce places are taken and given back by ticketing/services/places.py, in the transaction
of the state change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import CompiledQuery, rows_insert
from events.enums import SessionStatus
from events.jobs import job_queue_after_commit
from events.models import Programme, Session
from ticketing import hooks
from ticketing.documents import document_area_code, document_hash, document_number_normalise
from ticketing.enums import (
    BallotApplicationState,
    CredentialKind,
    CredentialState,
    OrderLineKind,
    OrderState,
    PaymentState,
    TicketState,
)
from ticketing.errors import OrderLimitError, OrderStateError, SaleClosedError, SalesError
from ticketing.models import BallotApplication, CartLine, Credential, Order, OrderLine, Ticket, TicketType
from ticketing.models.sales import TICKET_HOLDING_STATES
from ticketing.payments.policy import MANUAL_PAYMENT_DAYS, manual_allowed_for_types, provider_choose
from ticketing.services import order_rows, places
from ticketing.services.carts import (
    check_quantity,
    check_sellable,
    check_session_open,
    check_statuses_open,
    hold_minutes,
)
from ticketing.services.credentials import credential_set_state

# Alipay and WeChat Pay can stay "processing" for a while: an order whose payment is processing is
# kept (not expired) up to this long after it was placed, so money on its way is not refunded.
PROCESSING_GRACE = dt.timedelta(hours=24)

logger = logging.getLogger(__name__)


# --- Holders (real-name tickets) -------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    name: str
    document: str = ""
    document_type: str = ""  # ticketing.documents.DocumentType; the area code needs it

    @property
    def document_hash(self) -> str:
        return document_hash(self.document)

    @property
    def area_code(self) -> str:
        return document_area_code(document_type=self.document_type, number=self.document)


def mask_name(name: str) -> str:
    """张小明 -> 张*明, Li Lei -> L*i: enough for gate staff to compare with the ID, not more."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- Placing orders --------------------------------------------------------------------------

# order_place's read, compiled once per process (events/db.py `CompiledQuery`): the buyer's cart
# lines locked, with what the order copies from their types, sessions and events.
CART_LINES_FOR_ORDER = CompiledQuery(
    lambda user_id: (
        CartLine.objects.filter(cart__user_id=user_id)
        .select_related("ticket_type__session__event", "ticket_type__ballot")
        .select_for_update(of=("self",))
    ),
    user_id=int,
)


@dataclass
class _Plan:
    lines: list[CartLine]
    holders: dict[int, list[Holder]] = field(default_factory=dict)


def _validate_holders(line: CartLine, holders: list[Holder] | None) -> list[Holder]:
    ticket_type = line.ticket_type
    if not ticket_type.real_name:
        return [Holder(name="") for _ in range(line.quantity)]
    holders = [h for h in (holders or []) if h.name.strip()]
    if len(holders) != line.quantity or any(not h.document.strip() for h in holders):
        raise OrderLimitError(
            _(
                "“%(type)s” is a real-name ticket: give the name and ID document of each of the %(count)d spectators."
            )
            % {"type": ticket_type.name, "count": line.quantity}
        )
    return holders


def _check_real_name_limits(user, plan: _Plan) -> None:
    by_session: dict[int, set[str]] = {}
    limits: dict[int, int] = {}
    for line in plan.lines:
        if not line.ticket_type.real_name:
            continue
        hashes = [h.document_hash for h in plan.holders[line.pk]]
        session_id = line.ticket_type.session_id
        seen = by_session.setdefault(session_id, set())
        if any(hashes.count(h) > 1 for h in hashes) or seen.intersection(hashes):
            raise OrderLimitError(_("Each spectator can hold only one ticket per session."))
        seen.update(hashes)
        limits[session_id] = min(limits.get(session_id, 10_000), line.ticket_type.max_named_per_account)
    for session_id, hashes in by_session.items():
        already = set(
            Ticket.objects.filter(session_id=session_id, order__user=user, state__in=TICKET_HOLDING_STATES)
            .exclude(holder_document_hash="")
            .values_list("holder_document_hash", flat=True)
        )
        if already.intersection(hashes):
            raise OrderLimitError(_("One of these spectators already has a ticket for this session."))
        if len(already | hashes) > limits[session_id]:
            raise OrderLimitError(
                _("Real-name tickets: one account may name at most %(count)d spectators for a session.")
                % {"count": limits[session_id]}
            )


def _credential_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    return session.starts_at - dt.timedelta(hours=3), session.ends_at + dt.timedelta(hours=1)


def _issue_credentials(
    lines: list[tuple[OrderLine, list[Holder]]], state: str, *, insert: bool = True
) -> list[list[Credential]]:
    """The credentials of these order lines (one per holder), grouped by line, in one INSERT unless
    `insert` is off (they take no place: written before the quota lock)."""
    credential_state = CredentialState.ACTIVE if state == TicketState.VALID else CredentialState.UNPAID
    grouped = []
    for line, holders in lines:
        ticket_type = line.ticket_type
        session = ticket_type.session
        valid_from, valid_until = _credential_window(session)
        zones = sorted(set(ticket_type.gate_codes or ()))
        grouped.append(
            [
                Credential(
                    kind=CredentialKind.TICKET,
                    event_id=session.event_id,
                    session=session,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    zones=list(zones),
                    allows_reentry=ticket_type.allows_reentry,
                    holder_label=mask_name(holder.name) if ticket_type.real_name else ticket_type.name_zh,
                    state=credential_state,
                )
                for holder in holders
            ]
        )
    if insert:
        rows_insert([credential for credentials in grouped for credential in credentials])
    return grouped


def _tickets_for(
    order: Order, lines: list[tuple[OrderLine, list[Holder]]], state: str, credentials: list[list[Credential]]
) -> list[Ticket]:
    """The tickets of these order lines (one per holder, with the credentials grouped by line), unsaved."""
    return [
        Ticket(
            order=order,
            line=line,
            ticket_type=line.ticket_type,
            session=line.ticket_type.session,
            price_fen=line.unit_price_fen,
            state=state,
            holder_name=holder.name.strip(),
            holder_document_hash=holder.document_hash,
            holder_document_last4=document_number_normalise(holder.document)[-4:],
            holder_area_code=holder.area_code,
            credential=credential,
        )
        for (line, holders), issued in zip(lines, credentials, strict=True)
        for holder, credential in zip(holders, issued, strict=True)
    ]


def _issue_tickets(
    order: Order,
    lines: list[tuple[OrderLine, list[Holder]]],
    state: str,
    credentials: list[list[Credential]] | None = None,
) -> list[Ticket]:
    """The tickets of these order lines (one per holder) in one INSERT, and their credentials in
    another unless given (grouped by line, as _issue_credentials returns them)."""
    if credentials is None:
        credentials = _issue_credentials(lines, state)
    tickets = _tickets_for(order, lines, state, credentials)
    if not any(line.ticket_type.real_name for line, _holders in lines):
        # No holder document: the one-ticket-per-person constraint cannot refuse these rows.
        return rows_insert(tickets)
    try:
        with transaction.atomic():
            return rows_insert(tickets)
    except IntegrityError as exc:
        raise OrderLimitError(_("One of these spectators already has a ticket for this session.")) from exc


def _order_expiry(provider: str, now: dt.datetime) -> dt.datetime | None:
    if provider == "free":
        return None
    if provider == "manual":
        return now + dt.timedelta(days=MANUAL_PAYMENT_DAYS)
    return now + dt.timedelta(minutes=hold_minutes())


def order_place(*, user, provider: str, holders: dict[int, list[Holder]] | None = None) -> Order:
    """Turn the user's cart into one pending order (paid at once when free); tickets hold the places.

    `holders` maps a cart line id to the spectators of that line (real-name types only).
    Locking: the buyer's cart lines are locked first (a sweep cannot release them meanwhile). Each
    live hold already counts in its quotas' and sections' `taken` (services/places.py) and becomes
    its tickets, which count the same places, so no quota row is touched or locked; lapsed lines
    are released. Raises SoldOutError, SaleClosedError, OrderLimitError, PaymentError; on error
    nothing changes.
    """
    now = timezone.now()
    with transaction.atomic():
        lines = CART_LINES_FOR_ORDER(user_id=user.pk)
        if not lines:
            raise SalesError(_("Your cart is empty."))
        cart_id = lines[0].cart_id
        lapsed = [line for line in lines if line.hold_expires_at <= now]
        lines = [line for line in lines if line.hold_expires_at > now]
        if not lines:
            raise SalesError(
                _("Your hold has lapsed and the places went back on sale: add the tickets again.")
            )
        plan = _Plan(lines=lines)
        programmes = {line.ticket_type.session.event.programme_id for line in lines}
        if len(programmes) != 1:
            raise SalesError(_("One order covers one programme: remove the tickets of the other programme."))
        for line in lines:
            check_sellable(line.ticket_type, now=now)
            check_quantity(line.ticket_type, line.quantity)
            plan.holders[line.pk] = _validate_holders(line, (holders or {}).get(line.pk))
        _check_real_name_limits(user, plan)
        total = sum(line.amount_fen for line in lines)
        provider = provider_choose(
            total, provider, manual_allowed=manual_allowed_for_types(line.ticket_type for line in lines)
        )
        order = Order(
            user=user,
            programme_id=programmes.pop(),
            provider=provider,
            total_fen=total,
            currency=settings.CURRENCY,
            created_at=now,
            expires_at=_order_expiry(provider, now),
        )
        order_lines = [
            OrderLine(
                order=order,
                kind=OrderLineKind.TICKET,
                ticket_type=line.ticket_type,
                description_zh=f"{line.ticket_type.session.event.name_zh} · {line.ticket_type.session.name_zh} · {line.ticket_type.name_zh}",
                description_en=f"{line.ticket_type.session.event.name_en} · {line.ticket_type.session.name_en} · {line.ticket_type.name_en}",
                quantity=line.quantity,
                unit_price_fen=line.ticket_type.price_fen,
            )
            for line in lines
        ]
        issuing = [
            (order_line, plan.holders[line.pk]) for line, order_line in zip(lines, order_lines, strict=True)
        ]
        line_ids = [line.pk for line in lines]
        # The live holds become tickets (the same places, `taken` unchanged); session_cancel may have
        # committed since the checks above, so the holds' DELETE looks at the sessions again, after
        # the lock (services/order_rows.py). Without real-name tickets, on PostgreSQL, every row is one
        # statement.
        one_statement = order_rows.one_statement() and not any(line.ticket_type.real_name for line in lines)
        if not one_statement:
            rows_insert([order])
            rows_insert(order_lines)
        credentials = _issue_credentials(issuing, TicketState.RESERVED, insert=not one_statement)
        if one_statement:
            on_sale = order_rows.order_rows_write(
                order=order,
                order_lines=order_lines,
                credentials=[credential for issued in credentials for credential in issued],
                tickets=_tickets_for(order, issuing, TicketState.RESERVED, credentials),
                cart_id=cart_id,
                line_ids=line_ids,
            )
        else:
            on_sale = order_rows.holds_to_tickets(cart_id, line_ids)
        if not on_sale:
            for statuses in Session.objects.filter(
                pk__in={line.ticket_type.session_id for line in lines}
            ).values_list("status", "event__status"):
                check_statuses_open(*statuses)
            raise SaleClosedError(_("This event is not on sale."))  # reopened since the DELETE: try again
        places.holds_drop(lapsed)  # lapsed holds are given back
        if not one_statement:
            _issue_tickets(order, issuing, TicketState.RESERVED, credentials)
        if total == 0:
            order_mark_paid(order=order)
    if total == 0:
        order.refresh_from_db()
    return order


@places.reclaiming
def order_reserve(*, user, ticket_type: TicketType, quantity: int, expires_at: dt.datetime) -> Order:
    """A pending order for places outside the cart (ballot winners): its places are taken last, by
    the quota and section counters (services/places.py), so the hot row is held to the COMMIT only.

    Refused (SaleClosedError) for a cancelled session or an event that is not published.
    """
    total = ticket_type.price_fen * quantity
    with transaction.atomic():
        check_session_open(Session.objects.select_related("event").get(pk=ticket_type.session_id))
        order = Order.objects.create(
            user=user,
            programme_id=ticket_type.session.event.programme_id,
            provider="free" if total == 0 else "",
            total_fen=total,
            currency=settings.CURRENCY,
            expires_at=expires_at,
        )
        session = ticket_type.session
        line = OrderLine.objects.create(
            order=order,
            kind=OrderLineKind.TICKET,
            ticket_type=ticket_type,
            description_zh=f"{session.event.name_zh} · {session.name_zh} · {ticket_type.name_zh}",
            description_en=f"{session.event.name_en} · {session.name_en} · {ticket_type.name_en}",
            quantity=quantity,
            unit_price_fen=ticket_type.price_fen,
        )
        _issue_tickets(order, [(line, [Holder(name="") for _ in range(quantity)])], TicketState.RESERVED)
        places.places_take({ticket_type.pk: quantity})
        if total == 0:
            order_mark_paid(order=order)
    return order


@dataclass(frozen=True)
class FeeLine:
    """One entry fee in an order made by registration. `reference` comes back to its hook callback."""

    description_zh: str
    description_en: str
    amount_fen: int
    reference: str


def order_create_for_fees(*, user, programme: Programme, lines: list[FeeLine], provider: str) -> Order:
    """A pending order of fee lines (no tickets), paid through the same providers as tickets.

    When it is paid (webhook, organiser, demo) `hooks.register_order_paid` callbacks run inside that
    transaction; a zero total is paid at once. Pay it by sending the user to the order's pay page
    (`ticketing:order-pay`, kwargs code=order.code).
    """
    if not lines:
        raise SalesError(_("Nothing to pay."))
    if any(line.amount_fen < 0 for line in lines):
        raise SalesError(_("A fee cannot be negative."))
    total = sum(line.amount_fen for line in lines)
    now = timezone.now()
    provider = provider_choose(total, provider, manual_allowed=True)
    with transaction.atomic():
        order = Order.objects.create(
            user=user,
            programme=programme,
            provider=provider,
            total_fen=total,
            currency=settings.CURRENCY,
            created_at=now,
            expires_at=now + dt.timedelta(days=MANUAL_PAYMENT_DAYS) if total else None,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    kind=OrderLineKind.FEE,
                    description_zh=line.description_zh,
                    description_en=line.description_en,
                    unit_price_fen=line.amount_fen,
                    reference=line.reference,
                )
                for line in lines
            ]
        )
        if total == 0:
            order_mark_paid(order=order)
    order.refresh_from_db()
    return order


# --- Transitions -----------------------------------------------------------------------------


def tickets_demand(tickets) -> dict[int, int]:
    """Places per ticket type of these tickets (what a release gives back)."""
    return dict(Counter(ticket.ticket_type_id for ticket in tickets))


def order_lock_row(order: Order) -> Order:
    """The order re-read with its row locked (inside the caller's transaction)."""
    return Order.objects.select_for_update().get(pk=order.pk)


def order_tickets_in(order: Order, states) -> list[Ticket]:
    """The order's tickets in `states`, with their credentials, by primary key."""
    return list(
        Ticket.objects.filter(order=order, state__in=states).select_related("credential").order_by("pk")
    )


def order_mark_paid(*, order: Order, provider: str | None = None) -> Order:
    """pending -> paid. Activates the tickets' credentials, runs order-paid hooks, queues the ticket email.

    Idempotent: an order already paid is returned unchanged. Locks the order row.
    Refused (SaleClosedError, nothing changes) when a ticket of the order is for a cancelled
    session: no valid credential is ever issued for it; a Stripe payment that arrives then is
    refunded by the caller (payment_apply_stripe_intent), a manual one is refused to the organiser.
    """
    with transaction.atomic():
        order = order_lock_row(order)
        if order.is_paid:
            return order
        if order.state != OrderState.PENDING:
            raise OrderStateError(
                _("This order can no longer be paid (it is %(state)s).")
                % {"state": order.get_state_display()}
            )
        if Ticket.objects.filter(order=order, session__status=SessionStatus.CANCELLED).exists():
            raise SaleClosedError(_("This session has been cancelled: the order can no longer be paid."))
        order.state = OrderState.PAID
        order.paid_at = timezone.now()
        order.expires_at = None
        if provider:
            order.provider = provider
        order.save(update_fields=["state", "paid_at", "expires_at", "provider"])
        for ticket in order_tickets_in(order, [TicketState.RESERVED]):
            credential_set_state(credential=ticket.credential, state=CredentialState.ACTIVE)
        Ticket.objects.filter(order=order, state=TicketState.RESERVED).update(state=TicketState.VALID)
        BallotApplication.objects.filter(order=order).update(state=BallotApplicationState.PAID)
        hooks.fire_order_paid(order)
        order_pk = order.pk
        job_queue_after_commit("ticketing.tasks.order_send_tickets", order_pk)
    return order


def _close(order: Order, state: str, reason: str) -> Order:
    order.state = state
    order.closed_at = timezone.now()
    order.note = reason[:200]
    order.save(update_fields=["state", "closed_at", "note"])
    released = order_tickets_in(order, [TicketState.RESERVED])
    for ticket in released:
        credential_set_state(credential=ticket.credential, state=CredentialState.REVOKED, reason=reason[:200])
    Ticket.objects.filter(pk__in=[t.pk for t in released]).update(state=TicketState.CANCELLED)
    places.places_release(tickets_demand(released))
    order.payments.filter(state__in=[PaymentState.CREATED, PaymentState.PROCESSING]).update(
        state=PaymentState.CANCELLED
    )
    return order


def order_cancel(*, order: Order, reason: str = "") -> Order:
    """pending -> cancelled; the places return to sale. Locks the order row."""
    with transaction.atomic():
        order = order_lock_row(order)
        if order.state == OrderState.CANCELLED:
            return order
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("Only an unpaid order can be cancelled; refund a paid one."))
        return _close(order, OrderState.CANCELLED, reason or _("Cancelled"))


def order_expire(*, order: Order) -> Order:
    """pending -> expired once `expires_at` has passed; ballot places pass down. Locks the order row.

    An order whose payment is still processing (Alipay, WeChat Pay) is not expired: its deadline
    moves to PROCESSING_GRACE after it was placed, and the order is returned still pending.
    """
    with transaction.atomic():
        order = order_lock_row(order)
        now = timezone.now()
        if order.state != OrderState.PENDING or order.expires_at is None or order.expires_at > now:
            raise OrderStateError(_("This order has not expired."))
        grace_until = order.created_at + PROCESSING_GRACE
        if grace_until > now and order.payments.filter(state=PaymentState.PROCESSING).exists():
            order.expires_at = grace_until
            order.save(update_fields=["expires_at"])
            return order
        _close(order, OrderState.EXPIRED, _("Not paid in time"))
        BallotApplication.objects.filter(order=order).update(state=BallotApplicationState.LAPSED)
    return order


def orders_expire_due() -> int:
    """The periodic job: expire every pending order past its deadline. Returns how many.

    One order failing on the database (lock timeout, deadlock victim) is logged and skipped: the
    next run retries it, and the other orders are still expired.
    """
    count = 0
    for order in Order.objects.filter(state=OrderState.PENDING, expires_at__lte=timezone.now()).order_by(
        "pk"
    ):
        try:
            if order_expire(order=order).state == OrderState.EXPIRED:
                count += 1
        except OrderStateError:
            continue  # paid meanwhile
        except DatabaseError as exc:
            logger.warning("order id %s not expired this run: %s", order.pk, type(exc).__name__)
            continue
    return count
