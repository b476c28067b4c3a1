"""The entry workflow's records: per-event registration settings (roster deadline, capacity), the
append-only transition ledger, substitution requests after the lock, and waitlist places."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registration.enums import EntryStatus

__all__ = [
    "EntryTransition",
    "EventRegistrationSettings",
    "SubstitutionRequest",
    "SubstitutionStatus",
    "WaitlistPlace",
    "WaitlistState",
]


class EventRegistrationSettings(models.Model):
    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="registration_settings",
        verbose_name=_("event"),
    )
    roster_deadline = models.DateTimeField(
        _("roster deadline"), null=True, blank=True, help_text=_("Rosters lock at this moment.")
    )
    capacity = models.PositiveIntegerField(
        pgettext_lazy("entries", "capacity"),
        null=True,
        blank=True,
        help_text=_("Athletes the event takes; empty for no limit."),
    )
    offer_hours = models.PositiveSmallIntegerField(_("hours to accept a waitlist offer"), default=48)
    locked_at = models.DateTimeField(_("rosters locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event registration settings")
        verbose_name_plural = _("event registration settings")

    def __str__(self) -> str:
        return f"{self.event} · {self.roster_deadline}"


class EntryTransition(models.Model):
    """One row per status change of an entry. Never updated or deleted: the history is the ledger."""

    entry = models.ForeignKey(
        "registration.Entry", on_delete=models.CASCADE, related_name="transitions", verbose_name=_("entry")
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("entry transition")
        verbose_name_plural = _("entry transitions")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status} -> {self.to_status}"

    @property
    def from_label(self) -> str:
        """The status before, in the reader's language ("" for the first row)."""
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language when the system wrote it; a person's words as written."""
        if self.reason in SYSTEM_REASONS:
            return str(SYSTEM_REASONS[self.reason])
        number = self.reason.removeprefix("substitution #")
        if number != self.reason and number.isdigit():
            return _("substitution #%(number)s") % {"number": number}
        return self.reason


# Reasons the workflow services write themselves (registration/services/workflow.py), shown translated.
SYSTEM_REASONS = {
    "roster deadline": _("roster deadline"),
    "place offered": _("place offered"),
    "waitlist offer accepted": _("waitlist offer accepted"),
    "released by the team manager": _("released by the team manager"),
    "offer expired": _("offer expired"),
}


def _status_label(status: str) -> str:
    return str(EntryStatus(status).label) if status in EntryStatus.values else status


class SubstitutionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the organiser")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SubstitutionRequest(models.Model):
    """After the lock: swap one entered athlete for another, with a reason and an organiser's decision."""

    entry = models.ForeignKey(
        "registration.Entry", on_delete=models.CASCADE, related_name="substitutions", verbose_name=_("entry")
    )
    replacement = models.ForeignKey(
        "registration.Athlete", on_delete=models.CASCADE, related_name="+", verbose_name=_("replacement")
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubstitutionStatus, default=SubstitutionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    new_entry = models.ForeignKey(
        "registration.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="pending"),
                name="substitution_one_pending_per_entry",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="substitution_decided_has_time",
            ),
        ]
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("substitution request")
        verbose_name_plural = _("substitution requests")

    def __str__(self) -> str:
        return f"substitution {self.pk} · entry {self.entry_id} · {self.status}"


class WaitlistState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Place offered")
    ACCEPTED = "accepted", _("Accepted")
    RELEASED = "released", _("Released")


class WaitlistPlace(models.Model):
    """An entry waiting for a place in a full event; places are offered in `queued_at` order."""

    entry = models.OneToOneField(
        "registration.Entry", on_delete=models.CASCADE, related_name="waitlist_place"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="waitlist_places")
    state = models.CharField(_("state"), max_length=10, choices=WaitlistState, default=WaitlistState.WAITING)
    queued_at = models.DateTimeField(db_index=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
                name="waitlist_offer_has_expiry",
            ),
        ]
        ordering = ["event", "queued_at", "pk"]
        verbose_name = _("waitlist place")
        verbose_name_plural = _("waitlist places")

    def __str__(self) -> str:
        return f"waitlist · entry {self.entry_id} · {self.state}"
