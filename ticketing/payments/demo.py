"""The demo provider for `make run` without Stripe keys: no money moves. Refused unless PAYMENT_DEMO_ENABLED."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ticketing.payments.base import NextStep, Provider


class DemoProvider(Provider):
    identifier = "demo"
    label = _("Demo payment – no money moves")
    description = _("For trying Corridor out. Only switched on in development.")

    def is_available(self) -> bool:
        return bool(settings.PAYMENT_DEMO_ENABLED)

    def start(self, payment) -> NextStep:
        return NextStep(kind="demo")

    def refund(self, payment, amount_fen: int) -> str:
        return f"demo-refund-{payment.pk}-{payment.refunded_fen + amount_fen}"
