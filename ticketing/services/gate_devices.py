"""Gate devices (scanners with a bearer token, scoped to one event and its gates) and gate staff."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from events.bearer_cache import BearerCache, token_digest
from events.enums import VenueResourceKind
from events.models import Event, Venue, VenueResource
from ticketing.errors import CheckInError
from ticketing.models import GateDevice, GateStaffAssignment
from ticketing.selectors.checkin import event_venue_ids

# Every scan authenticates its device from this cache (events/bearer_cache.py: by token hash, in this
# process and in the shared cache, so a burst of scans costs no query and no cache round trip).
# Revocation drops both at once (other processes' copies lapse within this time); it bounds every other
# change (an admin edit of the device's gates, a device deleted) the same way.
DEVICE_CACHE_SECONDS = 5


def _load(digest: str) -> GateDevice | None:
    return (
        GateDevice.objects.select_related("event", "event__venue", "venue")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


_devices = BearerCache(
    prefix="ticketing:gate-device:v2",  # v2: rows carry their venue
    seconds=DEVICE_CACHE_SECONDS,
    load=_load,
    touch_field="last_seen",
    bound=1000,
)


def gate_device_create(
    *, name: str, event: Event, gates: Iterable[str] = (), venue: Venue | None = None
) -> tuple[GateDevice, str]:
    """A new device and its bearer token (shown once; only its SHA-256 is stored)."""
    token = secrets.token_urlsafe(32)
    return gate_device_create_with_token(name=name, event=event, gates=gates, venue=venue, token=token), token


def device_scope_error(*, event: Event, venue: Venue | None, gates: object) -> str:
    """Why a device may not be scoped so (empty when it may): it stands at one of the venues the event
    uses (gate codes are unique only within a venue, and an event may gain a second venue later), and
    `gates` is a list of gate codes of that venue (any JSON may come from the admin's form)."""
    if not isinstance(gates, list | tuple) or not all(isinstance(code, str) for code in gates):
        return _('List the gates as codes, for example ["gate-a", "gate-b"], or leave the list empty.')
    venues = event_venue_ids(event)
    if not venues:
        return _("This event has no venue yet: give it a main venue or a session first.")
    if venue is None:
        return _("Choose the venue this scanner works at: gate codes repeat from one venue to the next.")
    if venue.pk not in venues:
        return _("This event uses no session at that venue: choose one of its venues.")
    known = VenueResource.objects.filter(kind=VenueResourceKind.GATE, venue_id=venue.pk)
    unknown = sorted(set(gates) - set(known.values_list("code", flat=True)))
    if unknown:
        return _("Not a gate of this venue: %(codes)s.") % {"codes": ", ".join(unknown)}
    return ""


def _implied_venue(event: Event, gates: list[str]) -> Venue | None:
    """The one venue of the event that has every one of these gates (any of its venues when none is
    named), or None when there are none or several (migration 0014 fills older devices alike)."""
    venues = event_venue_ids(event)
    for code in gates:
        venues &= set(
            VenueResource.objects.filter(
                kind=VenueResourceKind.GATE, code=code, venue_id__in=venues
            ).values_list("venue_id", flat=True)
        )
    return Venue.objects.get(pk=venues.pop()) if len(venues) == 1 else None


def gate_device_create_with_token(
    *, name: str, event: Event, gates: Iterable[str] = (), venue: Venue | None = None, token: str
) -> GateDevice:
    """Create or refresh a device for a known token (the demo derives its token from SECRET_KEY).
    With no venue given, the one the event and gates leave (`_implied_venue`) is the device's."""
    gates = list(gates)
    if venue is None and all(isinstance(code, str) for code in gates):
        venue = _implied_venue(event, gates)
    error = device_scope_error(event=event, venue=venue, gates=gates)
    if error:
        raise CheckInError(error)
    gates = sorted(set(gates))
    digest = token_digest(token)
    with transaction.atomic():
        device, _created = GateDevice.objects.update_or_create(
            token_hash=digest,
            defaults={"name": name, "event": event, "venue": venue, "gates": gates, "revoked_at": None},
        )
        _devices.forget_now_and_on_commit(digest)
    return device


def gate_device_save(*, device: GateDevice) -> GateDevice:
    """Save an edit of a device (the admin's: its venue, gates or name) and drop its cached copies
    now and after commit, so the next scan here reads the new scope (other processes' within
    DEVICE_CACHE_SECONDS, as for a revoke)."""
    with transaction.atomic():
        device.save()
        _devices.forget_now_and_on_commit(device.token_hash)
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
