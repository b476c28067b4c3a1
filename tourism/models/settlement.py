"""Monthly settlement of subsidised offers: a statement per merchant and month, frozen once the
organiser confirms it.

A statement row exists only once confirmed: before that, the month's statement is worked out from
the redemptions (tourism/selectors/settlement.py). Confirming copies every line (each redemption and
each reversal of a subsidised offer, with its amounts) and the totals, so later changes never alter
a confirmed statement; a redemption or reversal is settled once (unique per redemption and kind),
and anything dated in a confirmed month but recorded after it (a late reversal) falls into the next
statement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tourism.enums import SettlementLineKind

__all__ = ["SettlementLine", "SettlementStatement"]


class SettlementStatement(models.Model):
    merchant = models.ForeignKey(
        "tourism.Merchant", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("merchant")
    )
    period = models.DateField(_("month"))  # its first day
    number = models.CharField(_("statement number"), max_length=32, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    redemptions = models.PositiveIntegerField(_("redemptions"))
    reversals = models.PositiveIntegerField(_("reversals"))
    bill_fen = models.BigIntegerField(_("bills (fen)"))
    discount_fen = models.BigIntegerField(_("discounts (fen)"))
    subsidy_fen = models.BigIntegerField(_("subsidy owed (fen)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["merchant", "period"], name="settlement_once_per_merchant_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="settlement_period_is_a_month"),
        ]
        ordering = ["-period", "merchant"]
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")

    def __str__(self) -> str:
        return self.number


class SettlementLine(models.Model):
    """One redemption (positive) or reversal (negative) on a confirmed statement, amounts copied."""

    statement = models.ForeignKey(SettlementStatement, on_delete=models.PROTECT, related_name="lines")
    redemption = models.ForeignKey(
        "tourism.Redemption", on_delete=models.PROTECT, related_name="settlement_lines"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SettlementLineKind)
    at = models.DateTimeField(_("when"))
    bill_fen = models.BigIntegerField(_("bill (fen)"))
    discount_fen = models.BigIntegerField(_("discount (fen)"))
    subsidy_fen = models.BigIntegerField(_("subsidy (fen)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["redemption", "kind"], name="settlement_line_settled_once"),
            models.CheckConstraint(
                condition=Q(kind=SettlementLineKind.REDEMPTION, subsidy_fen__gte=0)
                | Q(kind=SettlementLineKind.REVERSAL, subsidy_fen__lte=0),
                name="settlement_line_sign_follows_kind",
            ),
        ]
        ordering = ["at", "pk"]
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")

    def __str__(self) -> str:
        return f"{self.statement} · {self.redemption} · {self.kind}"
