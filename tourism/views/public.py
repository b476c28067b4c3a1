"""Public offer pages: by city, and near a venue (with the distance from the venue)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from events.models import Venue
from tourism.selectors import offers as selectors
from tourism.selectors.merchants import terms_current


def offer_list(request):
    cities = selectors.cities_with_offers()
    slug = request.GET.get("city") or (cities[0].slug if cities else "")
    city = next((c for c in cities if c.slug == slug), None)
    rows = selectors.offers_in_city(city) if city else []
    return render(request, "tourism/offer_list.html", {"cities": cities, "city": city, "rows": rows})


def offers_near_venue(request, slug: str):
    venue = Venue.objects.select_related("city").filter(slug=slug).first()
    if venue is None:
        raise Http404
    rows = selectors.offers_near_venue(venue)
    context = {"venue": venue, "rows": rows, "within_km": selectors.NEAR_KM}
    return render(request, "tourism/offers_near_venue.html", context)


def merchant_terms(request):
    return render(request, "tourism/merchant_terms.html", {"terms": terms_current()})
