"""Gate devices: the venue a device stands at (gate codes repeat across venues) and its gates."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from tests.factories import EventFactory, SessionFactory, VenueFactory, VenueResourceFactory
from tests.factories.checkin import device_with_token
from ticketing.admin import GateDeviceForm
from ticketing.errors import CheckInError
from ticketing.models import GateDevice
from ticketing.services.gate_devices import device_scope_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def two_venues():
    """An event whose sessions use two venues, each with the gate-a and gate-b every venue has."""
    event = EventFactory()
    here, there = event.venue, VenueFactory()
    VenueResourceFactory(venue=there, code="south")
    SessionFactory(event=event, venue=here)
    SessionFactory(event=event, venue=there)
    return event, here, there


def test_a_device_of_a_one_venue_event_gets_that_venue():
    event = EventFactory()
    SessionFactory(event=event)
    device, token = device_with_token(event)
    assert device.venue == event.venue and token


def test_a_device_of_a_two_venue_event_needs_its_venue_unless_its_gates_name_it(two_venues):
    event, here, there = two_venues
    with pytest.raises(CheckInError, match="Choose the venue this scanner works at"):
        device_with_token(event)
    with pytest.raises(CheckInError, match="Choose the venue this scanner works at"):
        device_with_token(event, gates=["gate-a"])  # both venues have one
    assert GateDevice.objects.count() == 0
    named, _token = device_with_token(event, gates=["south"])
    chosen, _token = device_with_token(event, venue=here, gates=["gate-a"])
    assert (named.venue, chosen.venue) == (there, here)


def test_a_device_may_not_be_scoped_outside_its_events_venues(two_venues):
    event, here, _there = two_venues
    with pytest.raises(CheckInError, match="Not a gate of this venue: south"):
        device_with_token(event, venue=here, gates=["gate-a", "south"])
    with pytest.raises(CheckInError, match="no session at that venue"):
        device_with_token(event, venue=VenueFactory())
    assert GateDevice.objects.count() == 0


def test_the_admin_form_holds_the_same_rule(two_venues):
    event, here, there = two_venues
    device, _token = device_with_token(event, venue=here)
    data = {"name": device.name, "event": event.pk, "venue": "", "gates": "[]"}
    form = GateDeviceForm(data=data, instance=device)
    assert not form.is_valid()
    assert "Choose the venue this scanner works at" in str(form.errors)
    form = GateDeviceForm(data={**data, "venue": there.pk, "gates": '["south"]'}, instance=device)
    assert form.is_valid(), form.errors
    form.save()
    device.refresh_from_db()
    assert (device.venue, device.gates) == (there, ["south"])
    assert device_scope_error(event=event, venue=there, gates=["south"]) == ""


def test_migration_0014_gives_older_devices_the_venue_that_is_certain(two_venues):
    event, here, there = two_venues
    single = EventFactory()
    SessionFactory(event=single)
    kept, _ = device_with_token(single)
    by_gate, _ = device_with_token(event, venue=there, gates=["south"])
    unsure, _ = device_with_token(event, venue=here, gates=["gate-a"])
    GateDevice.objects.update(venue=None)
    fill = import_module("ticketing.migrations.0014_device_venue").device_venues_fill
    fill(apps, None)
    got = dict(GateDevice.objects.values_list("pk", "venue_id"))
    assert got == {kept.pk: single.venue_id, by_gate.pk: there.pk, unsure.pk: None}


def test_a_device_needs_a_venue_even_while_its_event_uses_one_or_none():
    """An event may gain a second venue after its devices are made: a device always stands at one,
    and one of an event with no venue yet cannot be made (nor can the admin clear a device's venue)."""
    bare = EventFactory(venue=None)
    with pytest.raises(CheckInError, match="no venue yet"):
        device_with_token(bare)
    event = EventFactory()
    device, _token = device_with_token(event)
    form = GateDeviceForm(data={"name": "x", "event": event.pk, "venue": "", "gates": "[]"}, instance=device)
    assert not form.is_valid() and "Choose the venue" in str(form.errors)
    assert GateDevice.objects.get(pk=device.pk).venue == event.venue


@pytest.mark.parametrize("gates", ['"gate-a"', "{}", '{"x": 1}', "0", "[1]", '[1, "x"]', '[["gate-a"]]'])
def test_the_admin_form_takes_only_a_list_of_gate_codes(gates):
    event = EventFactory()
    device, _token = device_with_token(event)
    form = GateDeviceForm(
        data={"name": "x", "event": event.pk, "venue": event.venue_id, "gates": gates}, instance=device
    )
    assert not form.is_valid()
    assert "List the gates as codes" in str(form.errors)
    assert GateDevice.objects.get(pk=device.pk).gates == []


def test_an_empty_gates_box_means_every_gate_of_the_venue():
    event = EventFactory()
    device, _token = device_with_token(event, gates=["gate-a"])
    form = GateDeviceForm(
        data={"name": "x", "event": event.pk, "venue": event.venue_id, "gates": ""}, instance=device
    )
    assert form.is_valid(), form.errors
    assert form.save().gates == []


def test_an_admin_edit_of_a_devices_scope_applies_to_the_next_scan(client, two_venues):
    """The device is cached by token hash: saving it in the admin drops that copy, so a device moved
    to another venue stops scanning at the old venue's gates at once (not after the cache time)."""
    import json

    from tests.factories import UserFactory, login_two_factor

    event, here, there = two_venues
    device, token = device_with_token(event, venue=here, gates=["gate-a"])

    def scan(nonce):
        body = {"code": "x" * 20, "gate": "gate-b", "nonce": nonce}
        return client.post(
            "/api/gate/scan",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert scan("edit-0001").status_code == 403  # gate-b is not among its gates
    login_two_factor(client, UserFactory(is_staff=True, is_superuser=True))
    saved = client.post(
        f"/admin/ticketing/gatedevice/{device.pk}/change/",
        {"name": device.name, "event": event.pk, "venue": there.pk, "gates": '["gate-b"]'},
    )
    assert saved.status_code == 302
    client.logout()
    assert scan("edit-0002").status_code == 200  # the new scope, read at once
