"""Gate check-in: scanning (online and uploaded offline) and annulment. Devices and staff: gate_devices.py.

Locking rule (indexed in docs/architecture.md#locking-rules): every scan of a credential locks that
Credential row (select_for_update) before it reads or writes the credential's CheckInState, so two
gates scanning one ticket at the same instant are serialised and exactly one is admitted. The partial unique constraint `scan_single_entry_once` is the
second net for single-entry credentials. `LOCK_CREDENTIAL_ROWS` exists only for the control test that
shows the race happening without the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from events.db import prepared_cursor
from events.models import Event, Session, VenueResource
from events.ratelimit import attempt_refund, attempt_reserve
from ticketing.enums import CredentialKind, CredentialState, ScanDirection, ScanReason, ScanResult
from ticketing.errors import CheckInError, CredentialCodeError
from ticketing.models import CheckInState, Credential, GateDevice, Scan, short_code_normalise
from ticketing.selectors.checkin import (
    credential_venue_ids,
    event_has_gate,
    gate_fallback_event,
    gate_name,
    session_has_gate,
)
from ticketing.signing import DecodedCredential, code_hash, credential_decode

LOCK_CREDENTIAL_ROWS = True  # switched off only by the concurrency control test
SHORT_CODE_MISSES = 20  # mistyped manual codes per device or person ...
SHORT_CODE_WINDOW_SECONDS = 600  # ... in this window (see `_typed`)
_STATE_REASONS = {
    CredentialState.UNPAID: ScanReason.NOT_PAID,
    CredentialState.REFUNDED: ScanReason.REFUNDED,
    CredentialState.REVOKED: ScanReason.REVOKED,
}
_PRESENCE_REASONS = (ScanReason.ALREADY_USED, ScanReason.NOT_INSIDE)
# An order's `code` (ticketing.models.sales.new_order_code) typed at the gate instead of a ticket's.
_ORDER_CODE = re.compile(r"^[A-HJ-NP-Z2-9]{10}$")
_WHERE_REASONS = (ScanReason.WRONG_EVENT, ScanReason.WRONG_SESSION, ScanReason.WRONG_GATE)
_DIRECTIONS = frozenset(ScanDirection.values)  # `.values` builds a new list on every access


@dataclass
class ScanOutcome:
    """What the gate shows: admitted or refused, why, and what it knows about the credential."""

    scan: Scan
    credential: Credential | None
    earlier_gate: str = ""
    earlier_at: dt.datetime | None = None
    duplicate: bool = False
    overturned: list[Scan] = field(default_factory=list)  # earlier verdicts this upload reversed
    valid_for: str = ""  # where and when a ticket refused at this gate is valid

    @property
    def admitted(self) -> bool:
        return self.scan.result == ScanResult.ADMITTED

    @property
    def reason(self) -> str:
        return self.scan.reason

    @property
    def message(self) -> str:
        scan = self.scan
        if scan.result == ScanResult.ADMITTED:
            if scan.direction == ScanDirection.EXIT:
                return _("Exit recorded.")
            return _("Welcome in.")
        if scan.reason == ScanReason.ALREADY_USED and self.earlier_at:
            return _("Already used: entered at %(gate)s at %(time)s.") % {
                "gate": self.earlier_gate,
                "time": _local_time(self.earlier_at),
            }
        if scan.reason in _WHERE_REASONS and self.valid_for:
            return _("%(reason)s: %(where)s.") % {
                "reason": ScanReason(scan.reason).label,
                "where": self.valid_for,
            }
        if scan.reason == ScanReason.NOT_VALID_YET and self.credential is not None:
            return _("Not valid yet: valid from %(time)s.") % {
                "time": _local_day_time(self.credential.valid_from)
            }
        return str(ScanReason(scan.reason).label)

    def as_dict(self, *, iso: bool = True) -> dict:
        """The answer as JSON-ready data; with `iso` false the two times stay datetimes (the device
        API renders them itself, as its schema's encoder would)."""
        credential = self.credential
        scanned_at, earlier_at = self.scan.scanned_at, self.earlier_at
        if iso:
            scanned_at = scanned_at.isoformat()
            earlier_at = earlier_at.isoformat() if earlier_at else None
        return {
            "result": self.scan.result,
            "reason": self.scan.reason,
            "message": self.message,
            "direction": self.scan.direction,
            "nonce": self.scan.nonce,
            "scanned_at": scanned_at,
            "duplicate": self.duplicate,
            "earlier_gate": self.earlier_gate,
            "earlier_at": earlier_at,
            "credential": None
            if credential is None
            else {
                "public_id": str(credential.public_id),
                "kind": credential.kind,
                "kind_label": str(CredentialKind(credential.kind).label),
                "holder": credential.holder_label,
                "allows_reentry": credential.allows_reentry,
            },
        }


def _local_time(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _local_day_time(moment: dt.datetime) -> str:
    # Translators: a Django date format for a day and time at the gate, e.g. "12 Apr 08:30".
    return dateformat.format(timezone.localtime(moment), _("j M H:i"))


def _valid_for(credential: Credential) -> str:
    """'for U12 Men's Foil on 12 Apr at Gate B': the event, day and gate (or venue) a ticket is for."""
    event = credential.event
    session = credential.session if credential.session_id else None
    start = session.starts_at if session else max(credential.valid_from, timezone.now())
    # Translators: a Django date format for a day, e.g. "12 Apr".
    day = dateformat.format(timezone.localtime(start), _("j M"))
    if credential.zones:
        place = gate_name(event, credential.zones[0])
    else:
        venue = session.venue if session else event.venue
        place = venue.name if venue else ""
    if not place:
        return _("for %(event)s on %(day)s") % {"event": event.name, "day": day}
    return _("for %(event)s on %(day)s at %(place)s") % {"event": event.name, "day": day, "place": place}


def _said_where(outcome: ScanOutcome, credential: Credential | None) -> ScanOutcome:
    """At a venue's gate, a ticket refused for another event, session or gate says where it is valid:
    on its first answer and when its nonce is sent again."""
    if credential is not None and outcome.reason in _WHERE_REASONS:
        outcome.valid_for = _valid_for(credential)
    return outcome


def _static_refusal(
    credential: Credential,
    *,
    event: Event,
    session: Session | None,
    gate_code: str,
    at: dt.datetime,
    venue_checked: bool = False,
    venue_id: int | None = None,
) -> str:
    """Every check that does not depend on presence, in the order the gate explains them.
    `venue_checked`: the web gate has already held the gate's venue to the credential's; `venue_id`:
    the venue of the device that scanned, when it has one (`_device_venue`)."""
    if credential.event_id != event.pk:
        return ScanReason.WRONG_EVENT
    if session is not None and credential.session_id not in (None, session.pk):
        return ScanReason.WRONG_SESSION
    if credential.state != CredentialState.ACTIVE:
        # An offline scan made before a refund or revocation was valid when it happened.
        changed = credential.state_changed_at
        if changed is None or changed <= at:
            return _STATE_REASONS[credential.state]
    if at < credential.valid_from:
        return ScanReason.NOT_VALID_YET
    if at >= credential.valid_until:
        return ScanReason.EXPIRED
    if credential.zones and gate_code not in credential.zones:
        return ScanReason.WRONG_GATE
    if (
        not venue_checked
        and credential.session_id is not None
        and not session_has_gate(credential.session_id, gate_code, venue_id=venue_id)
    ):
        return ScanReason.WRONG_SESSION  # its session is at another venue of the event
    return ""


def _signed_mismatch(decoded: DecodedCredential, credential: Credential) -> str:
    """A code signed for another scope than the row now has (e.g. the ticket was moved)."""
    if decoded.session_id is not None and decoded.session_id != credential.session_id:
        return ScanReason.WRONG_SESSION
    if decoded.event_id is not None and decoded.event_id != credential.event_id:
        return ScanReason.WRONG_EVENT
    return ""


def _lock(public_id) -> Credential | None:
    queryset = Credential.objects.all()
    if LOCK_CREDENTIAL_ROWS:
        queryset = queryset.select_for_update()
    return queryset.filter(public_id=public_id).first()


def _presence(credential: Credential) -> CheckInState | None:
    # A statement of its own, after the lock: read in the locking statement itself (a join),
    # PostgreSQL returns the presence as of before the lock was granted (tried: 8 of 8 gates
    # admitted), because a lock wait re-reads only the locked row, not the rows joined to it.
    return CheckInState.objects.filter(credential=credential).select_related("last_entry").first()


def _save_presence(credential: Credential, *, inside: bool, entries: int, last_entry: Scan | None) -> None:
    CheckInState.objects.bulk_create(
        [
            CheckInState(
                credential=credential,
                event_id=credential.event_id,
                inside=inside,
                entries=entries,
                last_entry=last_entry,
            )
        ],
        update_conflicts=True,
        unique_fields=["credential"],
        update_fields=["inside", "entries", "last_entry", "updated_at"],
    )


def _existing(nonce: str) -> ScanOutcome | None:
    scan = Scan.objects.filter(nonce=nonce).select_related("credential").first()
    if scan is None:
        return None
    return _outcome(scan, duplicate=True)


def _shown(credential: Credential | None, reason: str) -> Credential | None:
    """The credential an answer shows: none for a ticket of another event, which says nothing about
    its holder at this gate (nor when its scan's nonce is sent again)."""
    return None if reason == ScanReason.WRONG_EVENT else credential


def _outcome(scan: Scan, *, duplicate: bool = False) -> ScanOutcome:
    outcome = ScanOutcome(scan=scan, credential=_shown(scan.credential, scan.reason), duplicate=duplicate)
    if scan.reason == ScanReason.ALREADY_USED and scan.credential_id:
        state = _presence(scan.credential)
        if state and state.last_entry:
            outcome.earlier_gate = gate_name(scan.event, state.last_entry.gate_code)
            outcome.earlier_at = state.last_entry.scanned_at
    return outcome


def _check_context(*, event, device, gate_code, direction) -> Event:
    if device is not None:
        if device.is_revoked:
            raise CheckInError(_("This device has been revoked."))
        if not device.allows_gate(gate_code):
            raise CheckInError(_("This device may not scan at that gate."))
        event = device.event
    if event is None:
        raise CheckInError(_("Choose the event this gate admits to."))
    if direction not in _DIRECTIONS:
        raise CheckInError(_("Direction must be entry or exit."))
    if not gate_code:
        raise CheckInError(_("Choose a gate."))
    venue_id = _device_venue(device)
    if not event_has_gate(event, gate_code, venue_id=venue_id):
        if venue_id is not None and event_has_gate(event, gate_code):
            raise CheckInError(_("This device works at another venue: it may not scan at that gate."))
        raise CheckInError(_("That gate does not belong to this event's venues."))
    return event


def _device_venue(device: GateDevice | None) -> int | None:
    """The venue a scanning device stands at (None for the web gate, which passes its gate, and for a
    device from before devices had venues)."""
    return device.venue_id if device is not None else None


def _store(**fields) -> Scan:
    return Scan.objects.create(**fields)


def credential_scan(
    *,
    code: str,
    gate_code: str,
    direction: str,
    nonce: str,
    event: Event | None = None,
    session: Session | None = None,
    device: GateDevice | None = None,
    user=None,
    gate: VenueResource | None = None,
) -> ScanOutcome:
    """Scan a code at a gate, now, and store the scan whatever the answer.

    With `gate` (the web gate page: staff work a venue's gate, not an event), every ticket valid for
    that gate now is admitted, whichever event or session of the venue it is for; the scan is filed
    under the ticket's event (under the venue's current event when the code names none of its).

    `event` is the device's event when a device scans. Re-sending a nonce returns the stored answer and
    changes nothing: the unique nonce refuses the insert, the attempt rolls back whole, and only then
    is the stored scan read. Locks the credential row (see the module docstring).

    Statements for an admitted entry: the credential locked together with its presence, the scan
    insert, the presence upsert, then COMMIT (pinned in tests/ticketing/test_api.py).
    """
    if gate is not None:
        if direction not in _DIRECTIONS:
            raise CheckInError(_("Direction must be entry or exit."))
        gate_code, event = gate.code, None
    else:
        event = _check_context(event=event, device=device, gate_code=gate_code, direction=direction)
    common = {
        "event": event,
        "code_hash": code_hash(code),
        "direction": direction,
        "gate_code": gate_code,
        "device": device,
        "user": user,
        "nonce": nonce,
    }
    for attempt in (1, 2):
        try:
            if gate is not None:
                return _scan_at_gate(common, code, gate=gate)
            return _scan_now(common, code, session=session)
        except IntegrityError:
            existing = _existing(nonce)
            if existing is None:
                if attempt == 2:
                    raise
                # Another admission won the single-entry constraint (reachable only without the row
                # lock): judged again, now that the winner has committed.
                continue
            existing = _own(existing, device=device, user=user)
            return _said_where(existing, existing.scan.credential) if gate is not None else existing
    raise AssertionError("unreachable: the second attempt returns or raises")


def _own(outcome: ScanOutcome, *, device: GateDevice | None, user) -> ScanOutcome:
    """A re-sent nonce is answered only to whoever sent it first."""
    if not outcome.duplicate:
        return outcome
    scan = outcome.scan
    if (device is not None and scan.device_id != device.pk) or (
        device is None and scan.user_id != getattr(user, "pk", None)
    ):
        # Someone else's scan reference: answering with it would show another gate's ticket.
        raise CheckInError(_("This scan reference is already used.")) from None
    return outcome


def _scan_now(common: dict, code: str, *, session: Session | None) -> ScanOutcome:
    """One attempt, in one transaction with no savepoint: an IntegrityError rolls all of it back."""
    decoded, refusal = _decode(code, common)
    if decoded is None:
        return _store_refusal(common, None, refusal)
    if connection.vendor == "postgresql":
        return _own(
            _decide_in_database(common, decoded, session=session),
            device=common["device"],
            user=common["user"],
        )
    with transaction.atomic():
        credential = _lock(decoded.public_id)
        if credential is None:
            return _store_refusal(common, None, ScanReason.UNKNOWN)
        now = timezone.now()
        reason = _signed_mismatch(decoded, credential) or _static_refusal(
            credential,
            event=common["event"],
            session=session,
            gate_code=common["gate_code"],
            at=now,
            venue_id=_device_venue(common["device"]),
        )
        if reason:
            return _store_refusal(common, credential, reason)
        return _scan_presence(common, credential, direction=common["direction"], now=now)


_DECIDE_SQL = (
    "SELECT * FROM ticketing_scan_decide(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_CREDENTIAL_COLUMNS = (
    "id", "public_id", "kind", "event_id", "session_id", "valid_from", "valid_until", "zones",
    "allows_reentry", "holder_label", "state", "state_changed_at",
)  # fmt: skip
# The one column whose field converts what the database sends (see `_decide_in_database`).
_ZONES_AT, _ZONES_FIELD = _CREDENTIAL_COLUMNS.index("zones"), Credential._meta.get_field("zones")
# Every Scan column in model order, as `_decide_in_database` fills them (pinned in tests/ticketing/test_scans.py).
_SCAN_FIELDS = (
    "id", "event_id", "credential_id", "code_hash", "direction", "result", "reason", "gate_code",
    "device_id", "user_id", "scanned_at", "received_at", "nonce", "offline", "device_result",
    "conflict", "single_entry", "annulled_at",
)  # fmt: skip
PRESENCE_PAUSE_SECONDS = 0.0  # widened only by the race tests, as they pause `_presence` on SQLite's path


def _decide_in_database(common: dict, decoded: DecodedCredential, *, session: Session | None) -> ScanOutcome:
    """`_scan_now` on PostgreSQL in one round trip: the function `ticketing_scan_decide` (migrations
    0006 and 0012) locks the credential, checks it, reads its presence after the lock, stores the scan (a
    nonce stored before is answered with the stored scan) and moves the presence, with the same
    rules as the ORM path below. A single-entry violation (only without the lock) raises
    IntegrityError for `credential_scan` to judge again; inside a caller's transaction the call
    runs in a savepoint so that error leaves the caller's transaction usable.
    """
    event, device, user = common["event"], common["device"], common["user"]
    now = timezone.now()
    params = [
        decoded.public_id, decoded.event_id, decoded.session_id, event.pk,
        session.pk if session is not None else None, common["gate_code"], common["direction"],
        common["nonce"], common["code_hash"], device.pk if device is not None else None,
        getattr(user, "pk", None), now, LOCK_CREDENTIAL_ROWS, PRESENCE_PAUSE_SECONDS, _device_venue(device),
    ]  # fmt: skip
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with guard, prepared_cursor() as cursor:
        cursor.execute(_DECIDE_SQL, params)
        row = cursor.fetchone()
    (scan_id, event_id, result, reason, direction, scanned_at, device_id, user_id, single_entry,
     duplicate, earlier_gate, earlier_at, *credential_row) = row  # fmt: skip
    # Built as a database read builds them: no field defaults computed (a credential's default short
    # code draws 12 random characters), and the credential's fields this answer does not return stay
    # deferred rather than wrong.
    credential = None
    if credential_row[0] is not None:
        zones = credential_row[_ZONES_AT]
        if isinstance(zones, str):  # jsonb comes as text on Django's connections: its field reads it
            credential_row[_ZONES_AT] = _ZONES_FIELD.from_db_value(zones, None, connection)
        credential = _loaded(Credential, _CREDENTIAL_COLUMNS, credential_row)
    scan = _loaded(
        Scan,
        _SCAN_FIELDS,
        (
            scan_id, event_id, credential_row[0], common["code_hash"], direction, result, reason,
            common["gate_code"], device_id, user_id, scanned_at, now, common["nonce"], False, "", False,
            single_entry, None,
        ),
    )  # fmt: skip
    if credential is not None:
        scan.credential = credential
    if event_id == event.pk:
        scan.event = event
    outcome = ScanOutcome(scan=scan, credential=_shown(credential, reason), duplicate=duplicate)
    if earlier_at is not None:
        outcome.earlier_gate = gate_name(scan.event, earlier_gate)
        outcome.earlier_at = earlier_at
    return outcome


def _loaded(model, fields: tuple[str, ...], values) -> Credential | Scan:
    """The instance `model.from_db(alias, fields, values)` builds, made as unpickling makes one
    (`Model.__reduce__`): without `Model.__init__`, whose loop over every field and pre_init and
    post_init signals cost a scan more than the rest of building its answer. No receiver listens to
    those signals for Scan or Credential (a test says so); fields not given stay deferred, loaded on
    access, as from_db leaves them."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(fields, values, strict=True))
    instance._state = state = ModelState()
    state.adding, state.db = False, connection.alias
    return instance


def _decode(code: str, common: dict) -> tuple[DecodedCredential | None, str]:
    """What a scanned code names, or the manual code typed instead of it; else why not (a refusal)."""
    try:
        return credential_decode(code), ""
    except CredentialCodeError:
        pass
    short = short_code_normalise(code)
    if short is None:
        return None, _undecodable(code)
    return _typed(short, device=common["device"], user=common.get("user"))


def _typed(short: str, *, device: GateDevice | None, user) -> tuple[DecodedCredential | None, str]:
    """The credential a manual code (printed under the QR) names, looked up by its unique code.

    A code is 60 random bits, and each device (or person at the web gate) may mistype at most
    SHORT_CODE_MISSES codes in SHORT_CODE_WINDOW_SECONDS: after that, typed codes are refused until
    the window ends, so guessing one is hopeless. A manual code carries no signed scope, so the
    credential row alone is checked (as for every scan online)."""
    who = f"device:{device.pk}" if device is not None else f"user:{getattr(user, 'pk', None)}"
    key = f"ticketing:short-code-misses:{who}"
    if not attempt_reserve(key, limit=SHORT_CODE_MISSES, window_seconds=SHORT_CODE_WINDOW_SECONDS):
        raise CheckInError(
            _("Too many mistyped codes at this gate: scan the QR code, or try again in ten minutes.")
        )
    row = (
        Credential.objects.filter(short_code=short)
        .values_list("public_id", "kind", "valid_from", "valid_until")
        .first()
    )
    if row is None:
        return None, ScanReason.UNKNOWN  # the reserved attempt stays counted: a miss
    attempt_refund(key)
    public_id, kind, valid_from, valid_until = row
    decoded = DecodedCredential(
        kid="",
        public_id=public_id,
        kind=kind,
        event_id=None,
        session_id=None,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return decoded, ""


def _undecodable(code: str) -> str:
    return ScanReason.ORDER_NUMBER if _ORDER_CODE.match(code.strip().upper()) else ScanReason.FORGED


def _scan_at_gate(common: dict, code: str, *, gate: VenueResource) -> ScanOutcome:
    """One attempt at a venue's gate, in one transaction with no savepoint (as `_scan_now`)."""

    def elsewhere() -> dict:
        fallback = gate_fallback_event(gate)
        if fallback is None:
            raise CheckInError(_("No event uses this gate's venue."))
        return {**common, "event": fallback}

    decoded, refusal = _decode(code, common)
    if decoded is None:
        return _store_refusal(elsewhere(), None, refusal)
    with transaction.atomic():
        credential = _lock(decoded.public_id)
        if credential is None:
            return _store_refusal(elsewhere(), None, ScanReason.UNKNOWN)
        now = timezone.now()
        if gate.venue_id not in credential_venue_ids(credential):
            return _said_where(_store_refusal(elsewhere(), credential, ScanReason.WRONG_EVENT), credential)
        mine = {**common, "event": credential.event}
        reason = _signed_mismatch(decoded, credential) or _static_refusal(
            credential, event=credential.event, session=None, gate_code=gate.code, at=now, venue_checked=True
        )
        if reason:
            return _said_where(_store_refusal(mine, credential, reason), credential)
        return _scan_presence(mine, credential, direction=common["direction"], now=now)


def _store_refusal(common: dict, credential: Credential | None, reason: str) -> ScanOutcome:
    """Store a refusal; a nonce stored before raises IntegrityError for the caller to answer."""
    fields = {"scanned_at": timezone.now(), **common}
    scan = _store(
        **fields,
        credential=credential,
        result=ScanResult.REFUSED,
        reason=reason,
        single_entry=not credential.allows_reentry if credential else True,
    )
    return ScanOutcome(scan=scan, credential=_shown(credential, reason))


def _scan_presence(common: dict, credential: Credential, *, direction: str, now: dt.datetime) -> ScanOutcome:
    """Decide on the presence read under the credential lock, store the scan, move the presence."""
    state = _presence(credential)
    inside = bool(state and state.inside)
    entries = state.entries if state else 0
    last_entry = state.last_entry if state else None
    if direction == ScanDirection.ENTRY:
        ok = not inside and (entries == 0 or credential.allows_reentry)
        reason = "" if ok else ScanReason.ALREADY_USED
    else:
        ok = inside
        reason = "" if ok else ScanReason.NOT_INSIDE
    scan = _store(
        **common,
        credential=credential,
        scanned_at=now,
        single_entry=not credential.allows_reentry,
        result=ScanResult.ADMITTED if ok else ScanResult.REFUSED,
        reason=reason,
    )
    if ok and direction == ScanDirection.ENTRY:
        _save_presence(credential, inside=True, entries=entries + 1, last_entry=scan)
    elif ok:
        _save_presence(credential, inside=False, entries=entries, last_entry=last_entry)
    outcome = ScanOutcome(scan=scan, credential=credential)
    if reason == ScanReason.ALREADY_USED and last_entry is not None:
        outcome.earlier_gate = gate_name(common["event"], last_entry.gate_code)
        outcome.earlier_at = last_entry.scanned_at
    return outcome


def _replay(credential: Credential, *, rewrite: bool, fresh: Scan | None = None) -> list[Scan]:
    """Recompute presence from the credential's scans in (scanned_at, arrival) order: first scan wins.

    With `rewrite`, stored verdicts that change are corrected and flagged as conflicts for organisers;
    `fresh` (the scan just uploaded) is flagged only when it loses while its device had admitted it.
    """
    live = credential.scans.filter(annulled_at__isnull=True)
    if rewrite:
        # An offline upload may overturn earlier presence refusals: they are judged again.
        live = live.filter(Q(result=ScanResult.ADMITTED) | Q(reason__in=_PRESENCE_REASONS))
    else:
        # Annulment: a refused double scan did not let anyone in, so it never becomes the entry.
        live = live.filter(result=ScanResult.ADMITTED)
    scans = list(live.order_by("scanned_at", "pk"))
    inside, entries, last_entry = False, 0, None
    demoted, promoted = [], []
    for scan in scans:
        if scan.direction == ScanDirection.ENTRY:
            ok = not inside and (entries == 0 or credential.allows_reentry)
            reason = "" if ok else ScanReason.ALREADY_USED
            if ok:
                inside, entries, last_entry = True, entries + 1, scan
        else:
            ok = inside
            reason = "" if ok else ScanReason.NOT_INSIDE
            if ok:
                inside = False
        result = ScanResult.ADMITTED if ok else ScanResult.REFUSED
        if not rewrite:
            continue
        if fresh is not None and scan.pk == fresh.pk:
            # The new upload: a conflict only if it lost while its device let the person in.
            scan.conflict = not ok and scan.device_result != ScanResult.REFUSED
        elif (scan.result, scan.reason) != (result, reason):
            scan.conflict = True  # an earlier stored verdict overturned by an earlier offline scan
        else:
            continue
        scan.result, scan.reason = result, reason
        (promoted if ok else demoted).append(scan)
    # Demote first so the single-entry constraint never sees two live admissions.
    for scan in demoted + promoted:
        scan.save(update_fields=["result", "reason", "conflict"])
    _save_presence(credential, inside=inside, entries=entries, last_entry=last_entry)
    return [scan for scan in demoted + promoted if scan.conflict and (fresh is None or scan.pk != fresh.pk)]


def scan_annul(*, nonce: str, device: GateDevice | None = None, user=None) -> Scan:
    """Undo a scan this gate made a moment ago (wrong person, wrong direction).

    Only the device or person who scanned may annul, within GATE_ANNUL_WINDOW_SECONDS. Locks the
    credential row first, then the scan row, and recomputes the credential's presence: the same
    order as an offline upload, which rewrites a credential's scans under its credential lock, so
    the two cannot deadlock (tests/ticketing/test_concurrency_checkin.py).
    """
    window = dt.timedelta(seconds=settings.GATE_ANNUL_WINDOW_SECONDS)
    with transaction.atomic():
        # Unlocked read for the credential only: a scan's credential never changes once stored.
        found = Scan.objects.filter(nonce=nonce).values_list("credential__public_id", flat=True).first()
        credential = _lock(found) if found is not None else None
        scan = Scan.objects.select_for_update().filter(nonce=nonce).first()
        mine = scan is not None and (
            (device is not None and scan.device_id == device.pk)
            or (device is None and user is not None and scan.user_id == user.pk)
        )
        if not mine:
            raise CheckInError(_("No scan of yours with that reference."))
        if scan.annulled_at is not None:
            return scan
        if timezone.now() - scan.received_at > window:
            raise CheckInError(_("Too late to annul this scan; ask an organiser."))
        scan.annulled_at = timezone.now()
        scan.save(update_fields=["annulled_at"])
        if credential is not None:
            _replay(credential, rewrite=False)
    return scan
