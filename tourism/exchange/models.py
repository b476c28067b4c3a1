"""Experiences and their slots, bookings, itinerary segments, chaperone credentials and ratios,
roll-calls with their marks, guardian links and handovers.

Children are referenced, never copied: a roll-call mark, a booking or a handover points at the
registration `Athlete` (and `Guardian`); when registration anonymises a child, the callback in
`services/reactions.py` deletes these rows (a guardian's deletion cascades to links and handovers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.i18n import BilingualMixin
from tourism.exchange.enums import (
    BookingStatus,
    CredentialKind,
    ExperienceKind,
    MarkMethod,
    SegmentKind,
    SegmentStatus,
)

__all__ = [
    "AgeBandRatio",
    "Booking",
    "ChaperoneCredential",
    "Experience",
    "ExperienceSlot",
    "GuardianLink",
    "Handover",
    "RollCall",
    "RollCallMark",
    "Segment",
]


class Experience(BilingualMixin, models.Model):
    """A company visit, heritage workshop or sightseeing trip offered to a programme's delegations."""

    programme = models.ForeignKey(
        "events.Programme", on_delete=models.CASCADE, related_name="experiences", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExperienceKind)
    name_zh = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    host_zh = models.CharField(_("host (Chinese)"), max_length=160)
    host_en = models.CharField(_("host (English)"), max_length=160, blank=True)
    venue = models.ForeignKey(
        "events.Venue", on_delete=models.PROTECT, related_name="experiences", verbose_name=_("venue")
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=0)
    children_per_adult = models.PositiveSmallIntegerField(
        _("children per adult"), default=10, help_text=_("At most this many children for each chaperone.")
    )
    safety_notes_zh = models.TextField(_("safety notes (Chinese)"), blank=True)
    safety_notes_en = models.TextField(_("safety notes (English)"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExperienceKind.values), name="experience_kind_valid"),
            models.CheckConstraint(condition=Q(children_per_adult__gte=1), name="experience_ratio_positive"),
        ]
        ordering = ["programme", "name_zh", "pk"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self) -> str:
        return self.name

    @property
    def host(self) -> str:
        return self.localized("host")

    @property
    def safety_notes(self) -> str:
        return self.localized("safety_notes")


class ExperienceSlot(models.Model):
    """One time an experience runs, with its places. Bookings lock this row (services/experiences.py)."""

    experience = models.ForeignKey(
        Experience, on_delete=models.CASCADE, related_name="slots", verbose_name=_("experience")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
        ]
        ordering = ["starts_at", "pk"]
        verbose_name = _("experience slot")
        verbose_name_plural = _("experience slots")

    def __str__(self) -> str:
        return f"{self.experience} · {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """A place for one named member of a delegation (an athlete or an adult member) on a slot.

    Confirmed and offered places count against the capacity; waitlisted ones wait in `created_at`
    order and are offered a freed place in that order.
    """

    slot = models.ForeignKey(ExperienceSlot, on_delete=models.CASCADE, related_name="bookings")
    delegation = models.ForeignKey(
        "registration.Delegation", on_delete=models.CASCADE, related_name="exchange_bookings"
    )
    athlete = models.ForeignKey(
        "registration.Athlete", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        "registration.DelegationMembership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
            models.CheckConstraint(
                condition=Q(athlete__isnull=False, membership__isnull=True)
                | Q(athlete__isnull=True, membership__isnull=False),
                name="booking_one_person",
            ),
            models.UniqueConstraint(
                fields=["slot", "athlete"],
                condition=~Q(status=BookingStatus.CANCELLED) & Q(athlete__isnull=False),
                name="booking_athlete_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "membership"],
                condition=~Q(status=BookingStatus.CANCELLED) & Q(membership__isnull=False),
                name="booking_member_once_per_slot",
            ),
        ]
        ordering = ["slot", "created_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.slot} · {self.get_status_display()}"


class AgeBandRatio(models.Model):
    """A programme's chaperone ratio for children younger than `under_age`: one adult for at most
    `children_per_adult` of them. The youngest band that fits a child applies."""

    programme = models.ForeignKey(
        "events.Programme",
        on_delete=models.CASCADE,
        related_name="chaperone_ratios",
        verbose_name=_("programme"),
    )
    under_age = models.PositiveSmallIntegerField(_("younger than"))
    children_per_adult = models.PositiveSmallIntegerField(_("children per adult"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "under_age"], name="ratio_band_unique"),
            models.CheckConstraint(condition=Q(children_per_adult__gte=1), name="ratio_positive"),
        ]
        ordering = ["programme", "under_age"]
        verbose_name = _("chaperone ratio")
        verbose_name_plural = _("chaperone ratios")

    def __str__(self) -> str:
        return f"< {self.under_age}: 1/{self.children_per_adult}"


class ChaperoneCredential(models.Model):
    """One check of an adult member (identity, first aid, signed declaration) valid between two dates."""

    membership = models.ForeignKey(
        "registration.DelegationMembership", on_delete=models.CASCADE, related_name="exchange_credentials"
    )
    kind = models.CharField(
        pgettext_lazy("qualification", "credential"), max_length=12, choices=CredentialKind
    )
    valid_from = models.DateField(pgettext_lazy("document", "valid from"))
    valid_until = models.DateField(pgettext_lazy("document", "valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CredentialKind.values), name="credential_kind_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="chaperone_credential_window"
            ),
        ]
        ordering = ["membership", "kind", "-valid_until"]
        verbose_name = _("chaperone credential")
        verbose_name_plural = _("chaperone credentials")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from}–{self.valid_until}"


class Segment(BilingualMixin, models.Model):
    """One line of a delegation's itinerary: a match, training, experience, meal, transfer or lodging.

    A transfer runs from `origin` to `venue` in a vehicle, with the driver's contact. `flagged_at`
    is set when the schedule moved the match or session this segment is built on (services/reactions.py).
    """

    delegation = models.ForeignKey(
        "registration.Delegation", on_delete=models.CASCADE, related_name="exchange_segments"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SegmentKind)
    title_zh = models.CharField(_("title (Chinese)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        "events.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue"),
    )
    origin = models.ForeignKey(
        "events.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("place", "from"),
    )
    session = models.ForeignKey(
        "events.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match = models.ForeignKey(
        "events.Match", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    slot = models.ForeignKey(
        ExperienceSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vehicle = models.CharField(_("vehicle"), max_length=80, blank=True)
    driver_name = models.CharField(_("driver"), max_length=80, blank=True)
    driver_phone = models.CharField(_("driver's phone"), max_length=30, blank=True)
    athletes = models.ManyToManyField("registration.Athlete", blank=True, related_name="+")
    chaperones = models.ManyToManyField("registration.DelegationMembership", blank=True, related_name="+")
    lead = models.ForeignKey(
        "registration.DelegationMembership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead chaperone"),
    )
    status = models.CharField(_("status"), max_length=10, choices=SegmentStatus, default=SegmentStatus.DRAFT)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="segment_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=SegmentKind.values), name="segment_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=SegmentStatus.values), name="segment_status_valid"),
        ]
        ordering = ["delegation", "starts_at", "pk"]
        verbose_name = _("itinerary segment")
        verbose_name_plural = _("itinerary segments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:segment-detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return self.localized("title")


class RollCall(models.Model):
    """A head count at a transfer: everyone on the segment must be marked present by `due_at`, or the
    roll-call raises an alert to the lead chaperone and the organisers until the last one is found."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="rollcalls")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("everyone present by"))
    alert_raised_at = models.DateTimeField(null=True, blank=True)
    alert_cleared_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "pk"]
        verbose_name = _("roll-call")
        verbose_name_plural = _("roll-calls")

    def __str__(self) -> str:
        return f"{self.segment} · {self.opened_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:rollcall-detail", kwargs={"pk": self.pk})

    @property
    def alert_open(self) -> bool:
        return self.alert_raised_at is not None and self.alert_cleared_at is None


class RollCallMark(models.Model):
    """A child found present: a reference to the athlete, nothing copied. `nonce` makes uploads idempotent."""

    rollcall = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="marks")
    athlete = models.ForeignKey("registration.Athlete", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=6, choices=MarkMethod)
    nonce = models.CharField(max_length=64, unique=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rollcall", "athlete"], name="rollcall_mark_once"),
        ]
        ordering = ["rollcall", "marked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.rollcall_id} · {self.athlete_id}"


class GuardianLink(models.Model):
    """A guardian's private link to their own child's itinerary, and the PIN they show at handover.

    Only hashes are stored; the link and the PIN are sent once, to the guardian.
    """

    guardian = models.ForeignKey("registration.Guardian", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    pin_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.guardian_id} · {self.expires_at:%Y-%m-%d}"


class Handover(models.Model):
    """A child handed to a listed guardian after the guardian's PIN was checked. One per child and delegation."""

    delegation = models.ForeignKey("registration.Delegation", on_delete=models.CASCADE, related_name="+")
    athlete = models.ForeignKey("registration.Athlete", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("registration.Guardian", on_delete=models.CASCADE, related_name="+")
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delegation", "athlete"], name="handover_once_per_child"),
        ]
        ordering = ["-handed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.athlete_id} → {self.guardian_id}"
