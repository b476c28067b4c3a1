"""Accounts, delegations and teams, athletes with their protected documents, entries and eligibility rules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.i18n import BilingualMixin
from events.storage import private_storage
from registration.enums import (
    AgeRuleKind,
    AthleteAccessKind,
    AthleteSex,
    DelegationKind,
    DocumentType,
    EntryStatus,
    GuardianRelationship,
    MembershipRole,
    RevealPurpose,
    SexAllowed,
)


class CorridorUserManager(UserManager):
    """Users log in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = CorridorUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class Delegation(BilingualMixin, models.Model):
    """A city bureau's, club's or school's group of athletes and staff for one programme."""

    programme = models.ForeignKey(
        "events.Programme", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("programme")
    )
    city = models.ForeignKey(
        "events.City", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("city")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DelegationKind)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name_zh"], name="delegation_name_unique_in_programme"
            ),
        ]
        ordering = ["city__ordering", "name_zh", "pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registration:delegation-detail", kwargs={"pk": self.pk})


class DelegationMembership(models.Model):
    """A person's role in a delegation; an open invitation until a logged-in user accepts it.

    The invitation token is sent once by email and only its SHA-256 is stored.
    """

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegation_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole)
    invited_email = models.EmailField(_("invited email"), blank=True)
    invitation_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "delegation"], name="delegation_membership_unique"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(invitation_token_hash=""),
                name="delegation_membership_user_or_invitation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False),
                name="delegation_membership_accepted_has_user",
            ),
        ]
        ordering = ["delegation", "role", "pk"]
        verbose_name = _("delegation membership")
        verbose_name_plural = _("delegation memberships")

    def __str__(self) -> str:
        who = self.user or self.invited_email
        return f"{who} · {self.delegation} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None


class Team(models.Model):
    """A delegation's entry unit for one event (a relay, a boat crew, or the delegation's fencers)."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("delegation")
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="teams", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "event", "name"], name="team_name_unique_per_event"
            ),
        ]
        ordering = ["event__start_date", "name", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("registration:team-detail", kwargs={"pk": self.pk})


def athlete_photo_path(instance, filename: str) -> str:
    """A random name: the uploaded file name is often the child's name or ID number."""
    return f"athletes/photos/{uuid.uuid4().hex}.jpg"


class Athlete(models.Model):
    """A child or young person on a delegation's roster.

    The document number is never stored in clear: `document_number_encrypted` is a MultiFernet token
    (registration.crypto), `document_hash` an HMAC over the normalised number to find the same person
    on two rosters, `document_last4` what lists may show.
    """

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="athletes", verbose_name=_("delegation")
    )
    family_name_zh = models.CharField(_("family name (Chinese)"), max_length=40, blank=True)
    given_name_zh = models.CharField(_("given name (Chinese)"), max_length=40, blank=True)
    name_latin = models.CharField(
        _("name in Latin letters"), max_length=120, help_text=_("As on the passport, e.g. ZHANG Wei.")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=AthleteSex)
    birth_date = models.DateField(_("birth date"))
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType)
    document_number_encrypted = models.TextField(editable=False)
    document_hash = models.CharField(max_length=64, editable=False, db_index=True)
    document_last4 = models.CharField(max_length=4, editable=False)
    # Precomputed `310101********002X` so lists never decrypt anything.
    document_masked = models.CharField(_("document (masked)"), max_length=24, editable=False, default="")
    # Private storage: a child's photo is served only by a view that checks the role.
    photo = models.ImageField(_("photo"), upload_to=athlete_photo_path, storage=private_storage, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=80)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Retention (DOMAIN §4: the shortest retention that serves the purpose).
    retain_until = models.DateField(_("keep until"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "document_hash"], name="athlete_document_unique_in_delegation"
            ),
        ]
        ordering = ["family_name_zh", "given_name_zh", "name_latin", "pk"]
        verbose_name = _("athlete")
        verbose_name_plural = _("athletes")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("registration:athlete-detail", kwargs={"pk": self.pk})

    @property
    def name_zh(self) -> str:
        return f"{self.family_name_zh}{self.given_name_zh}"

    @property
    def display_name(self) -> str:
        if self.name_zh and self.name_latin:
            return f"{self.name_zh} ({self.name_latin})"
        return self.name_zh or self.name_latin


class Guardian(models.Model):
    athlete = models.ForeignKey(
        Athlete, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("athlete")
    )
    name = models.CharField(_("name"), max_length=80)
    relationship = models.CharField(_("relationship"), max_length=20, choices=GuardianRelationship)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["athlete", "pk"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class Entry(models.Model):
    """An athlete entered in an event for a team. `event` repeats `team.event` for the constraint."""

    athlete = models.ForeignKey(
        Athlete, on_delete=models.CASCADE, related_name="entries", verbose_name=_("athlete")
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="entries", verbose_name=_("team"))
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="entries", verbose_name=_("event")
    )
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus, default=EntryStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "event"],
                condition=~Q(status=EntryStatus.WITHDRAWN),
                name="entry_one_team_per_event_per_athlete",
                violation_error_message=_("This athlete is already entered in this event for a team."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]
        ordering = ["team", "athlete", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.athlete} · {self.event} · {self.get_status_display()}"


class EventEligibility(models.Model):
    """Who may enter one event: the age rule, sex, roster size and events per athlete, as data.

    Age rules: a birth-year window (min/max birth year); age on a date (min/max age on
    `reference_date`, the event's first day when empty); or the season cut-off (age on
    `cutoff_month`/`cutoff_day` of the event's year). Playing up lets athletes up to
    `playing_up_groups` × `group_span_years` years younger than the group's youngest bound enter.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="eligibility", verbose_name=_("event")
    )
    age_rule = models.CharField(_("age rule"), max_length=20, choices=AgeRuleKind, default=AgeRuleKind.NONE)
    min_birth_year = models.PositiveSmallIntegerField(
        _("earliest birth year"),
        null=True,
        blank=True,
        help_text=_("Oldest athletes allowed, e.g. 2014 for U12."),
    )
    max_birth_year = models.PositiveSmallIntegerField(
        _("latest birth year"), null=True, blank=True, help_text=_("Youngest athletes allowed.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    reference_date = models.DateField(
        _("age on date"), null=True, blank=True, help_text=_("Empty: the event's first day.")
    )
    cutoff_month = models.PositiveSmallIntegerField(_("season cut-off month"), null=True, blank=True)
    cutoff_day = models.PositiveSmallIntegerField(_("season cut-off day"), null=True, blank=True)
    allow_playing_up = models.BooleanField(_("allow playing up"), default=False)
    playing_up_groups = models.PositiveSmallIntegerField(_("groups an athlete may play up"), default=1)
    group_span_years = models.PositiveSmallIntegerField(_("years per age group"), default=2)
    sex_allowed = models.CharField(
        _("sex allowed"), max_length=10, choices=SexAllowed, default=SexAllowed.FROM_CATEGORY
    )
    roster_min = models.PositiveSmallIntegerField(_("minimum roster"), null=True, blank=True)
    roster_max = models.PositiveSmallIntegerField(_("maximum roster"), null=True, blank=True)
    max_events_per_athlete = models.PositiveSmallIntegerField(
        _("maximum events per athlete"),
        null=True,
        blank=True,
        help_text=_("Counted across the programme; empty for no limit."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_birth_year__isnull=True)
                | Q(max_birth_year__isnull=True)
                | Q(max_birth_year__gte=F("min_birth_year")),
                name="eligibility_birth_years_ordered",
                violation_error_message=_("The latest birth year cannot be before the earliest."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="eligibility_ages_ordered",
                violation_error_message=_("The maximum age cannot be below the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(roster_min__isnull=True)
                | Q(roster_max__isnull=True)
                | Q(roster_max__gte=F("roster_min")),
                name="eligibility_roster_ordered",
                violation_error_message=_("The maximum roster cannot be below the minimum."),
            ),
            models.CheckConstraint(
                condition=~Q(age_rule=AgeRuleKind.SEASON_CUTOFF)
                | Q(cutoff_month__gte=1, cutoff_month__lte=12, cutoff_day__gte=1, cutoff_day__lte=31),
                name="eligibility_season_cutoff_has_date",
                violation_error_message=_("A season cut-off needs a month and a day."),
            ),
        ]
        verbose_name = _("event eligibility")
        verbose_name_plural = _("event eligibility rules")

    def __str__(self) -> str:
        return f"{self.event} · {self.get_age_rule_display()}"


class DocumentReveal(models.Model):
    """Every time an organiser saw a full document number: who, whose, when and why. No IP is kept."""

    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("revealed by")
    )
    # SET_NULL so the log outlives the athlete's record under retention; the label keeps it readable.
    athlete = models.ForeignKey(
        Athlete, on_delete=models.SET_NULL, null=True, related_name="reveals", verbose_name=_("athlete")
    )
    athlete_label = models.CharField(max_length=200)
    delegation = models.ForeignKey(Delegation, on_delete=models.SET_NULL, null=True, related_name="+")
    document_last4 = models.CharField(max_length=4)
    purpose = models.CharField(_("purpose"), max_length=20, choices=RevealPurpose)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document reveal")
        verbose_name_plural = _("document reveals")

    def __str__(self) -> str:
        return f"{self.revealed_by} · {self.athlete_label} · {self.created_at:%Y-%m-%d %H:%M}"


class AthleteAccess(models.Model):
    """An organiser (or anyone outside the athlete's delegation) read a child's record: who, whose,
    when and how (DOMAIN §4: least-privilege access with logged reads). Members of the delegation
    are not logged: the roster is theirs."""

    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    # SET_NULL so the log outlives the athlete's record under retention; the label keeps it readable.
    athlete = models.ForeignKey(
        Athlete, on_delete=models.SET_NULL, null=True, related_name="accesses", verbose_name=_("athlete")
    )
    athlete_label = models.CharField(max_length=200)
    delegation = models.ForeignKey(Delegation, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("what"), max_length=10, choices=AthleteAccessKind)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("athlete record read")
        verbose_name_plural = _("athlete record reads")

    def __str__(self) -> str:
        return f"{self.accessed_by} · {self.athlete_label} · {self.get_kind_display()}"


from registration.models_accreditation import *  # noqa: E402,F403
from registration.models_attestation import *  # noqa: E402,F403
from registration.models_fees import *  # noqa: E402,F403
from registration.models_paperwork import *  # noqa: E402,F403
from registration.models_workflow import *  # noqa: E402,F403
