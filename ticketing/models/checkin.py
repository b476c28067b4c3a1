"""Gate check-in: who may scan (staff, devices), every scan made, and each credential's presence.

Everything keys on Credential, so tickets, accreditation badges and stubs pass the same gate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ticketing.enums import ScanDirection, ScanReason, ScanResult

__all__ = ["CheckInState", "GateDevice", "GateStaffAssignment", "Scan"]


class GateStaffAssignment(models.Model):
    """The gate-staff role: a person may scan for one event, or for every event at one venue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gate_assignments"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="gate_staff"
    )
    venue = models.ForeignKey(
        "events.Venue", on_delete=models.CASCADE, null=True, blank=True, related_name="gate_staff"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, venue__isnull=True)
                | Q(event__isnull=True, venue__isnull=False),
                name="gate_staff_event_xor_venue",
                violation_error_message=_("Assign gate staff to an event or to a venue, not both."),
            ),
            models.UniqueConstraint(
                fields=["user", "event"], condition=Q(event__isnull=False), name="gate_staff_event_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "venue"], condition=Q(venue__isnull=False), name="gate_staff_venue_unique"
            ),
        ]
        verbose_name = _("gate staff assignment")
        verbose_name_plural = _("gate staff assignments")

    def __str__(self) -> str:
        return f"{self.user} @ {self.event or self.venue}"


class GateDevice(models.Model):
    """A scanner app's bearer token, scoped to one event and some of its gates. Only its hash is kept."""

    name = models.CharField(pgettext_lazy("device", "name"), max_length=80)
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="gate_devices", verbose_name=_("event")
    )
    # The venue the scanner works at. A gate code is unique only within its venue, and an event's
    # sessions may use several venues, each with a "gate-a": the venue says which gate-a this is, so
    # a ticket for a session elsewhere is refused. Required for a new device of such an event
    # (`gate_device_create`); empty only on a device whose event uses one venue, or from before.
    venue = models.ForeignKey(
        "events.Venue",
        on_delete=models.PROTECT,
        related_name="gate_devices",
        verbose_name=_("venue"),
        null=True,
        blank=True,
    )
    # Gate codes (VenueResource.code) this device may scan at; empty means every gate of the event
    # (of its venue, when it has one).
    gates = models.JSONField(_("gates"), default=list, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gate device")
        verbose_name_plural = _("gate devices")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows_gate(self, gate_code: str) -> bool:
        return not self.gates or gate_code in self.gates


class Scan(models.Model):
    """One scan at a gate, admitted or refused, online or uploaded later. Never deleted."""

    # No single-column index on event or credential: the (event, scanned_at) and (credential,
    # scanned_at) indexes below serve every look-up by either, and each index is paid on every scan.
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="scans", db_index=False)
    credential = models.ForeignKey(
        "ticketing.Credential",
        on_delete=models.PROTECT,
        related_name="scans",
        null=True,
        blank=True,
        help_text=_("Empty when the code was forged or unknown."),
        db_index=False,
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    direction = models.CharField(_("direction"), max_length=5, choices=ScanDirection)
    result = models.CharField(_("result"), max_length=8, choices=ScanResult)
    reason = models.CharField(_("reason"), max_length=16, choices=ScanReason, blank=True)
    gate_code = models.CharField(_("gate"), max_length=50)
    device = models.ForeignKey(
        GateDevice, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned at"), help_text=_("Device time for offline scans."))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    offline = models.BooleanField(_("offline"), default=False)
    # What an offline device showed at the gate, when it says so (it may differ from the server's verdict).
    device_result = models.CharField(max_length=8, choices=ScanResult, blank=True)
    conflict = models.BooleanField(
        _("conflict"), default=False, help_text=_("Lost first-scan-wins against an earlier scan.")
    )
    # Copied from the credential when scanned: the database then holds the single-entry rule itself.
    single_entry = models.BooleanField(default=True)
    annulled_at = models.DateTimeField(_("annulled at"), null=True, blank=True)

    class Meta:
        constraints = [
            # One live admission per single-entry credential, ever (an annulled scan frees it again).
            models.UniqueConstraint(
                fields=["credential"],
                condition=Q(
                    direction=ScanDirection.ENTRY,
                    result=ScanResult.ADMITTED,
                    single_entry=True,
                    annulled_at__isnull=True,
                ),
                name="scan_single_entry_once",
            ),
            models.CheckConstraint(
                condition=Q(result=ScanResult.ADMITTED, reason="") | Q(result=ScanResult.REFUSED),
                name="scan_admission_has_no_reason",
            ),
            models.CheckConstraint(
                condition=Q(result=ScanResult.REFUSED) | Q(credential__isnull=False),
                name="scan_admission_has_credential",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "scanned_at"]),
            models.Index(fields=["credential", "scanned_at"]),
        ]
        ordering = ["-scanned_at", "-pk"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_result_display()} @ {self.gate_code}"

    @property
    def is_admitted(self) -> bool:
        return self.result == ScanResult.ADMITTED


class CheckInState(models.Model):
    """Where a credential is now (inside or not) and its last admitted entry. Updated under a row lock."""

    credential = models.OneToOneField(
        "ticketing.Credential", on_delete=models.CASCADE, primary_key=True, related_name="presence"
    )
    # Indexed by the (event, inside) index below, not on its own (an admitted scan writes this row).
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+", db_index=False)
    inside = models.BooleanField(_("inside"), default=False)
    entries = models.PositiveIntegerField(pgettext_lazy("admissions", "entries"), default=0)
    last_entry = models.ForeignKey(Scan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["event", "inside"])]
        verbose_name = _("check-in state")
        verbose_name_plural = _("check-in states")

    def __str__(self) -> str:
        return f"{self.credential} {'inside' if self.inside else 'outside'}"
