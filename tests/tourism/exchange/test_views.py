"""The exchange pages and endpoints per role: the delegation's manager plans, its chaperone runs
roll-calls and handovers, the programme's organiser sees the alerts, anyone else gets a 404."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from registration.models import AthleteAccess
from tests.factories import ProgrammeMembershipFactory, login_two_factor, verified, with_totp
from tests.factories.exchange import SegmentFactory, SlotFactory
from tests.factories.registration import MembershipFactory
from tourism.exchange.enums import BookingStatus, SegmentKind
from tourism.exchange.models import Booking, GuardianLink, Handover, RollCall, RollCallMark, Segment
from tourism.exchange.services import guardians, rollcalls

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_manager(client, camp):
    client.force_login(camp.manager.user)
    return client


@pytest.fixture
def as_chaperone(client, camp):
    client.force_login(camp.chaperone.user)
    return client


def test_itinerary_for_members_only_with_day_sheet_and_calendar(client, camp):
    url = reverse("exchange:itinerary", args=[camp.delegation.pk])
    client.force_login(MembershipFactory().user)  # another delegation's manager
    assert client.get(url).status_code == 404
    client.force_login(camp.chaperone.user)
    page = client.get(url).content.decode()
    assert camp.transfer.title_zh in page and "沪A·12345" in page
    assert reverse("exchange:segment-create", args=[camp.delegation.pk]) not in page  # manager's link
    pdf = client.get(reverse("exchange:itinerary-pdf", args=[camp.delegation.pk]) + "?day=2027-05-03")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert camp.transfer.title_zh in text and "13700000000" in text
    ics = client.get(reverse("exchange:itinerary-ics", args=[camp.delegation.pk])).content.decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART:20270503T010000Z" in ics and camp.transfer.title_zh in ics


def test_day_sheet_in_chinese(client, camp):
    client.force_login(camp.chaperone.user)
    pdf = client.get(
        reverse("exchange:itinerary-pdf", args=[camp.delegation.pk]) + "?day=2027-05-03",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "日程单" in text and camp.transfer.title_zh in text


def test_itinerary_queries_do_not_grow_with_segments(client, camp):
    client.force_login(camp.manager.user)
    url = reverse("exchange:itinerary", args=[camp.delegation.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for hour in range(1, 10):
        SegmentFactory(
            delegation=camp.delegation,
            starts_at=camp.transfer.starts_at + dt.timedelta(hours=hour * 2),
            ends_at=camp.transfer.starts_at + dt.timedelta(hours=hour * 2 + 1),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count('class="card') == 10
    assert len(many) == len(one)


def test_manager_adds_a_transfer_and_chaperone_cannot(client, camp):
    url = reverse("exchange:segment-create", args=[camp.delegation.pk])
    data = {
        "kind": SegmentKind.TRANSFER,
        "title_zh": "高铁赴昆明",
        "title_en": "Train to Kunming",
        "starts_at": "2027-05-04 08:00",
        "ends_at": "2027-05-04 18:00",
        "origin": camp.transfer.origin_id,
        "venue": camp.transfer.venue_id,
        "vehicle": "G1373",
        "driver_name": "列车长",
        "driver_phone": "12306",
        "memberships": [camp.chaperone.pk],
        "lead": camp.chaperone.pk,
    }
    client.force_login(camp.chaperone.user)
    assert client.post(url, data).status_code == 404
    client.force_login(camp.manager.user)
    incomplete = client.post(url, {**data, "vehicle": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert incomplete.status_code == 400 and "vehicle" in incomplete.content.decode()
    response = client.post(url, data)
    segment = Segment.objects.get(title_en="Train to Kunming")
    assert response["Location"] == segment.get_absolute_url() and segment.lead == camp.chaperone


def test_segment_page_says_how_many_chaperones_are_missing(as_manager, camp):
    camp.transfer.chaperones.clear()
    page = as_manager.get(camp.transfer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 more chaperone is needed" in page
    as_manager.post(reverse("exchange:segment-confirm", args=[camp.transfer.pk]))
    camp.transfer.refresh_from_db()
    assert camp.transfer.status == "draft"


def test_booking_pages_for_the_manager(as_manager, camp):
    slot = SlotFactory(experience__programme=camp.delegation.programme, capacity=1)
    listing = as_manager.get(reverse("exchange:experiences", args=[camp.delegation.pk])).content.decode()
    assert slot.experience.name_zh in listing or slot.experience.name_en in listing
    url = reverse("exchange:slot-book", args=[camp.delegation.pk, slot.pk])
    as_manager.post(url, {"athletes": [c.pk for c in camp.children[:2]]})
    first, second = Booking.objects.order_by("pk")
    assert (first.status, second.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
    as_manager.post(reverse("exchange:booking-cancel", args=[first.pk]))
    as_manager.post(reverse("exchange:booking-accept", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == BookingStatus.CONFIRMED
    assert as_manager.post(url, {}).status_code == 400


def test_chaperones_page_records_a_credential(as_manager, camp):
    url = reverse("exchange:chaperones", args=[camp.delegation.pk])
    as_manager.post(
        url,
        {
            "membership": camp.manager.pk,
            "kind": "first_aid",
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
        },
    )
    assert camp.manager.exchange_credentials.get().kind == "first_aid"
    bad = as_manager.post(
        url,
        {
            "membership": camp.manager.pk,
            "kind": "first_aid",
            "valid_from": "2027-12-31",
            "valid_until": "2027-01-01",
        },
    )
    assert bad.status_code == 400 and camp.manager.exchange_credentials.count() == 1


def test_chaperone_runs_a_roll_call_and_the_organiser_sees_the_alert(client, camp):
    client.force_login(camp.chaperone.user)
    client.post(reverse("exchange:rollcall-open", args=[camp.transfer.pk]), {"minutes": "0"})
    rollcall = RollCall.objects.get()
    page = client.get(rollcall.get_absolute_url()).content.decode()
    assert all(child.name_latin in page for child in camp.children)
    ticks = [{"athlete": c.pk, "nonce": f"p{c.pk}", "at": "2026-01-01T00:00:00Z"} for c in camp.children[:2]]
    upload = reverse("exchange:rollcall-upload", args=[rollcall.pk])
    answer = client.post(upload, json.dumps({"ticks": ticks}), content_type="application/json").json()
    assert [r["ok"] for r in answer["results"]] == [True, True]
    assert client.post(upload, '{"ticks": [1]}', content_type="application/json").status_code == 422
    assert client.post(upload, "[1]", content_type="application/json").status_code == 400
    assert client.post(upload, "{oops", content_type="application/json").status_code == 400
    client.post(reverse("exchange:rollcall-close", args=[rollcall.pk]))
    login_two_factor(client, camp.organiser)
    organiser_page = client.get(
        reverse("exchange:organiser", args=[camp.delegation.programme.pk])
    ).content.decode()
    assert 'id="exchange-alerts"' in organiser_page and camp.transfer.title_zh in organiser_page
    client.force_login(camp.chaperone.user)
    scan = reverse("exchange:rollcall-scan", args=[rollcall.pk])
    body = {"gate": rollcall.pk, "direction": "entry", "code": camp.code(camp.children[2]), "nonce": "s1"}
    reply = client.post(scan, json.dumps(body), content_type="application/json").json()
    assert reply["result"] == "admitted" and reply["credential"]["holder"] == camp.children[2].display_name
    refused = client.post(
        scan, json.dumps({**body, "code": "nonsense", "nonce": "s2"}), content_type="application/json"
    )
    assert refused.json()["result"] == "refused"
    login_two_factor(client, camp.organiser)
    organiser_page = client.get(
        reverse("exchange:organiser", args=[camp.delegation.programme.pk])
    ).content.decode()
    assert 'id="exchange-alerts"' not in organiser_page


def test_scanner_page_reuses_the_gate_scanner(as_chaperone, camp):
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)
    page = as_chaperone.get(reverse("exchange:rollcall-scanner", args=[rollcall.pk])).content.decode()
    assert "ticketing/gate.js" in page and reverse("exchange:rollcall-scan", args=[rollcall.pk]) in page
    annul = reverse("exchange:rollcall-annul", args=[rollcall.pk])
    rollcalls.rollcall_scan(rollcall=rollcall, code=camp.code(camp.children[0]), nonce="a1")
    as_chaperone.post(annul, json.dumps({"nonce": "a1"}), content_type="application/json")
    assert not RollCallMark.objects.exists()


def test_form_tick_without_javascript(as_chaperone, camp):
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)
    child = camp.children[0]
    upload = reverse("exchange:rollcall-upload", args=[rollcall.pk])
    response = as_chaperone.post(upload, {"athlete": child.pk, "nonce": f"web-{rollcall.pk}-{child.pk}"})
    assert response["Location"] == rollcall.get_absolute_url()
    assert RollCallMark.objects.get().athlete == child


def test_handover_page_with_pin_and_link_sending(as_chaperone, client, camp):
    child, guardian = camp.children[0], camp.guardians[0]
    _link, _token, pin = guardians.guardian_link_create(guardian=guardian)
    url = reverse("exchange:handover", args=[camp.delegation.pk])
    bad = as_chaperone.post(url, {"athlete": child.pk, "guardian": guardian.pk, "pin": "abc"})
    assert bad.status_code == 400 and not Handover.objects.exists()
    as_chaperone.post(url, {"athlete": child.pk, "guardian": guardian.pk, "pin": pin})
    assert Handover.objects.get().handed_by == camp.chaperone.user
    send = reverse("exchange:guardian-link-send", args=[child.pk, guardian.pk])
    assert as_chaperone.post(send).status_code == 404  # managers send links
    client.force_login(camp.manager.user)
    client.post(send)
    assert GuardianLink.objects.filter(guardian=guardian).count() == 1


def test_handover_page_refuses_after_too_many_wrong_pins_in_both_languages(as_chaperone, camp):
    child, guardian = camp.children[0], camp.guardians[0]
    _link, _token, pin = guardians.guardian_link_create(guardian=guardian)
    wrong = "000000" if pin != "000000" else "111111"
    url = reverse("exchange:handover", args=[camp.delegation.pk])
    for _ in range(guardians.PIN_MISSES):
        refused = as_chaperone.post(url, {"athlete": child.pk, "guardian": guardian.pk, "pin": wrong})
        assert refused.status_code == 400
        assert f'value="{wrong}"' not in refused.content.decode()  # the typed PIN is not shown again
    data = {"athlete": child.pk, "guardian": guardian.pk, "pin": pin}
    english = as_chaperone.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and "Too many wrong PINs" in english.content.decode()
    chinese = as_chaperone.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 400 and "PIN 错误次数过多" in chinese.content.decode()
    assert not Handover.objects.exists()


def test_organiser_home_shows_open_roll_call_alerts_of_own_programmes_only(client, camp):
    other = with_totp(verified(ProgrammeMembershipFactory(role="organiser").user))
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)
    login_two_factor(client, camp.organiser)
    assert 'id="today-exchange-alerts"' not in client.get("/organiser/").content.decode()  # nothing raised
    assert rollcalls.rollcall_alert(rollcall=rollcall)
    home = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    panel = home.split('id="today-exchange-alerts"', 1)[1].split("</div>", 1)[0]
    assert "点名警报" in panel and camp.transfer.title_zh in panel and rollcall.get_absolute_url() in panel
    assert all(child.name_latin not in panel for child in camp.children)
    login_two_factor(client, other)
    assert 'id="today-exchange-alerts"' not in client.get("/organiser/").content.decode()


def test_schedule_import_by_the_manager(as_manager, camp):
    response = as_manager.post(reverse("exchange:schedule-import", args=[camp.delegation.pk]))
    assert response["Location"] == reverse("exchange:itinerary", args=[camp.delegation.pk])


def test_an_organiser_reading_a_roll_call_is_logged_a_chaperone_is_not(client, camp):
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)
    client.force_login(camp.chaperone.user)
    assert client.get(rollcall.get_absolute_url()).status_code == 200
    assert not AthleteAccess.objects.exists()
    login_two_factor(client, camp.organiser)
    page = client.get(rollcall.get_absolute_url()).content.decode()
    assert all(child.name_latin in page for child in camp.children)
    assert sorted(AthleteAccess.objects.values_list("athlete_id", flat=True)) == sorted(
        c.pk for c in camp.children
    )


def test_an_organiser_reading_bookings_or_scanning_a_child_is_logged_a_member_is_not(client, camp):
    slot = SlotFactory(experience__programme=camp.delegation.programme)
    booked = camp.children[0]
    Booking.objects.create(
        slot=slot, delegation=camp.delegation, athlete=booked, status=BookingStatus.CONFIRMED
    )
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)
    scan = reverse("exchange:rollcall-scan", args=[rollcall.pk])
    experiences = reverse("exchange:experiences", args=[camp.delegation.pk])

    client.force_login(camp.chaperone.user)
    assert booked.name_latin in client.get(experiences).content.decode()
    body = {"code": camp.code(camp.children[1]), "nonce": "n-1"}
    assert (
        client.post(scan, data=json.dumps(body), content_type="application/json").json()["result"]
        == "admitted"
    )
    assert not AthleteAccess.objects.exists()

    login_two_factor(client, camp.organiser)
    assert booked.name_latin in client.get(experiences).content.decode()
    assert list(AthleteAccess.objects.values_list("athlete_id", flat=True)) == [booked.pk]
    body = {"code": camp.code(camp.children[2]), "nonce": "n-2"}
    answer = client.post(scan, data=json.dumps(body), content_type="application/json").json()
    assert answer["credential"]["holder"] == camp.children[2].display_name
    assert AthleteAccess.objects.filter(athlete=camp.children[2], accessed_by=camp.organiser).count() == 1


def test_experiences_page_queries_do_not_grow_with_experiences(as_manager, camp):
    url = reverse("exchange:experiences", args=[camp.delegation.pk])
    slot = SlotFactory(experience__programme=camp.delegation.programme)
    Booking.objects.create(
        slot=slot, delegation=camp.delegation, athlete=camp.children[0], status="confirmed"
    )
    with CaptureQueriesContext(connection) as one:
        as_manager.get(url)
    for child in camp.children[1:]:
        more = SlotFactory(experience__programme=camp.delegation.programme)
        SlotFactory(experience=more.experience)
        Booking.objects.create(slot=more, delegation=camp.delegation, athlete=child, status="waitlisted")
    with CaptureQueriesContext(connection) as many:
        page = as_manager.get(url).content.decode()
    assert page.count('<section class="card">') == 3
    assert len(many) == len(one)


def test_the_roll_call_scanner_loads_the_shared_scanner_parts_before_the_gate_script(as_chaperone, camp):
    """The gate script stands on scanner.js (focus, camera, keys, posting): without it nothing scans."""
    rollcall = rollcalls.rollcall_open(segment=camp.transfer, due_at=camp.transfer.starts_at)

    page = as_chaperone.get(reverse("exchange:rollcall-scanner", args=[rollcall.pk])).content.decode()

    assert 0 < page.index("ticketing/scanner.js") < page.index("ticketing/gate.js")
    assert 'data-admitted="' in page and 'data-direction="entry"' in page
    assert page.count('id="gate-form"') == 1
