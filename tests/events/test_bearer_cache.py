"""events/bearer_cache.py, the one rule for machines' bearer tokens (gate devices, tills), on the gate
device's model: the ticketing and tourism tests prove it through their own APIs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import bearer_cache
from events.bearer_cache import BearerCache, token_digest
from tests.factories.checkin import device_with_token
from tests.factories.events import EventFactory
from ticketing.models import GateDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices():
    cache.clear()
    return BearerCache(
        prefix="test:device",
        seconds=5,
        load=lambda digest: GateDevice.objects.filter(token_hash=digest, revoked_at__isnull=True).first(),
        touch_field="last_seen",
    )


def test_a_known_token_is_read_once_then_served_from_memory_and_touched_once_a_minute(devices):
    device, token = device_with_token(EventFactory())
    with time_machine.travel("2026-12-01 10:00:00+08:00", tick=False):
        with CaptureQueriesContext(connection) as first:
            assert devices.authenticate(token).pk == device.pk
        with CaptureQueriesContext(connection) as again:
            assert devices.authenticate(token).pk == device.pk
    assert len(first) == 2 and len(again) == 0  # the read and the last-use write, then nothing
    device.refresh_from_db()
    assert device.last_seen == dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    # A minute on by the wall clock (the process's monotonic clock, which keeps the copy, is not moved):
    # only the last use is written again.
    with (
        time_machine.travel("2026-12-01 10:01:01+08:00", tick=False),
        CaptureQueriesContext(connection) as later,
    ):
        devices.authenticate(token)
    assert [q["sql"].split()[0] for q in later] == ["UPDATE"]


def test_unknown_revoked_and_oversized_tokens_are_refused_and_never_kept(devices, monkeypatch):
    device, token = device_with_token(EventFactory())
    assert devices.authenticate("no-such-token") is None
    assert cache.get(f"test:device:{token_digest('no-such-token')}") is None
    assert devices.authenticate("x" * 201) is None and devices.authenticate("") is None
    assert devices.authenticate(token) is not None
    GateDevice.objects.filter(pk=device.pk).update(revoked_at=dt.datetime.now(dt.UTC))
    devices.forget(device.token_hash)  # what the revoking process does
    assert devices.authenticate(token) is None
    # Another process's copy lapses within `seconds`.
    other = BearerCache(prefix="test:device", seconds=5, load=devices.load, touch_field="last_seen")
    GateDevice.objects.filter(pk=device.pk).update(revoked_at=None)
    assert other.authenticate(token) is not None
    GateDevice.objects.filter(pk=device.pk).update(revoked_at=dt.datetime.now(dt.UTC))
    cache.clear()
    later = bearer_cache.time.monotonic() + 5.1
    monkeypatch.setattr(bearer_cache.time, "monotonic", lambda: later)
    assert other.authenticate(token) is None
