"""Reads about merchants, stores and staff, scoped to who asks: merchant staff reach only their own
merchant's stores (counter staff bound to one store reach that store only)."""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, QuerySet, When

from tourism.enums import MerchantRole, MerchantStatus
from tourism.models import Merchant, MerchantMembership, MerchantTerms, Store, Till


def terms_current() -> MerchantTerms | None:
    return MerchantTerms.objects.order_by("-published_at", "-pk").first()


def membership_for_store(*, user, store: Store) -> MerchantMembership | None:
    """The accepted membership that lets this user work the counter of this store, if any."""
    if not user.is_authenticated:
        return None
    return (
        MerchantMembership.objects.filter(user=user, merchant_id=store.merchant_id)
        .filter(Q(role=MerchantRole.OWNER) | Q(store__isnull=True) | Q(store=store))
        .first()
    )


def stores_for_staff(*, user) -> QuerySet[Store]:
    """Every store this user may work at, across their merchants."""
    if not user.is_authenticated:
        return Store.objects.none()
    memberships = MerchantMembership.objects.filter(user=user)
    whole = memberships.filter(Q(role=MerchantRole.OWNER) | Q(store__isnull=True)).values("merchant_id")
    single = memberships.filter(store__isnull=False).values("store_id")
    return (
        Store.objects.filter(Q(merchant_id__in=whole) | Q(pk__in=single))
        .select_related("merchant", "city")
        .order_by("merchant__name_zh", "pk")
    )


def merchants_for_user(*, user) -> QuerySet[Merchant]:
    """The merchants this user owns or works for, or applied for."""
    if not user.is_authenticated:
        return Merchant.objects.none()
    return (
        Merchant.objects.filter(Q(memberships__user=user) | Q(applicant=user))
        .distinct()
        .select_related("city", "programme")
        .order_by("name_zh", "pk")
    )


def merchant_role(*, user, merchant: Merchant) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        MerchantMembership.objects.filter(user=user, merchant=merchant).values_list("role", flat=True).first()
    )


def merchants_for_review(*, programme) -> QuerySet[Merchant]:
    """A programme's merchants for its organisers, applications waiting first."""
    return (
        Merchant.objects.filter(programme=programme)
        .select_related("city", "terms")
        .annotate(
            store_count=Count("stores", distinct=True),
            waiting_last=Case(When(status=MerchantStatus.APPLIED, then=0), default=1),
        )
        .order_by("waiting_last", "name_zh", "pk")  # waiting applications first
    )


def tills_for_merchant(*, merchant: Merchant) -> QuerySet[Till]:
    """The merchant's tills, live first, with their store and issuer (one statement)."""
    return (
        Till.objects.filter(store__merchant=merchant)
        .select_related("store", "created_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "store_id", "pk")
    )
