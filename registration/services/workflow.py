"""The entry workflow: draft -> submitted -> approved (or changes_requested with a reason, then back
to submitted), locked at the roster deadline; substitutions after the lock; the waitlist of full events.

Locking rule (indexed in docs/architecture.md#locking-rules): every transition locks the entry row; anything that hands out a scarce place (submit
into a capacity-limited event, a freed place offered to the waitlist) first locks the event's
EventRegistrationSettings row, then re-counts. Every transition writes one EntryTransition row (the
ledger is append-only) and queues the managers' email on commit, each in their own language.
Emails carry names, events and reasons only: never a document number or a birth date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.i18n import join_clauses
from events.mail import mail_send_after_commit, site_url
from registration.enums import EntryStatus, MembershipRole
from registration.errors import (
    EntryNotReadyError,
    RosterLockedError,
    SubstitutionError,
    WaitlistError,
    WorkflowError,
)
from registration.models import (
    Athlete,
    DelegationMembership,
    Entry,
    EntryTransition,
    EventRegistrationSettings,
    SubstitutionRequest,
    SubstitutionStatus,
    Team,
    WaitlistPlace,
    WaitlistState,
)
from registration.selectors.eligibility import evaluate_entry, roster_checklist
from registration.selectors.paperwork import paperwork_missing
from registration.selectors.workflow import PLACE_HOLDING, entry_blockers, places_held, registration_settings
from registration.services.accreditation import badges_revoke_for_entry

# --- selectors ---------------------------------------------------------------------------------


# --- emails ------------------------------------------------------------------------------------


def _managers(delegation_id: int) -> list:
    return [
        membership.user
        for membership in DelegationMembership.objects.filter(
            delegation_id=delegation_id, role=MembershipRole.MANAGER, accepted_at__isnull=False
        ).select_related("user")
    ]


def _notify(entry: Entry, kind: str, reason: str = "") -> None:
    """One email per manager, in that manager's language, after the transition commits. Names only:
    no birth date, no document."""
    for user in _managers(entry.team.delegation_id):
        mail_send_after_commit(
            to=[user.email],
            template="registration/email/entry_status",
            context={
                "kind": kind,
                "athlete": entry.athlete.display_name,
                "event": entry.event,  # str() while rendering: the recipient's language
                "team": entry.team,  # .name while rendering: the recipient's language
                # Called while rendering, so the status reads in the recipient's language.
                "status": entry.get_status_display,
                "reason": reason,
                "url": site_url(entry.team.get_absolute_url()),
            },
            language=user.preferred_language or settings.LANGUAGE_CODE,
        )


# --- the ledger --------------------------------------------------------------------------------


def _lock_entry(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("athlete", "event", "team").get(pk=entry.pk)


def _move(entry: Entry, to_status: str, *, actor=None, reason: str = "") -> Entry:
    EntryTransition.objects.create(
        entry=entry, from_status=entry.status, to_status=to_status, actor=actor, reason=reason
    )
    entry.status = to_status
    entry.save(update_fields=["status", "updated_at"])
    return entry


def _ensure_locked(event, now: dt.datetime | None = None) -> bool:
    """Lazily apply the roster lock when the periodic task has not run yet; True when locked."""
    now = now or timezone.now()
    conf = registration_settings(event)
    if not conf or not conf.roster_deadline or now < conf.roster_deadline:
        return False
    if conf.locked_at is None:
        _lock_event_rosters(conf, now)
    return True


def _apply_due_lock(event, now: dt.datetime) -> None:
    """Apply a due lock in its own transaction, so a refusal that follows does not roll it back."""
    with transaction.atomic():
        _ensure_locked(event, now)


def _lock_event_rosters(conf: EventRegistrationSettings, now: dt.datetime) -> int:
    conf = EventRegistrationSettings.objects.select_for_update().get(pk=conf.pk)
    if conf.locked_at is not None:
        return 0
    entries = list(
        Entry.objects.select_for_update()
        .filter(event_id=conf.event_id, status=EntryStatus.APPROVED)
        .order_by("pk")
    )
    EntryTransition.objects.bulk_create(
        [
            EntryTransition(
                entry=entry,
                from_status=entry.status,
                to_status=EntryStatus.LOCKED,
                reason="roster deadline",
            )
            for entry in entries
        ]
    )
    Entry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        status=EntryStatus.LOCKED, updated_at=now
    )
    conf.locked_at = now
    conf.save(update_fields=["locked_at"])
    return len(entries)


def rosters_lock_due(*, now: dt.datetime | None = None) -> int:
    """Lock every roster whose deadline has passed (approved -> locked). Returns entries locked."""
    now = now or timezone.now()
    locked = 0
    for conf in EventRegistrationSettings.objects.filter(roster_deadline__lte=now, locked_at__isnull=True):
        with transaction.atomic():
            locked += _lock_event_rosters(conf, now)
    return locked


# --- transitions -------------------------------------------------------------------------------


def _waitlist_if_full(entry: Entry, now: dt.datetime) -> bool:
    conf = EventRegistrationSettings.objects.select_for_update().filter(event_id=entry.event_id).first()
    if conf is None or conf.capacity is None:
        return False
    if places_held(entry.event) < conf.capacity:
        return False
    _move(entry, EntryStatus.WAITLISTED)
    WaitlistPlace.objects.update_or_create(
        entry=entry,
        defaults={"event_id": entry.event_id, "state": WaitlistState.WAITING, "queued_at": now},
    )
    return True


def _submit(entry: Entry, user, now: dt.datetime) -> Entry:
    if entry.status not in (EntryStatus.DRAFT, EntryStatus.CHANGES_REQUESTED):
        raise WorkflowError(_("Only draft entries or entries sent back for changes can be submitted."))
    holds_place = entry.status == EntryStatus.CHANGES_REQUESTED
    if holds_place or not _waitlist_if_full(entry, now):
        _move(entry, EntryStatus.SUBMITTED, actor=user)
        _notify(entry, "submitted")
    else:
        _notify(entry, "waitlisted")
    return entry


def entry_submit(*, entry: Entry, user) -> Entry:
    """draft/changes_requested -> submitted, or -> waitlisted when the event is full. Refused after
    the roster deadline. Locks the entry, then the event's settings row for the capacity count."""
    now = timezone.now()
    _apply_due_lock(entry.event, now)
    with transaction.atomic():
        entry = _lock_entry(entry)
        if _ensure_locked(entry.event, now):
            raise RosterLockedError(_("The roster deadline has passed; entries can no longer be submitted."))
        return _submit(entry, user, now)


def team_submit(*, team: Team, user) -> list[Entry]:
    """Submit every draft (and returned) entry of the team, in id order, once the roster is big enough."""
    now = timezone.now()
    _apply_due_lock(team.event, now)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("event").get(pk=team.pk)
        if _ensure_locked(team.event, now):
            raise RosterLockedError(_("The roster deadline has passed; entries can no longer be submitted."))
        missing = roster_checklist(team)
        if missing:
            raise WorkflowError(join_clauses(item.message for item in missing))
        entries = list(
            Entry.objects.select_for_update()
            .select_related("athlete", "event", "team")
            .filter(team=team, status__in=[EntryStatus.DRAFT, EntryStatus.CHANGES_REQUESTED])
            .order_by("pk")
        )
        if not entries:
            raise WorkflowError(_("There is nothing to submit."))
        return [_submit(entry, user, now) for entry in entries]


def entry_approve(*, entry: Entry, user) -> Entry:
    """submitted -> approved (or straight to locked after the deadline), only when nothing is missing."""
    now = timezone.now()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status != EntryStatus.SUBMITTED:
            raise WorkflowError(_("Only submitted entries can be approved."))
        reasons = entry_blockers(entry)
        if reasons:
            raise EntryNotReadyError(reasons)
        locked = _ensure_locked(entry.event, now)
        _move(entry, EntryStatus.LOCKED if locked else EntryStatus.APPROVED, actor=user)
        _notify(entry, "approved")
    return entry


def entry_request_changes(*, entry: Entry, user, reason: str) -> Entry:
    """submitted/approved -> changes_requested; the reason is required and goes to the managers."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Say what needs to change."))
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status not in (EntryStatus.SUBMITTED, EntryStatus.APPROVED):
            raise WorkflowError(_("Changes can only be requested for submitted or approved entries."))
        _move(entry, EntryStatus.CHANGES_REQUESTED, actor=user, reason=reason)
        _notify(entry, "changes_requested", reason)
    return entry


def entries_approve_bulk(*, entries, user) -> tuple[list[Entry], dict[int, list]]:
    """Approve each ready entry (ordered by id); the rest are reported with their reasons."""
    approved, refused = [], {}
    with transaction.atomic():
        for entry in sorted(entries, key=lambda e: e.pk):
            try:
                with transaction.atomic():
                    approved.append(entry_approve(entry=entry, user=user))
            except EntryNotReadyError as error:
                refused[entry.pk] = error.reasons
            except WorkflowError as error:
                refused[entry.pk] = [str(error)]
    return approved, refused


def _free_place(entry: Entry, now: dt.datetime, actor=None) -> None:
    """A place-holding entry left: revoke its badges and offer the place to the waitlist."""

    badges_revoke_for_entry(entry=entry, reason="entry withdrawn")
    _offer_next(entry.event, now)


def entry_withdraw(*, entry: Entry, user, reason: str = "") -> Entry:
    """Withdraw before the lock (after it, ask for a substitution). Frees a place for the waitlist."""
    now = timezone.now()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status == EntryStatus.WITHDRAWN:
            raise WorkflowError(_("This entry is already withdrawn."))
        if entry.status == EntryStatus.LOCKED:
            raise RosterLockedError(_("The roster is locked; ask the organiser for a substitution."))
        held = entry.status in PLACE_HOLDING
        _move(entry, EntryStatus.WITHDRAWN, actor=user, reason=reason)
        WaitlistPlace.objects.filter(entry=entry).exclude(state=WaitlistState.ACCEPTED).update(
            state=WaitlistState.RELEASED, decided_at=now
        )
        if held:
            _free_place(entry, now, user)
    return entry


# --- substitutions -----------------------------------------------------------------------------


def substitution_request(*, entry: Entry, replacement: Athlete, reason: str, user) -> SubstitutionRequest:
    """After the lock: ask to replace a locked entry's athlete, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise SubstitutionError(_("Give a reason for the substitution."))
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status != EntryStatus.LOCKED:
            raise SubstitutionError(_("Substitutions are only for entries on a locked roster."))
        if replacement.delegation_id != entry.team.delegation_id:
            raise SubstitutionError(_("The replacement must be on the same delegation's roster."))
        if SubstitutionRequest.objects.filter(entry=entry, status=SubstitutionStatus.PENDING).exists():
            raise SubstitutionError(_("A substitution for this entry is already waiting for a decision."))
        request = SubstitutionRequest.objects.create(
            entry=entry, replacement=replacement, reason=reason, requested_by=user
        )
    return request


def substitution_decide(
    *, request: SubstitutionRequest, user, approve: bool, note: str = ""
) -> SubstitutionRequest:
    """The organiser's decision. Approving withdraws the old entry and enters the replacement as
    locked, both in the ledger; the replacement must pass eligibility and have complete paperwork."""

    now = timezone.now()
    with transaction.atomic():
        request = SubstitutionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SubstitutionStatus.PENDING:
            raise SubstitutionError(_("This substitution was already decided."))
        request.decided_by, request.decided_at, request.decision_note = user, now, note.strip()
        if not approve:
            request.status = SubstitutionStatus.REJECTED
            request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
            _notify(request.entry, "substitution_rejected", note)
            return request
        entry = _lock_entry(request.entry)
        label = f"substitution #{request.pk}"
        _move(entry, EntryStatus.WITHDRAWN, actor=user, reason=label)
        refusals = evaluate_entry(athlete=request.replacement, team=entry.team)
        missing = paperwork_missing(request.replacement, entry.event)
        if refusals or missing:
            raise SubstitutionError(
                join_clauses([r.message for r in refusals] + [m.message for m in missing])
            )
        new_entry = Entry.objects.create(
            athlete=request.replacement,
            team=entry.team,
            event=entry.event,
            status=EntryStatus.DRAFT,
            created_by=user,
        )
        _move(new_entry, EntryStatus.LOCKED, actor=user, reason=label)

        badges_revoke_for_entry(entry=entry, reason=label)
        request.status, request.new_entry = SubstitutionStatus.APPROVED, new_entry
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_entry"])
        _notify(new_entry, "substitution_approved", note)
    return request


# --- waitlist ----------------------------------------------------------------------------------


def _offer_next(event, now: dt.datetime) -> list[WaitlistPlace]:
    """Offer freed places to the next waiting entries (locks the settings row, re-counts)."""
    conf = EventRegistrationSettings.objects.select_for_update().filter(event_id=event.pk).first()
    if conf is None or conf.capacity is None:
        return []
    offered = []
    free = conf.capacity - places_held(event)
    if free <= 0:
        return []
    waiting = list(
        WaitlistPlace.objects.select_for_update()
        .filter(event_id=event.pk, state=WaitlistState.WAITING)
        .select_related("entry")
        .order_by("queued_at", "pk")[:free]
    )
    for place in waiting:
        place.state = WaitlistState.OFFERED
        place.offered_at = now
        place.offer_expires_at = now + dt.timedelta(hours=conf.offer_hours)
        place.save(update_fields=["state", "offered_at", "offer_expires_at"])
        EntryTransition.objects.create(
            entry=place.entry,
            from_status=place.entry.status,
            to_status=place.entry.status,
            reason="place offered",
        )
        _notify(place.entry, "offered")
        offered.append(place)
    return offered


def waitlist_accept(*, place: WaitlistPlace, user) -> Entry:
    """offered -> accepted: the entry becomes submitted (it now holds the place)."""
    now = timezone.now()
    with transaction.atomic():
        place = WaitlistPlace.objects.select_for_update().get(pk=place.pk)
        if place.state != WaitlistState.OFFERED or place.offer_expires_at <= now:
            raise WaitlistError(_("There is no open offer for this entry."))
        entry = _lock_entry(place.entry)
        place.state, place.decided_at = WaitlistState.ACCEPTED, now
        place.save(update_fields=["state", "decided_at"])
        _move(entry, EntryStatus.SUBMITTED, actor=user, reason="waitlist offer accepted")
        _notify(entry, "submitted")
    return entry


def _release(place: WaitlistPlace, now: dt.datetime, *, actor=None, reason: str) -> None:
    was_offered = place.state == WaitlistState.OFFERED
    place.state, place.decided_at = WaitlistState.RELEASED, now
    place.save(update_fields=["state", "decided_at"])
    entry = _lock_entry(place.entry)
    _move(entry, EntryStatus.WITHDRAWN, actor=actor, reason=reason)
    _notify(entry, "released", reason)
    if was_offered:
        _offer_next(entry.event, now)


def waitlist_release(*, place: WaitlistPlace, user) -> WaitlistPlace:
    """The manager gives up a waiting or offered place; an offered place goes to the next in line."""
    now = timezone.now()
    with transaction.atomic():
        place = WaitlistPlace.objects.select_for_update().select_related("entry").get(pk=place.pk)
        if place.state not in (WaitlistState.WAITING, WaitlistState.OFFERED):
            raise WaitlistError(_("This waitlist place is no longer open."))
        _release(place, now, actor=user, reason="released by the team manager")
    return place


def waitlist_expire_due(*, now: dt.datetime | None = None) -> int:
    """Release offers past their expiry and offer the places on. Returns offers expired."""
    now = now or timezone.now()
    expired = 0
    due = WaitlistPlace.objects.filter(state=WaitlistState.OFFERED, offer_expires_at__lte=now).order_by("pk")
    for place_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            place = WaitlistPlace.objects.select_for_update().select_related("entry").get(pk=place_id)
            if place.state == WaitlistState.OFFERED and place.offer_expires_at <= now:
                _release(place, now, reason="offer expired")
                expired += 1
    return expired
