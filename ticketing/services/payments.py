"""Paying orders: starting a payment with a provider, the demo and manual confirmations, Stripe webhooks.

Stripe is the source of truth only through its webhooks: each event is verified (signature), stored
once (WebhookEvent's unique event id: a duplicate delivery changes nothing), and never trusted for
its content: the PaymentIntent is re-fetched from the API and the order converges to what Stripe
reports (paid, refunded by how much), whatever order the events arrive in. Amount and currency
must match the order before it is marked paid. The browser's return URL only displays the state.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ticketing.enums import OrderState, PaymentState
from ticketing.errors import OrderStateError, PaymentError, WebhookError
from ticketing.models import Order, Payment, WebhookEvent
from ticketing.payments import NextStep, get_provider
from ticketing.payments.stripe import intent_retrieve, stripe_api
from ticketing.services.orders import (
    MANUAL_PAYMENT_DAYS,
    order_mark_paid,
    order_record_external_refund,
)

logger = logging.getLogger(__name__)

RESUMABLE = [PaymentState.CREATED, PaymentState.PROCESSING, PaymentState.FAILED]


def payment_start(*, order: Order, provider: str) -> tuple[Payment, NextStep]:
    """Start paying a pending order with `provider`, or resume the attempt already started with it.

    Locks the order row while choosing; the provider is called after the commit (no lock held
    over the network). Raises OrderStateError, ProviderUnavailableError, PaymentError.
    """
    chosen = get_provider(provider)
    if not chosen.selectable:
        raise PaymentError(_("Choose a payment method."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("This order is not awaiting payment."))
        payment = order.payments.filter(provider=chosen.identifier, state__in=RESUMABLE).first()
        resuming = payment is not None and bool(payment.intent_id)
        if payment is None:
            payment = Payment.objects.create(
                order=order, provider=chosen.identifier, amount_fen=order.total_fen, currency=order.currency
            )
        if order.provider != chosen.identifier:
            order.provider = chosen.identifier
            if chosen.identifier == "manual" and order.expires_at is not None:
                import datetime as dt

                order.expires_at = max(
                    order.expires_at, order.created_at + dt.timedelta(days=MANUAL_PAYMENT_DAYS)
                )
            order.save(update_fields=["provider", "expires_at"])
    if resuming and chosen.identifier == "stripe":
        intent = intent_retrieve(payment.intent_id)
        return payment, NextStep(
            kind="stripe",
            client_secret=intent["client_secret"],
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        )
    step = chosen.start(payment)
    if payment.intent_id:
        Payment.objects.filter(pk=payment.pk).update(intent_id=payment.intent_id)
    return payment, step


def payment_confirm_demo(*, order: Order) -> Order:
    """The demo provider's "pay" button. Refused unless settings.PAYMENT_DEMO_ENABLED."""
    get_provider("demo")
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, provider="demo", state__in=RESUMABLE)
            .first()
        )
        if payment is None:
            raise PaymentError(_("Choose the demo payment first."))
        payment.state = PaymentState.SUCCEEDED
        payment.save(update_fields=["state", "updated_at"])
        return order_mark_paid(order=order, provider="demo")


def payment_record_manual(*, order: Order, by=None) -> Order:
    """An organiser confirms a bank transfer or invoice: the order is paid with a manual payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("This order is not awaiting payment."))
        payment = order.payments.filter(provider="manual", state__in=RESUMABLE).first() or Payment(
            order=order, provider="manual", amount_fen=order.total_fen, currency=order.currency
        )
        payment.state = PaymentState.SUCCEEDED
        payment.last_error = ""
        payment.save()
        return order_mark_paid(order=order, provider="manual")


# --- Stripe webhooks --------------------------------------------------------------------------


def stripe_webhook_receive(*, payload: bytes, signature: str) -> str:
    """Verify, store once, re-fetch, converge. Returns "ok", "duplicate" or "ignored".

    Raises WebhookError for a bad signature or payload (the view answers 400; nothing is stored).
    A PaymentError while re-fetching propagates (the view answers 503, Stripe retries later).
    """
    stripe = stripe_api()
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookError("webhook secret not configured")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret).to_dict()
    except (ValueError, KeyError, stripe.SignatureVerificationError) as exc:
        raise WebhookError("invalid signature or payload") from exc
    event_id, event_type = str(event.get("id", "")), str(event.get("type", ""))
    if not event_id:
        raise WebhookError("event without id")
    if WebhookEvent.objects.filter(provider="stripe", event_id=event_id).exists():
        return "duplicate"
    obj = (event.get("data") or {}).get("object") or {}
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    known = bool(intent_id) and Payment.objects.filter(intent_id=intent_id).exists()
    intent = intent_retrieve(intent_id) if known else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(provider="stripe", event_id=event_id, type=event_type)
        except IntegrityError:
            return "duplicate"
        if intent is None:
            return "ignored"
        payment_apply_stripe_intent(intent=intent)
    return "ok"


def _charge_refunded(intent: dict) -> int:
    charge = intent.get("latest_charge")
    return int(charge.get("amount_refunded") or 0) if isinstance(charge, dict) else 0


def payment_apply_stripe_intent(*, intent: dict) -> Payment:
    """Make our payment and order agree with a PaymentIntent freshly fetched from Stripe. Idempotent.

    Locks the payment row (and the order row inside the order transitions).
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(intent_id=intent["id"])
        order = payment.order
        status = intent.get("status")
        if status == "succeeded":
            if (
                int(intent["amount"]) != payment.amount_fen
                or str(intent["currency"]).upper() != payment.currency
                or payment.amount_fen != order.total_fen
            ):
                logger.warning("stripe intent %s does not match order %s", intent["id"], order.code)
                payment.state = PaymentState.FAILED
                payment.last_error = _(
                    "The amount or currency paid does not match the order; it was not accepted."
                )
                payment.save(update_fields=["state", "last_error", "updated_at"])
                return payment
            if payment.state != PaymentState.SUCCEEDED:
                payment.state = PaymentState.SUCCEEDED
                payment.last_error = ""
                payment.save(update_fields=["state", "last_error", "updated_at"])
            if order.state == OrderState.PENDING:
                order = order_mark_paid(order=order, provider="stripe")
            elif order.state in (OrderState.CANCELLED, OrderState.EXPIRED):
                _refund_late_payment(payment, intent)
                return payment
            refunded = _charge_refunded(intent)
            if refunded > payment.refunded_fen:
                delta = refunded - payment.refunded_fen
                payment.refunded_fen = refunded
                payment.save(update_fields=["refunded_fen", "updated_at"])
                order_record_external_refund(order=order, refunded_fen=order.refunded_fen + delta)
        elif status == "processing":
            Payment.objects.filter(pk=payment.pk, state=PaymentState.CREATED).update(
                state=PaymentState.PROCESSING
            )
        elif status == "canceled":
            payment.state = PaymentState.CANCELLED
            payment.save(update_fields=["state", "updated_at"])
        elif status == "requires_payment_method" and intent.get("last_payment_error"):
            payment.state = PaymentState.FAILED
            payment.last_error = (intent["last_payment_error"].get("message") or _("The payment failed."))[
                :300
            ]
            payment.save(update_fields=["state", "last_error", "updated_at"])
    return payment


def _refund_late_payment(payment: Payment, intent: dict) -> None:
    """Money arrived for an order that had already expired or been cancelled: give it back."""
    outstanding = payment.amount_fen - max(payment.refunded_fen, _charge_refunded(intent))
    if outstanding > 0:
        try:
            get_provider("stripe", require_available=False).refund(payment, outstanding)
        except PaymentError as exc:
            payment.last_error = str(exc)[:300]
        else:
            payment.refunded_fen = payment.amount_fen
            payment.last_error = _("Paid after the order had closed; refunded automatically.")
    payment.state = PaymentState.SUCCEEDED
    payment.save(update_fields=["state", "refunded_fen", "last_error", "updated_at"])
