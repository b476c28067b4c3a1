"""Device API for gate scanners: scan, offline bundle, offline upload, annul. Mounted at /api/gate/.

Authenticate with `Authorization: Bearer <device token>`; a device is scoped to one event and its
gates. Every error is JSON with a `detail` message (400 for a body that is not JSON); bodies over 1 MB are refused with 413 before they
are read, and an upload holds at most 1000 scans.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer
from pydantic import BaseModel, field_validator

from ticketing.errors import CheckInError
from ticketing.selectors.checkin import offline_bundle
from ticketing.services.gate_devices import gate_device_authenticate
from ticketing.services.scan_uploads import MAX_UPLOAD_SCANS, OfflineScan, scans_upload
from ticketing.services.scans import credential_scan, scan_annul

MAX_BODY_BYTES = 1_000_000
NONCE_PATTERN = r"^[A-Za-z0-9._:-]{8,64}$"
GATE_PATTERN = r"^[-a-zA-Z0-9_]{1,50}$"


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > MAX_BODY_BYTES


def _bearer_token(request) -> str:
    """HttpBearer's own parsing, read from META (`request.headers` would copy every header first);
    empty when the request carries no bearer token."""
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token if scheme.lower() == "bearer" else ""


class DeviceBearer(HttpBearer):
    """A device's bearer token; also refuses oversized bodies before anything reads them."""

    def __call__(self, request):
        if _too_large(request):
            raise HttpError(413, _("Request body too large (at most 1 MB)."))
        token = _bearer_token(request)
        if not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request, token):
        return _device_for(request, token)


def _device_for(request, token: str):
    """The device holding `token`, looked up once per request: a request `scan_lean` declines (an
    unknown token among them, which costs a query) comes to the operation with its answer known."""
    known = getattr(request, "_gate_device", None)
    if known is None or known[0] != token:
        known = request._gate_device = (token, gate_device_authenticate(token))
    return known[1]


router = Router(tags=["gate"], auth=DeviceBearer())


class ErrorOut(Schema):
    detail: str | list


class ScanIn(BaseModel):  # not ninja's Schema: its ORM-reading wrapper validator costs every scan
    code: str = Field(
        ..., max_length=400, description="The scanned text as read; whitespace around it is ignored."
    )
    gate: str = Field(..., pattern=GATE_PATTERN, description="Gate code (VenueResource.code).")
    direction: Literal["entry", "exit"] = "entry"
    nonce: str = Field(
        ..., pattern=NONCE_PATTERN, description="Unique per scan; re-sending it returns the stored answer."
    )

    @field_validator("code")
    @classmethod
    def _strip(cls, value: str) -> str:
        # The web gate strips what a scanner adds around a code (a newline, spaces): so does the API.
        return value.strip()


class CredentialOut(Schema):
    public_id: str
    kind: str
    kind_label: str
    holder: str
    allows_reentry: bool


class ScanOut(Schema):
    result: Literal["admitted", "refused"]
    reason: str = Field(description="Empty when admitted; else forged, unknown, already_used, ...")
    message: str = Field(description="What to show gate staff, in the request's language.")
    direction: str
    nonce: str
    scanned_at: dt.datetime
    duplicate: bool
    earlier_gate: str
    earlier_at: dt.datetime | None
    credential: CredentialOut | None


class OfflineScanIn(ScanIn):
    scanned_at: dt.datetime = Field(description="Device time of the scan, with a timezone offset.")
    device_result: Literal["admitted", "refused", ""] = ""

    @field_validator("scanned_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("scanned_at needs a timezone offset, e.g. 2027-04-10T09:30:00+08:00")
        try:
            in_utc = value.astimezone(dt.UTC)
        except OverflowError as exc:
            raise ValueError("scanned_at is out of range") from exc
        if not 2000 <= in_utc.year <= 2100:
            raise ValueError("scanned_at must be between the years 2000 and 2100")
        return value


class UploadIn(Schema):
    scans: list[OfflineScanIn] = Field(..., max_length=MAX_UPLOAD_SCANS)


class UploadItemOut(Schema):
    nonce: str
    verdict: Literal["stored", "duplicate", "rejected"] = Field(
        description="stored: judged and kept now; duplicate: this nonce was already stored (nothing "
        "changed); rejected: not stored, e.g. a gate this device may not scan at (see detail)."
    )
    detail: str = Field(description="Why the scan was rejected, in the request's language; else empty.")
    result: ScanOut | None = Field(description="The gate verdict of a scan stored now; else null.")


class UploadOut(Schema):
    stored: int
    duplicates: int
    rejected: int
    conflicts: list[str] = Field(description="Nonces of scans that lost first-scan-wins.")
    results: list[ScanOut] = Field(description="The verdicts of the scans stored now.")
    items: list[UploadItemOut] = Field(description="One verdict per uploaded scan, in upload order.")


class AnnulIn(Schema):
    nonce: str = Field(..., pattern=NONCE_PATTERN)


class AnnulOut(Schema):
    nonce: str
    annulled_at: dt.datetime


class KeyOut(Schema):
    kid: str
    kid_hash: str
    algorithm: str
    public_key: str


class BundleOut(Schema):
    generated_at: dt.datetime
    event: dict
    sessions: list[dict]
    venue: str | None = Field(
        None,
        description="Slug of the venue this device works at: a session's ticket admits only where its "
        "session's venue is this one (compare `sessions[].venue`). Null for a device without a venue.",
    )
    gates: list[str]
    keys: list[KeyOut]
    blocked: list[dict] = Field(description="Credentials not to admit, with their state.")
    inside: list[str] = Field(description="Public ids of credentials inside now.")
    used: list[str] = Field(description="Single-entry credentials that have already entered.")
    code_format: str


CODE_FORMAT = (
    "128 characters of unpadded base64url (96 bytes): body(32) = version 1 | flags (0x80 event scope) "
    "+ kind (1 ticket, 2 badge, 3 stub) | first 2 bytes of sha256(kid) | public id (16) | scope id "
    "(session or event, uint32) | valid from, valid until (uint32 minutes since 1970-01-01 UTC); then an "
    "Ed25519 signature of the body (64). Accept only the canonical encoding."
)


def _rendered(answer: dict) -> HttpResponse:
    """The scan's answer rendered as the API's renderer would render ScanOut, without validating it
    against ScanOut again: the hot path's answer is built by `ScanOutcome.as_dict` alone, and a test
    validates it against the schema (tests/ticketing/test_api.py)."""
    return HttpResponse(
        json.dumps(answer, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


def _refuse(exc: CheckInError):
    raise HttpError(403, str(exc)) from exc


@router.post(
    "/scan",
    response={200: ScanOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def scan(request, payload: ScanIn):
    """Scan one code at a gate now. A refusal is a normal answer (200) with its reason."""
    return _scan_answer(payload, device=request.auth)


def scan_lean(request) -> HttpResponse | None:
    """`scan` without django-ninja's operation, for the requests a working scanner sends all day: a
    known device's token and a body `ScanIn` accepts. Mounted ahead of the API in config/urls.py by
    `events.lean_routes.lean_route`: for anything else this returns None before it has changed
    anything, and the `scan` operation answers (so every error is ninja's own); a refusal of the
    service is raised as `scan` raises it and rendered by the API's handlers."""
    if _too_large(request):
        return None
    token = _bearer_token(request)
    device = _device_for(request, token) if token else None
    if device is None:
        return None
    try:
        payload = ScanIn.model_validate(json.loads(request.body))
    except Exception:  # whatever it is, the operation answers it with its own 400 or 422
        return None
    request.auth = device
    return _scan_answer(payload, device=device)


def _scan_answer(payload: ScanIn, *, device) -> HttpResponse:
    try:
        outcome = credential_scan(
            code=payload.code,
            gate_code=payload.gate,
            direction=payload.direction,
            nonce=payload.nonce,
            device=device,
        )
    except CheckInError as exc:
        _refuse(exc)
    return _rendered(outcome.as_dict(iso=False))


@router.get("/bundle", response={200: BundleOut, 401: ErrorOut})
def bundle(request):
    """What the scanner needs to keep working offline. Fetch it again every few minutes while online."""
    device = request.auth
    return {
        **offline_bundle(event=device.event, gates=device.gates, venue=device.venue),
        "code_format": CODE_FORMAT,
    }


@router.post(
    "/upload",
    response={200: UploadOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def upload(request, payload: UploadIn):
    """Upload scans made offline (at most 1000). First scan wins by device time; losers are flagged.

    Every scan gets its own verdict in `items`; a rejected scan never stops the others, and
    re-uploading the same batch changes nothing that was stored.
    """
    items = [
        OfflineScan(
            nonce=item.nonce,
            code=item.code,
            gate_code=item.gate,
            direction=item.direction,
            scanned_at=item.scanned_at,
            device_result=item.device_result,
        )
        for item in payload.scans
    ]
    try:
        summary = scans_upload(device=request.auth, scans=items)
    except CheckInError as exc:
        _refuse(exc)
    return {
        "stored": summary.stored,
        "duplicates": summary.duplicates,
        "rejected": summary.rejected,
        "conflicts": [scan.nonce for scan in summary.conflicts],
        "results": [outcome.as_dict() for outcome in summary.outcomes],
        "items": [
            {
                "nonce": verdict.nonce,
                "verdict": verdict.verdict,
                "detail": verdict.detail,
                "result": verdict.outcome.as_dict() if verdict.outcome else None,
            }
            for verdict in summary.verdicts
        ],
    }


@router.post("/annul", response={200: AnnulOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def annul(request, payload: AnnulIn):
    """Undo this device's own scan within the annulment window (default two minutes)."""
    try:
        scan = scan_annul(nonce=payload.nonce, device=request.auth)
    except CheckInError as exc:
        _refuse(exc)
    return {"nonce": scan.nonce, "annulled_at": scan.annulled_at}
