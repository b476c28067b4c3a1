"""Itinerary segments of a delegation: added by hand, imported from the schedule, confirmed only
with enough valid chaperones, and chaperone credentials and ratios.

Locking rule: `segment_confirm` locks the `Segment` row, then counts its chaperones, so a confirmation
and a change of the segment's people cannot interleave. `schedule_import` locks the `Delegation` row
(two imports do not create the same match twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Venue
from registration.models import Athlete, Delegation, DelegationMembership
from tourism.exchange.enums import CredentialKind, SegmentKind, SegmentStatus
from tourism.exchange.errors import ChaperoneShortfallError, ExchangeError
from tourism.exchange.models import AgeBandRatio, ChaperoneCredential, ExperienceSlot, Segment
from tourism.exchange.selectors import schedule_items_for_delegation, segment_coverage


def segment_create(
    *,
    delegation: Delegation,
    kind: str,
    title_zh: str,
    title_en: str = "",
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: Venue | None = None,
    origin: Venue | None = None,
    vehicle: str = "",
    driver_name: str = "",
    driver_phone: str = "",
    athletes: Sequence[Athlete] = (),
    chaperones: Sequence[DelegationMembership] = (),
    lead: DelegationMembership | None = None,
    slot: ExperienceSlot | None = None,
) -> Segment:
    """Add a segment. A transfer needs its vehicle, driver's contact and both ends. No lock: the
    segment is new and belongs to one delegation."""
    if ends_at <= starts_at:
        raise ExchangeError(_("A segment must end after it starts."))
    if kind == SegmentKind.TRANSFER and not (vehicle and driver_phone and origin and venue):
        raise ExchangeError(
            _("A transfer needs its vehicle, the driver's phone, where it leaves from and where it goes.")
        )
    people = [*athletes, *chaperones] + ([lead] if lead else [])
    if any(person.delegation_id != delegation.pk for person in people):
        raise ExchangeError(_("Only members of the delegation can be on its itinerary."))
    with transaction.atomic():
        segment = Segment.objects.create(
            delegation=delegation,
            kind=kind,
            title_zh=title_zh,
            title_en=title_en,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            origin=origin,
            vehicle=vehicle,
            driver_name=driver_name,
            driver_phone=driver_phone,
            lead=lead,
            slot=slot,
        )
        segment.athletes.set(athletes)
        segment.chaperones.set({*chaperones, *([lead] if lead else [])})
        return segment


def schedule_import(*, delegation: Delegation) -> int:
    """Add the delegation's matches from the schedule as segments (once each). Locks the delegation row."""
    with transaction.atomic():
        Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
        have_sessions = set(
            Segment.objects.filter(delegation=delegation, session__isnull=False).values_list(
                "session_id", flat=True
            )
        )
        have_matches = set(
            Segment.objects.filter(delegation=delegation, match__isnull=False).values_list(
                "match_id", flat=True
            )
        )
        added = 0
        for item in schedule_items_for_delegation(delegation):
            if (item.session_id and item.session_id in have_sessions) or (
                item.match_id and item.match_id in have_matches
            ):
                continue
            Segment.objects.create(
                delegation=delegation,
                kind=SegmentKind.MATCH,
                title_zh=item.title_zh,
                title_en=item.title_en,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                venue_id=item.venue_id,
                session_id=item.session_id,
                match_id=item.match_id,
            )
            added += 1
        return added


def segment_confirm(*, segment: Segment, user=None) -> Segment:
    """Confirm a segment: refused while its children need more valid chaperones than it has.
    Locks the segment row, then counts."""
    with transaction.atomic():
        segment = (
            Segment.objects.select_for_update(of=("self",))
            .select_related("delegation", "slot__experience")
            .get(pk=segment.pk)
        )
        coverage = segment_coverage(segment)
        if not coverage.enough:
            raise ChaperoneShortfallError(
                ngettext(
                    "%(count)d more chaperone with valid credentials is needed before this can be confirmed.",
                    "%(count)d more chaperones with valid credentials are needed before this can be confirmed.",
                    coverage.missing,
                )
                % {"count": coverage.missing}
            )
        segment.status = SegmentStatus.CONFIRMED
        segment.save(update_fields=["status"])
        return segment


def segment_flag(*, segment_ids: Sequence[int]) -> int:
    """Mark segments as needing a look (a match they depend on moved); confirmed ones go back to draft.
    No lock: a flag overwrites a flag."""
    return Segment.objects.filter(pk__in=list(segment_ids)).update(
        flagged_at=timezone.now(), status=SegmentStatus.DRAFT
    )


def credential_record(
    *, membership: DelegationMembership, kind: str, valid_from: dt.date, valid_until: dt.date, user=None
) -> ChaperoneCredential:
    """Record one check of an adult member, valid between two dates. No lock: rows are only added."""
    if kind not in CredentialKind.values:
        raise ExchangeError(_("Unknown credential."))
    if valid_until < valid_from:
        raise ExchangeError(_("A credential must end on or after the day it starts."))
    with transaction.atomic():
        return ChaperoneCredential.objects.create(
            membership=membership, kind=kind, valid_from=valid_from, valid_until=valid_until, recorded_by=user
        )


def ratio_set(*, programme, under_age: int, children_per_adult: int) -> AgeBandRatio:
    """Set the programme's ratio for an age band (the band's row is upserted)."""
    if children_per_adult < 1:
        raise ExchangeError(_("At least one child per adult."))
    with transaction.atomic():
        ratio, _created = AgeBandRatio.objects.update_or_create(
            programme=programme, under_age=under_age, defaults={"children_per_adult": children_per_adult}
        )
        return ratio
