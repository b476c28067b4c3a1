"""Journey: gate staff log in, open the gate page, scan a paid ticket (admitted) and scan it again
(refused: already used, naming the gate and the time of the first entry), like a keyboard-wedge scanner.
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
    cart_add(user=spectator, ticket_type=ticket_type, quantity=1)
    order = order_mark_paid(order=order_place(user=spectator, provider="demo"))
    assert order.state == OrderState.PAID
    return order.tickets.select_related("credential", "session__event").get()


def settles_on(page, colour: str) -> None:
    """The answer's background ends on this colour (it fades for a tenth of a second)."""
    page.wait_for_function(
        "colour => getComputedStyle(document.getElementById('gate-answer')).backgroundColor === colour",
        arg=colour,
        timeout=3000,
    )


def test_gate_staff_admit_a_ticket_then_refuse_it_as_already_used(page, live_server, paid_ticket):
    event = paid_ticket.session.event
    staff = verified(UserFactory(email="gate@example.com"))
    gate_staff_assign(user=staff, event=event)
    code = credential_code(paid_ticket.credential)
    # English, so the journey reads the same whatever state ticketing's catalogue is in.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/gate/")
    page.get_by_label("Event").select_option(event.slug)
    page.wait_for_url(f"**/gate/?event={event.slug}")
    page.get_by_label("Gate").select_option("north")
    page.get_by_label("Direction").select_option("entry")
    page.get_by_role("button", name="Start scanning").click()
    page.wait_for_url("**/gate/?*gate=north*")
    context = page.inner_text(".gate-context")
    assert event.name_en in context and "North Gate" in context
    assert page.inner_text("#gate-verdict") == "Ready"
    assert ready_for_next_scan(page)  # the input has focus from the start: the scanner can type at once

    scan_with_wedge(page, code)
    page.wait_for_selector("#gate-answer.gate-admitted")
    assert page.inner_text("#gate-verdict") == "ADMITTED"
    assert page.inner_text("#gate-message") == "Welcome in."
    assert page.inner_text("#gate-holder") == "Ticket · 成人票"  # kind and holder label, for the ID check
    settles_on(page, "rgb(24, 121, 78)")  # green
    assert ready_for_next_scan(page)

    scan_with_wedge(page, code)
    page.wait_for_selector("#gate-answer.gate-refused")
    first_entry = Scan.objects.get(result=ScanResult.ADMITTED)
    entered_at = timezone.localtime(first_entry.scanned_at).strftime("%H:%M")
    assert page.inner_text("#gate-verdict") == "REFUSED"
    assert page.inner_text("#gate-message") == f"Already used: entered at North Gate at {entered_at}."
    settles_on(page, "rgb(198, 40, 40)")  # red
    assert ready_for_next_scan(page)

    scans = list(
        Scan.objects.order_by("pk").values_list("result", "reason", "gate_code", "user_id", "credential_id")
    )
    assert scans == [
        (ScanResult.ADMITTED, "", "north", staff.pk, paid_ticket.credential_id),
        (ScanResult.REFUSED, ScanReason.ALREADY_USED, "north", staff.pk, paid_ticket.credential_id),
    ]
