"""Journey: a spectator logs in, buys two tickets with the demo provider and sees the paid order;
then opens a ticket, downloads its PDF, and gate staff scan it (admitted) and scan it again (refused).
"""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory, verified
from tests.factories.ticketing import TicketTypeFactory, future_session
from tests.journeys.actions import log_in, ready_for_next_scan, scan_with_wedge
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


def test_bought_ticket_opens_downloads_and_passes_the_gate_once(page, browser, live_server, settings):
    import datetime as dt

    from django.utils import timezone
    from pypdf import PdfReader

    from tests.factories import VenueResourceFactory
    from ticketing.services.gate_devices import gate_staff_assign
    from ticketing.signing import credential_code

    settings.PAYMENT_DEMO_ENABLED = True
    # Doors open three hours before the start, so a ticket for a match in an hour scans now.
    session = future_session(
        starts_at=timezone.now() + dt.timedelta(hours=1), name_zh="南通 vs 苏州", name_en="Nantong v Suzhou"
    )
    VenueResourceFactory(venue=session.venue, code="north", name_zh="北门", name_en="North Gate")
    TicketTypeFactory(session=session, name_zh="成人票", name_en="Adult", price_fen=8000, quota__capacity=50)
    spectator = verified(UserFactory(email="parent@example.com"))

    log_in(page, live_server, spectator.email)
    page.goto(f"{live_server.url}/events/{session.event.slug}/tickets/")
    page.get_by_label("购票数量").first.select_option("2")
    page.get_by_role("button", name="加入购物车").first.click()
    page.get_by_role("link", name="去结算").click()
    page.get_by_label("演示支付").check()
    page.get_by_role("button", name="下单并支付").click()
    page.get_by_role("button", name="支付（演示）").click()
    page.wait_for_url("**/orders/*/")

    page.get_by_role("link", name="查看门票").first.click()
    page.wait_for_url("**/tickets/*/")
    qr = page.locator("img.ticket-qr")
    assert qr.is_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = PdfReader(download.value.path())
    assert session.event.name_zh in pdf.pages[0].extract_text()

    ticket = Order.objects.get(user=spectator).tickets.order_by("pk").first()
    assert ticket.credential.public_id.hex in page.url.replace("-", "")
    staff = verified(UserFactory(email="gate@example.com"))
    gate_staff_assign(user=staff, event=session.event)
    gate_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    gate = gate_context.new_page()
    try:
        log_in(gate, live_server, staff.email)
        gate.goto(f"{live_server.url}/gate/?event={session.event.slug}&gate=north&direction=entry")
        assert ready_for_next_scan(gate)
        code = credential_code(ticket.credential)
        scan_with_wedge(gate, code)
        gate.wait_for_selector("#gate-answer.gate-admitted")
        assert ready_for_next_scan(gate)
        scan_with_wedge(gate, code)
        gate.wait_for_selector("#gate-answer.gate-refused")
        message = gate.inner_text("#gate-message")
        entered = timezone.localtime(ticket.credential.scans.get(result="admitted").scanned_at).strftime(
            "%H:%M"
        )
        assert message == f"已使用：{entered} 于 北门 入场。"
    finally:
        gate_context.close()
