"""Choices for the exchange programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperienceKind(models.TextChoices):
    COMPANY_VISIT = "company_visit", _("Company visit")
    HERITAGE_WORKSHOP = "heritage_workshop", _("Heritage workshop")
    SIGHTSEEING = "sightseeing", _("Sightseeing")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    OFFERED = "offered", _("Place offered")
    CANCELLED = "cancelled", _("Cancelled")


class SegmentKind(models.TextChoices):
    MATCH = "match", _("Match")
    TRAINING = "training", _("Training")
    EXPERIENCE = "experience", _("Experience")
    MEAL = "meal", _("Meal")
    TRANSFER = "transfer", _("Transfer")
    LODGING = "lodging", _("Lodging")


class SegmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


class CredentialKind(models.TextChoices):
    IDENTITY = "identity", _("Identity checked")
    FIRST_AID = "first_aid", _("First aid")
    DECLARATION = "declaration", _("Declaration signed")


class MarkMethod(models.TextChoices):
    SCAN = "scan", _("Badge scanned")
    TICK = "tick", _("Ticked on the list")
