"""The device API: token auth scoped to an event and gates, scan/bundle/upload/annul, and bad input.

Generated bad input (hypothesis) must always get a 4xx with a JSON `detail`, never a 5xx.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import bearer_cache
from tests.factories import SessionFactory
from tests.factories.checkin import CredentialFactory, device_with_token
from ticketing.api import CredentialOut, ScanOut
from ticketing.enums import CredentialState
from ticketing.models import GateDevice, Scan
from ticketing.services import gate_devices
from ticketing.services.credentials import credential_set_state
from ticketing.services.gate_devices import gate_device_revoke
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=SHANGHAI)


def post(client, path, body, token, **extra):
    """Scanner apps say which language they want; these tests read the English answers."""
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, default=str)
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(
        f"/api/gate/{path}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


@pytest.fixture
def setup():
    credential = CredentialFactory()
    device, token = device_with_token(credential.event, gates=["gate-a", "gate-b"])
    return credential, device, token


@time_machine.travel(DURING)
def test_scan_admits_then_refuses_with_reason(client, setup):
    credential, _device, token = setup
    code = credential_code(credential)

    first = post(client, "scan", {"code": code, "gate": "gate-a", "nonce": "nonce-0001"}, token)
    second = post(client, "scan", {"code": code, "gate": "gate-b", "nonce": "nonce-0002"}, token)

    assert first.status_code == 200
    assert first.json()["result"] == "admitted"
    assert second.json()["result"] == "refused"
    assert second.json()["reason"] == "already_used"
    assert second.json()["earlier_gate"] == "Gate A"  # the gate's name, as staff know it
    assert second.json()["earlier_at"].startswith("2027-05-01T01:30")


def test_missing_wrong_or_revoked_token_is_401(client, setup):
    _credential, device, token = setup
    body = {"code": "x", "gate": "gate-a", "nonce": "nonce-0001"}

    assert client.post("/api/gate/scan", data=body, content_type="application/json").status_code == 401
    assert post(client, "scan", body, "not-the-token").status_code == 401
    gate_device_revoke(device=device)
    response = post(client, "scan", body, token)
    assert response.status_code == 401
    assert "detail" in response.json()


@time_machine.travel(DURING)
def test_device_scope_other_gate_is_403_and_other_event_is_wrong_event(client, setup):
    credential, _device, token = setup
    other = CredentialFactory(session=SessionFactory())

    at_other_gate = post(
        client, "scan", {"code": credential_code(credential), "gate": "gate-z", "nonce": "nonce-0003"}, token
    )
    other_event = post(
        client, "scan", {"code": credential_code(other), "gate": "gate-a", "nonce": "nonce-0004"}, token
    )

    assert at_other_gate.status_code == 403
    assert "gate" in at_other_gate.json()["detail"]
    assert other_event.json()["reason"] == "wrong_event"


def test_a_device_admits_a_sessions_ticket_only_at_its_own_venues_gates(client):
    """A device from before devices had venues knows its event and gate, not a venue: an event's
    session at venue B is still not let in at a gate of venue A (its type naming no gates), online
    or in an offline upload, where the gate's code is venue A's alone."""
    from tests.factories import EventFactory, VenueFactory, VenueResourceFactory

    event = EventFactory()
    here, there = event.venue, VenueFactory()
    VenueResourceFactory(venue=here, code="north")
    VenueResourceFactory(venue=there, code="south")
    ours = SessionFactory(event=event, venue=here)
    theirs = SessionFactory(event=event, venue=there, starts_at=ours.starts_at, ends_at=ours.ends_at)
    device, token = device_with_token(event, gates=["north"])
    GateDevice.objects.filter(pk=device.pk).update(venue=None, gates=["north", "south"])  # as migrated
    mine, elsewhere = CredentialFactory(session=ours), CredentialFactory(session=theirs)
    with time_machine.travel(ours.starts_at):
        refused = post(
            client, "scan", {"code": credential_code(elsewhere), "gate": "north", "nonce": "venue-001"}, token
        )
        admitted = post(
            client, "scan", {"code": credential_code(mine), "gate": "north", "nonce": "venue-002"}, token
        )
        at_home = post(
            client, "scan", {"code": credential_code(elsewhere), "gate": "south", "nonce": "venue-003"}, token
        )
    assert (refused.json()["result"], refused.json()["reason"]) == ("refused", "wrong_session")
    assert admitted.json()["result"] == at_home.json()["result"] == "admitted"

    late = CredentialFactory(session=theirs)
    offline = {
        "code": credential_code(late),
        "gate": "north",
        "nonce": "venue-004",
        "scanned_at": ours.starts_at,
        "device_result": "admitted",
    }
    with time_machine.travel(ours.starts_at + dt.timedelta(minutes=5)):
        post(client, "upload", {"scans": [offline]}, token)
    stored = Scan.objects.get(nonce="venue-004")
    assert (stored.result, stored.reason) == ("refused", "wrong_session")


def test_a_device_knows_which_of_two_same_named_gates_it_stands_at(client):
    """Every venue has a gate-a: a device at venue A's gate-a refuses the ticket of the event's
    session at venue B, online and offline, and venue B's device admits it; a device may not scan at
    a gate only another venue has, and its bundle names its venue and that venue's gates."""
    from tests.factories import EventFactory, VenueFactory, VenueResourceFactory

    event = EventFactory()
    here, there = event.venue, VenueFactory()
    VenueResourceFactory(venue=there, code="south")
    ours = SessionFactory(event=event, venue=here)
    theirs = SessionFactory(event=event, venue=there, starts_at=ours.starts_at, ends_at=ours.ends_at)
    _device, at_a = device_with_token(event, venue=here, name="A")
    _device, at_b = device_with_token(event, venue=there, name="B")
    ticket, later = CredentialFactory(session=theirs), CredentialFactory(session=theirs)
    with time_machine.travel(ours.starts_at):
        refused = post(
            client, "scan", {"code": credential_code(ticket), "gate": "gate-a", "nonce": "twin-001"}, at_a
        )
        elsewhere = post(
            client, "scan", {"code": credential_code(ticket), "gate": "south", "nonce": "twin-002"}, at_a
        )
        admitted = post(
            client, "scan", {"code": credential_code(ticket), "gate": "gate-a", "nonce": "twin-003"}, at_b
        )
        bundle = client.get(
            "/api/gate/bundle", HTTP_AUTHORIZATION=f"Bearer {at_a}", HTTP_ACCEPT_LANGUAGE="en"
        ).json()
    assert (refused.json()["result"], refused.json()["reason"]) == ("refused", "wrong_session")
    assert elsewhere.status_code == 403
    assert elsewhere.json()["detail"] == "This device works at another venue: it may not scan at that gate."
    assert not Scan.objects.filter(nonce="twin-002").exists()
    assert admitted.json()["result"] == "admitted"
    assert bundle["venue"] == here.slug and sorted(bundle["gates"]) == ["gate-a", "gate-b"]

    offline = {
        "code": credential_code(later),
        "gate": "gate-a",
        "nonce": "twin-004",
        "scanned_at": ours.starts_at,
        "device_result": "admitted",
    }
    with time_machine.travel(ours.starts_at + dt.timedelta(minutes=5)):
        post(client, "upload", {"scans": [offline]}, at_a)
    stored = Scan.objects.get(nonce="twin-004")
    assert (stored.result, stored.reason) == ("refused", "wrong_session")


@time_machine.travel(DURING)
def test_bundle_lists_keys_blocked_and_inside(client, django_assert_max_num_queries, setup):
    credential, _device, token = setup
    refunded = CredentialFactory(session=credential.session)
    credential_set_state(credential=refunded, state=CredentialState.REFUNDED)
    post(
        client, "scan", {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0005"}, token
    )
    for _ in range(5):
        credential_set_state(
            credential=CredentialFactory(session=credential.session), state=CredentialState.REVOKED
        )

    with django_assert_max_num_queries(8):
        response = client.get("/api/gate/bundle", HTTP_AUTHORIZATION=f"Bearer {token}")

    body = response.json()
    assert body["keys"][0]["algorithm"] == "Ed25519"
    assert {"public_id": str(refunded.public_id), "state": "refunded"} in body["blocked"]
    assert len(body["blocked"]) == 6
    assert body["inside"] == [str(credential.public_id)]
    assert body["gates"] == ["gate-a", "gate-b"]
    assert body["sessions"][0]["id"] == credential.session_id


def test_bundle_query_count_does_not_grow_with_rows(client, django_assert_num_queries, setup):
    credential, _device, token = setup
    credential_set_state(credential=credential, state=CredentialState.REVOKED)
    client.get("/api/gate/bundle", HTTP_AUTHORIZATION=f"Bearer {token}")  # refreshes last_seen once
    with django_assert_num_queries(4):  # sessions, blocked, inside, used (the device is cached)
        response = client.get("/api/gate/bundle", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(response.json()["blocked"]) == 1
    for _ in range(10):
        credential_set_state(
            credential=CredentialFactory(session=credential.session), state=CredentialState.REVOKED
        )
    with django_assert_num_queries(4):
        response = client.get("/api/gate/bundle", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(response.json()["blocked"]) == 11


def test_upload_first_scan_wins_and_reupload_changes_nothing(client, setup):
    credential, _device, token = setup
    code = credential_code(credential)
    scans = [
        {
            "code": code,
            "gate": "gate-a",
            "nonce": "off-00001",
            "scanned_at": DURING + dt.timedelta(minutes=3),
            "device_result": "admitted",
        },
        {
            "code": code,
            "gate": "gate-b",
            "nonce": "off-00002",
            "scanned_at": DURING + dt.timedelta(minutes=1),
            "device_result": "admitted",
        },
    ]
    with time_machine.travel(DURING + dt.timedelta(hours=1)):
        first = post(client, "upload", {"scans": scans}, token)
        again = post(client, "upload", {"scans": scans}, token)

    assert first.status_code == 200
    assert first.json()["stored"] == 2
    assert first.json()["conflicts"] == ["off-00001"]
    assert again.json() == {
        "stored": 0,
        "duplicates": 2,
        "rejected": 0,
        "conflicts": [],
        "results": [],
        "items": [
            {"nonce": "off-00001", "verdict": "duplicate", "detail": "", "result": None},
            {"nonce": "off-00002", "verdict": "duplicate", "detail": "", "result": None},
        ],
    }
    assert Scan.objects.filter(offline=True).count() == 2


def test_upload_a_refused_item_never_stops_the_others_and_a_retry_stores_nothing_new(client, setup):
    credential, _device, token = setup
    other = CredentialFactory(session=credential.session)
    scans = [
        {"code": credential_code(credential), "gate": "gate-a", "nonce": "off-10001"},
        {"code": credential_code(other), "gate": "gate-z", "nonce": "off-10002"},  # not this device's gate
        {"code": credential_code(other), "gate": "gate-b", "nonce": "off-10003"},
    ]
    for minute, item in enumerate(scans):
        item["scanned_at"] = DURING + dt.timedelta(minutes=minute)
    with time_machine.travel(DURING + dt.timedelta(hours=1)):
        first = post(client, "upload", {"scans": scans}, token)
        stored = set(Scan.objects.values_list("nonce", "result"))
        again = post(client, "upload", {"scans": scans}, token)

    assert first.status_code == 200
    body = first.json()
    assert [(item["nonce"], item["verdict"]) for item in body["items"]] == [
        ("off-10001", "stored"),
        ("off-10002", "rejected"),
        ("off-10003", "stored"),
    ]
    assert body["items"][1]["detail"] == "This device may not scan at that gate."
    assert body["items"][1]["result"] is None
    assert body["items"][2]["result"]["result"] == "admitted"
    assert (body["stored"], body["duplicates"], body["rejected"]) == (2, 0, 1)
    assert stored == {("off-10001", "admitted"), ("off-10003", "admitted")}
    assert again.status_code == 200
    assert [(item["nonce"], item["verdict"]) for item in again.json()["items"]] == [
        ("off-10001", "duplicate"),
        ("off-10002", "rejected"),
        ("off-10003", "duplicate"),
    ]
    assert set(Scan.objects.values_list("nonce", "result")) == stored


@time_machine.travel(DURING)
def test_api_strips_whitespace_around_a_code_as_the_web_gate_does(client, setup):
    credential, _device, token = setup

    response = post(
        client,
        "scan",
        {"code": f"  {credential_code(credential)}\r\n", "gate": "gate-a", "nonce": "nonce-0100"},
        token,
    )

    assert response.json()["result"] == "admitted"
    assert response.json()["credential"]["public_id"] == str(credential.public_id)


def test_an_unparsable_body_is_a_documented_400(client, setup):
    _credential, _device, token = setup
    schema = client.get("/api/openapi.json").json()

    response = post(client, "scan", "{not json", token)

    assert response.status_code == 400
    assert response.json()["detail"]
    for path in ("/api/gate/scan", "/api/gate/upload", "/api/gate/annul"):
        answer = schema["paths"][path]["post"]["responses"]["400"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_upload_refuses_more_than_1000_scans_and_bodies_over_1mb(client, setup):
    _credential, _device, token = setup
    item = {"code": "c", "gate": "gate-a", "nonce": "n-000000", "scanned_at": "2027-05-01T09:30:00+08:00"}

    too_many = post(client, "upload", {"scans": [item] * 1001}, token)
    too_big = post(client, "upload", "x" * 1_000_001, token)

    assert too_many.status_code == 422
    assert too_big.status_code == 413
    assert "1 MB" in too_big.json()["detail"]


def test_upload_needs_timezone_aware_times(client, setup):
    _credential, _device, token = setup
    item = {"code": "c", "gate": "gate-a", "nonce": "n-000000", "scanned_at": "2027-05-01T09:30:00"}

    response = post(client, "upload", {"scans": [item]}, token)

    assert response.status_code == 422
    assert "timezone" in json.dumps(response.json())


def test_annul_own_scan_via_api(client, setup):
    credential, _device, token = setup
    with time_machine.travel(DURING, tick=False):
        post(
            client,
            "scan",
            {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0009"},
            token,
        )
        response = post(client, "annul", {"nonce": "nonce-0009"}, token)
        unknown = post(client, "annul", {"nonce": "nonce-9999"}, token)

    assert response.status_code == 200
    assert Scan.objects.get(nonce="nonce-0009").annulled_at is not None
    assert unknown.status_code == 403


def test_openapi_schema_documents_the_device_api(client):
    schema = client.get("/api/openapi.json").json()

    assert {"/api/gate/scan", "/api/gate/bundle", "/api/gate/upload", "/api/gate/annul"} <= set(
        schema["paths"]
    )
    # Gate devices use their bearer token; tourism's merchant counter (same API) takes a till's bearer
    # token or the staff session.
    schemes = schema["components"]["securitySchemes"]
    assert set(schemes) == {"DeviceBearer", "TillBearer", "SessionAuth"}
    assert schemes["DeviceBearer"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert (schemes["TillBearer"]["type"], schemes["TillBearer"]["scheme"]) == ("http", "bearer")
    assert client.get("/api/docs").status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
scan_like = st.fixed_dictionaries(
    {},
    optional={
        "code": json_values | st.text(alphabet="ABCDEFabcdef0123456789-_=+/ \n", min_size=100, max_size=140),
        "gate": json_values,
        "direction": st.sampled_from(["entry", "exit", "in", "", 1]),
        "nonce": json_values | st.text(min_size=8, max_size=70),
        "scanned_at": json_values | st.datetimes().map(lambda d: d.isoformat()),
        "device_result": json_values,
    },
)
bodies = (
    json_values.map(lambda value: json.dumps(value))
    | scan_like.map(json.dumps)
    | st.lists(scan_like, max_size=4).map(lambda scans: json.dumps({"scans": scans}))
    | st.binary(max_size=200)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["scan", "upload", "annul"]), body=bodies)
def test_generated_bad_input_gets_a_clear_4xx_never_a_5xx(client, setup, path, body):
    _credential, _device, token = setup

    response = post(client, path, body, token)

    assert response.status_code < 500
    if response.status_code >= 400:
        assert "detail" in response.json()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=400))
def test_any_scanned_text_is_answered(client, setup, code):
    _credential, _device, token = setup

    response = post(client, "scan", {"code": code, "gate": "gate-a", "nonce": uuid.uuid4().hex}, token)

    assert response.status_code == 200
    # Refused, and said why: not ours, no such code, or a typed order number ("2222222222" is one).
    assert response.json()["reason"] in {"forged", "unknown", "order_number"}
    assert response.json()["result"] != "admitted"


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1970-01-01T00:00:00Z"]
)
def test_upload_with_an_impossible_time_is_a_422_not_a_crash(client, when):
    from tests.factories.checkin import CredentialFactory

    credential = CredentialFactory()
    _device, token = device_with_token(credential.event)
    scans = [{"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-9", "scanned_at": when}]
    client.raise_request_exception = False
    response = post(client, "upload", {"scans": scans}, token)
    assert response.status_code == 422
    assert "scanned_at" in json.dumps(response.json())


@pytest.mark.django_db(transaction=True)  # no test transaction around it: savepoints would be counted
@time_machine.travel(DURING)
def test_a_scan_is_one_statement_on_postgresql_and_seven_on_sqlite(client, django_assert_num_queries, setup):
    credential, _device, token = setup
    first, second, third = credential, CredentialFactory(session=credential.session), None
    post(client, "scan", {"code": credential_code(first), "gate": "gate-a", "nonce": "nonce-0100"}, token)
    postgresql = connection.vendor == "postgresql"

    # The device comes from the cache. PostgreSQL: one call of ticketing_scan_decide (lock, checks,
    # presence, scan insert, presence upsert, the answer). SQLite's ORM path: BEGIN, the credential
    # locked, the session's venue has this gate, its presence, the scan, the presence upsert, COMMIT.
    # (Before #10: device, nonce, BEGIN, lock, presence, SAVEPOINT, scan, RELEASE, upsert, COMMIT, and
    # a health check per request.)
    with django_assert_num_queries(1 if postgresql else 7):
        admitted = post(
            client, "scan", {"code": credential_code(second), "gate": "gate-a", "nonce": "nonce-0101"}, token
        )
    # A re-sent nonce. PostgreSQL: the same call, whose insert does nothing on the nonce conflict and
    # which answers with the stored scan. SQLite: the attempt refused by the unique nonce and rolled
    # back (BEGIN, lock, venue, presence, insert, ROLLBACK), then the stored scan read.
    with django_assert_num_queries(1 if postgresql else 7):
        again = post(
            client, "scan", {"code": credential_code(second), "gate": "gate-b", "nonce": "nonce-0101"}, token
        )
    # A second entry on a used ticket. SQLite: BEGIN, lock, venue, presence, the refusal, COMMIT; the
    # earlier gate's name is cached with the event's gate codes (and the function returns the earlier entry).
    with django_assert_num_queries(1 if postgresql else 6):
        third = post(
            client, "scan", {"code": credential_code(second), "gate": "gate-b", "nonce": "nonce-0102"}, token
        )

    assert admitted.json()["result"] == "admitted"
    assert again.json()["result"] == "admitted"
    assert again.json()["duplicate"] is True
    assert third.json()["reason"] == "already_used"
    assert third.json()["earlier_gate"] == "Gate A"
    assert Scan.objects.filter(credential=second).count() == 2


@pytest.mark.postgres
@time_machine.travel(DURING)
def test_the_scan_call_is_prepared_once_per_connection_and_pays_only_indexes_that_are_read(client, setup):
    credential, _device, token = setup
    second = CredentialFactory(session=credential.session)

    for index, one in enumerate((credential, second)):
        post(
            client,
            "scan",
            {"code": credential_code(one), "gate": "gate-a", "nonce": f"nonce-020{index}"},
            token,
        )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%ticketing_scan_decide%%'"
        )
        prepared = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('ticketing_scan', 'ticketing_checkinstate')"
        )
        indexes = {row[0] for row in cursor.fetchall()}
    assert prepared == 1  # both scans ran the one statement prepared on this connection
    # The single-entry net stays (Django's AlterField had dropped it with the plain credential index)...
    assert {"scan_single_entry_once", "ticketing_scan_nonce_key"} <= indexes
    # ... and no index that every scan would write and no query reads is back (migration 0009).
    assert (
        not {
            "ticketing_scan_credential_id_aef695ba",
            "ticketing_scan_event_id_61fe3252",
            "ticketing_scan_nonce_12ab85d2_like",
            "ticketing_checkinstate_event_id_0ffc5f0d",
        }
        & indexes
    )


@time_machine.travel(DURING)
def test_another_devices_nonce_is_refused_and_its_scan_not_shown(client, setup):
    credential, _device, token = setup
    _other, other_token = device_with_token(credential.event)
    body = {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0200"}
    assert post(client, "scan", body, token).json()["result"] == "admitted"

    response = post(client, "scan", body, other_token)

    assert response.status_code == 403
    assert response.json()["detail"] == "This scan reference is already used."
    assert Scan.objects.filter(nonce="nonce-0200").count() == 1


@time_machine.travel(DURING)
def test_refusals_answer_as_on_every_database(client, setup):
    """The static checks (in ticketing_scan_decide on PostgreSQL) refuse in the gate's order."""
    credential, _device, token = setup
    later = CredentialFactory(session=credential.session, valid_from=DURING + dt.timedelta(hours=1))
    zoned = CredentialFactory(session=credential.session, zones=["gate-b"])
    other_event = CredentialFactory()
    answers = {
        name: post(
            client,
            "scan",
            {"code": credential_code(item), "gate": "gate-a", "nonce": f"nonce-03{index}"},
            token,
        ).json()
        for index, (name, item) in enumerate({"later": later, "zoned": zoned, "other": other_event}.items())
    }

    assert answers["later"]["reason"] == "not_valid_yet"
    assert answers["later"]["message"].startswith("Not valid yet: valid from")
    assert answers["zoned"]["reason"] == "wrong_gate"
    assert answers["other"]["reason"] == "wrong_event"
    assert answers["other"]["credential"] is None
    assert Scan.objects.filter(reason="wrong_event", credential=other_event, event=credential.event).exists()


@time_machine.travel(DURING)
def test_the_manual_code_is_accepted_where_a_qr_would_be(client, setup):
    credential, _device, token = setup

    typed = post(
        client,
        "scan",
        {"code": credential.short_code_display, "gate": "gate-a", "nonce": "nonce-0400"},
        token,
    )

    assert typed.json()["result"] == "admitted"
    assert typed.json()["credential"]["public_id"] == str(credential.public_id)
    assert Scan.objects.get(nonce="nonce-0400").credential == credential


@time_machine.travel(DURING)
def test_mistyped_manual_codes_are_rate_limited_per_device(client, setup, monkeypatch):
    from ticketing.services import scans

    monkeypatch.setattr(scans, "SHORT_CODE_MISSES", 3)
    credential, _device, token = setup
    _other, other_token = device_with_token(credential.event)
    wrong = "ABCD-EFGH-JKLM" if credential.short_code != "ABCDEFGHJKLM" else "ABCD-EFGH-JKLN"

    misses = [
        post(client, "scan", {"code": wrong, "gate": "gate-a", "nonce": f"nonce-05{index:02d}"}, token)
        for index in range(3)
    ]
    blocked = post(
        client, "scan", {"code": credential.short_code, "gate": "gate-a", "nonce": "nonce-0510"}, token
    )
    elsewhere = post(
        client, "scan", {"code": credential.short_code, "gate": "gate-a", "nonce": "nonce-0511"}, other_token
    )
    qr = post(
        client, "scan", {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0512"}, token
    )

    assert [miss.json()["reason"] for miss in misses] == ["unknown"] * 3
    assert blocked.status_code == 403
    assert "Too many mistyped codes" in blocked.json()["detail"]
    assert not Scan.objects.filter(nonce="nonce-0510").exists()
    assert elsewhere.json()["result"] == "admitted"  # another device has its own limit
    assert qr.json()["reason"] == "already_used"  # the QR still works on the limited device


def test_an_upload_resolves_a_manual_code_typed_offline_and_first_scan_still_wins(client, setup):
    credential, _device, token = setup
    scans = [
        {
            "code": credential_code(credential),
            "gate": "gate-a",
            "nonce": "off-manual-1",
            "scanned_at": DURING + dt.timedelta(minutes=5),
        },
        {
            "code": credential.short_code_display,  # typed when the QR would not scan, earlier
            "gate": "gate-b",
            "nonce": "off-manual-2",
            "scanned_at": DURING + dt.timedelta(minutes=1),
        },
    ]
    with time_machine.travel(DURING + dt.timedelta(minutes=30)):
        body = post(client, "upload", {"scans": scans}, token).json()

    assert body["stored"] == 2
    typed = Scan.objects.get(nonce="off-manual-2")
    assert typed.credential == credential and typed.result == "admitted"
    assert Scan.objects.get(nonce="off-manual-1").reason == "already_used"


@time_machine.travel(DURING)
def test_a_device_revoked_while_its_token_is_cached_is_refused_at_once(client, setup):
    credential, device, token = setup
    assert (
        post(
            client,
            "scan",
            {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0201"},
            token,
        ).status_code
        == 200
    )

    gate_device_revoke(device=device)  # the device was authenticated a moment ago: kept by token hash
    response = post(
        client, "scan", {"code": credential_code(credential), "gate": "gate-a", "nonce": "nonce-0202"}, token
    )

    assert response.status_code == 401
    assert not Scan.objects.filter(nonce="nonce-0202").exists()


def test_a_device_revoked_by_another_process_is_refused_within_the_cache_time(client, setup, monkeypatch):
    """Another worker's revoke drops its own copy and the shared one, not this process's: that copy
    lapses within DEVICE_CACHE_SECONDS."""
    credential, device, token = setup
    body = {"code": credential_code(credential), "gate": "gate-a", "direction": "exit", "nonce": "nonce-0203"}
    assert post(client, "scan", body, token).status_code == 200  # cached in this process now
    GateDevice.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
    cache.clear()  # what the other process's gate_device_revoke dropped besides its own copy

    later = time.monotonic() + gate_devices.DEVICE_CACHE_SECONDS + 0.1
    monkeypatch.setattr(bearer_cache.time, "monotonic", lambda: later)
    response = post(client, "scan", {**body, "nonce": "nonce-0204"}, token)

    assert response.status_code == 401
    assert not Scan.objects.filter(nonce="nonce-0204").exists()


@time_machine.travel(DURING)
def test_the_scan_answer_is_what_its_schema_documents(client, setup):
    """The scan answer is rendered without ninja's output validation: it must still be a ScanOut, with
    times written as the API's renderer writes them (UTC, milliseconds, "Z")."""
    credential, _device, token = setup
    code = credential_code(credential)

    admitted = post(client, "scan", {"code": code, "gate": "gate-a", "nonce": "nonce-0301"}, token)
    refused = post(client, "scan", {"code": code, "gate": "gate-b", "nonce": "nonce-0302"}, token)
    resent = post(client, "scan", {"code": code, "gate": "gate-b", "nonce": "nonce-0302"}, token)

    for response in (admitted, refused, resent):
        assert response["Content-Type"] == "application/json; charset=utf-8"
        answer = response.json()
        assert ScanOut.model_validate(answer).model_dump(mode="json")["nonce"] == answer["nonce"]
        assert set(answer) == set(ScanOut.model_fields)
        assert set(answer["credential"]) == set(CredentialOut.model_fields)
    rendered = re.compile(r"^2027-05-01T01:30:00(\.\d{3})?Z$")  # Django's JSON encoder, as ninja's renderer
    assert rendered.match(admitted.json()["scanned_at"])
    assert refused.json()["earlier_at"] == admitted.json()["scanned_at"]
    assert refused.json()["credential"]["kind_label"] == "Ticket"
    assert resent.json() == {**refused.json(), "duplicate": True}
