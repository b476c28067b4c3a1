"""Payments of orders, their refunds, and the webhook deliveries already handled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ticketing.enums import PaymentState
from ticketing.models.sales import Order

__all__ = ["Payment", "PaymentRefund", "WebhookEvent"]


class Payment(models.Model):
    """One attempt to pay an order through one provider. A Stripe attempt is one PaymentIntent."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=20)
    intent_id = models.CharField(_("provider reference"), max_length=100, unique=True, null=True, blank=True)
    amount_fen = models.IntegerField(_("amount (fen)"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    state = models.CharField(_("state"), max_length=12, choices=PaymentState, default=PaymentState.CREATED)
    refunded_fen = models.IntegerField(_("refunded (fen)"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gte=0)
                & Q(refunded_fen__gte=0)
                & Q(refunded_fen__lte=F("amount_fen")),
                name="payment_amounts_consistent",
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen=0) | Q(state=PaymentState.SUCCEEDED),
                name="payment_refund_only_when_succeeded",
            ),
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.provider} {self.intent_id or self.pk}"


class PaymentRefund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.IntegerField(_("amount (fen)"))
    provider_refund_id = models.CharField(max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_refund_positive")]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.payment} −{self.amount_fen}"


class WebhookEvent(models.Model):
    """Every provider event id is stored once: a duplicate delivery finds it and changes nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}"
