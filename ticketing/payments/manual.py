"""Bank transfer or invoice (group orders): the organiser marks the order paid on the organiser pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ticketing.payments.base import NextStep, Provider


class ManualProvider(Provider):
    identifier = "manual"
    label = _("Bank transfer or invoice")
    description = _(
        "For group orders. Pay by bank transfer quoting the order number; the organiser confirms it."
    )

    def start(self, payment) -> NextStep:
        return NextStep(kind="instructions")

    def refund(self, payment, amount_fen: int) -> str:
        # The organiser transfers the money back by hand; the refund row records that it is owed.
        return ""
