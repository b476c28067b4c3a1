"""Athletes with their protected documents, their guardians, and the logs of who read or revealed them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.storage import private_storage
from registration.enums import (
    AthleteAccessKind,
    AthleteGrade,
    AthleteSex,
    DocumentType,
    GuardianRelationship,
    RevealPurpose,
)
from registration.models.delegations import Delegation

__all__ = ["Athlete", "AthleteAccess", "DocumentReveal", "Guardian", "athlete_photo_path"]


def athlete_photo_path(instance, filename: str) -> str:
    """A random name: the uploaded file name is often the child's name or ID number."""
    return f"athletes/photos/{uuid.uuid4().hex}.jpg"


class Athlete(models.Model):
    """A child or young person on a delegation's roster.

    The document number is never stored in clear: `document_number_encrypted` is a MultiFernet token
    (registration/services/encryption.py), `document_hash` an HMAC over the normalised number to find the same person
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
    grade = models.CharField(
        _("technical grade"), max_length=20, choices=AthleteGrade, default=AthleteGrade.NONE
    )
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
    # Retention: the shortest that serves the purpose (docs/architecture.md#childrens-data).
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
    when and how (least-privilege access with logged reads: docs/architecture.md#childrens-data). Members of the delegation
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
