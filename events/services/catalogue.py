"""Write paths of the catalogue. Each service is one transaction and raises EventsError subclasses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from events.enums import EventStatus
from events.errors import EventsError, SessionOutsideEventError
from events.models import Event, Session, Venue
from events.validators import session_window_errors


def session_create(
    *,
    event: Event,
    venue: Venue,
    kind: str,
    name_zh: str,
    name_en: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Session:
    """Create a session inside its event's dates. Locks the event row so its dates cannot move meanwhile."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        errors = session_window_errors(
            event_start=event.start_date, event_end=event.end_date, starts_at=starts_at, ends_at=ends_at
        )
        if errors:
            raise SessionOutsideEventError(errors)
        return Session.objects.create(
            event=event,
            venue=venue,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            starts_at=starts_at,
            ends_at=ends_at,
        )


def event_set_status(*, event: Event, status: str) -> Event:
    """Publish, unpublish or cancel an event.

    Sessions keep their own status: cancelling a session with tickets sold is ticketing's
    `session_cancel`, which refunds and notifies the holders.
    """
    if status not in EventStatus.values:
        raise EventsError(f"Unknown status {status!r}")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        event.status = status
        event.save(update_fields=["status", "updated_at"])
    return event
