"""The web gate and the organisers' gate pages: staff scan at a venue's gate, refusals in both languages, flow and conflicts."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from events.models import VenueResource
from tests.factories import (
    EventFactory,
    ProgrammeMembershipFactory,
    SessionFactory,
    UserFactory,
    VenueResourceFactory,
    login_two_factor,
    two_factor,
    with_totp,
)
from tests.factories.checkin import (
    CredentialFactory,
    GateStaffAssignmentFactory,
    device_with_token,
    scan,
)
from ticketing.enums import ScanReason
from ticketing.models import CheckInState, GateDevice, Scan
from ticketing.services.gate_devices import gate_staff_assign
from ticketing.services.scan_uploads import OfflineScan, scans_upload
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=SHANGHAI)  # factory sessions run 10:00-12:00


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
        conflicts = client.get(reverse("ticketing:gate-conflicts", args=[credential.event.slug]))
        export = client.get(reverse("ticketing:gate-export", args=[credential.event.slug]))

    assert "gate-b" in conflicts.content.decode()
    assert "Scanner 7" in conflicts.content.decode()
    assert "no-store" in conflicts["Cache-Control"]
    assert "no-store" in export["Cache-Control"]  # holders' names: no cache keeps them
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
    again = scan_at(client, gate_a(credential), credential_code(ticket), "web-elsewhere-1", language)

    assert answer["reason"] == ScanReason.WRONG_EVENT
    assert answer["message"] == message
    assert answer["credential"] is None  # nothing about its holder
    stored = Scan.objects.get(nonce="web-elsewhere-1")
    assert (stored.event_id, stored.credential_id) == (credential.event_id, ticket.pk)  # filed at this gate
    # The same nonce sent again (a phone that lost the answer) gets the same words, stored once.
    assert again == {**answer, "duplicate": True}
    assert Scan.objects.filter(nonce="web-elsewhere-1").count() == 1


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
    again = scan_at(client, gate, credential_code(other), "web-gate-c-1", language)

    assert answer["reason"] == ScanReason.WRONG_GATE
    assert answer["message"] == message
    assert again == {**answer, "duplicate": True}  # a re-sent nonce says where, too


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


@time_machine.travel(DURING)
def test_the_manual_code_typed_at_the_gate_page_admits_once(client, gate_setup):
    credential, _staff = gate_setup
    typed = credential.short_code_display.lower().replace("-", " ")  # as a steward might type it

    first = scan_at(client, gate_a(credential), typed, "web-manual-1", "en")
    again = scan_at(client, gate_a(credential), credential.short_code, "web-manual-2", "en")

    assert first["result"] == "admitted"
    assert first["credential"]["public_id"] == str(credential.public_id)
    assert again["reason"] == ScanReason.ALREADY_USED
    assert Scan.objects.filter(credential=credential).count() == 2


def test_gate_flow_names_gates_and_devices_in_the_readers_language(organiser_client):
    client, credential = organiser_client
    VenueResourceFactory(venue=credential.event.venue, code="gate-a", name_zh="入口A", name_en="Gate A")
    device_with_token(credential.event, gates=["gate-a"], name="Scanner 7")
    with time_machine.travel(DURING, tick=False):
        scan(credential, gate="gate-a")
        english = client.get(
            reverse("ticketing:gate-flow", args=[credential.event.slug]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        chinese = client.get(
            reverse("ticketing:gate-flow", args=[credential.event.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        data = client.get(
            reverse("ticketing:gate-flow-data", args=[credential.event.slug]), HTTP_ACCEPT_LANGUAGE="en"
        ).json()
    assert '<th scope="row">Gate A</th>' in english and '<th scope="row">入口A</th>' in chinese
    assert "Scanner 7 · Gate A · not seen yet" in english
    assert "Scanner 7 · 入口A · 尚未连接" in chinese
    assert data["gates"][0]["name"] == "Gate A" and data["gates"][0]["gate"] == "gate-a"


def test_gate_flow_names_each_devices_venue_where_the_event_uses_several(organiser_client):
    """Gate codes repeat across venues: where the event uses two, the page names each device's venue
    and warns, in both languages, of a device that has none (one from before devices had venues)."""
    from tests.factories import VenueFactory

    client, credential = organiser_client
    there = VenueFactory(name_zh="奥体中心", name_en="Olympic Centre")
    SessionFactory(event=credential.event, venue=there)
    device_with_token(credential.event, venue=there, name="Scanner B")
    legacy, _token = device_with_token(credential.event, venue=there, name="Scanner old")
    GateDevice.objects.filter(pk=legacy.pk).update(venue=None)
    url = reverse("ticketing:gate-flow", args=[credential.event.slug])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Scanner B · Olympic Centre · all gates" in english
    assert "Scanner B · 奥体中心 · " in chinese
    assert 'Scanner old · <span class="badge badge-bad">No venue: this scanner admits' in english
    assert 'Scanner old · <span class="badge badge-bad">未设场馆' in chinese


@time_machine.travel(DURING)
def test_gate_answer_names_the_ticket_type_in_the_stewards_language(client, gate_setup):
    from tests.factories.checkin import issued_ticket
    from tests.factories.ticketing import TicketTypeFactory

    credential, _staff = gate_setup
    adult = TicketTypeFactory(session=credential.session, name_zh="成人票", name_en="Adult")
    ticket = issued_ticket(ticket_type=adult, holder_name=adult.name_zh)  # what order_place writes
    body = {"gate": gate_a(credential).pk, "direction": "entry", "code": credential_code(ticket.credential)}
    english = post_json(client, "gate-scan", {**body, "nonce": "english-1"}, HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = post_json(
        client, "gate-scan", {**body, "nonce": "chinese-1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    assert english["credential"]["holder"] == "Adult"
    assert chinese["credential"]["holder"] == "成人票"
