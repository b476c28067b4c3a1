"""Ticketing's mail to buyers (paid order with its tickets, cancelled session, ballot offer), and
who holds tickets for sessions whose schedule moved (registered with events' schedule audience hook).

Each function runs in a task, after the transaction that made the change committed: it loads the
rows by id and hands the message to events/mail.py in the buyer's language. The ticket PDF is built
in the mail worker by the `ticketing.order_tickets_pdf` attachment builder.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.hooks import ScheduleRecipient
from events.mail import Attachment, mail_attachment_builder, mail_send_now
from events.models import Session
from ticketing.models import BallotApplication, Order, Ticket
from ticketing.models.sales import TICKET_HOLDING_STATES
from ticketing.rendering.pdf import tickets_pdf
from ticketing.selectors.credentials import tickets_for_pdf

ORDER_TICKETS_PDF = "ticketing.order_tickets_pdf"


def _order_url(order: Order) -> str:
    return settings.SITE_URL + reverse("ticketing:order-detail", kwargs={"code": order.code})


def _language(user) -> str | None:
    return getattr(user, "preferred_language", None) or None


@mail_attachment_builder(ORDER_TICKETS_PDF)
def order_tickets_pdf(order_pk: int) -> list[Attachment]:
    """The order's tickets as one PDF ([] when it has none)."""
    order = Order.objects.filter(pk=order_pk).first()
    tickets = list(tickets_for_pdf(order=order)) if order is not None else []
    if not tickets:
        return []
    return [(f"tickets-{order.code}.pdf", tickets_pdf(tickets), "application/pdf")]


def order_paid_mail_send(*, order_pk: int) -> None:
    order = Order.objects.select_related("user").filter(pk=order_pk).first()
    if order is None:
        return
    mail_send_now(
        to=[order.user.email],
        template="ticketing/email/order_paid",
        context={"order": order, "lines": list(order.lines.all()), "url": _order_url(order)},
        language=_language(order.user),
        attach=(ORDER_TICKETS_PDF, order.pk),
    )


def session_cancelled_mail_send(*, order_pk: int, session_pk: int) -> None:
    order = Order.objects.select_related("user").filter(pk=order_pk).first()
    session = Session.objects.select_related("event").filter(pk=session_pk).first()
    if order is None or session is None:
        return
    mail_send_now(
        to=[order.user.email],
        template="ticketing/email/session_cancelled",
        context={"order": order, "session": session, "url": _order_url(order)},
        language=_language(order.user),
    )


def ballot_offer_mail_send(*, application_pk: int) -> None:
    application = (
        BallotApplication.objects.select_related("user", "order", "ballot__ticket_type__session__event")
        .filter(pk=application_pk)
        .first()
    )
    if application is None or application.order is None:
        return
    mail_send_now(
        to=[application.user.email],
        template="ticketing/email/ballot_offer",
        context={
            "application": application,
            "order": application.order,
            "url": _order_url(application.order),
        },
        language=_language(application.user),
    )


def schedule_audience(*, change) -> list[ScheduleRecipient]:
    """Buyers holding live tickets for the sessions whose timetable changed (events' schedule hook).

    Reads only; each buyer in their language, told only about the matches of their sessions.
    """
    if not change.sessions:
        return []
    matches_of: dict[int, set[int]] = {}
    tickets = Ticket.objects.filter(
        session_id__in=change.sessions, state__in=TICKET_HOLDING_STATES
    ).values_list("order__user_id", "session_id")
    for user_id, session_id in tickets:
        matches_of.setdefault(user_id, set()).update(change.sessions[session_id])
    users = get_user_model().objects.filter(pk__in=matches_of)
    return [
        ScheduleRecipient(
            email=user.email, language=_language(user) or "", matches=frozenset(matches_of[user.pk])
        )
        for user in users
        if user.email
    ]
