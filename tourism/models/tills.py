"""Tills: a merchant's cash register integration or counter tablet, authenticated at the counter API by
a bearer token (issued once by the merchant's owner, only its SHA-256 kept), bound to one store."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["Till"]


class Till(models.Model):
    """A till redeems at its own store only, as the owner who issued it (recorded on each redemption
    next to the till itself), until it is revoked."""

    store = models.ForeignKey(
        "tourism.Store", on_delete=models.CASCADE, related_name="tills", verbose_name=_("store")
    )
    name = models.CharField(pgettext_lazy("device", "name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="till_has_name"),
        ]
        ordering = ["store", "pk"]
        verbose_name = _("till")
        verbose_name_plural = _("tills")

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
