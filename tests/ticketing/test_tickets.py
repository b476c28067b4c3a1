"""The spectator's ticket pages: wallet, ticket page with the QR, PDFs; only the buyer sees them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.factories.accounts import UserFactory
from tests.factories.checkin import issued_ticket
from tests.factories.events import VenueResourceFactory
from tests.factories.ticketing import TicketTypeFactory, future_session
from tests.qr import qr_codes
from ticketing.models import Ticket
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_ticket_page_shows_qr_session_venue_and_gate_to_the_owner(client, owner):
    ticket = issued_ticket(user=owner, zones=["gate-a"])

    response = client.get(reverse("ticketing:ticket-detail", args=[ticket.credential.public_id]))

    html = response.content.decode()
    assert ticket.session.event.name in html
    assert ticket.session.name in html
    assert ticket.session.venue.name in html
    assert "入口A" in html and "gate-a" not in html  # the gate's name, never its code
    assert reverse("ticketing:ticket-qr", args=[ticket.credential.public_id]) in html


def test_ticket_url_uses_the_public_id_never_the_row_id(owner):
    ticket = issued_ticket(user=owner)

    url = reverse("ticketing:ticket-detail", args=[ticket.credential.public_id])

    assert str(ticket.credential.public_id) in url
    assert url == f"/tickets/{ticket.credential.public_id}/"


def test_someone_elses_ticket_is_a_404_everywhere(client, owner):
    ticket = issued_ticket(user=UserFactory())
    public_id = ticket.credential.public_id

    for name in ("ticket-detail", "ticket-qr", "ticket-pdf"):
        assert client.get(reverse(f"ticketing:{name}", args=[public_id])).status_code == 404
    assert client.get(reverse("ticketing:order-tickets-pdf", args=[ticket.order.code])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    ticket = issued_ticket()

    response = client.get(reverse("ticketing:ticket-detail", args=[ticket.credential.public_id]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_qr_image_decodes_to_the_signed_code(client, owner):
    ticket = issued_ticket(user=owner)

    response = client.get(reverse("ticketing:ticket-qr", args=[ticket.credential.public_id]))

    [code] = qr_codes(response.content)
    assert code == credential_code(ticket.credential)
    assert "no-store" in response["Cache-Control"]


def test_ticket_and_order_pdf_downloads(client, owner):
    ticket = issued_ticket(user=owner)
    issued_ticket(user=owner, ticket_type=ticket.ticket_type)
    other_order_ticket = issued_ticket(user=owner)

    single = client.get(reverse("ticketing:ticket-pdf", args=[ticket.credential.public_id]))
    order_pdf = client.get(reverse("ticketing:order-tickets-pdf", args=[ticket.order.code]))

    assert single["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(single.content)).pages) == 1
    assert ticket.session.event.name_zh in PdfReader(io.BytesIO(single.content)).pages[0].extract_text()
    assert len(PdfReader(io.BytesIO(order_pdf.content)).pages) == 1  # one ticket in that order
    assert other_order_ticket.order.code != ticket.order.code


@time_machine.travel(dt.datetime(2027, 5, 2, 12, 0, tzinfo=dt.UTC))
def test_wallet_groups_upcoming_and_past(client):
    owner = UserFactory()
    client.force_login(owner)  # inside the travelled time, so the session is fresh
    past = issued_ticket(user=owner)  # factory sessions are on 2027-05-01
    upcoming = issued_ticket(user=owner, ticket_type=TicketTypeFactory(session=future_session()))

    html = client.get(reverse("ticketing:wallet")).content.decode()

    upcoming_part, past_part = html.split("<h2>")[1:3]
    assert upcoming.session.event.name in upcoming_part
    assert past.session.event.name not in upcoming_part
    assert past.session.event.name in past_part


def test_wallet_query_count_is_flat(client, owner, django_assert_num_queries):
    issued_ticket(user=owner)
    client.get(reverse("ticketing:wallet"))
    # session, user, tickets (one joined query); the base template's organiser check (3); none per ticket
    with django_assert_num_queries(6):
        one = client.get(reverse("ticketing:wallet"))
    for _ in range(6):
        issued_ticket(user=owner)
    with django_assert_num_queries(6):
        many = client.get(reverse("ticketing:wallet"))
    assert one.content.decode().count("wallet-ticket") == 1
    assert many.content.decode().count("wallet-ticket") == 7


def test_wallet_groups_tickets_by_session_with_holder_and_ticket_number(client, owner):
    named = TicketTypeFactory(session=future_session(name_en="Final"), real_name=True, name_en="Adult")
    first = issued_ticket(user=owner, ticket_type=named, holder_name="张小红")
    Ticket.objects.filter(pk=first.pk).update(holder_document_last4="002X")
    second = issued_ticket(user=owner, ticket_type=named, holder_name="Anna Smith")
    unnamed = issued_ticket(user=owner, ticket_type=TicketTypeFactory(session=future_session(name_en="Semi")))

    html = client.get(reverse("ticketing:wallet"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    groups = html.split('class="card session-group"')[1:]
    assert len(groups) == 2
    final = next(g for g in groups if "<div>Final</div>" in g)
    assert final.count("wallet-ticket") == 2 and "2 tickets" in final
    assert "Holder: 张小红 (document ····002X)" in final and "Holder: Anna Smith" in final
    assert f"{first.order.code}-{first.pk}" in final and f"{second.order.code}-{second.pk}" in final
    semi = next(g for g in groups if "<div>Semi</div>" in g)
    assert "Unnamed ticket" in semi and f"{unnamed.order.code}-{unnamed.pk}" in semi
    chinese = client.get(reverse("ticketing:wallet"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "持票人：张小红（证件尾号 002X）" in chinese and "票号" in chinese


def test_ticket_page_names_its_gates_and_shows_the_ticket_number(client, owner):
    ticket = issued_ticket(user=owner, zones=["north", "east"])
    VenueResourceFactory(venue=ticket.session.venue, code="north", name_zh="北门", name_en="North Gate")

    html = client.get(
        reverse("ticketing:ticket-detail", args=[ticket.credential.public_id]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "北门 / east" in html  # a code the venue does not list stays as it is
    assert f"{ticket.order.code}-{ticket.pk}" in html and "票号" in html


def test_ticket_page_shows_the_manual_code_under_the_qr(client, owner):
    ticket = issued_ticket(user=owner)

    html = client.get(reverse("ticketing:ticket-detail", args=[ticket.credential.public_id])).content.decode()

    assert ticket.credential.short_code_display in html
    assert html.index("ticket-qr") < html.index(ticket.credential.short_code_display)
