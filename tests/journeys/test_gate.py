"""Journey, on a phone-sized screen: gate staff log in, follow the header's gate link, choose their
venue's gate, scan a paid ticket (admitted) and scan it again (refused: already used, naming the gate
and the time of the first entry), like a keyboard-wedge scanner; a ticket of another event at the same
gate is admitted too. "Annul last scan" shows only after an admission.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import VenueResourceFactory
from tests.factories.accounts import UserFactory, verified
from tests.factories.ticketing import TicketTypeFactory, future_session
from tests.journeys.actions import log_in, ready_for_next_scan, scan_with_wedge
from ticketing.enums import OrderState, ScanReason, ScanResult
from ticketing.models import Scan
from ticketing.services.carts import cart_add
from ticketing.services.gate_devices import gate_staff_assign
from ticketing.services.orders import order_mark_paid, order_place
from ticketing.signing import credential_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid_ticket(settings):
    """A ticket bought through the sales services for a session that is on right now."""
    settings.PAYMENT_DEMO_ENABLED = True
    session = future_session(
        starts_at=timezone.now() - dt.timedelta(minutes=30),
        name_zh="南通 vs 苏州",
        name_en="Nantong v Suzhou",
    )
    VenueResourceFactory(venue=session.venue, code="north", name_zh="北门", name_en="North Gate")
    ticket_type = TicketTypeFactory(session=session, name_zh="成人票", name_en="Adult", price_fen=8000)
    spectator = verified(UserFactory(email="parent@example.com"))
    return _bought(spectator, ticket_type)


def _bought(spectator, ticket_type):
    cart_add(user=spectator, ticket_type=ticket_type, quantity=1)
    order = order_mark_paid(order=order_place(user=spectator, provider="demo"))
    assert order.state == OrderState.PAID
    return order.tickets.select_related("credential", "session__event").get()


@pytest.fixture
def other_event_ticket(paid_ticket):
    """A ticket of another event on at the same venue now: it enters through the same gate."""
    venue = paid_ticket.session.venue
    session = future_session(
        starts_at=timezone.now() - dt.timedelta(minutes=15),
        venue=venue,
        event__venue=venue,
        event__name_en="U12 Women's Foil",
        name_zh="小组赛",
        name_en="Pools",
    )
    ticket_type = TicketTypeFactory(session=session, name_zh="学生票", name_en="Student", price_fen=3000)
    return _bought(verified(UserFactory(email="aunt@example.com")), ticket_type)


def settles_on(page, colour: str) -> None:
    """The answer's background ends on this colour (it fades for a tenth of a second)."""
    page.wait_for_function(
        "colour => getComputedStyle(document.getElementById('gate-answer')).backgroundColor === colour",
        arg=colour,
        timeout=3000,
    )


def test_gate_staff_admit_a_ticket_then_refuse_it_as_already_used(
    page, live_server, paid_ticket, other_event_ticket
):
    event = paid_ticket.session.event
    venue = paid_ticket.session.venue
    staff = verified(UserFactory(email="gate@example.com"))
    gate_staff_assign(user=staff, event=event)
    code = credential_code(paid_ticket.credential)
    page.set_viewport_size({"width": 390, "height": 844})  # a steward's phone
    # English, so the journey reads the same whatever state ticketing's catalogue is in.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    log_in(page, live_server, staff.email)
    page.get_by_role("link", name="Gate scanner (staff)").click()  # the header offers gate staff the gate
    page.wait_for_url("**/gate/")
    page.get_by_label("Gate").select_option(label=f"{venue.name_en} · North Gate")
    page.get_by_label("Direction").select_option("entry")
    page.get_by_role("button", name="Start scanning").click()
    page.wait_for_url("**/gate/?*gate=*")
    context = page.inner_text(".gate-context")
    assert venue.name_en in context and "North Gate" in context
    assert page.inner_text("#gate-verdict") == "Ready"
    assert page.get_attribute("#gate-code", "inputmode") is None  # a phone's keyboard can type a code
    assert page.is_hidden("#gate-annul")  # nothing to annul yet
    assert ready_for_next_scan(page)  # the input has focus from the start: the scanner can type at once

    scan_with_wedge(page, code)
    page.wait_for_selector("#gate-answer.gate-admitted")
    assert page.inner_text("#gate-verdict") == "ADMITTED"
    assert page.inner_text("#gate-message") == "Welcome in."
    # Kind and ticket type, for the ID check, in the steward's language (this page is in English).
    assert page.inner_text("#gate-holder") == "Ticket · Adult"
    settles_on(page, "rgb(24, 121, 78)")  # green
    assert page.is_visible("#gate-annul")  # an admission can be undone
    assert ready_for_next_scan(page)

    scan_with_wedge(page, code)
    page.wait_for_selector("#gate-answer.gate-refused")
    first_entry = Scan.objects.get(result=ScanResult.ADMITTED)
    entered_at = timezone.localtime(first_entry.scanned_at).strftime("%H:%M")
    assert page.inner_text("#gate-verdict") == "REFUSED"
    assert page.inner_text("#gate-message") == f"Already used: entered at North Gate at {entered_at}."
    settles_on(page, "rgb(198, 40, 40)")  # red
    assert page.is_hidden("#gate-annul")  # a refusal let nobody in: nothing to annul
    assert ready_for_next_scan(page)

    # Another event's ticket at the same gate: the steward works the gate, not an event.
    scan_with_wedge(page, credential_code(other_event_ticket.credential))
    page.wait_for_selector("#gate-answer.gate-admitted")
    assert page.inner_text("#gate-holder") == "Ticket · Student"
    assert page.is_visible("#gate-annul")

    scans = list(
        Scan.objects.order_by("pk").values_list(
            "result", "reason", "gate_code", "user_id", "credential_id", "event_id"
        )
    )
    other = other_event_ticket.credential
    assert scans == [
        (ScanResult.ADMITTED, "", "north", staff.pk, paid_ticket.credential_id, event.pk),
        (ScanResult.REFUSED, ScanReason.ALREADY_USED, "north", staff.pk, paid_ticket.credential_id, event.pk),
        (ScanResult.ADMITTED, "", "north", staff.pk, other.pk, other.event_id),
    ]
    assert other.event_id != event.pk


def test_a_steward_types_the_manual_code_when_the_qr_will_not_scan(page, live_server, paid_ticket):
    venue = paid_ticket.session.venue
    staff = verified(UserFactory(email="gate-manual@example.com"))
    gate_staff_assign(user=staff, event=paid_ticket.session.event)
    printed = paid_ticket.credential.short_code_display  # as under the QR: "ABCD-EFGH-JKLM"
    page.set_viewport_size({"width": 360, "height": 780})  # a small phone
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/gate/")
    page.get_by_label("Gate").select_option(label=f"{venue.name_en} · North Gate")
    page.get_by_role("button", name="Start scanning").click()
    page.wait_for_url("**/gate/?*gate=*")
    assert "manual code" in page.get_attribute("#gate-code", "placeholder")
    page.locator("#gate-code").fill(printed.lower().replace("-", " "))  # typed by hand, loosely
    page.keyboard.press("Enter")

    page.wait_for_selector("#gate-answer.gate-admitted")
    assert page.inner_text("#gate-verdict") == "ADMITTED"
    assert Scan.objects.get().credential_id == paid_ticket.credential_id
