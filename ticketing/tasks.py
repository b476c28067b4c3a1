"""Celery tasks of ticketing: each parses ids and calls one service.

Services queue them by name after commit (events/jobs.py), so no service imports this module. The
mails themselves leave through events' mail task, with retries, in the buyer's language.
"""

from __future__ import annotations

from celery import shared_task

from ticketing.services import notifications
from ticketing.services.expiry import sales_expire_due as expire_due


@shared_task
def order_send_tickets(order_pk: int) -> None:
    notifications.order_paid_mail_send(order_pk=order_pk)


@shared_task
def session_cancelled_notify(order_pk: int, session_pk: int) -> None:
    notifications.session_cancelled_mail_send(order_pk=order_pk, session_pk=session_pk)


@shared_task
def ballot_offer_notify(application_pk: int) -> None:
    notifications.ballot_offer_mail_send(application_pk=application_pk)


@shared_task
def sales_expire_due() -> dict:
    return expire_due()
