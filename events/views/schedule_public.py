"""Public schedule pages: by event, venue (with what is on now), city, delegation, athlete or team;
iCal feeds per team or athlete, delegation and venue; a day's schedule as a PDF in the reader's language.

Only what was published shows (public events, placed matches). Athletes appear by name and
delegation only. Objects that are not public answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import City, Programme, Venue
from events.selectors import catalogue as catalogue_selectors
from events.selectors import schedule as selectors
from events.selectors.schedule_feeds import calendar_bytes, feed_start


def _page(request, *, title: str, matches, ical: str = "", now_on=None, back=None):
    context = {
        "title": title,
        "days": selectors.by_day(matches),
        "ical": ical,
        "now_on": now_on,
        "back": back,
    }
    return render(request, "events/schedule_public.html", context)


def _ical(matches, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar_bytes(matches.filter(starts_at__gte=feed_start()), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def _event(slug: str):
    event = catalogue_selectors.events_public().filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def event_schedule(request, slug: str):
    event = _event(slug)
    return _page(request, title=event.name, matches=selectors.matches_for_event(event), back=event)


def _venue(slug: str) -> Venue:
    return get_object_or_404(Venue.objects.select_related("city"), slug=slug)


def venue_schedule(request, slug: str):
    venue = _venue(slug)
    return _page(
        request,
        title=venue.name,
        matches=selectors.matches_for_venue(venue),
        ical=reverse("events:venue-ical", kwargs={"slug": venue.slug}),
        now_on=selectors.now_on(venue),
    )


def venue_ical(request, slug: str):
    venue = _venue(slug)
    return _ical(selectors.matches_for_venue(venue), venue.name, f"venue-{venue.slug}")


def city_schedule(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    return _page(request, title=city.name, matches=selectors.matches_for_city(city))


def _programme(slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not catalogue_selectors.events_public().filter(programme=programme).exists():
        raise Http404
    return programme


def delegation_schedule(request, slug: str, club: str):
    programme = _programme(slug)
    matches = selectors.matches_for_delegation(programme, club)
    if not matches.exists():
        raise Http404
    ical = reverse("events:delegation-ical", kwargs={"slug": slug, "club": club})
    return _page(request, title=club, matches=matches, ical=ical)


def delegation_ical(request, slug: str, club: str):
    programme = _programme(slug)
    return _ical(selectors.matches_for_delegation(programme, club), club, "delegation")


def competitor_schedule(request, pk: int):
    competitor = selectors.competitor_public_get(pk) or _missing()
    title = f"{competitor.display_name} · {competitor.club}" if competitor.club else competitor.display_name
    return _page(
        request,
        title=title,
        matches=selectors.matches_for_competitor(competitor),
        ical=reverse("events:competitor-ical", kwargs={"pk": competitor.pk}),
    )


def competitor_ical(request, pk: int):
    competitor = selectors.competitor_public_get(pk) or _missing()
    return _ical(
        selectors.matches_for_competitor(competitor), competitor.display_name, f"competitor-{competitor.pk}"
    )


def _missing():
    raise Http404


def day_pdf(request, slug: str, day: str):
    programme = _programme(slug)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    from events.rendering.schedule_pdf import day_schedule_pdf  # noqa: PLC0415  reportlab is heavy

    matches = selectors.matches_for_day(programme, date)
    title = f"{programme.name} · {date.isoformat()}"
    pdf = day_schedule_pdf(matches, title=title, note=_("Times are Beijing time."))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="schedule-{date.isoformat()}.pdf"'
    return response
