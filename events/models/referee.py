"""Revoked referee links. A referee link is signed and carries its scope and when it was issued; a
revocation row kills every link of its scope issued up to that moment (a lost phone), and records
who revoked it and when. Links issued afterwards, and every other scope's links, keep working."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models.catalogue import Event, VenueResource
from events.models.competition import Stage

__all__ = ["RefereeLinkRevocation"]


class RefereeLinkRevocation(models.Model):
    """One revocation: the links of one scope (a stage and pool, or a resource) issued up to
    `revoked_at` are refused. Rows are only ever added; they are the log of who revoked what."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="referee_revocations")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    pool = models.PositiveSmallIntegerField(null=True, blank=True)
    resource = models.ForeignKey(
        VenueResource, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(_("link"), max_length=120)
    revoked_at = models.DateTimeField(_("revoked at"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__isnull=False, resource__isnull=True)
                | Q(stage__isnull=True, resource__isnull=False, pool__isnull=True),
                name="referee_revocation_stage_or_resource",
            ),
        ]
        indexes = [models.Index(fields=["event", "stage", "pool", "resource"])]
        ordering = ["-revoked_at", "-pk"]
        verbose_name = _("revoked referee link")
        verbose_name_plural = _("revoked referee links")

    def __str__(self) -> str:
        return f"{self.event} · {self.label} · {self.revoked_at:%Y-%m-%d %H:%M}"
