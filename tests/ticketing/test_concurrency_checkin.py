"""Two gates scanning one ticket at the same instant: exactly one admission (PostgreSQL, real threads).

The controls switch the credential row lock off (checkin.LOCK_CREDENTIAL_ROWS) and show that the race
really happens in this harness: a re-entry credential is then admitted twice, and a single-entry one
is saved only by the partial unique constraint. Every test widens the race window the same way (a
short pause after reading presence), so the passing test proves the lock, not luck.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.concurrency import pause_after, race
from tests.factories import VenueResourceFactory
from tests.factories.checkin import CredentialFactory, device_with_token
from ticketing.models import CheckInState, Scan
from ticketing.services import scan_uploads
from ticketing.services import scans as checkin
from ticketing.signing import credential_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
ROUNDS = 10


@pytest.fixture(autouse=True)
def slow_presence_read(monkeypatch):
    # The ORM path (SQLite, uploads) and the database function (PostgreSQL's online scan) alike.
    pause_after(monkeypatch, checkin, "_presence", seconds=0.02)
    monkeypatch.setattr(checkin, "PRESENCE_PAUSE_SECONDS", 0.02)


def _race(credential, gates: int) -> tuple[list[str], list[BaseException]]:
    code = credential_code(credential)
    for index in range(gates):  # every gate scanned at must be one of the venue's gates
        VenueResourceFactory(venue=credential.session.venue, code=f"gate-{index}")

    def gate(index) -> str:
        outcome = checkin.credential_scan(
            code=code,
            gate_code=f"gate-{index}",
            direction="entry",
            event=credential.event,
            nonce=uuid.uuid4().hex,
        )
        return outcome.scan.result if outcome.admitted else outcome.scan.reason

    return race([lambda index=index: gate(index) for index in range(gates)])


@time_machine.travel(DURING)
@pytest.mark.parametrize("allows_reentry", [False, True])
def test_two_gates_at_the_same_instant_admit_exactly_once(allows_reentry):
    for _ in range(ROUNDS):
        credential = CredentialFactory(allows_reentry=allows_reentry)

        results, errors = _race(credential, gates=2)

        assert errors == []
        assert sorted(results) == ["admitted", "already_used"]
        assert Scan.objects.filter(credential=credential, result="admitted").count() == 1


@time_machine.travel(DURING)
def test_eight_gates_at_once_admit_exactly_once():
    credential = CredentialFactory(allows_reentry=True)

    results, errors = _race(credential, gates=8)

    assert errors == []
    assert results.count("admitted") == 1
    assert results.count("already_used") == 7


@time_machine.travel(DURING)
def test_control_without_the_row_lock_admits_twice(monkeypatch):
    monkeypatch.setattr(checkin, "LOCK_CREDENTIAL_ROWS", False)
    double_admissions = 0
    for _ in range(ROUNDS):
        credential = CredentialFactory(allows_reentry=True)  # no unique constraint to catch it
        results, errors = _race(credential, gates=2)
        assert errors == []
        double_admissions += results.count("admitted") > 1

    assert double_admissions > 0, "the harness never raced: the locked test would prove nothing"


@time_machine.travel(DURING)
def test_control_without_the_row_lock_the_constraint_still_holds_single_entry(monkeypatch):
    monkeypatch.setattr(checkin, "LOCK_CREDENTIAL_ROWS", False)
    for _ in range(ROUNDS):
        credential = CredentialFactory(allows_reentry=False)

        results, errors = _race(credential, gates=2)

        assert errors == []
        assert sorted(results) == ["admitted", "already_used"]


def test_annul_while_an_upload_rewrites_the_same_ticket_does_not_deadlock(monkeypatch):
    """An annulment and an offline upload of one ticket both lock the credential first.

    The upload's earlier offline entry demotes the online entry the annulment undoes. The pause
    after each credential lock keeps both transactions open together: when annulment locked the scan
    row before the credential (the old order), PostgreSQL found a deadlock and killed one of them.
    """
    pause_after(monkeypatch, checkin, "_lock", seconds=0.2)
    for _ in range(5):
        credential = CredentialFactory()
        device, _token = device_with_token(credential.event)
        code = credential_code(credential)
        with time_machine.travel(DURING + dt.timedelta(minutes=10)):
            online = checkin.credential_scan(
                code=code, gate_code="gate-b", direction="entry", device=device, nonce=uuid.uuid4().hex
            )
            offline = scan_uploads.OfflineScan(
                nonce=uuid.uuid4().hex,
                code=code,
                gate_code="gate-a",
                direction="entry",
                scanned_at=DURING + dt.timedelta(minutes=5),
                device_result="admitted",
            )
            results, errors = race(
                [
                    lambda nonce=online.scan.nonce, device=device: checkin.scan_annul(
                        nonce=nonce, device=device
                    ),
                    lambda device=device, offline=offline: scan_uploads.scans_upload(
                        device=device, scans=[offline]
                    ),
                ]
            )

        assert errors == []
        assert len(results) == 2
        online.scan.refresh_from_db()
        assert online.scan.annulled_at is not None
        assert Scan.objects.get(nonce=offline.nonce).result == "admitted"
        state = CheckInState.objects.get(credential=credential)
        assert state.inside
        assert state.last_entry.nonce == offline.nonce
