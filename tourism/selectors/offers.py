"""Reads of offers for the public pages (by city, near a venue) and for the spectator's stub wallet:
where an offer applies, its window for a stub, how far a store is from a venue."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from events.models import City, Venue
from tourism.enums import MerchantStatus, OfferStatus, OfferValidity, OfferWhere
from tourism.models import Offer, Store, Stub

EARTH_RADIUS_KM = 6371.0
NEAR_KM = 5.0


def distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def live_offers() -> QuerySet[Offer]:
    """Live offers of approved merchants, with their open stores and places, for listing."""
    open_stores = Store.objects.filter(suspended_at__isnull=True).select_related("city")
    return (
        Offer.objects.filter(status=OfferStatus.LIVE, merchant__status=MerchantStatus.APPROVED)
        .select_related("merchant", "merchant__city", "programme")
        .prefetch_related(
            Prefetch("merchant__stores", queryset=open_stores, to_attr="open_stores"),
            Prefetch("stores", queryset=open_stores, to_attr="chosen_stores"),
            "cities",
            "events",
            "sessions",
        )
        .order_by("merchant__city__ordering", "merchant__name_zh", "pk")
    )


def offer_stores(offer: Offer, *, host_city_id: int | None = None) -> list[Store]:
    """The open stores where the offer applies (for a host-city offer: those in that city, or all of
    the merchant's stores when no host city is given)."""
    if offer.where == OfferWhere.STORES:
        return list(offer.chosen_stores)
    stores = offer.merchant.open_stores
    if offer.where == OfferWhere.CITIES:
        city_ids = {city.pk for city in offer.cities.all()}
        return [store for store in stores if store.city_id in city_ids]
    if host_city_id is not None:
        return [store for store in stores if store.city_id == host_city_id]
    return list(stores)


def cities_with_offers() -> list[City]:
    ids = Store.objects.filter(
        suspended_at__isnull=True,
        merchant__status=MerchantStatus.APPROVED,
        merchant__offers__status=OfferStatus.LIVE,
    ).values("city_id")
    return list(City.objects.filter(pk__in=ids).order_by("ordering", "slug"))


@dataclass(frozen=True)
class OfferPlace:
    offer: Offer
    store: Store
    distance_km: float | None = None


def offers_in_city(city: City) -> list[OfferPlace]:
    """Every live offer with a store in this city (one row per offer and store)."""
    rows = []
    for offer in live_offers().filter(merchant__stores__city=city).distinct():
        rows += [OfferPlace(offer, store) for store in offer_stores(offer) if store.city_id == city.pk]
    return rows


def offers_near_venue(venue: Venue, *, within_km: float = NEAR_KM) -> list[OfferPlace]:
    """Live offers at stores within `within_km` of the venue, nearest first."""
    rows = []
    for offer in live_offers().filter(merchant__stores__city_id=venue.city_id).distinct():
        for store in offer_stores(offer):
            km = distance_km(venue.latitude, venue.longitude, store.latitude, store.longitude)
            if km <= within_km:
                rows.append(OfferPlace(offer, store, round(km, 1)))
    return sorted(rows, key=lambda row: (row.distance_km, row.offer.pk))


# --- The stub wallet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WalletOffer:
    offer: Offer
    stores: list[Store]
    first_day: dt.date
    last_day: dt.date
    nearest_km: float | None

    def state(self, today: dt.date) -> str:
        if today < self.first_day:
            return "later"
        return "ended" if today > self.last_day else "now"

    @property
    def ends_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time()))


def offer_window(offer: Offer, stub: Stub) -> tuple[dt.date, dt.date]:
    """The days this offer is valid for this stub (absolute, or relative to its match day)."""
    if offer.validity == OfferValidity.ABSOLUTE:
        return offer.valid_from, offer.valid_until
    last_match_day = stub.event.end_date if stub.is_group else stub.match_day
    return (
        stub.match_day + dt.timedelta(days=offer.days_from),
        last_match_day + dt.timedelta(days=offer.days_until),
    )


def stubs_for_user(user) -> QuerySet[Stub]:
    """The spectator's own stubs (of tickets they bought), newest match first."""
    return (
        Stub.objects.filter(ticket__order__user=user)
        .select_related(
            "credential", "ticket__credential", "ticket__ticket_type", "event", "session__venue", "host_city"
        )
        .order_by("-match_day", "pk")
    )


def stub_get_for_owner(*, user, public_id) -> Stub:
    """One stub by its ticket's public id, only for the ticket's buyer (else Stub.DoesNotExist)."""
    return stubs_for_user(user).get(ticket__credential__public_id=public_id)


def wallet_offers(stub: Stub, offers: list[Offer]) -> list[WalletOffer]:
    """The offers a stub could take, where and when: pure over prefetched offers (live_offers()).

    Shows eligibility that needs no counter (programme, who, which matches, where, when); the caps
    and the origin are judged at the counter.
    """
    venue = stub.session.venue if stub.session_id else None
    rows = []
    for offer in offers:
        if offer.programme_id != stub.programme_id or (not offer.for_ticket_holders and not stub.is_group):
            continue
        if offer.scope == "events" and stub.event_id not in {e.pk for e in offer.events.all()}:
            continue
        if offer.scope == "sessions" and stub.session_id not in {s.pk for s in offer.sessions.all()}:
            continue
        if offer.scope == "disciplines" and stub.event.discipline not in offer.disciplines:
            continue
        stores = offer_stores(offer, host_city_id=stub.host_city_id)
        if not stores:
            continue
        first, last = offer_window(offer, stub)
        nearest = None
        if venue is not None:
            nearest = round(
                min(distance_km(venue.latitude, venue.longitude, s.latitude, s.longitude) for s in stores), 1
            )
        rows.append(WalletOffer(offer, stores, first, last, nearest))
    return sorted(rows, key=lambda row: (row.nearest_km is None, row.nearest_km or 0, row.offer.pk))
