"""Free orders: nothing to pay, the order is paid when placed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ticketing.payments.base import NextStep, Provider


class FreeProvider(Provider):
    identifier = "free"
    label = _("Free")
    selectable = False

    def start(self, payment) -> NextStep:
        return NextStep(kind="paid")

    def refund(self, payment, amount_fen: int) -> str:
        return ""
