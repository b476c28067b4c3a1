"""Gate check-in on Credential: every refusal says why, entries and exits, re-entry, annulment, offline."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import SessionFactory, VenueResourceFactory, login_two_factor, two_factor, with_totp
from tests.factories.checkin import BadgeCredentialFactory, CredentialFactory, device_with_token
from ticketing.enums import CredentialState, ScanReason
from ticketing.errors import CheckInError
from ticketing.models import CheckInState, Scan
from ticketing.services.credentials import credential_set_state
from ticketing.services.scans import OfflineScan, credential_scan, scan_annul, scans_upload
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=SHANGHAI)  # factory sessions run 10:00-12:00


def scan(credential_or_code, *, direction="entry", gate="gate-a", event=None, **extra):
    code = credential_or_code if isinstance(credential_or_code, str) else credential_code(credential_or_code)
    if event is None and not isinstance(credential_or_code, str):
        event = credential_or_code.event
    return credential_scan(
        code=code, gate_code=gate, direction=direction, event=event, nonce=uuid.uuid4().hex, **extra
    )


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


# --- The gate page, its JSON endpoints, and who reaches what -------------------------------------

import json  # noqa: E402

from django.urls import reverse  # noqa: E402

from events.models import VenueResource  # noqa: E402
from tests.factories import EventFactory, ProgrammeMembershipFactory, UserFactory  # noqa: E402
from tests.factories.checkin import GateStaffAssignmentFactory  # noqa: E402
from ticketing.services.gate_devices import gate_staff_assign  # noqa: E402


def post_json(client, name, body, **extra):
    return client.post(
        reverse(f"ticketing:{name}"), data=json.dumps(body), content_type="application/json", **extra
    )


@pytest.fixture(autouse=True)
def long_sessions(settings):
    # Tests travel to the 2027 season after logging in; keep the login alive across the jump.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


@pytest.fixture
def gate_setup(client):
    credential = CredentialFactory()
    VenueResourceFactory(venue=credential.event.venue, code="gate-a", name_zh="入口A", name_en="Gate A")
    staff = UserFactory()
    gate_staff_assign(user=staff, venue=credential.event.venue)
    client.force_login(staff)
    return credential, staff


def gate_a(credential):
    return VenueResource.objects.get(venue=credential.event.venue, code="gate-a")


@time_machine.travel(DURING)
def test_venue_staff_scan_only_at_their_own_venues_gates(client, gate_setup):
    from tests.factories import VenueFactory

    credential, staff = gate_setup
    other_venue = VenueFactory(gates=["east"])
    SessionFactory(event=credential.event, venue=other_venue)  # the event also uses another venue
    east = VenueResource.objects.get(venue=other_venue, code="east")

    page = client.get(reverse("ticketing:gate")).content.decode()
    refused = post_json(
        client,
        "gate-scan",
        {"gate": east.pk, "direction": "entry", "code": credential_code(credential), "nonce": "web-east-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert f'value="{gate_a(credential).pk}"' in page
    assert f'value="{east.pk}"' not in page
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You are not assigned to that gate."
    assert not Scan.objects.exists()

    gate_staff_assign(user=staff, event=credential.event)  # assigned to the whole event now
    page = client.get(reverse("ticketing:gate")).content.decode()
    assert f'value="{east.pk}"' in page


def test_gate_page_lists_assigned_venues_gates(client, gate_setup):
    credential, _staff = gate_setup
    gate = gate_a(credential)

    choose = client.get(reverse("ticketing:gate")).content.decode()
    scanning = client.get(reverse("ticketing:gate"), {"gate": gate.pk, "direction": "entry"}).content.decode()

    assert f'value="{gate.pk}"' in choose
    assert f"{credential.event.venue.name} · 入口A" in choose
    assert 'id="gate-code"' in scanning
    assert f'data-gate="{gate.pk}"' in scanning
    assert "ticketing/gate.js" in scanning


def test_the_scan_input_lets_a_phone_type(client, gate_setup):
    credential, _staff = gate_setup

    scanning = client.get(
        reverse("ticketing:gate"), {"gate": gate_a(credential).pk, "direction": "entry"}
    ).content.decode()

    assert 'id="gate-code"' in scanning
    assert 'inputmode="none"' not in scanning  # a phone's keyboard opens; a wedge scanner types anyway
    assert 'type="text"' in scanning


@time_machine.travel(DURING)
def test_gate_scan_endpoint_admits_then_refuses_with_gate_and_time(client, gate_setup):
    credential, staff = gate_setup
    body = {"gate": gate_a(credential).pk, "direction": "entry", "code": credential_code(credential)}

    first = post_json(client, "gate-scan", {**body, "nonce": "web-00001"})
    second = post_json(client, "gate-scan", {**body, "nonce": "web-00002"})

    assert first.json()["result"] == "admitted"
    assert second.json()["result"] == "refused"
    assert second.json()["message"] == "已使用：09:30 于 入口A 入场。"  # the site's default language
    assert "09:30" in second.json()["message"]
    assert Scan.objects.filter(user=staff).count() == 2


@time_machine.travel(DURING)
def test_gate_scan_endpoint_requires_csrf(gate_setup):
    from django.test import Client

    credential, staff = gate_setup
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)

    response = strict.post(
        reverse("ticketing:gate-scan"),
        data=json.dumps(
            {"gate": gate_a(credential).pk, "direction": "entry", "code": "x", "nonce": "web-00003"}
        ),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Scan.objects.exists()


def test_gate_scan_endpoint_rejects_bad_json(client, gate_setup):
    assert (
        client.post(reverse("ticketing:gate-scan"), data="[1]", content_type="application/json").status_code
        == 400
    )
    response = post_json(client, "gate-scan", {"gate": "x"})
    assert response.status_code == 422
    assert "code" in response.json()["errors"]
    nested = client.post(reverse("ticketing:gate-scan"), data="[" * 5000, content_type="application/json")
    assert nested.status_code == 400


@time_machine.travel(DURING, tick=False)
def test_gate_annul_button_endpoint(client, gate_setup):
    credential, _staff = gate_setup
    body = {"gate": gate_a(credential).pk, "direction": "entry", "code": credential_code(credential)}
    post_json(client, "gate-scan", {**body, "nonce": "web-00010"})

    response = post_json(client, "gate-annul", {"nonce": "web-00010"})

    assert response.json()["annulled"] is True
    assert post_json(client, "gate-scan", {**body, "nonce": "web-00011"}).json()["result"] == "admitted"


def test_gate_staff_of_one_event_cannot_work_anothers_gates(client, django_user_model):
    mine, theirs = EventFactory(), EventFactory()
    mine_gate = VenueResourceFactory(venue=mine.venue, code="gate-a")
    theirs_gate = VenueResourceFactory(venue=theirs.venue, code="gate-a")
    staff = UserFactory()
    GateStaffAssignmentFactory(user=staff, event=mine)
    client.force_login(staff)
    _device, _token = device_with_token(theirs)

    choose = client.get(reverse("ticketing:gate")).content.decode()
    assert f'value="{mine_gate.pk}"' in choose
    assert f'value="{theirs_gate.pk}"' not in choose
    page = client.get(reverse("ticketing:gate"), {"gate": theirs_gate.pk, "direction": "entry"})
    assert 'id="gate-code"' not in page.content.decode()  # back to the choice, not a scanning screen
    scan_theirs = post_json(
        client, "gate-scan", {"gate": theirs_gate.pk, "direction": "entry", "code": "x", "nonce": "web-00020"}
    )
    assert scan_theirs.status_code == 403
    assert not Scan.objects.exists()
    assert (
        client.get(reverse("ticketing:gate-flow", args=[mine.slug])).status_code == 404
    )  # staff, not organiser
    assert staff.has_perm("ticketing.scan_event", mine)
    assert not staff.has_perm("ticketing.scan_event", theirs)


def test_scan_rule_roles():
    event = EventFactory()
    organiser = two_factor(ProgrammeMembershipFactory(programme=event.programme).user)
    superuser = UserFactory(is_superuser=True)
    stranger = UserFactory()
    venue_staff = UserFactory()
    gate_staff_assign(user=venue_staff, venue=event.venue)

    assert organiser.has_perm("ticketing.scan_event", event)
    assert superuser.has_perm("ticketing.scan_event", event)
    assert venue_staff.has_perm("ticketing.scan_event", event)
    assert not stranger.has_perm("ticketing.scan_event", event)
    assert not venue_staff.has_perm("ticketing.scan_event", EventFactory())


@pytest.fixture
def organiser_client(client):
    credential = CredentialFactory()
    organiser = with_totp(ProgrammeMembershipFactory(programme=credential.event.programme).user)
    login_two_factor(client, organiser)
    return client, credential


def test_organiser_gate_flow_counts_entries_per_gate_and_fill(organiser_client):
    client, credential = organiser_client
    with time_machine.travel(DURING, tick=False):
        scan(credential, gate="gate-a")
        scan(CredentialFactory(session=credential.session), gate="gate-b")
        scan(credential, gate="gate-b")  # refused: not counted as an entry
        page = client.get(reverse("ticketing:gate-flow", args=[credential.event.slug]))
        data = client.get(reverse("ticketing:gate-flow-data", args=[credential.event.slug])).json()

    assert {row["gate"]: row["total"] for row in data["gates"]} == {"gate-a": 1, "gate-b": 1}
    assert data["inside"] == 2
    assert data["capacity"] == credential.event.venue.capacity
    assert data["percent_full"] == round(200 / credential.event.venue.capacity, 1)
    assert len(data["slots"]) >= 36  # three hours of five-minute slots
    assert "gate_flow.js" in page.content.decode()


def test_organiser_conflicts_and_csv_export(organiser_client):
    client, credential = organiser_client
    device, _token = device_with_token(credential.event, name='=HYPERLINK("x") Scanner 7')
    code = credential_code(credential)
    with time_machine.travel(DURING + dt.timedelta(hours=1)):
        scans_upload(
            device=device,
            scans=[
                OfflineScan("c-1", code, "gate-a", "entry", DURING, "admitted"),
                OfflineScan("c-2", code, "gate-b", "entry", DURING + dt.timedelta(minutes=1), "admitted"),
            ],
        )
        conflicts = client.get(
            reverse("ticketing:gate-conflicts", args=[credential.event.slug])
        ).content.decode()
        export = client.get(reverse("ticketing:gate-export", args=[credential.event.slug]))

    assert "gate-b" in conflicts
    assert "Scanner 7" in conflicts
    lines = b"".join(export.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("scanned_at,received_at,direction,result,reason,gate")
    assert len(lines) == 3
    assert ",refused,already_used,gate-b," in lines[2]
    # A device name that a spreadsheet would run as a formula is exported as text.
    assert lines[2].endswith(',"\'=HYPERLINK(""x"") Scanner 7",,yes,yes,')


def test_conflicts_page_query_count_is_flat(organiser_client, django_assert_num_queries):
    client, credential = organiser_client
    device, _token = device_with_token(credential.event)
    url = reverse("ticketing:gate-conflicts", args=[credential.event.slug])

    def conflicts(count):
        for index in range(count):
            other = CredentialFactory(session=credential.session)
            code = credential_code(other)
            scans_upload(
                device=device,
                scans=[
                    OfflineScan(f"x{index}-{other.pk}-1", code, "gate-a", "entry", DURING, "admitted"),
                    OfflineScan(
                        f"x{index}-{other.pk}-2", code, "gate-a", "entry", DURING + dt.timedelta(minutes=1)
                    ),
                ],
            )

    with time_machine.travel(DURING + dt.timedelta(hours=1)):
        conflicts(1)
        client.get(url)
        with django_assert_num_queries(
            6
        ) as one:  # session, user, event, perms, conflicts (two-factor: session only)
            client.get(url)
        conflicts(5)
        with django_assert_num_queries(len(one)):
            response = client.get(url)
    assert response.content.decode().count("<tr>") == 1 + 6


# --- review fixes: annul after a double scan, stale uploads, foreign nonces, unknown gates ------


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
    outcome = scan(elsewhere, event=here.event)
    assert outcome.reason == ScanReason.WRONG_EVENT
    assert outcome.as_dict()["credential"] is None


@time_machine.travel(DURING)
@pytest.mark.usefixtures("english")
def test_a_gate_that_is_not_at_the_events_venues_is_refused():
    credential = CredentialFactory()
    with pytest.raises(CheckInError, match="does not belong"):
        scan(credential, gate="gate-of-another-stadium")
    assert not Scan.objects.exists()


@pytest.fixture
def shared_gate(client, gate_setup):
    """Two events at one venue share Gate A (the U12 foil days); staff are assigned to the first only."""
    credential, _staff = gate_setup
    venue = credential.event.venue
    other_event = EventFactory(venue=venue, name_zh="U12 女子花剑", name_en="U12 Women's Foil")
    other = CredentialFactory(session=SessionFactory(event=other_event, venue=venue))
    return gate_a(credential), credential, other


def scan_at(client, gate, code, nonce, language="zh-hans"):
    body = {"gate": gate.pk, "direction": "entry", "code": code, "nonce": nonce}
    return post_json(client, "gate-scan", body, HTTP_ACCEPT_LANGUAGE=language).json()


@time_machine.travel(DURING)
def test_a_gate_admits_every_ticket_valid_there_whichever_event(client, shared_gate):
    gate, credential, other = shared_gate

    theirs = scan_at(client, gate, credential_code(other), "web-shared-1")
    mine = scan_at(client, gate, credential_code(credential), "web-shared-2")
    again = scan_at(client, gate, credential_code(other), "web-shared-3", "en")

    assert theirs["result"] == "admitted"
    assert mine["result"] == "admitted"
    assert again["message"] == "Already used: entered at Gate A at 09:30."  # exactly once, still
    assert list(Scan.objects.filter(credential=other).order_by("pk").values_list("event_id", "result")) == [
        (other.event_id, "admitted"),
        (other.event_id, "refused"),
    ]
    assert CheckInState.objects.get(credential=other).event_id == other.event_id


@time_machine.travel(DURING)
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Wrong event: for U12 Men's Foil on 1 May at Gate B."),
        ("zh-hans", "赛事不符：此票用于5月1日从入口B入场的U12 男子花剑。"),
    ],
)
def test_a_ticket_for_another_venue_names_its_event_day_and_gate(client, gate_setup, language, message):
    from tests.factories import VenueFactory

    credential, _staff = gate_setup
    elsewhere = EventFactory(venue=VenueFactory(), name_zh="U12 男子花剑", name_en="U12 Men's Foil")
    VenueResourceFactory(venue=elsewhere.venue, code="gate-b", name_zh="入口B", name_en="Gate B")
    ticket = CredentialFactory(session=SessionFactory(event=elsewhere), zones=["gate-b"])

    answer = scan_at(client, gate_a(credential), credential_code(ticket), "web-elsewhere-1", language)

    assert answer["reason"] == ScanReason.WRONG_EVENT
    assert answer["message"] == message
    assert answer["credential"] is None  # nothing about its holder
    stored = Scan.objects.get(nonce="web-elsewhere-1")
    assert (stored.event_id, stored.credential_id) == (credential.event_id, ticket.pk)  # filed at this gate


@time_machine.travel(DURING)
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Wrong gate: for U12 Women's Foil on 1 May at Gate C."),
        ("zh-hans", "入口不符：此票用于5月1日从入口C入场的U12 女子花剑。"),
    ],
)
def test_a_ticket_for_another_gate_of_the_venue_names_its_gate(client, shared_gate, language, message):
    gate, _credential, other = shared_gate
    VenueResourceFactory(venue=gate.venue, code="gate-c", name_zh="入口C", name_en="Gate C")
    other.zones = ["gate-c"]
    other.save(update_fields=["zones"])

    answer = scan_at(client, gate, credential_code(other), "web-gate-c-1", language)

    assert answer["reason"] == ScanReason.WRONG_GATE
    assert answer["message"] == message


@time_machine.travel(dt.datetime(2027, 5, 1, 7, 0, tzinfo=SHANGHAI))
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Not valid yet: valid from 1 May 08:00."), ("zh-hans", "尚未生效：5月1日 08:00起有效。")],
)
def test_not_valid_yet_says_from_when(client, gate_setup, language, message):
    credential, _staff = gate_setup

    answer = scan_at(client, gate_a(credential), credential_code(credential), "web-early-1", language)

    assert answer["reason"] == ScanReason.NOT_VALID_YET
    assert answer["message"] == message


@time_machine.travel(DURING)
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "This is an order number: scan a ticket"), ("zh-hans", "这是订单号：请扫描门票")],
)
def test_a_typed_order_number_is_named_not_called_forged(client, gate_setup, language, message):
    from ticketing.models.sales import new_order_code

    credential, _staff = gate_setup

    typed = scan_at(client, gate_a(credential), new_order_code().lower(), "web-order-1", language)
    garbage = scan_at(client, gate_a(credential), "NOT-A-TICKET", "web-order-2", language)

    assert typed["reason"] == ScanReason.ORDER_NUMBER
    assert typed["message"] == message
    assert garbage["reason"] == ScanReason.FORGED
    assert Scan.objects.filter(credential__isnull=True, event=credential.event).count() == 2  # both stored


def test_the_header_links_the_gate_page_for_gate_staff_only(client, gate_setup):
    _credential, _staff = gate_setup
    gate_url = f'href="{reverse("ticketing:gate")}"'

    assert gate_url in client.get(reverse("events:event-list")).content.decode()
    client.force_login(UserFactory())
    assert gate_url not in client.get(reverse("events:event-list")).content.decode()
