"""Journey: a spectator logs in, buys two tickets with the demo provider and sees the paid order.

(t2 extends it: open a ticket, download the PDF, scan it at the gate.)
"""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory, verified
from tests.factories.ticketing import TicketTypeFactory, future_session
from ticketing.enums import OrderState
from ticketing.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_sale(settings):
    settings.PAYMENT_DEMO_ENABLED = True
    session = future_session(name_zh="南通 vs 苏州", name_en="Nantong v Suzhou")
    return TicketTypeFactory(
        session=session, name_zh="成人票", name_en="Adult", price_fen=8000, quota__capacity=50
    )


def log_in(page, live_server, email, password="correct horse battery staple"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form").filter(has=page.locator("input[name=login]")).locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_spectator_buys_two_tickets_with_the_demo_provider(page, live_server, on_sale):
    spectator = verified(UserFactory(email="parent@example.com"))
    log_in(page, live_server, spectator.email)
    page.goto(f"{live_server.url}/events/{on_sale.session.event.slug}/tickets/")
    page.get_by_label("购票数量").first.select_option("2")
    page.get_by_role("button", name="加入购物车").first.click()
    page.wait_for_url("**/cart/")
    assert page.get_by_text("¥160.00").first.is_visible()
    page.get_by_role("link", name="去结算").click()
    page.get_by_label("演示支付").check()
    page.get_by_role("button", name="下单并支付").click()
    page.wait_for_url("**/pay/")
    page.get_by_role("button", name="支付（演示）").click()
    page.wait_for_url("**/orders/*/")
    assert page.get_by_text("已支付").first.is_visible()
    order = Order.objects.get(user=spectator)
    assert order.state == OrderState.PAID and order.tickets.count() == 2
    assert page.get_by_text(order.code).first.is_visible()
