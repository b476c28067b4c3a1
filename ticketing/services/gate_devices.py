"""Gate devices (scanners with a bearer token, scoped to one event and its gates) and gate staff."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from ticketing.errors import CheckInError
from ticketing.models import GateDevice, GateStaffAssignment

# Every scan authenticates its device: the row is kept this long by token hash, in this process and
# in the shared cache, so a burst of scans costs no query and no cache round trip. Revocation drops
# both at once (other processes' copies lapse within this time); it bounds every other change (an
# admin edit of the device's gates, a device deleted) the same way.
DEVICE_CACHE_SECONDS = 5
_local: dict[str, tuple[float, GateDevice]] = {}  # token hash -> (monotonic expiry, device)


def gate_device_create(*, name: str, event: Event, gates: Iterable[str] = ()) -> tuple[GateDevice, str]:
    """A new device and its bearer token (shown once; only its SHA-256 is stored)."""
    token = secrets.token_urlsafe(32)
    return gate_device_create_with_token(name=name, event=event, gates=gates, token=token), token


def gate_device_create_with_token(
    *, name: str, event: Event, gates: Iterable[str] = (), token: str
) -> GateDevice:
    """Create or refresh a device for a known token (the demo derives its token from SECRET_KEY)."""
    digest = token_digest(token)
    with transaction.atomic():
        device, _created = GateDevice.objects.update_or_create(
            token_hash=digest,
            defaults={"name": name, "event": event, "gates": sorted(set(gates)), "revoked_at": None},
        )
        _forget(digest)
        transaction.on_commit(lambda: _forget(digest))
    return device


def gate_device_revoke(*, device: GateDevice) -> GateDevice:
    """Revoke a device: its token stops working now (the cached authentication is dropped too)."""
    with transaction.atomic():
        GateDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        # Forgotten now and again after commit: a scan between the two cannot keep the live row
        # for longer than the commit takes.
        _forget(device.token_hash)
        transaction.on_commit(lambda: _forget(device.token_hash))
    device.refresh_from_db()
    return device


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cache_key(digest: str) -> str:
    return f"ticketing:gate-device:{digest}"


def _forget(digest: str) -> None:
    _local.pop(digest, None)
    cache.delete(_cache_key(digest))


def _remember(digest: str, device: GateDevice) -> None:
    """Keep the device in this process only: the shared copy is set from the database alone, so
    processes never extend each other's copies past DEVICE_CACHE_SECONDS after the database read."""
    if len(_local) > 1000:
        _local.clear()  # a bound, not an eviction policy: only a few hundred devices exist
    _local[digest] = (time.monotonic() + DEVICE_CACHE_SECONDS, device)


def gate_device_authenticate(token: str) -> GateDevice | None:
    """The live device holding this bearer token, with last_seen refreshed at most once a minute.

    Kept for DEVICE_CACHE_SECONDS by token hash in this process and in the shared cache (an unknown
    token is never kept, so a new device works at once). `gate_device_revoke` drops both at once;
    another process may still hold its copy for up to twice that time.
    """
    if not token or len(token) > 200:
        return None
    digest = token_digest(token)
    expires, device = _local.get(digest, (0.0, None))
    if device is None or expires < time.monotonic():
        device = cache.get(_cache_key(digest))
        if device is None:
            device = (
                GateDevice.objects.select_related("event", "event__venue")
                .filter(token_hash=digest, revoked_at__isnull=True)
                .first()
            )
            if device is None:
                return None
            cache.set(_cache_key(digest), device, timeout=DEVICE_CACHE_SECONDS)
        _remember(digest, device)
    now = timezone.now()
    if device.last_seen is None or now - device.last_seen > dt.timedelta(minutes=1):
        GateDevice.objects.filter(pk=device.pk).update(last_seen=now)
        device.last_seen = now
        _remember(digest, device)
    return device


def gate_staff_assign(*, user, event: Event | None = None, venue=None) -> GateStaffAssignment:
    if (event is None) == (venue is None):
        raise CheckInError(_("Assign gate staff to an event or to a venue, not both."))
    with transaction.atomic():
        assignment, _created = GateStaffAssignment.objects.get_or_create(user=user, event=event, venue=venue)
    return assignment
