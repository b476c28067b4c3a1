"""Celery tasks of ticketing: thin wrappers that load ids and call a service or send one email.

Emails go out in the recipient's language (user.preferred_language). t2 attaches the ticket PDF
to `order_send_tickets` (hook: `ticket_attachments(order)` below).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send(*, user, template: str, context: dict, attachments=()) -> None:
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        subject = render_to_string(f"ticketing/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"ticketing/email/{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[user.email])
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def ticket_attachments(order) -> list[tuple[str, bytes, str]]:
    """(filename, bytes, mimetype) to attach to the ticket email: the order's tickets as one PDF."""
    from ticketing.selectors.credentials import tickets_for_pdf
    from ticketing.services.pdf import tickets_pdf

    tickets = list(tickets_for_pdf(order=order))
    if not tickets:
        return []
    return [(f"tickets-{order.code}.pdf", tickets_pdf(tickets), "application/pdf")]


@shared_task
def order_send_tickets(order_pk: int) -> None:
    from ticketing.models import Order

    order = Order.objects.select_related("user").filter(pk=order_pk).first()
    if order is None:
        return
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "url": settings.SITE_URL + reverse("ticketing:order-detail", kwargs={"code": order.code}),
    }
    _send(user=order.user, template="order_paid", context=context, attachments=ticket_attachments(order))


@shared_task
def session_cancelled_notify(order_pk: int, session_pk: int) -> None:
    from events.models import Session
    from ticketing.models import Order

    order = Order.objects.select_related("user").filter(pk=order_pk).first()
    session = Session.objects.select_related("event").filter(pk=session_pk).first()
    if order is None or session is None:
        return
    context = {
        "order": order,
        "session": session,
        "url": settings.SITE_URL + reverse("ticketing:order-detail", kwargs={"code": order.code}),
    }
    _send(user=order.user, template="session_cancelled", context=context)


@shared_task
def ballot_offer_notify(application_pk: int) -> None:
    from ticketing.models import BallotApplication

    application = (
        BallotApplication.objects.select_related("user", "order", "ballot__ticket_type__session__event")
        .filter(pk=application_pk)
        .first()
    )
    if application is None or application.order is None:
        return
    context = {
        "application": application,
        "order": application.order,
        "url": settings.SITE_URL + reverse("ticketing:order-detail", kwargs={"code": application.order.code}),
    }
    _send(user=application.user, template="ballot_offer", context=context)


@shared_task
def sales_expire_due() -> dict:
    from ticketing.services.orders import sales_expire_due as run

    return run()
