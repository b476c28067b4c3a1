"""Stubs (one per ticket, or one per delegation badge for group redemption), redemptions at a
store's counter and their reversals.

A stub is a ticketing Credential of kind "stub": its rotating code is that credential signed for
about a minute (tourism/services/stubs.py). Copies (host city, match day, origin area code) are taken
when the stub is issued so the settlement, the fraud flags and the city report read one table.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tourism.enums import StubSource

__all__ = ["UNKNOWN_ORIGIN", "Redemption", "Reversal", "Stub"]

UNKNOWN_ORIGIN = ""  # the area code of a stub without a real-name document: shown as "unknown"


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 characters: a random byte's low 5 bits pick one


def new_receipt_number() -> str:
    # Short, unambiguous (no 0/O/1/I), read out at a counter or typed into a till. Eleven random
    # bytes, each masked to 0..31 (uniform, as 256 is a multiple of 32): one call to the system's
    # randomness instead of eleven `secrets.choice` calls on every consume.
    return "R" + "".join(RECEIPT_ALPHABET[byte & 31] for byte in secrets.token_bytes(11))


class Stub(models.Model):
    credential = models.OneToOneField(
        "ticketing.Credential", on_delete=models.PROTECT, related_name="stub", verbose_name=_("credential")
    )
    source = models.CharField(_("source"), max_length=14, choices=StubSource, default=StubSource.TICKET)
    ticket = models.OneToOneField(
        "ticketing.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="stub"
    )
    badge = models.OneToOneField(
        "registration.Badge", on_delete=models.PROTECT, null=True, blank=True, related_name="stub"
    )
    delegation = models.ForeignKey(
        "registration.Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="stubs"
    )
    programme = models.ForeignKey("events.Programme", on_delete=models.PROTECT, related_name="stubs")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="stubs")
    session = models.ForeignKey(
        "events.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="stubs"
    )
    host_city = models.ForeignKey("events.City", on_delete=models.PROTECT, related_name="stubs")
    # The session's local day (relative validity counts from it); badges: the event's first day.
    match_day = models.DateField(_("match day"))
    # GB/T 2260 area code of a verified real-name document ("" = unknown); never the number.
    origin_area_code = models.CharField(_("origin area code"), max_length=6, blank=True)
    holder_label = models.CharField(_("holder (masked)"), max_length=120, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    # When its ticket was first admitted at a gate (copied from ticketing's check-in state).
    activated_at = models.DateTimeField(_("scanned in at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(source=StubSource.TICKET, ticket__isnull=False, badge__isnull=True)
                | Q(
                    source=StubSource.ACCREDITATION,
                    ticket__isnull=True,
                    badge__isnull=False,
                    delegation__isnull=False,
                ),
                name="stub_source_consistent",
            ),
            models.CheckConstraint(
                condition=Q(origin_area_code="") | Q(origin_area_code__regex=r"^[0-9]{6}$"),
                name="stub_origin_is_area_code",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "host_city", "match_day"]),
            models.Index(fields=["programme", "activated_at"]),
        ]
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("stub")
        verbose_name_plural = _("stubs")

    def __str__(self) -> str:
        return f"stub {str(self.credential.public_id)[:8]}" if self.credential_id else "stub"

    @property
    def is_group(self) -> bool:
        return self.source == StubSource.ACCREDITATION


class Redemption(models.Model):
    """One use of a stub for an offer at a store; never deleted (a mistake is reversed)."""

    stub = models.ForeignKey(Stub, on_delete=models.PROTECT, related_name="redemptions")
    offer = models.ForeignKey("tourism.Offer", on_delete=models.PROTECT, related_name="redemptions")
    merchant = models.ForeignKey("tourism.Merchant", on_delete=models.PROTECT, related_name="redemptions")
    store = models.ForeignKey("tourism.Store", on_delete=models.PROTECT, related_name="redemptions")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    # Set when a till (bearer token) redeemed: `staff` is then the owner who issued that till.
    till = models.ForeignKey(
        "tourism.Till",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redemptions",
        verbose_name=_("till"),
    )
    # The till's key: a repeated consume with the same key returns this row and changes nothing.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    receipt_number = models.CharField(
        _("receipt number"), max_length=12, unique=True, default=new_receipt_number
    )
    bill_fen = models.PositiveIntegerField(_("bill before discount (fen)"))
    discount_fen = models.PositiveIntegerField(_("discount (fen)"))
    subsidy_fen = models.PositiveIntegerField(_("subsidy (fen)"), default=0)
    head_count = models.PositiveSmallIntegerField(_("people"), default=1)
    origin_area_code = models.CharField(_("origin area code"), max_length=6, blank=True)
    delegation = models.ForeignKey(
        "registration.Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redeemed_at = models.DateTimeField(_("redeemed at"))
    business_day = models.DateField(_("day"))  # local (Asia/Shanghai) day of redeemed_at
    reversible_until = models.DateTimeField(_("reversible until"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "idempotency_key"], name="redemption_idempotency_key_unique"
            ),
            models.CheckConstraint(condition=Q(head_count__gte=1), name="redemption_head_count_positive"),
            models.CheckConstraint(
                condition=Q(subsidy_fen__lte=models.F("discount_fen")),
                name="redemption_subsidy_within_discount",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "business_day"]),
            models.Index(fields=["offer", "business_day"]),
            models.Index(fields=["stub", "merchant"]),
            models.Index(fields=["staff", "redeemed_at"]),
        ]
        ordering = ["-redeemed_at", "-pk"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self) -> str:
        return self.receipt_number


class Reversal(models.Model):
    """Undoing a redemption at the same store within its window: stock and budget are given back."""

    redemption = models.OneToOneField(Redemption, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(_("reason"), max_length=300)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reversed_at = models.DateTimeField(_("reversed at"))

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="reversal_has_reason")]
        ordering = ["-reversed_at", "-pk"]
        verbose_name = _("reversal")
        verbose_name_plural = _("reversals")

    def __str__(self) -> str:
        return f"{self.redemption} reversed"
