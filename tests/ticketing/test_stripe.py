"""Stripe payments against a real localstripe: the stripe library, PaymentIntents, refunds, signed webhooks.

localstripe 1.15 differences we adapt to (production code is unchanged):
- it accepts payment_method_types card/alipay/wechat_pay but charges every intent as a card;
- `pm_card_visa_chargeDeclined` is only declined when *attached* to a customer, not when charged,
  so the declined-card test uses `pm_card_chargeCustomerFail`, which it declines at charge time;
- it cannot confirm with a payment method in the confirm call, so the "browser" sets it first.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from tests.factories.ticketing import TicketTypeFactory, buyer, future_session
from tests.ticketing.webhooks import register_webhook, signed_event
from ticketing.enums import CredentialState, OrderState, PaymentState, TicketState
from ticketing.models import Order, Payment, WebhookEvent
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place
from ticketing.services.payments import payment_start
from ticketing.services.refunds import order_refund

pytestmark = pytest.mark.usefixtures("english")

WEBHOOK = "/checkout/stripe/webhook/"


def _order(quantity=2, price=8000) -> Order:
    ticket_type = TicketTypeFactory(session=future_session(), price_fen=price)
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    return order_place(user=user, provider="stripe")


def _browser_confirms(intent_id: str, payment_method: str):
    """What Stripe.js does in the buyer's browser with the Payment Element."""
    from ticketing.payments.stripe import stripe_api

    stripe = stripe_api()
    stripe.PaymentIntent.modify(intent_id, payment_method=payment_method)
    return stripe.PaymentIntent.confirm(intent_id)


def _deliver(client, event_type, obj, **kwargs):
    body, signature = signed_event(event_type, obj, **kwargs)
    return client.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _paid_via_stripe(client) -> Order:
    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    assert (
        _deliver(
            client, "payment_intent.succeeded", {"object": "payment_intent", "id": payment.intent_id}
        ).status_code
        == 200
    )
    order.refresh_from_db()
    return order


# PostgreSQL only: on SQLite the live server shares the test's in-memory connection, and a delivery
# localstripe posts late (after this test) lands in whatever test that worker runs next, breaking its
# transaction. On PostgreSQL the server thread has its own connection.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_card_payment_webhook_from_localstripe_marks_order_paid(stripe_on, live_server):
    register_webhook(stripe_on, live_server.url + WEBHOOK)
    try:
        _card_payment_is_delivered_and_marks_the_order_paid()
    finally:
        register_webhook(stripe_on, "http://127.0.0.1:9/nowhere")  # later tests' events go nowhere


def _card_payment_is_delivered_and_marks_the_order_paid():
    order = _order()
    payment, step = payment_start(order=order, provider="stripe")
    assert step.kind == "stripe" and step.client_secret.startswith(payment.intent_id)
    assert _browser_confirms(payment.intent_id, "pm_card_visa")["status"] == "succeeded"
    # localstripe posts the event about a second later: poll gently.
    for _attempt in range(20):
        time.sleep(0.5)
        try:
            if Order.objects.get(pk=order.pk).state != OrderState.PENDING:
                break
        except OperationalError:
            continue
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    assert set(order.tickets.values_list("state", flat=True)) == {TicketState.VALID}
    assert set(order.tickets.values_list("credential__state", flat=True)) == {CredentialState.ACTIVE}
    # (Events of earlier tests' intents may reach this endpoint too: they are stored and ignored.)
    assert WebhookEvent.objects.filter(type="payment_intent.succeeded").exists()


@pytest.mark.django_db
def test_return_url_alone_never_marks_paid(stripe_on, client):
    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    client.force_login(order.user)
    page = client.get(
        reverse("ticketing:order-detail", kwargs={"code": order.code}),
        {"payment_intent": payment.intent_id},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "waiting for the payment service" in page.content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.PENDING


@pytest.mark.django_db
def test_declined_card_keeps_order_pending_with_clear_message(stripe_on, client):
    import stripe

    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    with pytest.raises(stripe.CardError):
        _browser_confirms(payment.intent_id, "pm_card_chargeCustomerFail")
    response = _deliver(
        client, "payment_intent.payment_failed", {"object": "payment_intent", "id": payment.intent_id}
    )
    assert response.status_code == 200
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.state == OrderState.PENDING
    assert payment.state == PaymentState.FAILED and "declined" in payment.last_error
    client.force_login(order.user)
    page = client.get(
        reverse("ticketing:order-detail", kwargs={"code": order.code}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Your card was declined." in page.content.decode()


@pytest.mark.django_db
def test_forged_signature_refused_and_nothing_changes(stripe_on, client):
    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    obj = {"object": "payment_intent", "id": payment.intent_id}
    forged = _deliver(client, "payment_intent.succeeded", obj, secret="whsec_attacker")
    assert forged.status_code == 400
    body, _signature = signed_event("payment_intent.succeeded", obj)
    unsigned = client.post(WEBHOOK, data=body, content_type="application/json")
    assert unsigned.status_code == 400
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_same_event_twice_is_one_state_and_one_email(stripe_on, client, django_capture_on_commit_callbacks):
    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    obj = {"object": "payment_intent", "id": payment.intent_id}
    with django_capture_on_commit_callbacks(execute=True):
        first = _deliver(client, "payment_intent.succeeded", obj, event_id="evt_same")
        second = _deliver(client, "payment_intent.succeeded", obj, event_id="evt_same")
    assert (first.content, second.content) == (b"ok", b"duplicate")
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    assert WebhookEvent.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_out_of_order_events_converge(stripe_on, client):
    from ticketing.payments.stripe import stripe_api

    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    stripe_api().Refund.create(payment_intent=payment.intent_id)  # refunded in Stripe's dashboard
    # charge.refunded arrives before payment_intent.succeeded
    charge = {"object": "charge", "id": "ch_x", "payment_intent": payment.intent_id}
    assert _deliver(client, "charge.refunded", charge).status_code == 200
    assert (
        _deliver(
            client, "payment_intent.succeeded", {"object": "payment_intent", "id": payment.intent_id}
        ).status_code
        == 200
    )
    order.refresh_from_db()
    assert order.state == OrderState.REFUNDED and order.refunded_fen == order.total_fen
    assert set(order.tickets.values_list("credential__state", flat=True)) == {CredentialState.REFUNDED}
    assert _deliver(client, "charge.refunded", charge).status_code == 200
    order.refresh_from_db()
    assert order.refunded_fen == order.total_fen


@pytest.mark.django_db
@pytest.mark.parametrize(("amount", "currency"), [(100, "cny"), (16000, "usd")])
def test_amount_or_currency_mismatch_not_accepted(stripe_on, client, amount, currency):
    from ticketing.payments.stripe import stripe_api

    order = _order()
    intent = stripe_api().PaymentIntent.create(
        amount=amount, currency=currency, payment_method="pm_card_visa", confirm=True
    )
    Payment.objects.create(order=order, provider="stripe", intent_id=intent["id"], amount_fen=order.total_fen)
    assert (
        _deliver(
            client, "payment_intent.succeeded", {"object": "payment_intent", "id": intent["id"]}
        ).status_code
        == 200
    )
    order.refresh_from_db()
    payment = Payment.objects.get(intent_id=intent["id"])
    assert order.state == OrderState.PENDING
    assert payment.state == PaymentState.FAILED and "does not match" in payment.last_error


@pytest.mark.django_db
def test_partial_then_full_refund_through_stripe(stripe_on, client):
    from ticketing.payments.stripe import stripe_api

    order = _paid_via_stripe(client)
    assert order.state == OrderState.PAID
    first = order.tickets.order_by("pk").first()
    order = order_refund(order=order, tickets=[first], reason="one cannot come")
    payment = order.payments.get()
    charge = stripe_api().PaymentIntent.retrieve(payment.intent_id, expand=["latest_charge"])["latest_charge"]
    assert charge["amount_refunded"] == 8000
    assert order.state == OrderState.PARTIALLY_REFUNDED
    first.refresh_from_db()
    assert first.credential.state == CredentialState.REFUNDED
    order = order_refund(order=order)
    charge = stripe_api().PaymentIntent.retrieve(payment.intent_id, expand=["latest_charge"])["latest_charge"]
    assert charge["amount_refunded"] == 16000
    assert order.state == OrderState.REFUNDED
    # The webhook for those refunds arrives later and changes nothing.
    _deliver(
        client,
        "charge.refunded",
        {"object": "charge", "id": charge["id"], "payment_intent": payment.intent_id},
    )
    order.refresh_from_db()
    assert order.refunded_fen == 16000 and order.payments.get().refunded_fen == 16000


@pytest.mark.django_db
def test_stripe_unavailable_without_key(settings):
    from ticketing.errors import ProviderUnavailableError

    settings.STRIPE_SECRET_KEY = ""
    ticket_type = TicketTypeFactory(session=future_session())
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=1)
    with pytest.raises(ProviderUnavailableError):
        order_place(user=user, provider="stripe")
    assert not Order.objects.exists()


SHAPE_SECRET = "whsec_shape_test"


def _signed_body(body: str) -> str:
    """A Stripe-Signature header for any body, as Stripe computes it: t=<ts>,v1=hmac(secret, "<ts>.<body>")."""
    timestamp = int(time.time())
    digest = hmac.new(SHAPE_SECRET.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


DEEP = (
    '{"id": "evt_deep", "type": "payment_intent.succeeded", "data": {"object": '
    + '{"a": ' * 200
    + ("1" + "}" * 200)
    + "}}"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '"payment_intent.succeeded"',
        "null",
        "42",
        '{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": "pi_123"}}',
        '{"id": "evt_2", "type": "payment_intent.succeeded", "data": {"object": ["pi_123"]}}',
        '{"id": "evt_3", "type": "payment_intent.succeeded", "data": null}',
        '{"id": ["evt_4"], "type": "payment_intent.succeeded", "data": {"object": {}}}',
        '{"id": "' + "e" * 101 + '", "type": "x", "data": {"object": {}}}',
        DEEP,
        "[" * 100_000 + "]" * 100_000,
        "{not json",
    ],
)
def test_a_signed_webhook_of_the_wrong_shape_is_a_400_with_nothing_written(client, settings, body):
    settings.STRIPE_SECRET_KEY = "sk_test_corridor"
    settings.STRIPE_WEBHOOK_SECRET = SHAPE_SECRET
    client.raise_request_exception = False

    response = client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=_signed_body(body)
    )

    assert response.status_code == 400
    assert response.content
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_is_503_only_while_stripe_is_unreachable_and_the_retry_succeeds(stripe_on, client, settings):
    from ticketing.errors import PaymentGatewayError
    from ticketing.payments.stripe import intent_retrieve

    order = _order()
    payment, _step = payment_start(order=order, provider="stripe")
    _browser_confirms(payment.intent_id, "pm_card_visa")
    obj = {"object": "payment_intent", "id": payment.intent_id}
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there: Stripe is "down"
    with pytest.raises(PaymentGatewayError):
        intent_retrieve(payment.intent_id)

    down = _deliver(client, "payment_intent.succeeded", obj, event_id="evt_retry")
    assert down.status_code == 503
    assert down.content.decode() == "The payment service could not be reached. Please try again."
    assert not WebhookEvent.objects.exists()
    order.refresh_from_db()
    assert order.state == OrderState.PENDING

    settings.STRIPE_API_BASE = stripe_on
    again = _deliver(client, "payment_intent.succeeded", obj, event_id="evt_retry")
    assert (again.status_code, again.content) == (200, b"ok")
    order.refresh_from_db()
    assert order.state == OrderState.PAID


@pytest.mark.django_db
def test_a_buyers_refusal_is_not_a_gateway_failure_and_the_webhook_never_503s_for_it(
    stripe_on, client, monkeypatch
):
    from ticketing.errors import PaymentGatewayError, PaymentRefusedError

    order = _order()
    with pytest.raises(PaymentRefusedError, match="only for group tickets and entry fees") as refused:
        payment_start(order=order, provider="manual")
    assert not isinstance(refused.value, PaymentGatewayError)

    # No webhook path refuses today; this pins the mapping of a refusal (our rules) to a 400.
    def refuse(**_kwargs):
        raise PaymentRefusedError("This order is not awaiting payment.")

    monkeypatch.setattr("ticketing.views.webhooks.stripe_webhook_receive", refuse)
    response = client.post(WEBHOOK, data="{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1")
    assert (response.status_code, response.content) == (400, b"This order is not awaiting payment.")
