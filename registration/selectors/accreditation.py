"""Reads of accreditation badges: a delegation's badges, the photo a badge may print, badge sheet jobs."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from events.enums import VenueResourceKind
from events.models import VenueResource
from registration.models import (
    Badge,
    BadgeRole,
    BadgeSheetJob,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Delegation,
)
from registration.selectors.paperwork import age_band, has_consent

SHANGHAI = ZoneInfo("Asia/Shanghai")
logger = logging.getLogger(__name__)


def badges_for_delegation(delegation: Delegation) -> QuerySet[Badge]:
    return (
        Badge.objects.filter(delegation=delegation, revoked_at__isnull=True)
        .select_related("event", "credential", "delegation")
        .order_by("event__start_date", "event__pk", "role", "holder_label", "pk")
    )


def badges_for_sheet(delegation: Delegation) -> QuerySet[Badge]:
    """The live badges with what a printed badge reads: the athlete and the athlete's current
    consents (for the photo), in a fixed number of queries however many badges there are."""
    return (
        badges_for_delegation(delegation)
        .select_related("entry__athlete")
        .prefetch_related(
            Prefetch(
                "entry__athlete__consents",
                queryset=Consent.objects.filter(withdrawn_at__isnull=True),
                to_attr="current_consents",
            )
        )
    )


def photo_consent_current(athlete, event) -> bool:
    """Whether the athlete's photo may be printed for `event`: a current, granted photo consent from
    whoever must give it at the athlete's age on the event's first day (as for registration: the
    guardian under 14; the athlete and the guardian's declaration at 14–17; the athlete as an adult).
    A refusal or a withdrawal by either one means no photo."""
    band = age_band(athlete, event)
    givers = {
        "child": (ConsentGiver.GUARDIAN,),
        "teen": (ConsentGiver.ATHLETE, ConsentGiver.GUARDIAN),
        "adult": (ConsentGiver.ATHLETE,),
    }[band]
    return all(has_consent(athlete, ConsentPurpose.PHOTOS, giver) for giver in givers)


def badge_photo(badge: Badge) -> bytes | None:
    """The photo bytes to print on the badge, or None (placeholder): athletes only, with a photo
    on file and a current photo consent. A missing or unreadable file is no photo, not a failure."""
    entry = badge.entry if badge.role == BadgeRole.ATHLETE else None
    athlete = entry.athlete if entry is not None else None
    if athlete is None or not athlete.photo or athlete.anonymised_at is not None:
        return None
    if not photo_consent_current(athlete, badge.event):
        return None
    try:
        with athlete.photo.open("rb") as file:
            return file.read()
    except OSError:
        logger.warning("The photo file of athlete %s could not be read for a badge.", athlete.pk)
        return None


def badge_sheet_job_get(*, user, pk) -> BadgeSheetJob:
    """Only the person who asked for a sheet sees it, and only while they still manage its delegation
    (404 for everyone else: a manager removed from the delegation no longer reads its children)."""

    job = BadgeSheetJob.objects.filter(pk=pk, requested_by=user).select_related("delegation").first()
    if job is None or not user.has_perm("registration.manage_delegation", job.delegation):
        raise Http404
    return job


def badge_label(athlete) -> str:
    """The name as printed: Chinese and Latin names, nothing else."""
    return " ".join(part for part in (athlete.name_zh, athlete.name_latin) if part)[:120]


def zones_for(event, role: str) -> list[str]:
    """Athletes and coaches: every gate and field of play of the venue; chaperones: the gates only."""
    kinds = [VenueResourceKind.GATE] if role == BadgeRole.CHAPERONE else None
    resources = VenueResource.objects.filter(venue_id=event.venue_id)
    if kinds:
        resources = resources.filter(kind__in=kinds)
    return sorted(resources.values_list("code", flat=True))


def _window(event) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(event.start_date, dt.time.min, tzinfo=SHANGHAI)
    end = dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
    return start, end
