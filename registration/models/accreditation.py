"""Accreditation badges (athletes, coaches, chaperones) on ticketing's signed Credential, so the same
gate scanner admits them, and the background jobs that render badge sheets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.storage import PrivateUploadTo, private_storage

__all__ = ["Badge", "BadgeRole", "BadgeSheetJob", "BadgeSheetState"]


class BadgeRole(models.TextChoices):
    ATHLETE = "athlete", _("Athlete")
    COACH = "coach", _("Coach")
    CHAPERONE = "chaperone", _("Chaperone")


class Badge(models.Model):
    credential = models.OneToOneField("ticketing.Credential", on_delete=models.PROTECT, related_name="badge")
    delegation = models.ForeignKey("registration.Delegation", on_delete=models.CASCADE, related_name="badges")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="badges")
    role = models.CharField(_("role"), max_length=10, choices=BadgeRole)
    entry = models.ForeignKey(
        "registration.Entry", on_delete=models.CASCADE, null=True, blank=True, related_name="badges"
    )
    membership = models.ForeignKey(
        "registration.DelegationMembership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badges",
    )
    # The name as printed: never a document number or a birth date.
    holder_label = models.CharField(_("name on the badge"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(revoked_at__isnull=True), name="badge_one_live_per_entry"
            ),
            models.UniqueConstraint(
                fields=["membership", "event"],
                condition=Q(revoked_at__isnull=True),
                name="badge_one_live_per_staff_event",
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | Q(membership__isnull=False), name="badge_has_holder"
            ),
        ]
        ordering = ["event", "role", "holder_label", "pk"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        # Not the holder (often a child): a badge's str lands in the admin's log of changes.
        return f"{self.get_role_display()} #{self.pk}"


class BadgeSheetState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", pgettext_lazy("badge sheet", "Ready")
    FAILED = "failed", _("Failed")


class BadgeSheetJob(models.Model):
    delegation = models.ForeignKey(
        "registration.Delegation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey("events.Programme", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=BadgeSheetState, default=BadgeSheetState.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Children's names and live badge codes: private storage, a random name, served by a view only.
    file = models.FileField(upload_to=PrivateUploadTo("badges"), storage=private_storage, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("badge sheet job")
        verbose_name_plural = _("badge sheet jobs")

    def __str__(self) -> str:
        return f"badge sheet {self.pk} · {self.state}"

    @property
    def percent(self) -> int:
        return (
            100
            if self.state == BadgeSheetState.DONE
            else (self.done * 100 // self.total if self.total else 0)
        )
