"""Object-scoped permissions of ticketing (checked with `user.has_perm("ticketing.<action>", obj)`)."""

from __future__ import annotations

import rules
from django.db.models import Q

from events.rules import is_programme_organiser, is_superuser
from ticketing.models import GateStaffAssignment


@rules.predicate
def is_gate_staff(user, event) -> bool:
    """Assigned to scan for this event, or for a venue the event (or one of its sessions) uses."""
    if not user.is_authenticated or event is None:
        return False
    return GateStaffAssignment.objects.filter(
        Q(event=event) | Q(venue__events=event) | Q(venue__sessions__event=event), user=user
    ).exists()


rules.add_perm("ticketing.scan_event", is_superuser | is_programme_organiser | is_gate_staff)
