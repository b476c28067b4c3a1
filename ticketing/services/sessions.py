"""Cancelling a session: sales stop, paid tickets are refunded, unpaid orders cancelled, holders told.

Locks the SESSION row for the status change, then each order in turn in its own transaction (the
order row first, then its payment), so one failing refund does not undo the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from events.enums import SessionStatus
from events.jobs import job_queue_after_commit
from events.models import Session
from ticketing.enums import BallotApplicationState, OrderState, TicketState
from ticketing.errors import OrderStateError, PaymentError
from ticketing.models import BallotApplication, CartLine, Order, Ticket
from ticketing.models.sales import TICKET_HOLDING_STATES
from ticketing.services import places
from ticketing.services.orders import order_cancel
from ticketing.services.refunds import order_refund


@dataclass
class SessionCancelResult:
    refunded: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def session_cancel(*, session: Session, by=None, reason: str = "") -> SessionCancelResult:
    """Cancel a session: stop sales, refund paid tickets through their provider, cancel unpaid orders.

    The session's status changes in its own transaction first (sales stop at once); each order is
    then refunded or cancelled in its own transaction, so one failing refund does not undo the
    others. Failures are returned for the organiser to retry (running it again is safe).
    Holders are emailed after each commit.
    """
    reason = reason or _("The session was cancelled.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.CANCELLED:
            locked.status = SessionStatus.CANCELLED
            locked.save(update_fields=["status"])
        places.holds_drop(
            CartLine.objects.filter(ticket_type__session=locked)
            .select_for_update(of=("self",))
            .only("pk", "ticket_type_id", "quantity")
            .order_by("pk")
        )
        # Nobody on a ballot's waiting list will be offered places of a cancelled session.
        BallotApplication.objects.filter(
            ballot__ticket_type__session=locked,
            state__in=[
                BallotApplicationState.APPLIED,
                BallotApplicationState.WAITING,
                BallotApplicationState.OFFERED,  # their pending orders are cancelled just below
            ],
        ).update(state=BallotApplicationState.LAPSED)
    result = SessionCancelResult()
    orders = (
        Order.objects.filter(tickets__session=session, tickets__state__in=TICKET_HOLDING_STATES)
        .distinct()
        .order_by("pk")
        .prefetch_related(Prefetch("tickets", queryset=Ticket.objects.filter(session=session)))
    )
    for order in orders:
        try:
            if order.state == OrderState.PENDING:
                order_cancel(order=order, reason=reason)
                result.cancelled.append(order.code)
            else:
                session_tickets = [t for t in order.tickets.all() if t.state == TicketState.VALID]
                order_refund(order=order, tickets=session_tickets, by=by, reason=reason, revoke=True)
                result.refunded.append(order.code)
            order_pk, session_pk = order.pk, session.pk
            job_queue_after_commit("ticketing.tasks.session_cancelled_notify", order_pk, session_pk)
        except (PaymentError, OrderStateError) as exc:
            result.failed.append((order.code, str(exc)))
    return result
