"""Gate devices (scanners with a bearer token, scoped to one event and its gates) and gate staff."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from events.bearer_cache import BearerCache, token_digest
from events.models import Event
from ticketing.errors import CheckInError
from ticketing.models import GateDevice, GateStaffAssignment

# Every scan authenticates its device from this cache (events/bearer_cache.py: by token hash, in this
# process and in the shared cache, so a burst of scans costs no query and no cache round trip).
# Revocation drops both at once (other processes' copies lapse within this time); it bounds every other
# change (an admin edit of the device's gates, a device deleted) the same way.
DEVICE_CACHE_SECONDS = 5


def _load(digest: str) -> GateDevice | None:
    return (
        GateDevice.objects.select_related("event", "event__venue")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


_devices = BearerCache(
    prefix="ticketing:gate-device",
    seconds=DEVICE_CACHE_SECONDS,
    load=_load,
    touch_field="last_seen",
    bound=1000,
)


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
        _devices.forget_now_and_on_commit(digest)
    return device


def gate_device_revoke(*, device: GateDevice) -> GateDevice:
    """Revoke a device: its token stops working now (the cached authentication is dropped too)."""
    return _devices.revoke(device)


def gate_device_authenticate(token: str) -> GateDevice | None:
    """The live device holding this bearer token, with last_seen refreshed at most once a minute.

    Kept for DEVICE_CACHE_SECONDS by token hash (events/bearer_cache.py); `gate_device_revoke` drops
    the copies at once, and another process may still hold its own for up to twice that time.
    """
    return _devices.authenticate(token)


def gate_staff_assign(*, user, event: Event | None = None, venue=None) -> GateStaffAssignment:
    if (event is None) == (venue is None):
        raise CheckInError(_("Assign gate staff to an event or to a venue, not both."))
    with transaction.atomic():
        assignment, _created = GateStaffAssignment.objects.get_or_create(user=user, event=event, venue=venue)
    return assignment
