"""Public catalogue pages and the organiser's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from events import hooks
from events.forms.catalogue import EventFilterForm
from events.models import Event, Venue
from events.permissions import require_perm_or_404
from events.selectors import catalogue as selectors


def home(request):
    programme = selectors.programme_current()
    context = {
        "programme": programme,
        "upcoming": selectors.sessions_upcoming(programme=programme),
        "events": selectors.events_highlights(programme=programme),
        "cities": selectors.cities_with_events(),
    }
    return render(request, "events/home.html", context)


def event_list(request):
    form = EventFilterForm(request.GET or None)
    events = selectors.events_filtered(form.to_filter())
    return render(request, "events/event_list.html", {"form": form, "events": events})


def event_detail(request, slug: str):
    try:
        event = selectors.event_get_public(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "events/event_detail.html", {"event": event, "sessions": event.sessions.all()})


def venue_detail(request, slug: str):
    try:
        venue = selectors.venue_get(slug=slug)
    except Venue.DoesNotExist as exc:
        raise Http404 from exc
    context = {"venue": venue, "sessions": selectors.venue_sessions_upcoming(venue=venue)}
    return render(request, "events/venue_detail.html", context)


@login_required
def organiser_home(request):
    require_perm_or_404(request.user, "events.organiser_area")
    programmes = list(selectors.programmes_for_organiser(request.user))
    today = timezone.localdate()
    context = {
        "programmes": programmes,
        "events": selectors.events_for_organiser(request.user),
        "today": today,
        "panels": hooks.organiser_panels(programme_ids=[p.pk for p in programmes], today=today),
    }
    return render(request, "events/organiser_home.html", context)
