"""Ticketing's mail leaves after commit through events' mail task: a mail server that is down never
turns a committed payment into an error page, and the ticket PDF is built in the worker."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from tests.factories.ticketing import TicketTypeFactory, buyer, future_session
from ticketing.enums import OrderState
from ticketing.models import Order
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place


class DownBackend(BaseEmailBackend):
    """A mail server that is down: every send fails, and is counted."""

    attempts = 0

    def send_messages(self, messages):
        DownBackend.attempts += 1
        raise smtplib.SMTPServerDisconnected("mail server went away")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_never_makes_a_paid_order_a_500(client, settings, caplog):
    settings.PAYMENT_DEMO_ENABLED = True
    settings.EMAIL_BACKEND = "tests.ticketing.test_notifications.DownBackend"
    DownBackend.attempts = 0
    user = buyer(preferred_language="en")
    cart_add(user=user, ticket_type=TicketTypeFactory(session=future_session()), quantity=1)
    order = order_place(user=user, provider="demo")
    client.force_login(user)

    response = client.post(reverse("ticketing:order-pay-demo", kwargs={"code": order.code}))

    assert response.status_code == 302
    assert response["Location"] == reverse("ticketing:order-detail", kwargs={"code": order.code})
    assert Order.objects.get(pk=order.pk).state == OrderState.PAID
    assert DownBackend.attempts == 1  # tried after the commit (a worker would retry it later)
    assert mail.outbox == []
    assert "could not run or queue task events.mail_send" in caplog.text


@pytest.mark.django_db
def test_ticket_mails_link_to_the_configured_site_address(settings):
    from ticketing.services.notifications import order_paid_mail_send
    from ticketing.services.orders import order_mark_paid

    settings.SITE_URL = "https://corridor.example.org"
    user = buyer(preferred_language="en")
    cart_add(user=user, ticket_type=TicketTypeFactory(session=future_session()), quantity=1)
    order = order_mark_paid(order=order_place(user=user, provider="demo"))
    mail.outbox.clear()
    order_paid_mail_send(order_pk=order.pk)
    [message] = mail.outbox
    assert f"https://corridor.example.org/orders/{order.code}/" in message.body
