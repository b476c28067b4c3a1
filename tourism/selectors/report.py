"""Reads for the city report and the merchant home: who may see which programme and city, and the
rows `report_figures` adds up. Redemptions that were reversed are left out of every figure.

The city a redemption counts under is its store's city (where the money was spent), which is what a
city's bureau asks about; out-of-town means a holder whose document's prefecture differs from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from events.models import City, Programme
from events.rules import two_factor_passed
from tourism.enums import MerchantCategory, MerchantRole
from tourism.models import CityReportViewer, FraudFlag, Merchant, MerchantMembership, Redemption, Store, Stub
from tourism.selectors.report_figures import CityReport, RedemptionRow, city_report


def is_organiser_of(user, programme: Programme) -> bool:
    """Programme organisers and superusers, with two-factor passed in this session."""
    if not two_factor_passed(user):
        return False
    return user.is_superuser or user.programme_roles.filter(programme=programme).exists()


def programmes_reportable_by(user) -> QuerySet[Programme]:
    """Programmes whose city report this person may open: as organiser (two-factor passed) or as a
    city bureau viewer."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if two_factor_passed(user) and user.is_superuser:
        return Programme.objects.all()
    viewer = Q(pk__in=CityReportViewer.objects.filter(user=user).values("programme_id"))
    if two_factor_passed(user):
        viewer |= Q(pk__in=user.programme_roles.values("programme_id"))
    return Programme.objects.filter(viewer).distinct()


@dataclass(frozen=True)
class ReportScope:
    programme: Programme
    cities: QuerySet[City]  # the cities this person may choose
    organiser: bool  # may see every city, fraud flags and settlements


def report_scope(user, programme: Programme) -> ReportScope:
    """What one person may see of a programme's report (call after `programmes_reportable_by`)."""
    organiser = is_organiser_of(user, programme)
    cities = City.objects.filter(stores__merchant__programme=programme).distinct()
    if not organiser:
        cities = City.objects.filter(
            pk__in=CityReportViewer.objects.filter(user=user, programme=programme).values("city_id")
        )
    return ReportScope(programme=programme, cities=cities.order_by("ordering", "slug"), organiser=organiser)


def _redemptions(programme: Programme, *, city: City | None, start: dt.date, end: dt.date):
    queryset = Redemption.objects.filter(
        stub__programme=programme, business_day__range=(start, end), reversal__isnull=True
    )
    return queryset.filter(store__city=city) if city else queryset


def report_rows(
    programme: Programme, *, city: City | None, start: dt.date, end: dt.date
) -> list[RedemptionRow]:
    """One plain row per redemption that stands, in one query."""
    categories = dict(MerchantCategory.choices)
    cities = {c.pk: c for c in City.objects.all()}
    merchants = {m.pk: m.name for m in Merchant.objects.filter(programme=programme)}
    values = _redemptions(programme, city=city, start=start, end=end).values_list(
        "stub_id",
        "business_day",
        "store__city_id",
        "merchant__category",
        "merchant_id",
        "origin_area_code",
        "bill_fen",
        "discount_fen",
        "subsidy_fen",
    )
    return [
        RedemptionRow(
            stub_id=stub_id,
            day=day,
            host_key=cities[city_id].slug,
            host_label=cities[city_id].name,
            category_key=category,
            category_label=str(categories.get(category, category)),
            merchant_id=merchant_id,
            merchant_label=merchants.get(merchant_id, str(merchant_id)),
            area_code=area,
            bill_fen=bill,
            discount_fen=discount,
            subsidy_fen=subsidy,
        )
        for stub_id, day, city_id, category, merchant_id, area, bill, discount, subsidy in values
    ]


def stub_counts(programme: Programme, *, city: City | None, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Stubs issued and stubs activated (scanned in) for matches in the period (and the city)."""
    stubs = Stub.objects.filter(programme=programme, match_day__range=(start, end))
    if city:
        stubs = stubs.filter(host_city=city)
    counts = stubs.aggregate(issued=Count("pk"), activated=Count("pk", filter=Q(activated_at__isnull=False)))
    return counts["issued"], counts["activated"]


def city_report_for(programme: Programme, *, city: City | None, start: dt.date, end: dt.date) -> CityReport:
    issued, activated = stub_counts(programme, city=city, start=start, end=end)
    rows = report_rows(programme, city=city, start=start, end=end)
    days = [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]
    return city_report(rows, issued=issued, activated=activated, days=days)


# --- The merchant home -----------------------------------------------------------------------------


def memberships_for(user) -> QuerySet[MerchantMembership]:
    """This person's accepted memberships (owner or counter staff), with merchant and store."""
    if not user.is_authenticated:
        return MerchantMembership.objects.none()
    return (
        MerchantMembership.objects.filter(user=user)
        .select_related("merchant__city", "store")
        .order_by("merchant__slug")
    )


def merchant_daily(merchant: Merchant, *, start: dt.date, end: dt.date, stores=None) -> list[dict]:
    """Redemptions that stand, bills, discounts and subsidy by day and store (the merchant's own
    figures: no suppression, no personal data). `stores` limits to a staff member's stores."""
    queryset = Redemption.objects.filter(
        merchant=merchant, business_day__range=(start, end), reversal__isnull=True
    )
    if stores is not None:
        queryset = queryset.filter(store__in=stores)
    return list(
        queryset.values("business_day", "store_id")
        .annotate(
            redemptions=Count("pk"),
            bill_fen=Coalesce(Sum("bill_fen"), 0),
            discount_fen=Coalesce(Sum("discount_fen"), 0),
            subsidy_fen=Coalesce(Sum("subsidy_fen"), 0),
        )
        .order_by("business_day", "store_id")
    )


# --- Fraud flags ------------------------------------------------------------------------------------


def fraud_flags_for(programme: Programme, *, status: str | None = None) -> QuerySet[FraudFlag]:
    """A programme's flags, open first, shaped for the list (merchant, store, staff, evidence)."""
    flags = FraudFlag.objects.filter(merchant__programme=programme)
    if status:
        flags = flags.filter(status=status)
    return flags.select_related("merchant", "store", "staff", "resolved_by").prefetch_related(
        Prefetch("redemptions", queryset=Redemption.objects.select_related("store").order_by("redeemed_at"))
    )


def fraud_flag_for_organiser(user, pk: int) -> FraudFlag:
    """A flag an organiser of its merchant's programme may act on; FraudFlag.DoesNotExist otherwise."""
    flag = FraudFlag.objects.select_related("merchant__programme", "store").get(pk=pk)
    if flag.merchant.programme_id is None or not is_organiser_of(user, flag.merchant.programme):
        raise FraudFlag.DoesNotExist
    return flag


def merchant_membership_for(user, pk: int):
    """This person's accepted membership of merchant `pk` (with its merchant), or
    MerchantMembership.DoesNotExist: merchant pages are for their own owner and staff only."""
    if not user.is_authenticated:
        raise MerchantMembership.DoesNotExist
    return MerchantMembership.objects.select_related("merchant__city", "store").get(user=user, merchant_id=pk)


def stores_visible_to(membership) -> QuerySet[Store]:
    """The owner sees every store; counter staff their own store (or every store when not bound)."""
    stores = Store.objects.filter(merchant_id=membership.merchant_id)
    if membership.role != MerchantRole.OWNER and membership.store_id:
        stores = stores.filter(pk=membership.store_id)
    return stores.order_by("pk")
