"""Read paths for credentials and the tickets standing on them: the wallet, one ticket, order PDFs.

Every getter is scoped to the owner (order.user), so another person's ticket is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from events.enums import VenueResourceKind
from events.models import Session, VenueResource
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


@dataclass(frozen=True)
class SessionTickets:
    """One session of the wallet with the user's tickets for it (one query for the whole wallet)."""

    session: Session
    tickets: list[Ticket]


def tickets_by_session(tickets) -> list[SessionTickets]:
    """Tickets (with their sessions selected) grouped by session, in the order the sessions come first."""
    groups: dict[int, SessionTickets] = {}
    for ticket in tickets:
        group = groups.get(ticket.session_id)
        if group is None:
            group = groups[ticket.session_id] = SessionTickets(session=ticket.session, tickets=[])
        group.tickets.append(ticket)
    return list(groups.values())


def wallet_for_user(user) -> dict[str, list[SessionTickets]]:
    """The wallet grouped by session, split into sessions still to come (or running), soonest first,
    and those already over, latest first."""
    now = timezone.now()
    groups = tickets_by_session(tickets_for_user(user))
    upcoming = [g for g in groups if g.session.ends_at >= now]
    past = [g for g in groups if g.session.ends_at < now]
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def gate_names_for(ticket: Ticket) -> list[str]:
    """The names of the gates a ticket enters by, in the reader's language ([] for any gate); a code
    the venue does not list is shown as it is. One query."""
    codes = list(ticket.credential.zones or [])
    if not codes:
        return []
    names = {
        gate.code: gate.name
        for gate in VenueResource.objects.filter(
            venue_id=ticket.session.venue_id, kind=VenueResourceKind.GATE, code__in=codes
        )
    }
    return [names.get(code, code) for code in codes]


def ticket_number(ticket: Ticket) -> str:
    """The number printed on a ticket and said over a counter: the order code and the ticket's id,
    which is what `Ticket.__str__` gives (so the PDF, a layer below, prints the same with `str(ticket)`)."""
    return str(ticket)


def ticket_get_for_owner(*, user, public_id) -> Ticket:
    """One ticket by its credential's public id, only for the person who bought it (DoesNotExist else)."""
    return tickets_for_user(user).get(credential__public_id=public_id)


def tickets_for_pdf(*, order) -> QuerySet[Ticket]:
    """An order's tickets that can be shown at a gate (paid, not refunded or cancelled), for its PDF."""
    return (
        Ticket.objects.filter(order=order, state=TicketState.VALID)
        .select_related(*_TICKET_RELATED)
        .order_by("pk")
    )
