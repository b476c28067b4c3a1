"""Paying orders: starting a payment with a provider, the demo and manual confirmations, Stripe webhooks.

Stripe is the source of truth only through its webhooks: each event is verified (signature), stored
once (WebhookEvent's unique event id: a duplicate delivery changes nothing), and never trusted for
its content: the PaymentIntent is re-fetched from the API and the order converges to what Stripe
reports (paid, refunded by how much), whatever order the events arrive in. Amount and currency
must match the order before it is marked paid. The browser's return URL only displays the state.

Rules that keep the money right:
- a succeeded payment never goes back (Stripe never leaves "succeeded"), whatever stale intent arrives;
- money that arrives for an order that is closed, already paid by another payment, for a
  cancelled session, or with the wrong amount or currency is refunded automatically;
- locking order everywhere: the ORDER row first, then the payment row (as order_expire,
  order_cancel and order_refund do), so two transitions of one order cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ticketing.enums import OrderState, PaymentState
from ticketing.errors import OrderStateError, PaymentError, PaymentRefusedError, SaleClosedError, WebhookError
from ticketing.models import Order, Payment, WebhookEvent
from ticketing.payments import NextStep, get_provider
from ticketing.payments.policy import MANUAL_PAYMENT_DAYS, manual_allowed_for_order, manual_refused
from ticketing.payments.stripe import intent_cancel, intent_retrieve, stripe_api
from ticketing.services.orders import order_cancel, order_mark_paid
from ticketing.services.refunds import order_record_external_refund

logger = logging.getLogger(__name__)

RESUMABLE = [PaymentState.CREATED, PaymentState.PROCESSING, PaymentState.FAILED]


def payment_start(*, order: Order, provider: str) -> tuple[Payment, NextStep]:
    """Start paying a pending order with `provider`, or resume the attempt already started with it.

    Locks the order row while choosing; the provider is called after the commit (no lock held
    over the network). Switching away from Stripe cancels the intents left behind (after the
    commit), so they cannot take money any more. The manual provider is only for group tickets
    and fee orders. Raises OrderStateError, PaymentRefusedError (ProviderUnavailableError is one)
    for the buyer, PaymentGatewayError when the provider cannot be reached.
    """
    chosen = get_provider(provider)
    if not chosen.selectable:
        raise PaymentRefusedError(_("Choose a payment method."))
    abandoned: list[str] = []
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("This order is not awaiting payment."))
        if chosen.identifier == "manual" and not manual_allowed_for_order(order):
            raise manual_refused()
        if chosen.identifier != "stripe":
            abandoned = list(
                order.payments.filter(
                    provider="stripe",
                    intent_id__isnull=False,
                    state__in=[PaymentState.CREATED, PaymentState.FAILED],
                ).values_list("intent_id", flat=True)
            )
        payment = order.payments.filter(provider=chosen.identifier, state__in=RESUMABLE).first()
        resuming = payment is not None and bool(payment.intent_id)
        if payment is None:
            payment = Payment.objects.create(
                order=order, provider=chosen.identifier, amount_fen=order.total_fen, currency=order.currency
            )
        if order.provider != chosen.identifier:
            order.provider = chosen.identifier
            if chosen.identifier == "manual" and order.expires_at is not None:
                order.expires_at = max(
                    order.expires_at, order.created_at + dt.timedelta(days=MANUAL_PAYMENT_DAYS)
                )
            order.save(update_fields=["provider", "expires_at"])
    for intent_id in abandoned:
        if intent_cancel(intent_id):
            Payment.objects.filter(
                intent_id=intent_id, state__in=[PaymentState.CREATED, PaymentState.FAILED]
            ).update(state=PaymentState.CANCELLED)
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


def payment_next_step(*, order: Order) -> NextStep | None:
    """What the pay page shows for the order's chosen method, without starting anything (GET is safe).

    None when a payment must first be started (payment_start, on the buyer's POST). Reads only;
    for Stripe it fetches the client secret of the intent already started.
    """
    if not order.is_pending or not order.provider:
        return None
    if order.provider == "manual":
        return NextStep(kind="instructions")
    if order.provider == "demo":
        return NextStep(kind="demo") if get_provider("demo", require_available=False).is_available() else None
    if order.provider == "stripe":
        payment = (
            order.payments.filter(provider="stripe", state__in=RESUMABLE, intent_id__isnull=False)
            .order_by("-pk")
            .first()
        )
        if payment is None or not get_provider("stripe", require_available=False).is_available():
            return None
        intent = intent_retrieve(payment.intent_id)
        return NextStep(
            kind="stripe",
            client_secret=intent["client_secret"],
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        )
    return None


def _refuse_while_stripe_processing(order: Order) -> None:
    if order.payments.filter(provider="stripe", state=PaymentState.PROCESSING).exists():
        raise PaymentRefusedError(
            _(
                "A card, Alipay or WeChat Pay payment for this order is still processing: "
                "wait for its result before recording another payment."
            )
        )


def payment_confirm_demo(*, order: Order) -> Order:
    """The demo provider's "pay" button: starts (if needed) and completes a demo payment.

    Refused unless settings.PAYMENT_DEMO_ENABLED. Locks the order row, then the payment row.
    """
    get_provider("demo")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("This order is not awaiting payment."))
        _refuse_while_stripe_processing(order)
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, provider="demo", state__in=RESUMABLE)
            .first()
        ) or Payment(order=order, provider="demo", amount_fen=order.total_fen, currency=order.currency)
        payment.state = PaymentState.SUCCEEDED
        payment.save()
        return order_mark_paid(order=order, provider="demo")


def payment_record_manual(*, order: Order, by=None) -> Order:
    """An organiser confirms a bank transfer or invoice: the order is paid with a manual payment.

    Refused while a Stripe payment of the order is processing (it may still take the money).
    Locks the order row.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.PENDING:
            raise OrderStateError(_("This order is not awaiting payment."))
        _refuse_while_stripe_processing(order)
        payment = order.payments.filter(provider="manual", state__in=RESUMABLE).first() or Payment(
            order=order, provider="manual", amount_fen=order.total_fen, currency=order.currency
        )
        payment.state = PaymentState.SUCCEEDED
        payment.last_error = ""
        payment.save()
        return order_mark_paid(order=order, provider="manual")


# --- Stripe webhooks --------------------------------------------------------------------------


MAX_WEBHOOK_DEPTH = 32  # Stripe's events nest a few levels; anything deeper is not from Stripe


def _depth_exceeds(value, limit: int) -> bool:
    """Whether a parsed JSON value nests deeper than `limit` (iterative: no recursion on hostile input)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _webhook_event(*, payload: bytes, signature: str, secret: str) -> dict:
    """The verified event as a dict of Stripe's shape, or WebhookError (signature first, then shape)."""
    stripe = stripe_api()
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret)
    except (UnicodeDecodeError, stripe.SignatureVerificationError) as exc:
        raise WebhookError("invalid signature") from exc
    try:
        event = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WebhookError("payload is not JSON") from exc
    if not isinstance(event, dict):
        raise WebhookError("event is not a JSON object")
    event_id, event_type = event.get("id"), event.get("type")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 100):
        raise WebhookError("event without a valid id")
    if not (isinstance(event_type, str) and len(event_type) <= 100):
        raise WebhookError("event without a valid type")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise WebhookError("event data.object is not an object")
    if _depth_exceeds(event, MAX_WEBHOOK_DEPTH):
        raise WebhookError("event nested too deeply")
    return event


def stripe_webhook_receive(*, payload: bytes, signature: str) -> str:
    """Verify, store once, re-fetch, converge. Returns "ok", "duplicate" or "ignored".

    Raises WebhookError for a bad signature or a payload not of an event's shape (the view answers
    400; nothing is stored). A PaymentGatewayError while re-fetching propagates (the view answers
    503, Stripe retries later).
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookError("webhook secret not configured")
    event = _webhook_event(payload=payload, signature=signature, secret=secret)
    event_id, event_type = event["id"], event["type"]
    if WebhookEvent.objects.filter(provider="stripe", event_id=event_id).exists():
        return "duplicate"
    obj = event["data"]["object"]
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    if not isinstance(intent_id, str):
        intent_id = None
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
    """Make our payment and order agree with a PaymentIntent fetched from Stripe. Idempotent.

    Locks the ORDER row first, then the payment row (the order transitions lock the order the same
    way), and decides only after both locks:
    - a payment already succeeded stays succeeded (a stale intent fetched earlier changes nothing);
    - a success with the wrong amount or currency, or on an order closed, already paid by another
      payment, or for a cancelled session, is refunded automatically;
    - otherwise a success pays the order and refunds seen at Stripe are recorded.
    """
    order_id = Payment.objects.filter(intent_id=intent["id"]).values_list("order_id", flat=True).get()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = Payment.objects.select_for_update().get(intent_id=intent["id"])
        status = intent.get("status")
        if payment.state == PaymentState.SUCCEEDED and status != "succeeded":
            logger.info(
                "stale stripe intent %s (%s) ignored: payment already succeeded", intent["id"], status
            )
            return payment
        if status == "succeeded":
            _apply_success(order, payment, intent)
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


def _apply_success(order: Order, payment: Payment, intent: dict) -> None:
    if (
        int(intent["amount"]) != payment.amount_fen
        or str(intent["currency"]).upper() != payment.currency
        or payment.amount_fen != order.total_fen
    ):
        logger.warning("stripe intent %s does not match order id %s: refunding", intent["id"], order.pk)
        _refund_late_payment(
            payment,
            intent,
            reason=_(
                "The amount or currency paid does not match the order; it was not accepted and is refunded."
            ),
            unaccepted=True,
            wrong_amount=True,
        )
        return
    paid_otherwise = (
        order.payments.exclude(pk=payment.pk)
        .filter(state=PaymentState.SUCCEEDED, refunded_fen__lt=F("amount_fen"))
        .exists()
    )
    if paid_otherwise and order.state != OrderState.PENDING and payment.state != PaymentState.SUCCEEDED:
        logger.warning("stripe intent %s paid order id %s a second time: refunding", intent["id"], order.pk)
        _refund_late_payment(
            payment,
            intent,
            reason=_("The order was already paid another way; this payment is refunded."),
            unaccepted=True,
        )
        return
    if order.state in (OrderState.CANCELLED, OrderState.EXPIRED):
        _refund_late_payment(payment, intent)
        return
    if payment.state != PaymentState.SUCCEEDED:
        payment.state = PaymentState.SUCCEEDED
        payment.last_error = ""
        payment.save(update_fields=["state", "last_error", "updated_at"])
    if order.state == OrderState.PENDING:
        try:
            order_mark_paid(order=order, provider="stripe")
        except SaleClosedError:
            # The session was cancelled before the money arrived: no valid tickets, money back.
            order_cancel(order=order, reason=_("The session was cancelled."))
            _refund_late_payment(payment, intent)
            return
    order.refresh_from_db()
    refunded = _charge_refunded(intent)
    if refunded > payment.refunded_fen:
        delta = refunded - payment.refunded_fen
        payment.refunded_fen = refunded
        payment.save(update_fields=["refunded_fen", "updated_at"])
        order_record_external_refund(order=order, refunded_fen=order.refunded_fen + delta)


def _refund_late_payment(
    payment: Payment, intent: dict, *, reason: str = "", unaccepted: bool = False, wrong_amount: bool = False
) -> None:
    """Money the order must not keep (closed order, duplicate, wrong amount): give all of it back.

    Refunds what the intent took and Stripe has not refunded yet, so it is idempotent. A refund
    that fails is kept in last_error and retried by the next delivery of the intent's events.
    An `unaccepted` payment (wrong amount, duplicate) stays failed while its money is not back, so
    it never counts as what paid the order. A wrong-amount payment always stays failed: its
    refunded_fen is not recorded (it may differ from the amount we asked for), last_error says it.
    """
    taken = int(intent.get("amount") or 0)
    outstanding = taken - max(_charge_refunded(intent), 0 if wrong_amount else payment.refunded_fen)
    refunded = outstanding <= 0
    if outstanding > 0:
        try:
            get_provider("stripe", require_available=False).refund(payment, outstanding)
        except PaymentError as exc:
            payment.last_error = str(exc)[:300]
        else:
            refunded = True
    if refunded:
        payment.last_error = (reason or _("Paid after the order had closed; refunded automatically."))[:300]
    if refunded and not wrong_amount:
        payment.refunded_fen = payment.amount_fen
        payment.state = PaymentState.SUCCEEDED
    else:
        payment.state = PaymentState.FAILED if unaccepted else PaymentState.SUCCEEDED
    payment.save(update_fields=["state", "refunded_fen", "last_error", "updated_at"])
