"""Buyer pages: ticket list, cart, checkout, paying with the demo provider, orders; query counts pinned."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tests.factories.events import SessionFactory
from tests.factories.registration import resident_id
from tests.factories.ticketing import BallotFactory, TicketTypeFactory, buyer, future_session
from ticketing.enums import OrderState, TicketKind
from ticketing.models import Order
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place
from ticketing.services.payments import payment_confirm_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_event_tickets_lists_types_prices_and_sold_out(client, session):
    TicketTypeFactory(session=session, name_en="Grandstand", price_fen=5000, quota__capacity=0)
    TicketTypeFactory(session=session, name_en="Free stands", kind=TicketKind.FREE, price_fen=0)
    page = client.get(
        reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "¥50.00" in html and "Sold out" in html and "Add to cart" in html


def test_event_tickets_show_price_places_left_and_an_accessible_stepper(client, session):
    grandstand = TicketTypeFactory(
        session=session, name_en="Grandstand", price_fen=8000, quota__capacity=30, max_per_order=6
    )
    TicketTypeFactory(session=session, name_en="Family", price_fen=12000, quota__capacity=3, max_per_order=6)
    other = buyer()
    cart_add(user=other, ticket_type=grandstand, quantity=4)  # someone else's hold counts as taken

    html = client.get(
        reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "¥80.00" in html and "¥120.00" in html
    assert "26 left" in html and "3 left" in html
    # A number input that works alone, bounded by what one order may take now (3 left < 6 per order).
    assert f'id="qty-{grandstand.pk}" class="stepper-input"' in html
    assert 'min="1" max="6"' in html and 'min="1" max="3"' in html
    assert "One more: Grandstand" in html and "One fewer: Family" in html
    assert html.count('data-step="1"') == 2 and "<script>" not in html and "ticketing/stepper.js" in html
    chinese = client.get(
        reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "剩余 26 张" in chinese


def test_event_tickets_empty_state(client, session):
    page = client.get(reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}))
    assert "该赛事暂无在售门票" in page.content.decode()


@pytest.mark.parametrize(("sessions", "types"), [(1, 1), (1, 6), (3, 4)])
def test_event_tickets_query_count_is_flat(client, django_assert_num_queries, sessions, types):
    session = future_session()
    all_sessions = [session] + [
        SessionFactory(event=session.event, starts_at=session.starts_at + dt.timedelta(hours=3 * n))
        for n in range(1, sessions)
    ]
    for each in all_sessions:
        for _ in range(types):
            TicketTypeFactory(session=each)
    BallotFactory(ticket_type=TicketTypeFactory(session=session))
    with django_assert_num_queries(7):  # quota and section set-up in two statements, places taken in one
        page = client.get(
            reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
        )
    html = page.content.decode()
    assert html.count("100 left") == sessions * types
    assert html.count('class="stepper-input"') == sessions * types


def test_buying_requires_login(client, session):
    adult = TicketTypeFactory(session=session)
    response = client.post(reverse("ticketing:cart-add"), {"ticket_type": adult.pk, "quantity": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cart_checkout_demo_pay_shows_paid_order(client, session, settings):
    settings.PAYMENT_DEMO_ENABLED = True
    adult = TicketTypeFactory(session=session, price_fen=8000)
    user = buyer()
    client.force_login(user)
    client.post(reverse("ticketing:cart-add"), {"ticket_type": adult.pk, "quantity": 2})
    cart = client.get(reverse("ticketing:cart")).content.decode()
    assert "¥160.00" in cart and "data-hold-until" in cart
    response = client.post(reverse("ticketing:checkout"), {"provider": "demo"})
    order = Order.objects.get(user=user)
    assert response["Location"] == reverse("ticketing:order-pay", kwargs={"code": order.code})
    pay = client.get(response["Location"]).content.decode()
    assert "演示支付——不会扣款" in pay  # the site's default language
    assert "js.stripe.com" not in pay
    client.post(reverse("ticketing:order-pay-demo", kwargs={"code": order.code}))
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    detail = client.get(order.get_absolute_url()).content.decode()
    assert order.code in detail and order.tickets.count() == 2


def test_demo_refused_when_disabled(client, session, settings):
    settings.PAYMENT_DEMO_ENABLED = False
    adult = TicketTypeFactory(session=session)
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=1)
    client.force_login(user)
    response = client.post(reverse("ticketing:checkout"), {"provider": "demo"})
    assert response.status_code == 200 and not Order.objects.exists()


def test_sold_out_message_on_add(client, session):
    adult = TicketTypeFactory(session=session, quota__capacity=1)
    client.force_login(buyer())
    response = client.post(
        reverse("ticketing:cart-add"), {"ticket_type": adult.pk, "quantity": 2}, follow=True
    )
    assert "已售罄：剩余名额不足。" in response.content.decode()  # the site's default language


def test_add_reads_the_type_once_and_a_missing_type_is_404(client, session):
    adult = TicketTypeFactory(session=session)
    client.force_login(buyer())
    # The view passes the id on: the type is read by cart_add alone (the one read of tickettype
    # besides the read of its quota ids with the hold), never again by the view.
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("ticketing:cart-add"), {"ticket_type": adult.pk, "quantity": 1})
    assert response.status_code == 302 and response["Location"] == reverse("ticketing:cart")
    type_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "ticketing_tickettype"')]
    assert len(type_reads) == 1
    missing = client.post(reverse("ticketing:cart-add"), {"ticket_type": adult.pk + 1000, "quantity": 1})
    assert missing.status_code == 404


def test_checkout_asks_real_name_holders(client, session, settings):
    settings.PAYMENT_DEMO_ENABLED = True
    named = TicketTypeFactory(session=session, real_name=True)
    user = buyer()
    cart_add(user=user, ticket_type=named, quantity=2)
    client.force_login(user)
    page = client.get(reverse("ticketing:checkout")).content.decode()
    assert page.count("_document") >= 2
    response = client.post(reverse("ticketing:checkout"), {"provider": "demo"})
    assert response.status_code == 200 and not Order.objects.exists()


def test_someone_elses_order_is_404(client, session):
    adult = TicketTypeFactory(session=session)
    owner = buyer()
    cart_add(user=owner, ticket_type=adult, quantity=1)
    order = order_place(user=owner, provider="demo")
    client.force_login(buyer())
    assert client.get(order.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("orders", [1, 5])
def test_order_list_query_count_is_flat(client, django_assert_num_queries, orders):
    user = buyer()
    for _ in range(orders):
        cart_add(user=user, ticket_type=TicketTypeFactory(session=future_session()), quantity=1)
        order_place(user=user, provider="demo")
    client.force_login(user)
    with django_assert_num_queries(6):
        page = client.get(reverse("ticketing:order-list"))
    assert page.content.decode().count("/orders/") >= orders


@pytest.mark.parametrize("lines", [1, 4])
def test_cart_query_count_is_flat(client, django_assert_num_queries, lines):
    user = buyer()
    session = future_session()
    for _ in range(lines):
        cart_add(user=user, ticket_type=TicketTypeFactory(session=session), quantity=1)
    client.force_login(user)
    with django_assert_num_queries(6):
        client.get(reverse("ticketing:cart"))


def test_checkout_chooses_the_payment_method_once(client, session, settings):
    settings.PAYMENT_DEMO_ENABLED = True
    adult = TicketTypeFactory(session=session, price_fen=8000)
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=1)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(reverse("ticketing:checkout"), {"provider": "demo"})

    order = Order.objects.get(user=user)
    assert order.provider == "demo" and order.payments.get().provider == "demo"  # started at checkout
    pay = client.get(response["Location"]).content.decode()
    assert reverse("ticketing:order-pay-demo", kwargs={"code": order.code}) in pay
    # The other methods wait behind a closed "change payment method", not a second choice to make.
    assert '<details class="card change-payment">' in pay and "Change payment method" in pay


def _holder(line_pk: int, index: int, name: str, document_type: str, number: str) -> dict:
    prefix = f"holder_{line_pk}_{index}"
    return {f"{prefix}_name": name, f"{prefix}_document_type": document_type, f"{prefix}_document": number}


def test_real_name_checkout_checks_each_number_by_its_document_type(client, session, settings):
    settings.PAYMENT_DEMO_ENABLED = True
    named = TicketTypeFactory(session=session, real_name=True, price_fen=5000)
    user = buyer()
    line = cart_add(user=user, ticket_type=named, quantity=2)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("ticketing:checkout")).content.decode()
    assert "Document type" in page and "Passport" in page and "Demo (synthetic" not in page
    # Without JavaScript the hint covers every type; the script only narrows it to the chosen one.
    assert page.count("Resident ID: 18 characters, the last may be X.") == 2
    assert 'data-hint-passport="5 to 20 letters and digits' in page and "holder-documents.js" in page
    child_id = resident_id(dt.date(2015, 6, 1), sex="female")
    typo = child_id[:17] + ("1" if child_id[17] != "1" else "2")

    response = client.post(
        reverse("ticketing:checkout"),
        {"provider": "demo"}
        | _holder(line.pk, 0, "张小红", "resident_id", typo)
        | _holder(line.pk, 1, "Anna Smith", "resident_id", "E12345678"),
    )
    refused = response.content.decode()
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"  # an error report hides the numbers

    assert not Order.objects.exists()
    assert "The last character of the ID number does not match the others" in refused
    assert "An ID number has 18 characters" in refused
    assert "If this is a passport or a travel permit, choose that document type." in refused
    assert typo not in refused.split("<form", 1)[0]  # the number is never echoed in a message

    client.post(
        reverse("ticketing:checkout"),
        {"provider": "demo"}
        | _holder(line.pk, 0, "张小红", "resident_id", child_id.lower())
        | _holder(line.pk, 1, "Anna Smith", "passport", "e1234 5678"),
    )
    tickets = Order.objects.get(user=user).tickets.order_by("pk")
    assert [t.holder_document_last4 for t in tickets] == [child_id[-4:], "5678"]


def _paid_order(user, *types_and_quantities, holders=None):
    for ticket_type, quantity in types_and_quantities:
        cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    order = order_place(user=user, provider="demo", holders=holders)
    return payment_confirm_demo(order=order)


def test_order_page_names_each_tickets_event_and_session_and_offers_one_pdf(client, settings):
    settings.PAYMENT_DEMO_ENABLED = True
    final = future_session(name_en="Final", event__name_en="City Cup")
    semi = future_session(
        name_en="Semi-final", event__name_en="Youth Open", event__programme=final.event.programme
    )
    user = buyer()
    order = _paid_order(
        user,
        (TicketTypeFactory(session=final, name_en="Adult"), 2),
        (TicketTypeFactory(session=semi, name_en="Child"), 1),
    )
    client.force_login(user)

    html = client.get(order.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    tickets_part = html.split("Download all tickets (PDF)", 1)[1]
    assert tickets_part.count('class="card session-group order-session"') == 2
    for event, session in (("City Cup", "Final"), ("Youth Open", "Semi-final")):
        assert f"<h3>{event}</h3>" in tickets_part and f"<div>{session}</div>" in tickets_part
    for ticket in order.tickets.all():
        assert f"{order.code}-{ticket.pk}" in tickets_part
    pdf = client.get(reverse("ticketing:order-tickets-pdf", kwargs={"code": order.code}))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 3


def test_unpaid_order_offers_no_pdf(client, session):
    user = buyer()
    cart_add(user=user, ticket_type=TicketTypeFactory(session=session), quantity=1)
    order = order_place(user=user, provider="demo")
    client.force_login(user)
    html = client.get(order.get_absolute_url()).content.decode()
    assert reverse("ticketing:order-tickets-pdf", kwargs={"code": order.code}) not in html
    assert client.get(reverse("ticketing:order-tickets-pdf", kwargs={"code": order.code})).status_code == 404


@pytest.mark.parametrize("sessions", [1, 3])
def test_order_page_query_count_is_flat(client, django_assert_num_queries, settings, sessions):
    settings.PAYMENT_DEMO_ENABLED = True
    first = future_session()
    types = [(TicketTypeFactory(session=first), 2)]
    for _ in range(sessions - 1):
        types.append((TicketTypeFactory(session=future_session(event__programme=first.event.programme)), 2))
    user = buyer()
    order = _paid_order(user, *types)
    client.force_login(user)
    client.get(order.get_absolute_url())
    with django_assert_num_queries(9):
        html = client.get(order.get_absolute_url()).content.decode()
    assert html.count("ticket-number") == 2 * sessions


def test_checkout_with_card_goes_straight_to_the_card_form(client, session, stripe_on):
    adult = TicketTypeFactory(session=session, price_fen=8000)
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=1)
    client.force_login(user)

    response = client.post(reverse("ticketing:checkout"), {"provider": "stripe"})

    order = Order.objects.get(user=user)
    assert order.payments.get().intent_id  # the intent exists before the pay page is shown
    pay = client.get(response["Location"]).content.decode()
    assert 'id="payment-element"' in pay and "data-client-secret" in pay
    assert '<details class="card change-payment">' in pay  # other methods only on request
    assert order.payments.count() == 1
