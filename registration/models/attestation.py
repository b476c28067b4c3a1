"""Document attestations ("verify, then discard", docs/architecture.md#childrens-data): an organiser checked an athlete's
document and the system keeps what was checked (type, last four characters), how, by whom and when.
There is no image field and there never will be: the document itself is seen and not kept.

One attestation per athlete is current (`superseded_at` empty); a new attestation, or a change of the
athlete's document number or type, supersedes it, so history is kept without ever showing a stale check
as current.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registration.enums import DocumentType

__all__ = ["ATTESTATION_NOTE_MAX", "AttestationMethod", "DocumentAttestation"]

ATTESTATION_NOTE_MAX = 200


class AttestationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Seen in person")
    VIDEO_CALL = "video_call", _("Seen on a video call")
    REGISTRY = "registry", _("Official registry check")


class DocumentAttestation(models.Model):
    """An organiser's statement that they checked the athlete's document.

    `document_type` and `last4` are copied from the athlete at the time, so the row still says what
    was checked after the athlete's record changes (the row is superseded then)."""

    athlete = models.ForeignKey(
        "registration.Athlete",
        on_delete=models.CASCADE,
        related_name="attestations",
        verbose_name=_("athlete"),
    )
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType)
    last4 = models.CharField(_("last four characters"), max_length=4, blank=True)
    method = models.CharField(_("how it was checked"), max_length=20, choices=AttestationMethod)
    # PROTECT like the reveal log: the record of who vouched for a document must not vanish.
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified by")
    )
    attested_at = models.DateTimeField(_("verified at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=ATTESTATION_NOTE_MAX, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["athlete"],
                condition=Q(superseded_at__isnull=True),
                name="attestation_one_current_per_athlete",
            ),
        ]
        ordering = ["-attested_at", "-pk"]
        verbose_name = _("document attestation")
        verbose_name_plural = _("document attestations")

    def __str__(self) -> str:
        return f"{self.athlete_id} · {self.get_document_type_display()} · {self.attested_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
