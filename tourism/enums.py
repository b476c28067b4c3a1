"""Choices for the stub economy."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MerchantCategory(models.TextChoices):
    SCENIC_SPOT = "scenic_spot", _("Scenic spot")
    HOTEL = "hotel", _("Hotel")
    RESTAURANT = "restaurant", _("Restaurant")
    SHOP = "shop", _("Shop")
    EXPERIENCE = "experience", _("Experience")


class MerchantStatus(models.TextChoices):
    """An application waits for an organiser; only an approved merchant's offers are shown and redeemed."""

    APPLIED = "applied", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    SUSPENDED = "suspended", _("Suspended")


class MerchantRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Counter staff")


class OfferKind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage off the bill")
    FIXED = "fixed", _("Fixed amount off the bill")
    FREE_ENTRY = "free_entry", _("Free entry")
    GIFT = "gift", _("Gift")


class OfferStatus(models.TextChoices):
    """Offers without a subsidy go live at once; a subsidised offer waits for an organiser."""

    PENDING = "pending", _("Awaiting approval")
    LIVE = "live", _("Live")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer status", "Withdrawn")


class OfferScope(models.TextChoices):
    """Which tickets' stubs qualify."""

    PROGRAMME = "programme", _("Every session of the programme")
    EVENTS = "events", _("Chosen events")
    SESSIONS = "sessions", _("Chosen sessions")
    DISCIPLINES = "disciplines", _("Chosen sports")


class OfferOrigin(models.TextChoices):
    """Who qualifies by city of origin (known only from a real-name ticket's verified document)."""

    ANY = "any", _("Everyone")
    OUT_OF_TOWN = "out_of_town", _("Visitors from outside the host city")
    LISTED = "listed", _("Visitors from the listed cities")


class OfferValidity(models.TextChoices):
    ABSOLUTE = "absolute", _("Between two dates")
    RELATIVE = "relative", _("Relative to the match day")


class OfferWhere(models.TextChoices):
    HOST_CITY = "host_city", _("Stores in the match's host city")
    CITIES = "cities", _("Stores in the listed cities")
    STORES = "stores", _("The chosen stores")


class OfferActivation(models.TextChoices):
    ON_PURCHASE = "on_purchase", _("As soon as the ticket is paid")
    ON_SCAN_IN = "on_scan_in", _("Once the ticket was scanned in at the gate")


class OfferCheckLevel(models.TextChoices):
    SHOW_STUB = "show_stub", _("Show the stub")
    REAL_NAME = "real_name", _("Show the stub and an ID matching the masked name")


class StubSource(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    ACCREDITATION = "accreditation", _("Delegation accreditation")


class SettlementLineKind(models.TextChoices):
    REDEMPTION = "redemption", _("Redemption")
    REVERSAL = "reversal", _("Reversal")


class FraudFlagKind(models.TextChoices):
    TRAVEL = "travel", _("One stub at stores too far apart too quickly")
    REVERSALS_STORE = "reversals_store", _("Many reversals at a store")
    REVERSALS_STAFF = "reversals_staff", _("Many reversals by a staff member")
    OUTSIDE_HOURS = "outside_hours", _("Redeemed outside opening hours")
    BURST = "burst", _("Many stubs in one minute by one staff member")


class FraudFlagStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("flag status", "Open")
    DISMISSED = "dismissed", _("Dismissed")
    STORE_SUSPENDED = "suspended", _("Store suspended")
