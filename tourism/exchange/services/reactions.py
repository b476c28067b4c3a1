"""What the exchange programme does when a lower app reports a change, registered in `apps.py`:

- the schedule moved a match or session (events/hooks.py `schedule_moved`): the segments built on it
  are flagged (back to draft) and the delegation's managers are told;
- registration anonymised a child (registration/hooks.py `athletes_forgotten`): the child's roll-call
  marks, bookings, handovers and places on segments go with the rest of the child's data.
"""

from __future__ import annotations

from django.db.models import Q

from events.hooks import register_schedule_moved
from events.mail import mail_send_after_commit
from registration.enums import MembershipRole
from registration.hooks import register_athlete_forgotten
from registration.models import DelegationMembership
from tourism.exchange.models import Booking, Handover, RollCallMark, Segment
from tourism.exchange.services.itineraries import segment_flag


def segments_flag_moved(*, sessions=(), matches=()) -> int:
    affected = list(
        Segment.objects.filter(
            Q(session_id__in=list(sessions)) | Q(match_id__in=list(matches))
        ).select_related("delegation")
    )
    if not affected:
        return 0
    segment_flag(segment_ids=[s.pk for s in affected])
    for delegation in {segment.delegation for segment in affected}:
        titles = [s.title for s in affected if s.delegation_id == delegation.pk]
        for membership in DelegationMembership.objects.filter(
            delegation=delegation, role=MembershipRole.MANAGER, accepted_at__isnull=False
        ).select_related("user"):
            mail_send_after_commit(
                to=[membership.user.email],
                template="exchange/email/schedule_moved",
                context={"delegation": delegation.name, "segments": titles},
                language=getattr(membership.user, "preferred_language", None),
            )
    return len(affected)


def athletes_forget(*, athlete_ids) -> None:
    ids = list(athlete_ids)
    RollCallMark.objects.filter(athlete_id__in=ids).delete()
    Booking.objects.filter(athlete_id__in=ids).delete()
    Handover.objects.filter(athlete_id__in=ids).delete()
    for segment in Segment.objects.filter(athletes__in=ids).distinct():
        segment.athletes.remove(*ids)


def register() -> None:
    register_schedule_moved(segments_flag_moved)
    register_athlete_forgotten(athletes_forget)
