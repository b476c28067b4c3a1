"""Offers: what a stub unlocks at a merchant, for whom, when, where, how often, and who pays.

`redeemed_count` and `subsidy_spent_fen` are running totals kept under the offer's row lock by the
redemption services (tourism/services/redemptions.py): the database refuses a row that overspends
its stock or its subsidy budget, so a race that slipped past the lock still could not overspend.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.i18n import BilingualMixin, pick
from ticketing.money import format_fen
from tourism.enums import (
    OfferActivation,
    OfferCheckLevel,
    OfferKind,
    OfferOrigin,
    OfferScope,
    OfferStatus,
    OfferValidity,
    OfferWhere,
)

__all__ = ["Offer"]


class Offer(BilingualMixin, models.Model):
    merchant = models.ForeignKey("tourism.Merchant", on_delete=models.CASCADE, related_name="offers")
    programme = models.ForeignKey(
        "events.Programme", on_delete=models.PROTECT, related_name="offers", verbose_name=_("programme")
    )
    name_zh = models.CharField(_("title (Chinese)"), max_length=120)
    name_en = models.CharField(_("title (English)"), max_length=120)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus, default=OfferStatus.PENDING)

    # What it gives.
    kind = models.CharField(_("kind"), max_length=12, choices=OfferKind)
    percent_off = models.PositiveSmallIntegerField(_("percent off"), null=True, blank=True)
    amount_off_fen = models.PositiveIntegerField(_("amount off (fen)"), null=True, blank=True)
    # Free entry and gifts: the list price waived or the gift's value, which the discount records.
    value_fen = models.PositiveIntegerField(_("value (fen)"), null=True, blank=True)
    max_discount_fen = models.PositiveIntegerField(_("largest discount (fen)"), null=True, blank=True)
    min_bill_fen = models.PositiveIntegerField(_("smallest bill (fen)"), default=0)

    # Which stubs qualify.
    scope = models.CharField(_("valid for"), max_length=12, choices=OfferScope, default=OfferScope.PROGRAMME)
    events = models.ManyToManyField("events.Event", blank=True, related_name="+", verbose_name=_("events"))
    sessions = models.ManyToManyField(
        "events.Session", blank=True, related_name="+", verbose_name=_("sessions")
    )
    disciplines = models.JSONField(_("sports"), default=list, blank=True)
    origin = models.CharField(
        _("city of origin"), max_length=12, choices=OfferOrigin, default=OfferOrigin.ANY
    )
    # GB/T 2260 prefixes ("3206" Nantong, "31" Shanghai) for OfferOrigin.LISTED.
    origin_area_prefixes = models.JSONField(_("origin area codes"), default=list, blank=True)
    for_ticket_holders = models.BooleanField(_("ticket holders"), default=True)
    # BadgeRole values (athlete, coach, chaperone): those delegations' accreditations redeem as a group.
    accreditation_roles = models.JSONField(_("accreditation holders"), default=list, blank=True)
    activation = models.CharField(
        _("activation"), max_length=12, choices=OfferActivation, default=OfferActivation.ON_PURCHASE
    )
    check_level = models.CharField(
        _("check at the counter"), max_length=10, choices=OfferCheckLevel, default=OfferCheckLevel.SHOW_STUB
    )

    # When.
    validity = models.CharField(
        _("validity"), max_length=10, choices=OfferValidity, default=OfferValidity.RELATIVE
    )
    valid_from = models.DateField(pgettext_lazy("date", "from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    # Relative to the session's local day: 0 is match day, 2 is two days after.
    days_from = models.SmallIntegerField(_("from day"), default=0)
    days_until = models.SmallIntegerField(_("until day"), default=0)
    time_from = models.TimeField(_("from time"), null=True, blank=True)
    time_until = models.TimeField(_("until time"), null=True, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)  # Monday 0; empty: every day

    # Where.
    where = models.CharField(_("where"), max_length=10, choices=OfferWhere, default=OfferWhere.HOST_CITY)
    cities = models.ManyToManyField("events.City", blank=True, related_name="+", verbose_name=_("cities"))
    stores = models.ManyToManyField(
        "tourism.Store", blank=True, related_name="offers", verbose_name=_("stores")
    )

    # How often and how much.
    per_stub_limit = models.PositiveSmallIntegerField(
        _("uses per stub at this merchant"), null=True, blank=True, default=1
    )
    per_person_store_limit = models.PositiveSmallIntegerField(
        _("uses per person per store"), null=True, blank=True
    )
    daily_limit = models.PositiveIntegerField(_("uses per day"), null=True, blank=True)
    total_stock = models.PositiveIntegerField(_("total stock"), null=True, blank=True)
    party_size = models.PositiveSmallIntegerField(_("people one stub covers"), default=1)
    exclusions = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("not combinable with")
    )
    reversal_window_minutes = models.PositiveSmallIntegerField(_("reversal window (minutes)"), default=30)

    # Who pays: a subsidised offer's share of each discount is paid back by the city or organiser.
    subsidy_percent = models.PositiveSmallIntegerField(_("subsidised share of the discount (%)"), default=0)
    subsidy_budget_fen = models.PositiveBigIntegerField(_("subsidy budget (fen)"), null=True, blank=True)

    # Moved on by every change of the terms above (offer_update, offer_decide, offer_withdraw, and an
    # edit of another offer that joins or leaves this one's exclusions), under this row's lock: a
    # consume judged on a read without the lock writes only if it is unchanged (tourism/services/
    # redemptions.py), so an edit that committed meanwhile is obeyed.
    terms_version = models.PositiveIntegerField(_("terms version"), default=0, editable=False)

    # Running totals, changed only under this row's lock.
    redeemed_count = models.PositiveIntegerField(_("redeemed"), default=0)
    subsidy_spent_fen = models.PositiveBigIntegerField(_("subsidy spent (fen)"), default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=OfferKind.PERCENTAGE) & Q(percent_off__gte=1, percent_off__lte=100))
                | (~Q(kind=OfferKind.PERCENTAGE) & Q(percent_off__isnull=True)),
                name="offer_percent_iff_percentage",
                violation_error_message=_("A percentage offer takes 1 to 100 percent off; other kinds none."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=OfferKind.FIXED) & Q(amount_off_fen__gte=1))
                | (~Q(kind=OfferKind.FIXED) & Q(amount_off_fen__isnull=True)),
                name="offer_amount_iff_fixed",
                violation_error_message=_("A fixed-amount offer needs the amount; other kinds none."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[OfferKind.FREE_ENTRY, OfferKind.GIFT], value_fen__isnull=False)
                | (~Q(kind__in=[OfferKind.FREE_ENTRY, OfferKind.GIFT]) & Q(value_fen__isnull=True)),
                name="offer_value_iff_free_or_gift",
                violation_error_message=_("Free entry and gifts need their value; other kinds none."),
            ),
            models.CheckConstraint(
                condition=Q(validity=OfferValidity.RELATIVE, days_until__gte=F("days_from"))
                | Q(
                    validity=OfferValidity.ABSOLUTE,
                    valid_from__isnull=False,
                    valid_until__isnull=False,
                    valid_until__gte=F("valid_from"),
                ),
                name="offer_validity_consistent",
                violation_error_message=_("The offer must end on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=Q(time_from__isnull=True, time_until__isnull=True)
                | Q(time_from__isnull=False, time_until__isnull=False, time_until__gt=F("time_from")),
                name="offer_time_of_day_consistent",
                violation_error_message=_("Give both times of day, the end after the start."),
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="offer_party_at_least_one"),
            models.CheckConstraint(
                condition=Q(subsidy_percent__lte=100), name="offer_subsidy_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(total_stock__isnull=True) | Q(redeemed_count__lte=F("total_stock")),
                name="offer_stock_not_overspent",
                violation_error_message=_("This offer has no stock left."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy_budget_fen__isnull=True)
                | Q(subsidy_spent_fen__lte=F("subsidy_budget_fen")),
                name="offer_budget_not_overspent",
                violation_error_message=_("This offer's subsidy budget is spent."),
            ),
            models.CheckConstraint(
                condition=Q(status=OfferStatus.REFUSED, refusal_reason__gt="")
                | ~Q(status=OfferStatus.REFUSED),
                name="offer_refusal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]
        ordering = ["merchant", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return pick(self.description_zh, self.description_en)

    @property
    def benefit(self) -> str:
        """What the offer gives, in a few words ("20% off", "¥30.00 off", "Free entry (¥80.00)")."""
        if self.kind == OfferKind.PERCENTAGE:
            return _("%(percent)d%% off") % {"percent": self.percent_off}
        if self.kind == OfferKind.FIXED:
            return _("%(amount)s off") % {"amount": format_fen(self.amount_off_fen)}
        if self.kind == OfferKind.FREE_ENTRY:
            return _("Free entry (worth %(amount)s)") % {"amount": format_fen(self.value_fen)}
        return _("A gift worth %(amount)s") % {"amount": format_fen(self.value_fen)}

    @property
    def is_subsidised(self) -> bool:
        return self.subsidy_percent > 0

    @property
    def is_live(self) -> bool:
        return self.status == OfferStatus.LIVE

    @property
    def stock_left(self) -> int | None:
        return None if self.total_stock is None else self.total_stock - self.redeemed_count

    @property
    def budget_left_fen(self) -> int | None:
        return None if self.subsidy_budget_fen is None else self.subsidy_budget_fen - self.subsidy_spent_fen
