"""Refunds of paid orders, through the provider that took the money, and refunds seen at the provider.

Locking: the ORDER row first (order_lock_row), then the payment row, as every order transition does.
Refunded tickets give their places back to the quota and section counters (services/places.py).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ticketing import hooks
from ticketing.enums import CredentialState, OrderState, PaymentState, TicketState
from ticketing.errors import OrderStateError, PaymentRefusedError
from ticketing.models import Order, PaymentRefund, Ticket
from ticketing.money import format_fen
from ticketing.payments import get_provider
from ticketing.services.credentials import credential_set_state
from ticketing.services.orders import order_lock_row, order_tickets_in, tickets_demand
from ticketing.services.places import places_release


def _refund_amount(order: Order, tickets: list[Ticket] | None) -> tuple[int, list[Ticket]]:
    refundable = order_tickets_in(order, [TicketState.VALID])
    if tickets is None:
        return order.total_fen - order.refunded_fen, refundable
    wanted = {t.pk for t in tickets}
    chosen = [t for t in refundable if t.pk in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise OrderStateError(_("Choose tickets of this order that are still valid."))
    amount = sum(t.price_fen for t in chosen)
    left = order.total_fen - order.refunded_fen
    if amount > left:
        # An earlier refund outside Corridor (provider dashboard) already gave part of the money back.
        raise OrderStateError(
            _("These tickets cost %(amount)s but only %(left)s of the payment is left to refund.")
            % {"amount": format_fen(amount, order.currency), "left": format_fen(left, order.currency)}
        )
    return amount, chosen


def order_refund(
    *, order: Order, tickets: list[Ticket] | None = None, by=None, reason: str = "", revoke: bool = False
) -> Order:
    """paid/partially_refunded -> partially_refunded/refunded, through the provider that took the money.

    `tickets=None` refunds everything left. Refunded tickets' credentials become refunded (revoked
    when `revoke`, as for a cancelled session). Locks the order row, then the payment row; the
    provider is called inside the transaction so a failed refund changes nothing here (a refund
    that succeeded at Stripe but failed to commit is picked up by the charge.refunded webhook).
    """
    with transaction.atomic():
        order = order_lock_row(order)
        if order.state not in (OrderState.PAID, OrderState.PARTIALLY_REFUNDED):
            raise OrderStateError(_("Only a paid order can be refunded."))
        amount, refunded_tickets = _refund_amount(order, tickets)
        if amount > 0:
            # A duplicate payment already given back (refunded in full) cannot carry this refund.
            payment = (
                order.payments.select_for_update()
                .filter(state=PaymentState.SUCCEEDED, refunded_fen__lte=F("amount_fen") - amount)
                .order_by("pk")
                .first()
            )
            if payment is None:
                raise PaymentRefusedError(_("No completed payment was found for this order."))
            reference = get_provider(payment.provider, require_available=False).refund(payment, amount)
            payment.refunded_fen += amount
            payment.save(update_fields=["refunded_fen", "updated_at"])
            PaymentRefund.objects.create(
                payment=payment,
                amount_fen=amount,
                provider_refund_id=reference,
                reason=reason[:200],
                created_by=by,
            )
        new_state = CredentialState.REVOKED if revoke else CredentialState.REFUNDED
        for ticket in refunded_tickets:
            credential_set_state(credential=ticket.credential, state=new_state, reason=reason[:200])
        Ticket.objects.filter(pk__in=[t.pk for t in refunded_tickets]).update(state=TicketState.REFUNDED)
        places_release(tickets_demand(refunded_tickets))
        _apply_refund_state(order, order.refunded_fen + amount)
    return order


def _apply_refund_state(order: Order, refunded_fen: int) -> None:
    order.refunded_fen = refunded_fen
    still_valid = Ticket.objects.filter(order=order, state=TicketState.VALID).exists()
    full = refunded_fen >= order.total_fen and not still_valid
    order.state = OrderState.REFUNDED if full else OrderState.PARTIALLY_REFUNDED
    order.save(update_fields=["refunded_fen", "state"])
    hooks.fire_order_refunded(order)


def order_record_external_refund(*, order: Order, refunded_fen: int) -> Order:
    """The provider reports more refunded than we recorded (dashboard refund, lost commit): converge.

    A full external refund refunds every ticket; a partial one only records the amount.
    Locks the order row. Idempotent.
    """
    with transaction.atomic():
        order = order_lock_row(order)
        if (
            order.state not in (OrderState.PAID, OrderState.PARTIALLY_REFUNDED)
            or refunded_fen <= order.refunded_fen
        ):
            return order
        refunded_fen = min(refunded_fen, order.total_fen)
        if refunded_fen == order.total_fen:
            refunded_tickets = order_tickets_in(order, [TicketState.VALID])
            for ticket in refunded_tickets:
                credential_set_state(credential=ticket.credential, state=CredentialState.REFUNDED)
            Ticket.objects.filter(pk__in=[t.pk for t in refunded_tickets]).update(state=TicketState.REFUNDED)
            places_release(tickets_demand(refunded_tickets))
        _apply_refund_state(order, refunded_fen)
    return order
