"""Choices for ticketing. Sales choices and check-in choices live side by side here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    """What a signed code stands for. The gate scanner admits every kind through the same path."""

    TICKET = "ticket", _("Ticket")
    BADGE = "badge", _("Accreditation badge")
    STUB = "stub", _("Ticket stub")


class CredentialState(models.TextChoices):
    ACTIVE = "active", _("Valid")
    UNPAID = "unpaid", _("Not paid")
    REVOKED = "revoked", _("Revoked")
    REFUNDED = "refunded", _("Refunded")
