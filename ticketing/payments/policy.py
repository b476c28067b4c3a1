"""Payment policy: which orders may pay by bank transfer or invoice, and choosing an order's provider.

Bank transfer holds places for days, so only group tickets and entry fees may use it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ticketing.enums import OrderLineKind, TicketKind
from ticketing.errors import PaymentRefusedError
from ticketing.models import Order
from ticketing.payments.registry import get_provider

MANUAL_PAYMENT_DAYS = 7


def manual_allowed_for_types(ticket_types) -> bool:
    """Bank transfer holds places for days: only group tickets may use it (and entry fees, see below)."""
    ticket_types = list(ticket_types)
    return bool(ticket_types) and all(t.kind == TicketKind.GROUP for t in ticket_types)


def manual_allowed_for_order(order: Order) -> bool:
    """True for fee orders and for orders whose every ticket line is a group ticket type."""
    lines = list(order.lines.select_related("ticket_type"))
    if not lines:
        return False
    if all(line.kind == OrderLineKind.FEE for line in lines):
        return True
    return all(line.kind == OrderLineKind.TICKET for line in lines) and manual_allowed_for_types(
        line.ticket_type for line in lines
    )


def manual_refused() -> PaymentRefusedError:
    return PaymentRefusedError(
        _("Bank transfer or invoice is only for group tickets and entry fees: choose another payment method.")
    )


def provider_choose(total_fen: int, provider: str, *, manual_allowed: bool) -> str:
    """The provider an order of `total_fen` pays with: "free" for nothing to pay, else the buyer's
    choice if it is selectable here and (for bank transfer) allowed; PaymentRefusedError if not."""
    if total_fen == 0:
        return "free"
    chosen = get_provider(provider)
    if not chosen.selectable:
        raise PaymentRefusedError(_("Choose a payment method."))
    if chosen.identifier == "manual" and not manual_allowed:
        raise manual_refused()
    return chosen.identifier
