"""Reads of the entry workflow: an event's registration settings and roster lock, an entry's ledger and
what blocks its approval, places held and pending substitutions."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from registration.enums import EntryStatus
from registration.models import (
    Entry,
    EntryTransition,
    EventRegistrationSettings,
    SubstitutionRequest,
    SubstitutionStatus,
    WaitlistPlace,
    WaitlistState,
)
from registration.selectors.eligibility import entries_refusals
from registration.selectors.fees import fee_blocker
from registration.selectors.paperwork import paperwork_missing


def registration_settings(event) -> EventRegistrationSettings | None:
    return EventRegistrationSettings.objects.filter(event_id=event.pk).first()


def roster_is_locked(event, *, now: dt.datetime | None = None) -> bool:
    conf = registration_settings(event)
    return bool(conf and conf.roster_deadline and (now or timezone.now()) >= conf.roster_deadline)


def transitions_for_entry(entry: Entry) -> QuerySet[EntryTransition]:
    return EntryTransition.objects.filter(entry=entry).select_related("actor")


def places_held(event) -> int:
    held = Entry.objects.filter(event_id=event.pk, status__in=PLACE_HOLDING).count()
    offered = WaitlistPlace.objects.filter(event_id=event.pk, state=WaitlistState.OFFERED).count()
    return held + offered


def substitutions_pending(programme) -> QuerySet[SubstitutionRequest]:
    return SubstitutionRequest.objects.filter(
        entry__event__programme=programme, status=SubstitutionStatus.PENDING
    ).select_related("entry__athlete", "entry__event", "entry__team__delegation", "replacement")


def entry_blockers(entry: Entry) -> list:
    """Why this entry cannot be approved yet: missing paperwork, the eligibility rules' refusals under
    the rules saved now, and unpaid fees (translated)."""

    reasons: list = list(paperwork_missing(entry.athlete, entry.event))
    reasons.extend(entries_refusals([entry]).get(entry.pk, []))
    blocker = fee_blocker(entry)
    if blocker:
        reasons.append(blocker)
    return reasons


PLACE_HOLDING = (
    EntryStatus.SUBMITTED,
    EntryStatus.CHANGES_REQUESTED,
    EntryStatus.APPROVED,
    EntryStatus.LOCKED,
)
