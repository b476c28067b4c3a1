"""Organiser pages: sales, orders with search and CSV, mark paid, refund and session cancel with confirmation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories.accounts import login_two_factor, totp_code, with_totp  # noqa: F401
from tests.factories.events import ProgrammeMembershipFactory
from tests.factories.ticketing import TicketTypeFactory, buyer
from ticketing.enums import CredentialState, OrderState, TicketKind
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place
from ticketing.services.payments import payment_confirm_demo, payment_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def organiser(client, session):
    user = with_totp(buyer())
    ProgrammeMembershipFactory(user=user, programme=session.event.programme)
    login_two_factor(client, user)
    return user


def _paid_order(ticket_type, quantity=2, settings=None):
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    order = order_place(user=user, provider="demo")
    payment_start(order=order, provider="demo")
    return payment_confirm_demo(order=order)


def test_sales_by_session_and_type(client, organiser, session):
    adult = TicketTypeFactory(session=session, name_en="Adult", price_fen=8000)
    _paid_order(adult, 3)
    page = client.get(
        reverse("ticketing:organiser-sales", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "¥240.00" in html and ">3<" in html


def test_sales_show_capacity_and_what_is_left(client, organiser, session):
    adult = TicketTypeFactory(session=session, name_en="Adult", price_fen=8000, quota__capacity=50)
    child = TicketTypeFactory(session=session, name_en="Child", price_fen=4000, quota__capacity=2)
    _paid_order(adult, 3)
    _paid_order(child, 2)
    html = client.get(
        reverse("ticketing:organiser-sales", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<th scope="col">Capacity</th><th scope="col">Places left</th>' in html
    chinese = client.get(
        reverse("ticketing:organiser-sales", kwargs={"slug": session.event.slug}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert (
        '<th scope="col">容量</th><th scope="col">剩余</th>' in chinese
    )  # places left, not 左方 (left side)
    assert "<td>¥80.00</td><td>50</td><td>47</td><td>3</td>" in html
    assert '<td>¥40.00</td><td>2</td><td><span class="badge badge-bad">Sold out</span></td><td>2</td>' in html


def test_sales_hidden_from_other_people(client, session):
    client.force_login(with_totp(buyer()))
    assert (
        client.get(reverse("ticketing:organiser-sales", kwargs={"slug": session.event.slug})).status_code
        == 404
    )


@pytest.mark.parametrize("types", [1, 5])
def test_sales_query_count_is_flat(client, organiser, session, django_assert_num_queries, types):
    for _ in range(types):
        _paid_order(TicketTypeFactory(session=session), 1)
    # 7, plus 4 for capacity and places left (quota links, sections, quotas, places taken).
    with django_assert_num_queries(11):
        client.get(reverse("ticketing:organiser-sales", kwargs={"slug": session.event.slug}))


@pytest.mark.parametrize("orders", [1, 5])
def test_orders_list_query_count_is_flat(client, organiser, session, django_assert_num_queries, orders):
    adult = TicketTypeFactory(session=session)
    for _ in range(orders):
        _paid_order(adult, 1)
    with django_assert_num_queries(6):
        client.get(reverse("ticketing:organiser-orders", kwargs={"slug": session.event.programme.slug}))


def test_orders_search_and_csv_without_document_data(client, organiser, session):
    named = TicketTypeFactory(session=session, real_name=True, kind=TicketKind.GROUP)
    user = buyer(email="parent@example.com")
    line = cart_add(user=user, ticket_type=named, quantity=1)
    from ticketing.services.orders import Holder

    order = order_place(
        user=user, provider="manual", holders={line.pk: [Holder("张小明", "310101201001010011")]}
    )
    other = _paid_order(TicketTypeFactory(session=session), 1)
    url = reverse("ticketing:organiser-orders", kwargs={"slug": session.event.programme.slug})
    found = client.post(url, {"q": "parent@"}).content.decode()
    assert order.code in found and other.code not in found
    by_holder = client.post(url, {"q": "张小明"}).content.decode()
    assert order.code in by_holder and other.code not in by_holder
    filtered = client.post(url, {"q": "张小明", "format": "csv"}).content.decode("utf-8-sig")
    assert order.code in filtered and other.code not in filtered
    exported = client.get(url, {"format": "csv"})
    assert "no-store" in exported["Cache-Control"]
    csv_body = exported.content.decode("utf-8-sig")
    assert order.code in csv_body and other.code in csv_body
    assert "310101" not in csv_body and "0011" not in csv_body and "张小明" not in csv_body


def test_orders_are_searched_by_post_so_no_name_reaches_a_url(client, organiser, session):
    order = _paid_order(TicketTypeFactory(session=session), 1)
    other = _paid_order(TicketTypeFactory(session=session), 1)
    url = reverse("ticketing:organiser-orders", kwargs={"slug": session.event.programme.slug})
    page = client.get(url, {"q": order.code}).content.decode()
    assert order.code in page and other.code in page  # a query string is not a search
    form = re.search(r'<form method="(\w+)" class="filters" role="search">(.*?)</form>', page, re.S)
    assert form.group(1) == "post" and 'name="csrfmiddlewaretoken"' in form.group(2)
    assert "format=csv" not in page and '<button type="submit" name="format" value="csv"' in form.group(2)


def test_mark_manual_order_paid(client, organiser, session):
    user = buyer()
    cart_add(user=user, ticket_type=TicketTypeFactory(session=session, kind=TicketKind.GROUP), quantity=2)
    order = order_place(user=user, provider="manual")
    client.post(reverse("ticketing:organiser-order-mark-paid", kwargs={"code": order.code}))
    order.refresh_from_db()
    assert order.state == OrderState.PAID and order.payments.get().provider == "manual"


def test_refund_needs_confirmation_then_refunds_chosen_ticket(client, organiser, session):
    order = _paid_order(TicketTypeFactory(session=session, price_fen=8000), 2)
    url = reverse("ticketing:organiser-order-refund", kwargs={"code": order.code})
    first = order.tickets.order_by("pk").first()
    unconfirmed = client.post(url, {"tickets": [first.pk]})
    assert unconfirmed.status_code == 200
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    client.post(url, {"tickets": [first.pk], "confirm": "on", "reason": "ill"})
    order.refresh_from_db()
    first.refresh_from_db()
    assert order.state == OrderState.PARTIALLY_REFUNDED and order.refunded_fen == 8000
    assert first.credential.state == CredentialState.REFUNDED


def test_cancel_session_confirmation_then_refunds_and_emails(
    client, organiser, session, django_capture_on_commit_callbacks
):
    order = _paid_order(TicketTypeFactory(session=session), 2)
    url = reverse("ticketing:organiser-session-cancel", kwargs={"pk": session.pk})
    page = client.get(url).content.decode()
    assert "2" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on", "reason": "Typhoon warning"})
    assert response.status_code == 302
    order.refresh_from_db()
    session.refresh_from_db()
    assert session.status == "cancelled" and order.state == OrderState.REFUNDED
    assert [m.to for m in mail.outbox] == [[order.user.email]]


def test_orders_csv_cells_cannot_run_formulas(client, organiser, session):
    user = buyer(email="=HYPERLINK(1)@example.com")
    cart_add(user=user, ticket_type=TicketTypeFactory(session=session, kind=TicketKind.GROUP), quantity=1)
    order = order_place(user=user, provider="manual")
    url = reverse("ticketing:organiser-orders", kwargs={"slug": session.event.programme.slug})
    csv_body = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)@example.com" in csv_body and order.code in csv_body
    assert ",=HYPERLINK" not in csv_body


def test_order_page_names_the_payment_method_in_the_readers_language(client, organiser, session):
    order = _paid_order(TicketTypeFactory(session=session), 1)
    url = reverse("ticketing:organiser-order", kwargs={"code": order.code})
    assert "no-store" in client.get(url)["Cache-Control"]  # it lists the holders
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Demo payment – no money moves" in english and " · demo · " not in english
    assert "演示支付" in chinese
