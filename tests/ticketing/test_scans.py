"""Gate check-in at the service: scans online and uploaded offline, refusals with their reasons, annulment."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    SessionFactory,
    UserFactory,
    VenueResourceFactory,
)
from tests.factories.checkin import (
    BadgeCredentialFactory,
    CredentialFactory,
    device_with_token,
    scan,
)
from ticketing.enums import CredentialState, ScanReason
from ticketing.errors import CheckInError
from ticketing.models import CheckInState, Credential, Scan
from ticketing.services import scans
from ticketing.services.credentials import credential_set_state
from ticketing.services.scan_uploads import OfflineScan, scans_upload
from ticketing.services.scans import credential_scan, scan_annul
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=SHANGHAI)  # factory sessions run 10:00-12:00


@time_machine.travel(DURING)
def test_first_entry_is_admitted_and_the_second_refused_with_gate_and_time(english):
    credential = CredentialFactory()
    VenueResourceFactory(venue=credential.session.venue, code="gate-a", name_en="Gate A", name_zh="入口A")

    first = scan(credential, gate="gate-a")
    second = scan(credential, gate="gate-b")

    assert first.admitted
    assert first.message == "Welcome in."
    assert not second.admitted
    assert second.reason == ScanReason.ALREADY_USED
    assert second.earlier_at == first.scan.scanned_at
    assert "09:30" in second.message
    assert second.message == "Already used: entered at Gate A at 09:30."
    assert CheckInState.objects.get(credential=credential).inside is True
    assert Scan.objects.filter(credential=credential).count() == 2  # the refusal is stored too


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda c: credential_set_state(credential=c, state=CredentialState.REVOKED), ScanReason.REVOKED),
        (lambda c: credential_set_state(credential=c, state=CredentialState.REFUNDED), ScanReason.REFUNDED),
        (lambda c: credential_set_state(credential=c, state=CredentialState.UNPAID), ScanReason.NOT_PAID),
    ],
)
@time_machine.travel(DURING)
def test_credential_state_refusals(setup, reason):
    credential = CredentialFactory()
    setup(credential)

    outcome = scan(credential)

    assert not outcome.admitted
    assert outcome.reason == reason
    assert outcome.message == str(ScanReason(reason).label)


def test_validity_window_refusals():
    credential = CredentialFactory()
    with time_machine.travel(dt.datetime(2027, 5, 1, 7, 0, tzinfo=SHANGHAI)):
        assert scan(credential).reason == ScanReason.NOT_VALID_YET
    with time_machine.travel(dt.datetime(2027, 5, 1, 12, 1, tzinfo=SHANGHAI)):
        assert scan(credential).reason == ScanReason.EXPIRED


@time_machine.travel(DURING)
def test_wrong_event_session_and_gate():
    credential = CredentialFactory(zones=["gate-a"])
    other_event_session = SessionFactory()
    sibling_session = SessionFactory(event=credential.event)

    assert scan(credential, event=other_event_session.event).reason == ScanReason.WRONG_EVENT
    assert scan(credential, session=sibling_session).reason == ScanReason.WRONG_SESSION
    assert scan(credential, gate="gate-b").reason == ScanReason.WRONG_GATE
    assert scan(credential, gate="gate-a").admitted


@time_machine.travel(DURING)
def test_forged_and_unknown_codes_are_stored_without_a_credential():
    credential = CredentialFactory()
    code = credential_code(credential)
    event = credential.event
    credential.scans.all().delete()
    tampered = code[:100] + ("A" if code[100] != "A" else "B") + code[101:]

    forged = scan(tampered, event=event)
    credential.delete()
    unknown = scan(code, event=event)

    assert forged.reason == ScanReason.FORGED
    assert forged.credential is None
    assert unknown.reason == ScanReason.UNKNOWN
    assert Scan.objects.filter(credential__isnull=True, event=event).count() == 2
    assert Scan.objects.get(pk=forged.scan.pk).code_hash != tampered  # only a hash is kept


@time_machine.travel(DURING)
def test_exit_then_reentry_only_when_allowed():
    single = CredentialFactory()
    reentry = CredentialFactory(allows_reentry=True)

    assert scan(single, direction="exit").reason == ScanReason.NOT_INSIDE
    for credential in (single, reentry):
        assert scan(credential).admitted
        assert scan(credential, direction="exit").admitted
    assert scan(single).reason == ScanReason.ALREADY_USED
    assert scan(reentry).admitted
    assert scan(reentry).reason == ScanReason.ALREADY_USED  # inside already


@time_machine.travel(DURING)
def test_badges_pass_the_same_gate():
    badge = BadgeCredentialFactory(
        valid_from=DURING - dt.timedelta(days=1), valid_until=DURING + dt.timedelta(days=2)
    )

    outcome = scan(badge)

    assert outcome.admitted
    assert outcome.as_dict()["credential"]["holder"] == "Li Lei · Coach"


@time_machine.travel(DURING)
def test_resending_a_nonce_changes_nothing():
    credential = CredentialFactory()
    code = credential_code(credential)

    first = credential_scan(
        code=code, gate_code="gate-a", direction="entry", event=credential.event, nonce="n1"
    )
    again = credential_scan(
        code=code, gate_code="gate-a", direction="entry", event=credential.event, nonce="n1"
    )

    assert first.admitted
    assert again.admitted
    assert again.duplicate
    assert Scan.objects.count() == 1


def test_annul_within_the_window_frees_the_ticket_and_later_is_refused(django_user_model):
    staff = django_user_model.objects.create_user(email="gate@example.com")
    credential = CredentialFactory()
    with time_machine.travel(DURING, tick=False):
        admitted = scan(credential, user=staff)
        scan_annul(nonce=admitted.scan.nonce, user=staff)
        assert CheckInState.objects.get(credential=credential).inside is False
        again = scan(credential, user=staff)
        assert again.admitted
    with time_machine.travel(DURING + dt.timedelta(minutes=3), tick=False), pytest.raises(CheckInError):
        scan_annul(nonce=again.scan.nonce, user=staff)


@time_machine.travel(DURING)
def test_only_the_scanner_may_annul(django_user_model):
    staff = django_user_model.objects.create_user(email="gate@example.com")
    other = django_user_model.objects.create_user(email="other@example.com")
    outcome = scan(CredentialFactory(), user=staff)

    with pytest.raises(CheckInError):
        scan_annul(nonce=outcome.scan.nonce, user=other)


def test_offline_upload_first_scan_wins_and_flags_the_loser():
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event)
    code = credential_code(credential)
    with time_machine.travel(DURING + dt.timedelta(minutes=10), tick=False):
        online = scan(credential, gate="gate-b")  # the online gate admitted at 09:40
        summary = scans_upload(
            device=device,
            scans=[
                # the offline gate admitted the same ticket at 09:35, earlier: it wins
                OfflineScan(
                    nonce="off-1",
                    code=code,
                    gate_code="gate-a",
                    direction="entry",
                    scanned_at=DURING + dt.timedelta(minutes=5),
                    device_result="admitted",
                ),
            ],
        )
    online.scan.refresh_from_db()
    offline = Scan.objects.get(nonce="off-1")
    assert offline.result == "admitted"
    assert offline.offline
    assert online.scan.result == "refused"
    assert online.scan.conflict
    assert summary.conflicts == [online.scan]
    state = CheckInState.objects.get(credential=credential)
    assert state.inside
    assert state.last_entry_id == offline.pk


def test_offline_upload_later_duplicate_loses_and_reupload_changes_nothing():
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event)
    code = credential_code(credential)
    batch = [
        OfflineScan("a", code, "gate-a", "entry", DURING + dt.timedelta(minutes=2), "admitted"),
        OfflineScan("b", code, "gate-a", "entry", DURING + dt.timedelta(minutes=1), "admitted"),
        OfflineScan("c", "not-a-code", "gate-a", "entry", DURING + dt.timedelta(minutes=3), "refused"),
    ]
    with time_machine.travel(DURING + dt.timedelta(minutes=30)):
        summary = scans_upload(device=device, scans=batch)
        again = scans_upload(device=device, scans=batch)

    assert summary.stored == 3
    assert again.stored == 0
    assert again.duplicates == 3
    assert Scan.objects.get(nonce="b").result == "admitted"
    loser = Scan.objects.get(nonce="a")
    assert (loser.result, loser.reason, loser.conflict) == ("refused", "already_used", True)
    assert Scan.objects.get(nonce="c").reason == ScanReason.FORGED
    assert [scan.nonce for scan in summary.conflicts] == ["a"]


def test_offline_scan_made_before_a_refund_counts():
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event)
    code = credential_code(credential)
    with time_machine.travel(DURING + dt.timedelta(minutes=20)):
        credential_set_state(credential=credential, state=CredentialState.REFUNDED)
        scans_upload(
            device=device,
            scans=[OfflineScan("x", code, "gate-a", "entry", DURING, "admitted")],
        )
    assert Scan.objects.get(nonce="x").result == "admitted"


@time_machine.travel(DURING)
def test_device_scoped_to_gates_cannot_scan_elsewhere():
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event, gates=["gate-a"])

    with pytest.raises(CheckInError):
        credential_scan(
            code=credential_code(credential), gate_code="gate-z", direction="entry", device=device, nonce="z"
        )
    assert not Scan.objects.exists()


@time_machine.travel(DURING)
def test_annulling_an_entry_after_a_double_scan_lets_the_holder_in_again():
    credential = CredentialFactory()
    staff = UserFactory()
    first = scan(credential, user=staff)
    double = scan(credential, user=staff)  # a keyboard-wedge scanner fired twice
    assert first.admitted
    assert double.reason == ScanReason.ALREADY_USED
    scan_annul(nonce=first.scan.nonce, user=staff)
    assert CheckInState.objects.get(credential=credential).inside is False
    assert scan(credential, user=staff).admitted


@time_machine.travel(DURING)
def test_an_upload_made_long_ago_is_refused_and_flagged(settings):
    settings.GATE_OFFLINE_MAX_AGE_HOURS = 12
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event)
    summary = scans_upload(
        device=device,
        scans=[
            OfflineScan(
                nonce=uuid.uuid4().hex,
                code=credential_code(credential),
                gate_code="gate-a",
                direction="entry",
                scanned_at=DURING - dt.timedelta(hours=13),
            )
        ],
    )
    stored = summary.outcomes[0].scan
    assert stored.reason == ScanReason.STALE_UPLOAD
    assert stored.conflict
    assert summary.conflicts == [stored]
    assert not CheckInState.objects.filter(credential=credential, inside=True).exists()


@time_machine.travel(DURING)
def test_an_offline_admission_from_before_a_refund_is_flagged_for_organisers():
    credential = CredentialFactory()
    device, _token = device_with_token(credential.event)
    made_at = DURING - dt.timedelta(minutes=20)
    with time_machine.travel(DURING - dt.timedelta(minutes=10)):
        credential_set_state(credential=credential, state=CredentialState.REFUNDED)
    summary = scans_upload(
        device=device,
        scans=[
            OfflineScan(
                nonce=uuid.uuid4().hex,
                code=credential_code(credential),
                gate_code="gate-a",
                direction="entry",
                scanned_at=made_at,
            )
        ],
    )
    outcome = summary.outcomes[0]
    assert outcome.admitted  # valid when it happened
    assert outcome.scan.conflict  # but organisers see it


@time_machine.travel(DURING)
@pytest.mark.usefixtures("english")
def test_another_devices_nonce_is_refused_not_answered_with_its_scan():
    mine, theirs = CredentialFactory(holder_label="张*明"), CredentialFactory()
    device_a, _ = device_with_token(mine.event)
    device_b, _ = device_with_token(theirs.event)
    credential_scan(
        code=credential_code(mine), gate_code="gate-a", direction="entry", nonce="n-1", device=device_a
    )
    with pytest.raises(CheckInError, match="already used"):
        credential_scan(
            code=credential_code(theirs), gate_code="gate-a", direction="entry", nonce="n-1", device=device_b
        )


@time_machine.travel(DURING)
def test_a_ticket_of_another_event_reveals_nothing_about_its_holder():
    here, elsewhere = CredentialFactory(), CredentialFactory(holder_label="张*明")
    code = credential_code(elsewhere)

    outcome, again = (
        credential_scan(
            code=code, gate_code="gate-a", direction="entry", event=here.event, nonce="n-elsewhere"
        )
        for _ in range(2)
    )

    assert outcome.reason == ScanReason.WRONG_EVENT
    assert outcome.as_dict()["credential"] is None
    assert again.duplicate
    assert again.as_dict()["credential"] is None  # nor when its nonce is sent again


@time_machine.travel(DURING)
@pytest.mark.usefixtures("english")
def test_a_gate_that_is_not_at_the_events_venues_is_refused():
    credential = CredentialFactory()
    with pytest.raises(CheckInError, match="does not belong"):
        scan(credential, gate="gate-of-another-stadium")
    assert not Scan.objects.exists()


def test_the_database_path_fills_every_scan_column_in_model_order():
    """`_decide_in_database` builds its Scan from the function's row by position (no defaults computed):
    a column added to Scan must be added there too, or the answer's Scan would be built wrong."""
    assert tuple(field.attname for field in Scan._meta.concrete_fields) == scans._SCAN_FIELDS
    credential_columns = [field.attname for field in Credential._meta.concrete_fields]
    assert [name for name in credential_columns if name in scans._CREDENTIAL_COLUMNS] == list(
        scans._CREDENTIAL_COLUMNS
    )


def test_the_database_path_builds_its_models_as_a_database_read_would():
    """`_loaded` skips Model.__init__, so no pre_init or post_init receiver may listen for Scan or
    Credential; what it builds must be what `from_db` builds, deferred fields included."""
    from django.db import connection
    from django.db.models.signals import post_init, pre_init

    assert not any(
        signal.has_listeners(model) for signal in (pre_init, post_init) for model in (Scan, Credential)
    )
    credential = CredentialFactory()
    values = Credential.objects.values_list(*scans._CREDENTIAL_COLUMNS).get(pk=credential.pk)

    loaded = scans._loaded(Credential, scans._CREDENTIAL_COLUMNS, values)
    read = Credential.from_db(connection.alias, scans._CREDENTIAL_COLUMNS, values)

    assert {k: v for k, v in vars(loaded).items() if k != "_state"} == {
        k: v for k, v in vars(read).items() if k != "_state"
    }
    assert (loaded._state.adding, loaded._state.db) == (False, connection.alias)
    assert (
        loaded.get_deferred_fields()
        == read.get_deferred_fields()
        == {"state_reason", "created_at", "short_code"}
    )
    assert loaded.short_code == credential.short_code  # a deferred field is read on access
    assert loaded == credential


def _entered(credential) -> dict:
    scan(credential)  # admitted at gate-a: its presence now names this entry
    return {}


def _left(credential) -> dict:
    return _entered(credential) | {"direction": "exit"}


def _gated(credential) -> dict:
    Credential.objects.filter(pk=credential.pk).update(zones=["gate-a"])
    return {"gate": "gate-b"}


def _state(state):
    def arrange(credential) -> dict:
        credential_set_state(credential=credential, state=state)
        return {}

    return arrange


def _window(**times):
    def arrange(credential) -> dict:
        Credential.objects.filter(pk=credential.pk).update(**times)
        return {}

    return arrange


def _inside_unnamed(credential) -> dict:
    # Inside with no entry named (its entry annulled, say): refused as used, with no earlier gate.
    CheckInState.objects.create(credential=credential, event=credential.event, inside=True, entries=1)
    return {}


def _wrong_event(credential) -> dict:
    return {"event": SessionFactory().event}


def _wrong_session(credential) -> dict:
    return {"session": SessionFactory(event=credential.event)}


def _unknown(credential) -> dict:
    credential.scans.all().delete()
    credential.delete()
    return {}


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (lambda credential: {}, ""),
        (_entered, ScanReason.ALREADY_USED),  # a re-entry ticket too: it is inside
        (lambda credential: {"direction": "exit"}, ScanReason.NOT_INSIDE),
        (_left, ""),
        (_gated, ScanReason.WRONG_GATE),
        (_state(CredentialState.REVOKED), ScanReason.REVOKED),
        (_state(CredentialState.UNPAID), ScanReason.NOT_PAID),
        (_state(CredentialState.REFUNDED), ScanReason.REFUNDED),
        (_window(valid_from=DURING + dt.timedelta(hours=1)), ScanReason.NOT_VALID_YET),
        (_window(valid_until=DURING - dt.timedelta(minutes=1)), ScanReason.EXPIRED),
        (_inside_unnamed, ScanReason.ALREADY_USED),
        (_wrong_event, ScanReason.WRONG_EVENT),
        (_wrong_session, ScanReason.WRONG_SESSION),
        (_unknown, ScanReason.UNKNOWN),
    ],
)
@pytest.mark.parametrize("reentry", [False, True])
@time_machine.travel(DURING)
@pytest.mark.usefixtures("english")
def test_a_new_scans_answer_is_the_stored_scans_answer(arrange, reason, reentry):
    """On PostgreSQL the decide function answers a new scan from what it holds (migration 0012) and a
    re-sent nonce from the stored scan: both say the same, and the new scan's is the row stored."""
    credential = CredentialFactory(allows_reentry=reentry, zones=[])
    code = credential_code(credential)
    context = {"gate": "gate-a", "direction": "entry", "event": credential.event} | arrange(credential)
    gate, direction = context.pop("gate"), context.pop("direction")

    def send():
        return credential_scan(code=code, gate_code=gate, direction=direction, nonce="n-same", **context)

    first = send()
    again = send()

    assert first.reason == reason
    assert (first.duplicate, again.duplicate) == (False, True)
    stored = Scan.objects.get(nonce="n-same")
    assert [getattr(first.scan, name) for name in scans._SCAN_FIELDS] == [
        getattr(stored, name) for name in scans._SCAN_FIELDS
    ]
    assert again.as_dict() == {**first.as_dict(), "duplicate": True}
    # Every credential column the function returns is the credential's (as_dict shows only some; the
    # "not valid yet" message reads valid_from).
    for answer in (first, again):
        if answer.credential is not None:
            assert [getattr(answer.credential, name) for name in scans._CREDENTIAL_COLUMNS] == list(
                Credential.objects.values_list(*scans._CREDENTIAL_COLUMNS).get(pk=credential.pk)
            )
    assert first.message == again.message
    if reason == ScanReason.WRONG_EVENT:  # nothing about another event's holder, asked twice or not
        assert again.as_dict()["credential"] is None
    if arrange is _entered:
        entry = Scan.objects.get(credential=credential, result="admitted")
        assert (first.earlier_gate, first.earlier_at) == ("Gate A", entry.scanned_at)  # its name
    if arrange is _inside_unnamed:
        assert (first.earlier_gate, first.earlier_at) == ("", None)
