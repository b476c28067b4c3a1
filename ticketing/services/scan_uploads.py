"""Offline uploads from gate devices: each scan gets its own verdict, a refused scan never stops the
others, and re-sending a batch stores nothing twice (first scan wins, by the unique nonce).

Locking rule (docs/architecture.md#locking-rules): each uploaded scan locks its Credential row in its
own transaction, as an online scan does (`scans._lock`), before the credential's stored scans are
replayed in time order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from ticketing.enums import CredentialState, ScanReason, ScanResult
from ticketing.errors import CheckInError
from ticketing.models import GateDevice, Scan
from ticketing.services.scans import (
    ScanOutcome,
    _check_context,
    _decode,
    _existing,
    _lock,
    _outcome,
    _replay,
    _signed_mismatch,
    _static_refusal,
    _store,
    _store_refusal,
)
from ticketing.signing import code_hash

MAX_UPLOAD_SCANS = 1000


@dataclass
class OfflineScan:
    """One scan a device made without network, as uploaded."""

    nonce: str
    code: str
    gate_code: str
    direction: str
    scanned_at: dt.datetime
    device_result: str = ""


@dataclass
class UploadVerdict:
    """What became of one uploaded scan: stored (with its outcome), a duplicate, or rejected (why)."""

    nonce: str
    verdict: str  # "stored", "duplicate" or "rejected"
    detail: str = ""
    outcome: ScanOutcome | None = None


@dataclass
class UploadSummary:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: list[Scan] = field(default_factory=list)
    outcomes: list[ScanOutcome] = field(default_factory=list)
    verdicts: list[UploadVerdict] = field(default_factory=list)  # one per uploaded scan, in upload order


def scans_upload(*, device: GateDevice, scans: Sequence[OfflineScan]) -> UploadSummary:
    """Store scans a device made offline, first-scan-wins by device time then arrival order.

    Each scan is judged as of its device time (clamped to now); re-uploaded nonces change nothing.
    Every scan gets its own verdict: a scan the device may not make (a gate outside its scope) is
    rejected and not stored, and never stops the others, so retrying a batch is a no-op for what was
    stored. Losers are stored with `conflict` set and listed for organisers. Locks each credential
    row in turn.
    """
    if device.is_revoked:
        raise CheckInError(_("This device has been revoked."))
    if len(scans) > MAX_UPLOAD_SCANS:
        raise CheckInError(_("Upload at most %(count)d scans at a time.") % {"count": MAX_UPLOAD_SCANS})
    summary = UploadSummary()
    verdicts: dict[int, UploadVerdict] = {}
    now = timezone.now()
    oldest = now - dt.timedelta(hours=settings.GATE_OFFLINE_MAX_AGE_HOURS)
    ordered = sorted(enumerate(scans), key=lambda pair: (pair[1].scanned_at, pair[0]))
    for index, item in ordered:
        if Scan.objects.filter(nonce=item.nonce).exists():
            summary.duplicates += 1
            verdicts[index] = UploadVerdict(nonce=item.nonce, verdict="duplicate")
            continue
        try:
            event = _check_context(
                event=None, device=device, gate_code=item.gate_code, direction=item.direction
            )
            outcome = _upload_one(
                device=device,
                event=event,
                item=item,
                at=min(item.scanned_at, now),
                stale=item.scanned_at < oldest,
            )
        except CheckInError as exc:  # a gate it may not use, or too many mistyped manual codes
            summary.rejected += 1
            verdicts[index] = UploadVerdict(nonce=item.nonce, verdict="rejected", detail=str(exc))
            continue
        if outcome.duplicate:
            summary.duplicates += 1
            verdicts[index] = UploadVerdict(nonce=item.nonce, verdict="duplicate")
            continue
        summary.stored += 1
        summary.outcomes.append(outcome)
        verdicts[index] = UploadVerdict(nonce=item.nonce, verdict="stored", outcome=outcome)
        if outcome.scan.conflict:
            summary.conflicts.append(outcome.scan)
        summary.conflicts.extend(outcome.overturned)
    summary.verdicts = [verdicts[index] for index in range(len(scans))]
    return summary


def _upload_one(
    *, device: GateDevice, event: Event, item: OfflineScan, at: dt.datetime, stale: bool = False
) -> ScanOutcome:
    common = {
        "event": event,
        "code_hash": code_hash(item.code),
        "direction": item.direction,
        "gate_code": item.gate_code,
        "device": device,
        "nonce": item.nonce,
        "scanned_at": at,
        "offline": True,
        "device_result": item.device_result if item.device_result in ScanResult.values else "",
    }
    try:
        return _upload_judge(common=common, item=item, event=event, at=at, stale=stale)
    except IntegrityError:
        # Stored meanwhile by another upload of the same batch: that attempt rolled back whole.
        existing = _existing(item.nonce)
        if existing is None:
            raise
        return existing


def _upload_judge(
    *, common: dict, item: OfflineScan, event: Event, at: dt.datetime, stale: bool
) -> ScanOutcome:
    decoded, refusal = _decode(item.code, common)  # a QR's code, or a manual code typed offline
    if decoded is None:
        return _store_refusal(common, None, refusal)
    with transaction.atomic():
        credential = _lock(decoded.public_id)
        if credential is None:
            return _store_refusal(common, None, ScanReason.UNKNOWN)
        if stale:
            # Too old to trust: never admitted, and flagged so organisers see what the device claimed.
            return _store_refusal({**common, "conflict": True}, credential, ScanReason.STALE_UPLOAD)
        reason = _signed_mismatch(decoded, credential) or _static_refusal(
            credential,
            event=event,
            session=None,
            gate_code=item.gate_code,
            at=at,
            venue_id=common["device"].venue_id,
        )
        if reason:
            return _store_refusal(common, credential, reason)
        # Stored as a presence refusal first, then the replay decides who won.
        scan = _store(
            **common,
            credential=credential,
            result=ScanResult.REFUSED,
            reason=ScanReason.ALREADY_USED,
            single_entry=not credential.allows_reentry,
        )
        overturned = _replay(credential, rewrite=True, fresh=scan)
        scan.refresh_from_db()
        if (
            scan.result == ScanResult.ADMITTED
            and credential.state != CredentialState.ACTIVE
            and not scan.conflict
        ):
            # Admitted only because the scan predates a refund or revocation: organisers should know.
            scan.conflict = True
            scan.save(update_fields=["conflict"])
        outcome = _outcome(scan)
        outcome.overturned = overturned
        return outcome
