"""Entry fees per event (per team or per athlete, with an optional deposit) and the charges made
through ticketing's payment layer (one fee order line per charge, `reference` = "regfee:<pk>")."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["EventFee", "FeeBasis", "FeeCharge", "FeeChargeState", "FeePart"]


class FeeBasis(models.TextChoices):
    TEAM = "team", _("Per team")
    ATHLETE = "athlete", _("Per athlete")


class FeePart(models.TextChoices):
    FULL = "full", _("Full fee")
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")


class FeeChargeState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class EventFee(models.Model):
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="entry_fee")
    basis = models.CharField(_("charged"), max_length=10, choices=FeeBasis, default=FeeBasis.ATHLETE)
    amount_fen = models.PositiveIntegerField(_("fee (fen)"))
    deposit_fen = models.PositiveIntegerField(
        _("deposit (fen)"), default=0, help_text=_("0: no deposit, the full fee is paid at once.")
    )
    payment_required_before_approval = models.BooleanField(
        _("payment required before approval"),
        default=False,
        help_text=_("The deposit (or the full fee when there is none) must be paid before approval."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_fen__lte=F("amount_fen")),
                name="event_fee_deposit_not_above_fee",
                violation_error_message=_("The deposit cannot be more than the fee."),
            ),
        ]
        verbose_name = _("entry fee")
        verbose_name_plural = _("entry fees")

    def __str__(self) -> str:
        return f"{self.event} · {self.amount_fen} fen"

    @property
    def balance_fen(self) -> int:
        return self.amount_fen - self.deposit_fen


class FeeCharge(models.Model):
    """One part of one fee (team or athlete) on one order. Paid when ticketing fires order-paid."""

    team = models.ForeignKey("registration.Team", on_delete=models.CASCADE, related_name="fee_charges")
    athlete = models.ForeignKey(
        "registration.Athlete", on_delete=models.CASCADE, null=True, blank=True, related_name="fee_charges"
    )
    part = models.CharField(_("part"), max_length=10, choices=FeePart)
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    order = models.ForeignKey(
        "ticketing.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=FeeChargeState, default=FeeChargeState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "athlete", "part"],
                condition=Q(state__in=["pending", "paid"], athlete__isnull=False),
                name="fee_charge_one_live_per_athlete_part",
            ),
            models.UniqueConstraint(
                fields=["team", "part"],
                condition=Q(state__in=["pending", "paid"], athlete__isnull=True),
                name="fee_charge_one_live_per_team_part",
            ),
        ]
        ordering = ["team", "athlete", "part", "pk"]
        verbose_name = _("fee charge")
        verbose_name_plural = _("fee charges")

    def __str__(self) -> str:
        return f"{self.reference} · {self.state}"

    @property
    def reference(self) -> str:
        return f"regfee:{self.pk}"
