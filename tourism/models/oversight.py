"""Oversight of the stub economy: fraud flags organisers work through, and city bureau viewers who
read the city report for their city.

Flags are written by tourism/services/fraud.py from the pure rules in tourism/services/fraud_rules.py;
each flag's `key` names the rule and the rows it is about, so checking again updates the flag
instead of adding another, and a dismissed flag stays dismissed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tourism.enums import FraudFlagKind, FraudFlagStatus

__all__ = ["CityReportViewer", "FraudFlag"]


class FraudFlag(models.Model):
    merchant = models.ForeignKey("tourism.Merchant", on_delete=models.CASCADE, related_name="fraud_flags")
    store = models.ForeignKey(
        "tourism.Store", on_delete=models.CASCADE, null=True, blank=True, related_name="fraud_flags"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FraudFlagKind)
    key = models.CharField(max_length=120, unique=True)
    redemptions = models.ManyToManyField("tourism.Redemption", related_name="fraud_flags", blank=True)
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FraudFlagStatus, default=FraudFlagStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(pgettext_lazy("flag", "last seen"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FraudFlagStatus.OPEN) | (Q(resolved_at__isnull=False) & ~Q(note="")),
                name="fraud_flag_resolution_has_note",
            ),
        ]
        indexes = [models.Index(fields=["merchant", "status"])]
        ordering = ["status", "-last_seen_at", "-pk"]
        verbose_name = _("fraud flag")
        verbose_name_plural = _("fraud flags")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.merchant}"


class CityReportViewer(models.Model):
    """A city culture-and-tourism bureau's reader: the programme's city report, for one host city."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_report_roles"
    )
    programme = models.ForeignKey("events.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("events.City", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "city"], name="city_report_viewer_unique")
        ]
        verbose_name = _("city report viewer")
        verbose_name_plural = _("city report viewers")

    def __str__(self) -> str:
        return f"{self.user} · {self.city}"
