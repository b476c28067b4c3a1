"""The counter's query: a store's redemptions of one day, with their reversals; for merchant staff,
who see receipts, amounts and masked names only."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tourism.models import Redemption, Store


def redemptions_for_store_day(*, store: Store, day: dt.date) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(store=store, business_day=day)
        .select_related("offer", "staff", "till", "reversal", "stub")
        .order_by("-redeemed_at", "-pk")
    )
