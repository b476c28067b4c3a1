"""Consent per purpose (PIPL: a guardian's separate consent for each purpose for under-14s), the
versioned rules text each consent refers to, one-time guardian links, and the safety paperwork:
risk notice with voluntary participation declaration, accident insurance, health certificate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.i18n import BilingualMixin

__all__ = [
    "Consent",
    "ConsentGiver",
    "ConsentLink",
    "ConsentMethod",
    "ConsentPurpose",
    "ConsentRulesText",
    "HealthRecord",
    "InsuranceProof",
    "SafetyDeclaration",
]


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration for the competition")
    HEALTH = "health", _("Health data")
    PHOTOS = "photos", _("Photos and video")
    TRANSFER_ABROAD = "transfer_abroad", _("Transfer of data abroad")
    MARKETING = "marketing", _("Marketing messages")


class ConsentGiver(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    ATHLETE = "athlete", _("Athlete")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper, recorded by the team manager")
    LINK = "link", _("Given by the guardian through an emailed link")
    IN_PERSON = "in_person", _("Given in person")


class ConsentRulesText(BilingualMixin, models.Model):
    """The published rules for processing children's personal data, one row per version (never edited
    once published: a change is a new version, and each consent names the version it agreed to)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("rules text for children's data")
        verbose_name_plural = _("rules texts for children's data")

    def __str__(self) -> str:
        return f"{self.version} · {self.title_en}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def body(self) -> str:
        return self.localized("body")


class Consent(models.Model):
    """One consent (or the guardian's declaration for 14–17s) for one purpose. A withdrawal sets
    `withdrawn_at`; the row is kept as the record of what was agreed and when."""

    athlete = models.ForeignKey(
        "registration.Athlete", on_delete=models.CASCADE, related_name="consents", verbose_name=_("athlete")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver)
    guardian = models.ForeignKey(
        "registration.Guardian", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted = models.BooleanField(_("granted"), default=False)
    rules_text = models.ForeignKey(
        ConsentRulesText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("rules text")
    )
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "purpose", "given_by"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]
        ordering = ["athlete", "purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.athlete_id} · {self.purpose} · {self.given_by} · {self.granted}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ConsentLink(models.Model):
    """A one-time link emailed to a guardian: only the token's SHA-256 is stored."""

    athlete = models.ForeignKey("registration.Athlete", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("registration.Guardian", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("guardian consent link")
        verbose_name_plural = _("guardian consent links")

    def __str__(self) -> str:
        return f"link {self.pk} · athlete {self.athlete_id}"


class SafetyDeclaration(models.Model):
    """The risk notice read and the voluntary participation declaration signed by the athlete and
    (for minors) the guardian. Not a liability waiver: Chinese law voids waivers of liability for
    personal injury (Civil Code art. 506), so nothing here asks anyone to give up a claim."""

    athlete = models.OneToOneField(
        "registration.Athlete", on_delete=models.CASCADE, related_name="safety_declaration"
    )
    risk_notice_version = models.CharField(_("risk notice version"), max_length=20)
    athlete_signed_at = models.DateTimeField(_("signed by the athlete"), null=True, blank=True)
    guardian_signed_at = models.DateTimeField(_("signed by the guardian"), null=True, blank=True)
    guardian_name = models.CharField(_("guardian who signed"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("risk notice and participation declaration")
        verbose_name_plural = _("risk notices and participation declarations")

    def __str__(self) -> str:
        return f"declaration · athlete {self.athlete_id}"


class InsuranceProof(models.Model):
    """Proof of accident insurance; it must cover travel to and from the event."""

    athlete = models.OneToOneField("registration.Athlete", on_delete=models.CASCADE, related_name="insurance")
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60)
    covers_travel = models.BooleanField(_("covers travel"))
    valid_from = models.DateField(pgettext_lazy("document", "valid from"))
    valid_until = models.DateField(pgettext_lazy("document", "valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="insurance_valid_dates_ordered",
                violation_error_message=_("The insurance must end after it starts."),
            ),
        ]
        verbose_name = _("accident insurance proof")
        verbose_name_plural = _("accident insurance proofs")

    def __str__(self) -> str:
        return f"{self.insurer} · athlete {self.athlete_id}"


class HealthRecord(models.Model):
    """The health certificate's date (a safety requirement) and optional health notes, which are
    health data: kept only with the health-data consent and erased when it is withdrawn."""

    athlete = models.OneToOneField("registration.Athlete", on_delete=models.CASCADE, related_name="health")
    certificate_date = models.DateField(_("health certificate date"), null=True, blank=True)
    notes = models.TextField(_("health notes (allergies, conditions)"), blank=True)
    notes_erased_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("health record")
        verbose_name_plural = _("health records")

    def __str__(self) -> str:
        return f"health · athlete {self.athlete_id}"
