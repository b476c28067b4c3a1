"""Read paths of the catalogue, shaped for the pages that use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from events.enums import EventStatus, SessionStatus
from events.models import City, Event, Programme, Session, Venue


def programme_current() -> Programme | None:
    """The programme whose season is running or next; the latest one otherwise."""
    today = timezone.localdate()
    return (
        Programme.objects.filter(end_date__gte=today).order_by("start_date").first()
        or Programme.objects.order_by("-end_date").first()
    )


def events_public() -> QuerySet[Event]:
    return (
        Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .select_related("host_city", "venue", "programme")
        .order_by("start_date", "slug")
    )


@dataclass(frozen=True)
class EventFilter:
    city: str = ""
    discipline: str = ""
    date: dt.date | None = None
    programme: Programme | None = None
    # "upcoming" (on now or ahead, soonest first), "past" (ended, latest first) or "" (all).
    when: str = ""


WHEN_UPCOMING = "upcoming"
WHEN_PAST = "past"


def events_filtered(filters: EventFilter) -> QuerySet[Event]:
    """Public events matching the filters; a date filter wins over `when`."""
    events = events_public()
    if filters.programme is not None:
        events = events.filter(programme=filters.programme)
    if filters.city:
        events = events.filter(host_city__slug=filters.city)
    if filters.discipline:
        events = events.filter(discipline=filters.discipline)
    if filters.date:
        events = events.filter(start_date__lte=filters.date, end_date__gte=filters.date)
    elif filters.when == WHEN_UPCOMING:
        events = events.filter(end_date__gte=timezone.localdate())
    elif filters.when == WHEN_PAST:
        events = events.filter(end_date__lt=timezone.localdate()).order_by("-start_date", "slug")
    return events.annotate(
        session_count=Count("sessions", filter=~Q(sessions__status=SessionStatus.CANCELLED))
    )


def events_highlights(*, programme: Programme | None) -> list[Event]:
    """One event per discipline (the earliest), so the home page shows the whole season at a glance."""
    seen: dict[str, Event] = {}
    for event in events_filtered(EventFilter(programme=programme)):
        seen.setdefault(event.discipline, event)
    return list(seen.values())


def sessions_upcoming(*, programme: Programme | None, limit: int = 8) -> QuerySet[Session]:
    sessions = Session.objects.filter(
        ends_at__gte=timezone.now(),
        status=SessionStatus.SCHEDULED,
        event__status=EventStatus.PUBLISHED,
    ).select_related("event", "event__host_city", "venue")
    if programme is not None:
        sessions = sessions.filter(event__programme=programme)
    return sessions.order_by("starts_at", "pk")[:limit]


def event_get_public(*, slug: str) -> Event:
    sessions = Session.objects.select_related("venue").order_by("starts_at", "pk")
    return events_public().prefetch_related(Prefetch("sessions", queryset=sessions)).get(slug=slug)


def venue_get(*, slug: str) -> Venue:
    return Venue.objects.select_related("city").prefetch_related("resources").get(slug=slug)


def venue_sessions_upcoming(*, venue: Venue, limit: int = 20) -> QuerySet[Session]:
    return (
        Session.objects.filter(venue=venue, ends_at__gte=timezone.now(), event__status=EventStatus.PUBLISHED)
        .select_related("event")
        .order_by("starts_at")[:limit]
    )


def cities_with_events() -> QuerySet[City]:
    return City.objects.filter(events__status=EventStatus.PUBLISHED).distinct().order_by("ordering", "slug")


def programmes_for_organiser(user) -> QuerySet[Programme]:
    programmes = (
        Programme.objects.all() if user.is_superuser else Programme.objects.filter(memberships__user=user)
    )
    return programmes.annotate(event_count=Count("events", distinct=True)).order_by("-start_date").distinct()


def events_for_organiser(user) -> QuerySet[Event]:
    events = Event.objects.select_related("host_city", "programme", "venue")
    if not user.is_superuser:
        events = events.filter(programme__memberships__user=user)
    return events.annotate(session_count=Count("sessions", distinct=True)).order_by("start_date", "slug")
