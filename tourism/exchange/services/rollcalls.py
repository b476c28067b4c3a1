"""Roll-calls at transfers: open one, mark children present (a badge scanned with the gate's scanner,
or a tick on a phone, uploaded later if offline), raise an alert when someone is still missing at the
set time, clear it when the last child is found.

Locking rule: every mark locks the `RollCall` row first, then writes the mark, then re-counts, so the
alert is cleared exactly when the last missing child is marked, whichever chaperone marks them; the
unique nonce and the (roll-call, athlete) constraint make a re-sent mark change nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import ProgrammeRole
from events.mail import mail_send_after_commit
from events.models import ProgrammeMembership
from registration.enums import MembershipRole
from registration.models import Athlete, Badge, DelegationMembership
from ticketing.enums import CredentialState
from ticketing.errors import CredentialCodeError
from ticketing.signing import credential_decode
from tourism.exchange.enums import MarkMethod, SegmentKind
from tourism.exchange.errors import RollCallError
from tourism.exchange.models import RollCall, RollCallMark, Segment
from tourism.exchange.selectors import rollcall_expected, rollcall_status, rollcalls_due

MAX_NONCE = 64


def rollcall_open(*, segment: Segment, due_at: dt.datetime, user=None) -> RollCall:
    """Open a roll-call for a transfer; everyone must be present by `due_at`. No lock: a new row."""
    if segment.kind != SegmentKind.TRANSFER:
        raise RollCallError(_("Roll-calls are taken at transfers."))
    with transaction.atomic():
        return RollCall.objects.create(segment=segment, due_at=due_at, opened_by=user)


@dataclass(frozen=True)
class MarkOutcome:
    mark: RollCallMark | None
    athlete: Athlete | None
    duplicate: bool
    message: str


def _lock(rollcall: RollCall) -> RollCall:
    return (
        RollCall.objects.select_for_update(of=("self",))
        .select_related("segment__delegation")
        .get(pk=rollcall.pk)
    )


def rollcall_mark(
    *, rollcall: RollCall, athlete: Athlete, method: str, nonce: str, user=None, at: dt.datetime | None = None
) -> MarkOutcome:
    """Mark a child present. Idempotent on the nonce and on the child: a second mark returns the first.
    Locks the roll-call row, then writes, then clears the alert if nobody is missing any more."""
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > MAX_NONCE:
        raise RollCallError(_("Each mark needs a reference of at most 64 characters."))
    with transaction.atomic():
        rollcall = _lock(rollcall)
        if rollcall.closed_at is not None:
            raise RollCallError(_("This roll-call is closed."))
        if athlete.pk not in {a.pk for a in rollcall_expected(rollcall)}:
            raise RollCallError(_("This child is not on this transfer."))
        existing = (
            RollCallMark.objects.filter(rollcall=rollcall, athlete=athlete).first()
            or RollCallMark.objects.filter(nonce=nonce).first()
        )
        if existing is not None:
            if existing.rollcall_id != rollcall.pk:
                raise RollCallError(_("This mark reference is already used."))
            return MarkOutcome(existing, athlete, True, _("Already marked present."))
        try:
            with transaction.atomic():
                mark = RollCallMark.objects.create(
                    rollcall=rollcall,
                    athlete=athlete,
                    method=method,
                    nonce=nonce,
                    marked_by=user,
                    marked_at=min(at or timezone.now(), timezone.now()),
                )
        except IntegrityError as exc:  # pragma: no cover - the lock above makes this unreachable
            raise RollCallError(_("This mark reference is already used.")) from exc
        if rollcall.alert_open and rollcall_status(rollcall).complete:
            rollcall.alert_cleared_at = timezone.now()
            rollcall.save(update_fields=["alert_cleared_at"])
        return MarkOutcome(mark, athlete, False, _("Present."))


def rollcall_scan(*, rollcall: RollCall, code: str, nonce: str, user=None) -> MarkOutcome:
    """Mark the holder of a scanned (or typed) accreditation badge present. The code is verified like
    at a gate (registration's badges are ticketing's signed credentials), then matched to a live badge
    of a child on this transfer."""
    try:
        decoded = credential_decode((code or "").strip())
    except CredentialCodeError as error:
        raise RollCallError(str(error)) from error
    badge = (
        Badge.objects.filter(
            credential__public_id=decoded.public_id,
            revoked_at__isnull=True,
            credential__state=CredentialState.ACTIVE,
            entry__isnull=False,
        )
        .select_related("entry__athlete")
        .first()
    )
    if badge is None:
        raise RollCallError(_("This is not a live athlete's badge."))
    return rollcall_mark(
        rollcall=rollcall, athlete=badge.entry.athlete, method=MarkMethod.SCAN, nonce=nonce, user=user
    )


def rollcall_unmark(*, rollcall: RollCall, nonce: str, user=None) -> bool:
    """Undo a mark by its reference (a scan of the wrong child). Locks the roll-call row."""
    with transaction.atomic():
        rollcall = _lock(rollcall)
        deleted, _rows = RollCallMark.objects.filter(rollcall=rollcall, nonce=nonce).delete()
        return bool(deleted)


def rollcall_upload(*, rollcall: RollCall, ticks: list[dict], user=None) -> list[dict]:
    """Apply ticks queued on a phone while offline, each `{"athlete": id, "nonce": str, "at": iso}`.
    Each tick is its own `rollcall_mark`, so a re-upload changes nothing; answers one result per tick."""
    results = []
    expected = {athlete.pk: athlete for athlete in rollcall_expected(rollcall)}
    for tick in ticks[:500]:
        nonce = str(tick.get("nonce", ""))
        athlete = expected.get(_as_int(tick.get("athlete")))
        if athlete is None:
            results.append({"nonce": nonce, "ok": False, "message": _("This child is not on this transfer.")})
            continue
        try:
            outcome = rollcall_mark(
                rollcall=rollcall,
                athlete=athlete,
                method=MarkMethod.TICK,
                nonce=nonce,
                user=user,
                at=_as_time(tick.get("at")),
            )
        except RollCallError as error:
            results.append({"nonce": nonce, "ok": False, "message": str(error)})
        else:
            results.append({"nonce": nonce, "ok": True, "duplicate": outcome.duplicate})
    return results


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _as_time(value) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def rollcall_alert(*, rollcall: RollCall) -> bool:
    """Raise the alert if anyone is still missing: the lead chaperone (or the managers) and the
    programme's organisers are emailed, and their pages show a banner until it clears. Locks the
    roll-call row; raising twice sends once."""
    with transaction.atomic():
        rollcall = _lock(rollcall)
        status = rollcall_status(rollcall)
        if status.complete or rollcall.alert_raised_at is not None:
            return False
        rollcall.alert_raised_at = timezone.now()
        rollcall.save(update_fields=["alert_raised_at"])
        segment = rollcall.segment
        delegation = segment.delegation
        users = []
        if segment.lead_id:
            users.append(segment.lead.user)
        else:
            users += [
                m.user
                for m in DelegationMembership.objects.filter(
                    delegation=delegation, role=MembershipRole.MANAGER, accepted_at__isnull=False
                ).select_related("user")
            ]
        users += [
            m.user
            for m in ProgrammeMembership.objects.filter(
                programme_id=delegation.programme_id, role=ProgrammeRole.ORGANISER
            ).select_related("user")
        ]
        for person in {u.pk: u for u in users if u is not None and u.email}.values():
            mail_send_after_commit(
                to=[person.email],
                template="exchange/email/rollcall_alert",
                context={
                    "delegation": delegation.name,
                    "segment": segment.title,
                    "missing": len(status.missing),
                    "url": settings.SITE_URL + rollcall.get_absolute_url(),
                },
                language=getattr(person, "preferred_language", None),
            )
        return True


def rollcall_close(*, rollcall: RollCall, user=None) -> RollCall:
    """The chaperone ends the count now: anyone missing raises the alert at once; a complete count is
    closed. Locks the roll-call row."""
    if rollcall_alert(rollcall=rollcall):
        return RollCall.objects.get(pk=rollcall.pk)
    with transaction.atomic():
        rollcall = _lock(rollcall)
        if rollcall.closed_at is None and rollcall_status(rollcall).complete:
            rollcall.closed_at = timezone.now()
            rollcall.save(update_fields=["closed_at"])
        return rollcall


def rollcalls_alert_due(*, now: dt.datetime | None = None) -> int:
    """Raise the alert of every open roll-call past its time with someone missing (periodic task)."""
    raised = 0
    for rollcall in rollcalls_due(now or timezone.now()).order_by("pk"):
        raised += rollcall_alert(rollcall=rollcall)
    return raised
