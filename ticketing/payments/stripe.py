"""Stripe PaymentIntents in CNY with card, Alipay and WeChat Pay; the Payment Element confirms in the browser.

Only webhooks (ticketing/services/payments.py) mark an order paid, after re-fetching the intent.
`stripe` is imported inside the functions: it is heavy and unused when Stripe is not configured.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ticketing.errors import PaymentGatewayError
from ticketing.payments.base import NextStep, Provider

PAYMENT_METHOD_TYPES = ["card", "alipay", "wechat_pay"]


def stripe_api():
    """The stripe module configured from settings (the key and, for localstripe, the API base)."""
    import stripe  # noqa: PLC0415  heavy optional library (stripe), loaded only when used

    stripe.api_key = settings.STRIPE_SECRET_KEY
    if settings.STRIPE_API_BASE:
        stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 1
    return stripe


def intent_retrieve(intent_id: str) -> dict:
    """The intent as Stripe has it now, with its latest charge expanded (amount refunded lives there)."""
    stripe = stripe_api()
    try:
        intent = stripe.PaymentIntent.retrieve(intent_id, expand=["latest_charge"])
    except stripe.StripeError as exc:
        raise PaymentGatewayError(
            gettext("The payment service could not be reached. Please try again.")
        ) from exc
    return intent.to_dict()


def intent_cancel(intent_id: str) -> bool:
    """Cancel an intent the buyer left (switched to another method), so it can no longer take money.

    Returns False when Stripe refuses (the intent is already final: succeeded, processing or
    cancelled) or cannot be reached: a success that still arrives is refunded by the webhook.
    """
    stripe = stripe_api()
    try:
        stripe.PaymentIntent.cancel(intent_id, idempotency_key=f"corridor-cancel-{intent_id}")
    except stripe.StripeError:
        return False
    return True


class StripeProvider(Provider):
    identifier = "stripe"
    label = _("Card, Alipay or WeChat Pay")
    description = _("Paid securely through Stripe.")

    def is_available(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    def start(self, payment) -> NextStep:
        stripe = stripe_api()
        try:
            intent = stripe.PaymentIntent.create(
                amount=payment.amount_fen,
                currency=payment.currency.lower(),
                payment_method_types=PAYMENT_METHOD_TYPES,
                payment_method_options={"wechat_pay": {"client": "web"}},
                metadata={"order": payment.order.code, "payment": str(payment.pk)},
                idempotency_key=f"corridor-payment-{payment.pk}",
            )
        except stripe.StripeError as exc:
            raise PaymentGatewayError(
                gettext("The payment service could not be reached. Please try again.")
            ) from exc
        payment.intent_id = intent["id"]
        return NextStep(
            kind="stripe",
            client_secret=intent["client_secret"],
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        )

    def refund(self, payment, amount_fen: int) -> str:
        stripe = stripe_api()
        try:
            refund = stripe.Refund.create(
                payment_intent=payment.intent_id,
                amount=amount_fen,
                idempotency_key=f"corridor-refund-{payment.pk}-{payment.refunded_fen}-{amount_fen}",
            )
        except stripe.StripeError as exc:
            raise PaymentGatewayError(
                gettext("The refund could not be made: %(error)s") % {"error": exc.user_message or exc}
            ) from exc
        return refund["id"]
