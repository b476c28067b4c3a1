"""Reads for monthly settlement: a month's statement of a merchant's subsidised redemptions and
reversals, either as confirmed (frozen lines) or as it stands (what would be confirmed now).

A statement for a month holds everything of the merchant's subsidised offers dated up to the month's
end and not yet on a confirmed statement: the month's redemptions and reversals, and anything dated
earlier that came after its own month was confirmed (a late reversal), marked as carried over.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tourism.enums import MerchantRole, SettlementLineKind
from tourism.models import Merchant, Redemption, Reversal, SettlementStatement
from tourism.selectors.report import is_organiser_of


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(period: dt.date) -> dt.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def statement_number(merchant: Merchant, period: dt.date) -> str:
    return f"ST-{period:%Y%m}-{merchant.pk:05d}"


@dataclass(frozen=True)
class Item:
    """One line of a statement, confirmed or not."""

    redemption: Redemption
    kind: str
    at: dt.datetime
    bill_fen: int
    discount_fen: int
    subsidy_fen: int

    @property
    def day(self) -> dt.date:
        return timezone.localdate(self.at)


def _subsidised(merchant: Merchant) -> QuerySet[Redemption]:
    return Redemption.objects.filter(merchant=merchant, offer__subsidy_percent__gt=0).select_related(
        "store", "offer"
    )


def open_items(merchant: Merchant, period: dt.date) -> list[Item]:
    """What a statement for `period` would hold if confirmed now: subsidised redemptions and
    reversals dated up to the month's end that no confirmed statement holds yet, by time."""
    last = month_end(period)
    redemptions = (
        _subsidised(merchant)
        .filter(business_day__lte=last)
        .exclude(settlement_lines__kind=SettlementLineKind.REDEMPTION)
    )
    end_moment = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    reversals = (
        Reversal.objects.filter(redemption__in=_subsidised(merchant), reversed_at__lt=end_moment)
        .exclude(redemption__settlement_lines__kind=SettlementLineKind.REVERSAL)
        .select_related("redemption__store", "redemption__offer")
    )
    items = [
        Item(r, SettlementLineKind.REDEMPTION, r.redeemed_at, r.bill_fen, r.discount_fen, r.subsidy_fen)
        for r in redemptions
    ]
    items += [
        Item(
            v.redemption,
            SettlementLineKind.REVERSAL,
            v.reversed_at,
            -v.redemption.bill_fen,
            -v.redemption.discount_fen,
            -v.redemption.subsidy_fen,
        )
        for v in reversals
    ]
    return sorted(items, key=lambda item: (item.at, item.redemption.pk, item.kind))


def confirmed_items(statement: SettlementStatement) -> list[Item]:
    return [
        Item(line.redemption, line.kind, line.at, line.bill_fen, line.discount_fen, line.subsidy_fen)
        for line in statement.lines.select_related("redemption__store", "redemption__offer")
    ]


def statement_get(merchant: Merchant, period: dt.date) -> SettlementStatement | None:
    return (
        SettlementStatement.objects.filter(merchant=merchant, period=period)
        .select_related("confirmed_by")
        .first()
    )


def statement_items(merchant: Merchant, period: dt.date) -> tuple[SettlementStatement | None, list[Item]]:
    """The confirmed statement and its lines, or (None, the open items)."""
    statement = statement_get(merchant, period)
    return (statement, confirmed_items(statement)) if statement else (None, open_items(merchant, period))


def statement_months(merchant: Merchant, *, today: dt.date | None = None) -> list[dt.date]:
    """Months worth listing for a merchant, newest first: every confirmed one, and each month with
    subsidised redemptions or reversals up to this one."""
    today = today or timezone.localdate()
    months = set(SettlementStatement.objects.filter(merchant=merchant).values_list("period", flat=True))
    for day in _subsidised(merchant).values_list("business_day", flat=True).distinct():
        months.add(month_start(day))
    months = {month for month in months if month <= month_start(today)}
    return sorted(months, reverse=True)


def merchants_for_settlement(programme) -> QuerySet[Merchant]:
    """A programme's merchants with a subsidised offer, for the organiser's settlement list."""
    return (
        Merchant.objects.filter(programme=programme, offers__subsidy_percent__gt=0)
        .select_related("city")
        .distinct()
        .order_by("city__ordering", "slug")
    )


def merchant_for_settlement(user, pk: int) -> tuple[Merchant, bool]:
    """The merchant whose statements this person may read, and whether as organiser (who may also
    confirm): organisers of its programme with two-factor passed, superusers likewise, and the
    merchant's owner. Anyone else: Merchant.DoesNotExist."""
    merchant = Merchant.objects.select_related("programme", "city").get(pk=pk)
    if merchant.programme_id is not None and is_organiser_of(user, merchant.programme):
        return merchant, True
    if user.is_authenticated and merchant.memberships.filter(user=user, role=MerchantRole.OWNER).exists():
        return merchant, False
    raise Merchant.DoesNotExist


def statement_months_by_merchant(merchants, *, today: dt.date | None = None) -> dict[int, list[dt.date]]:
    """`statement_months` for many merchants in two queries (the organiser's list)."""
    today = today or timezone.localdate()
    ids = [merchant.pk for merchant in merchants]
    months: dict[int, set[dt.date]] = {pk: set() for pk in ids}
    for merchant_id, period in SettlementStatement.objects.filter(merchant_id__in=ids).values_list(
        "merchant_id", "period"
    ):
        months[merchant_id].add(period)
    redeemed = (
        Redemption.objects.filter(merchant_id__in=ids, offer__subsidy_percent__gt=0)
        .annotate(month=TruncMonth("business_day"))
        .values_list("merchant_id", "month")
        .order_by()
        .distinct()
    )
    for merchant_id, month in redeemed:
        months[merchant_id].add(month)
    return {
        pk: sorted((m for m in found if m <= month_start(today)), reverse=True)
        for pk, found in months.items()
    }
