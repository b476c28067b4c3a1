"""Partner merchants and their staff. Offers, stubs and redemptions are added by the stub-economy work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.i18n import BilingualMixin
from tourism.enums import MerchantCategory, MerchantRole


class Merchant(BilingualMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    city = models.ForeignKey("events.City", on_delete=models.PROTECT, related_name="merchants")
    category = models.CharField(_("category"), max_length=20, choices=MerchantCategory)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city__ordering", "slug"]
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")

    def __str__(self) -> str:
        return self.name


class MerchantMembership(models.Model):
    """Merchant staff of one merchant: the role that may redeem stubs at its counters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_roles"
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MerchantRole, default=MerchantRole.STAFF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "merchant"], name="merchant_membership_unique")
        ]
        verbose_name = _("merchant staff")
        verbose_name_plural = _("merchant staff")

    def __str__(self) -> str:
        return f"{self.user} · {self.merchant}"
