"""Partner merchants: the application (credit code, category, city, accepted terms), the organiser's
decision, their stores (address, coordinates, opening hours) and their staff with store-bound
invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.i18n import BilingualMixin, pick
from tourism.enums import MerchantCategory, MerchantRole, MerchantStatus
from tourism.validators import is_open_at, validate_opening_hours

__all__ = ["Merchant", "MerchantMembership", "MerchantTerms", "Store"]


class MerchantTerms(models.Model):
    """A published version of the merchant terms; never edited once published (a change is a new version)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("merchant terms")
        verbose_name_plural = _("merchant terms")

    def __str__(self) -> str:
        return self.version

    @property
    def text(self) -> str:
        return pick(self.text_zh, self.text_en)


class Merchant(BilingualMixin, models.Model):
    """A business that applied to a programme's stub economy; only an approved one redeems stubs."""

    slug = models.SlugField(_("slug"), unique=True)
    programme = models.ForeignKey(
        "events.Programme",
        on_delete=models.PROTECT,
        related_name="merchants",
        verbose_name=_("programme"),
        null=True,
        blank=True,
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # GB 32100-2015, validated with its check character; public business information, not personal data.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    city = models.ForeignKey("events.City", on_delete=models.PROTECT, related_name="merchants")
    category = models.CharField(
        pgettext_lazy("merchant", "category"), max_length=20, choices=MerchantCategory
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MerchantStatus, default=MerchantStatus.APPLIED
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    terms = models.ForeignKey(
        MerchantTerms,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merchants",
        verbose_name=_("accepted terms"),
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "credit_code"],
                condition=~Q(credit_code=""),
                name="merchant_credit_code_once_per_programme",
                violation_error_message=_("A merchant with this credit code has already applied."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MerchantStatus.REFUSED) | ~Q(refusal_reason=""),
                name="merchant_refusal_has_reason",
                violation_error_message=_("A refusal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(terms__isnull=True) | Q(terms_accepted_at__isnull=False),
                name="merchant_terms_accepted_when",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]
        ordering = ["city__ordering", "slug"]
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == MerchantStatus.APPROVED


class Store(BilingualMixin, models.Model):
    """One counter location of a merchant: where stubs are redeemed."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="stores")
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    city = models.ForeignKey(
        "events.City", on_delete=models.PROTECT, related_name="stores", verbose_name=_("city")
    )
    address_zh = models.CharField(_("address (Chinese)"), max_length=200)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    # {"0": [["10:00", "22:00"]], ...} by weekday, Monday "0", local time; empty means always open.
    opening_hours = models.JSONField(
        _("opening hours"), default=dict, blank=True, validators=[validate_opening_hours]
    )
    # An organiser may suspend a store (a fraud flag): its counter then redeems nothing.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_reason = models.CharField(_("reason for suspension"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
                violation_error_message=_("Latitude must be within ±90 and longitude within ±180."),
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | ~Q(suspended_reason=""),
                name="store_suspension_has_reason",
            ),
        ]
        ordering = ["merchant", "pk"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return f"{self.merchant} · {self.name}"

    @property
    def address(self) -> str:
        return pick(self.address_zh, self.address_en)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def is_open_at(self, local_moment) -> bool:
        return is_open_at(self.opening_hours, local_moment)


class MerchantMembership(models.Model):
    """A person's role at a merchant: the owner (every store) or counter staff (one store, or every
    store when `store` is empty). Open as an invitation bound to the invited address until that
    account accepts; the token goes out by email once and only its SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="merchant_roles",
        null=True,
        blank=True,
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MerchantRole, default=MerchantRole.STAFF)
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("store"),
        help_text=_("Empty: every store of the merchant."),
    )
    invited_email = models.EmailField(_("invited email"), blank=True)
    invitation_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "merchant"], name="merchant_membership_unique"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(invitation_token_hash=""),
                name="merchant_membership_user_or_invitation",
            ),
            models.CheckConstraint(
                condition=~Q(role=MerchantRole.OWNER) | Q(store__isnull=True),
                name="merchant_owner_has_every_store",
            ),
        ]
        verbose_name = _("merchant staff")
        verbose_name_plural = _("merchant staff")

    def __str__(self) -> str:
        return f"{self.user or self.invited_email} · {self.merchant}"

    @property
    def is_pending(self) -> bool:
        return self.user_id is None
