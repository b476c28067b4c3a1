"""Rules on catalogue data shared by model validation (admin, forms) and services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _


def session_window_errors(
    *, event_start: dt.date, event_end: dt.date, starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[str, str]:
    """Errors keyed by field when a session does not sit inside its event's dates (local time)."""
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("A session must end after it starts.")
    start_day = timezone.localtime(starts_at).date()
    end_day = timezone.localtime(ends_at).date()
    if not event_start <= start_day <= event_end:
        errors["starts_at"] = _(
            "The session starts on %(day)s, outside the event's dates (%(start)s to %(end)s)."
        ) % {
            "day": start_day,
            "start": event_start,
            "end": event_end,
        }
    elif end_day > event_end:
        errors["ends_at"] = _("The session ends on %(day)s, after the event's last day (%(end)s).") % {
            "day": end_day,
            "end": event_end,
        }
    return errors
