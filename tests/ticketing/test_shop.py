"""Buyer pages: ticket list, cart, checkout, paying with the demo provider, orders; query counts pinned."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.ticketing import BallotFactory, TicketTypeFactory, buyer, future_session
from ticketing.enums import OrderState, TicketKind
from ticketing.models import Order
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_event_tickets_lists_types_prices_and_sold_out(client, session):
    TicketTypeFactory(session=session, name_en="Grandstand", price_fen=5000, quota__capacity=0)
    TicketTypeFactory(session=session, name_en="Free stands", kind=TicketKind.FREE, price_fen=0)
    page = client.get(
        reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "¥50.00" in html and "Sold out" in html and "Add to cart" in html


def test_event_tickets_empty_state(client, session):
    page = client.get(reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}))
    assert "该赛事暂无在售门票" in page.content.decode()


@pytest.mark.parametrize("types", [1, 6])
def test_event_tickets_query_count_is_flat(client, django_assert_num_queries, types):
    session = future_session()
    for _ in range(types):
        TicketTypeFactory(session=session)
    BallotFactory(ticket_type=TicketTypeFactory(session=session))
    with django_assert_num_queries(7):  # quota and section set-up in two statements, places taken in one
        client.get(reverse("ticketing:event-tickets", kwargs={"slug": session.event.slug}))


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
