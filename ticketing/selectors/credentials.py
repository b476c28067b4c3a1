"""Read paths for credentials and the tickets standing on them: the wallet, one ticket, order PDFs.

Every getter is scoped to the owner (order.user), so another person's ticket is simply not found.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from ticketing.enums import TicketState
from ticketing.models import Ticket

_TICKET_RELATED = (
    "credential",
    "session",
    "session__event",
    "session__venue",
    "ticket_type",
    "order",
)


def tickets_for_user(user) -> QuerySet[Ticket]:
    """The wallet: the user's tickets that were issued (not cancelled), soonest session first."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(order__user=user)
        .exclude(state=TicketState.CANCELLED)
        .select_related(*_TICKET_RELATED)
        .order_by("session__starts_at", "pk")
    )


def wallet_for_user(user) -> dict[str, list[Ticket]]:
    """The wallet split into sessions still to come (or running) and those already over."""
    now = timezone.now()
    upcoming, past = [], []
    for ticket in tickets_for_user(user):
        (upcoming if ticket.session.ends_at >= now else past).append(ticket)
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def ticket_get_for_owner(*, user, public_id) -> Ticket:
    """One ticket by its credential's public id, only for the person who bought it (DoesNotExist else)."""
    return tickets_for_user(user).get(credential__public_id=public_id)


def tickets_for_pdf(*, order) -> QuerySet[Ticket]:
    """An order's tickets that can be shown at a gate (issued, not cancelled), for its PDF."""
    return (
        Ticket.objects.filter(order=order)
        .exclude(state=TicketState.CANCELLED)
        .select_related(*_TICKET_RELATED)
        .order_by("pk")
    )
