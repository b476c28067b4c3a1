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


class TicketKind(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")
    STUDENT = "student", _("Student")
    GROUP = "group", _("Group")
    FREE = "free", _("Free")


class TicketState(models.TextChoices):
    """A ticket counts against its quota while reserved (order unpaid) or valid (order paid)."""

    RESERVED = "reserved", _("Awaiting payment")
    VALID = "valid", _("Valid")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class OrderState(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")


class OrderLineKind(models.TextChoices):
    TICKET = "ticket", _("Tickets")
    FEE = "fee", _("Fee")


class PaymentState(models.TextChoices):
    CREATED = "created", _("Started")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class BallotApplicationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITING = "waiting", _("Drawn: on the waiting list")
    OFFERED = "offered", _("Won: awaiting payment")
    PAID = "paid", _("Won and paid")
    LAPSED = "lapsed", _("Won but not paid in time")


class ScanDirection(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class ScanResult(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")


class ScanReason(models.TextChoices):
    """Why a scan was refused (empty for an admission). The gate shows the label to staff."""

    FORGED = "forged", _("Forged or damaged code")
    ORDER_NUMBER = "order_number", _("This is an order number: scan a ticket")
    UNKNOWN = "unknown", _("Unknown credential")
    WRONG_EVENT = "wrong_event", _("Wrong event")
    WRONG_SESSION = "wrong_session", _("Wrong session")
    NOT_VALID_YET = "not_valid_yet", _("Not valid yet")
    EXPIRED = "expired", _("No longer valid")
    WRONG_GATE = "wrong_gate", _("Wrong gate")
    NOT_PAID = "not_paid", _("Not paid")
    REFUNDED = "refunded", _("Refunded")
    REVOKED = "revoked", _("Revoked")
    ALREADY_USED = "already_used", _("Already used")
    NOT_INSIDE = "not_inside", _("Not checked in")
    STALE_UPLOAD = "stale_upload", _("Uploaded too long after the scan to be trusted")
