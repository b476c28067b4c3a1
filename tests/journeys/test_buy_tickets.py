"""Journey: a spectator, on a phone in Chinese and on a desktop in English, picks quantities with the
stepper, names a real-name spectator by passport, chooses the demo payment once, sees the paid order
grouped by session with ticket numbers, downloads it as one PDF and finds the tickets in the wallet;
then opens a ticket, downloads its PDF, and gate staff scan it (admitted) and scan it again (refused).
Screenshots of each page land in test-artifacts/buy-tickets/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories.accounts import UserFactory, verified
from tests.factories.ticketing import TicketTypeFactory, future_session
from tests.journeys.actions import log_in, ready_for_next_scan, scan_with_wedge
from ticketing.enums import OrderState
from ticketing.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "buy-tickets"

# What the spectator reads and clicks, on a phone in Chinese and on a desktop in English.
DEVICES = {
    "phone-zh": {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "more": "增加一张：成人票",
        "fewer": "减少一张：成人票",
        "add": "加入购物车",
        "checkout": "去结算",
        "demo": "演示支付",
        "place": "下单并支付",
        "change": "更换支付方式",
        "pay": "支付（演示）",
        "paid": "已支付",
        "pdf": "下载全部门票（PDF）",
        "full_name": "姓名",
        "document_type": "证件类型",
        "document": "证件号码",
        "passport": "护照",
        "passport_hint": "5 至 20 位字母和数字，与证件上印的一致。",
        "left": "剩余 48 张",
        "holder": "持票人：张小红（证件尾号 5678）",
    },
    "desktop-en": {
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "more": "One more: Adult",
        "fewer": "One fewer: Adult",
        "add": "Add to cart",
        "checkout": "Check out",
        "demo": "Demo payment",
        "place": "Place order and pay",
        "change": "Change payment method",
        "pay": "Pay (demo)",
        "paid": "Paid",
        "pdf": "Download all tickets (PDF)",
        "full_name": "Full name",
        "document_type": "Document type",
        "document": "Document number",
        "passport": "Passport",
        "passport_hint": "5 to 20 letters and digits, as printed on the document.",
        "left": "48 left",
        "holder": "Holder: 张小红 (document ····5678)",
    },
}


def snap(page, device: str, name: str) -> None:
    """A full-page screenshot of each page the journey visits, for people to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{device}-{name}.png"), full_page=True)


@pytest.fixture
def on_sale(settings):
    settings.PAYMENT_DEMO_ENABLED = True
    session = future_session(
        name_zh="南通 vs 苏州",
        name_en="Nantong v Suzhou",
        event__name_zh="城市足球联赛南通站",  # named as a fan sees it (the factory's is "赛事0")
        event__name_en="City Football League, Nantong",
        event__venue__name_zh="南通体育会展中心",
        event__venue__name_en="Nantong Sports Centre",
        event__host_city__name_zh="南通",
        event__host_city__name_en="Nantong",
    )
    adult = TicketTypeFactory(
        session=session, name_zh="成人票", name_en="Adult", price_fen=8000, quota__capacity=50
    )
    named = TicketTypeFactory(
        session=session,
        name_zh="实名看台",
        name_en="Named stand",
        price_fen=10000,
        quota__capacity=10,
        real_name=True,
    )
    return adult, named


@pytest.mark.parametrize("device", DEVICES)
def test_spectator_buys_tickets_choosing_the_payment_method_once(browser, live_server, on_sale, device):
    words = DEVICES[device]
    adult, named = on_sale
    session = adult.session
    spectator = verified(UserFactory(email="parent@example.com"))
    context = browser.new_context(viewport=words["viewport"], locale=words["locale"], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server, spectator.email)
        page.goto(f"{live_server.url}/events/{session.event.slug}/tickets/")
        assert (
            page.get_by_text("¥80.00").first.is_visible() and page.get_by_text("¥100.00").first.is_visible()
        )
        # The stepper: real buttons named for the ticket type, bounded by the number input.
        fewer = page.get_by_role("button", name=words["fewer"])
        assert fewer.is_disabled()
        page.get_by_role("button", name=words["more"]).click()
        page.get_by_role("button", name=words["more"]).click()
        page.get_by_role("button", name=words["fewer"]).click()
        assert page.locator(f"#qty-{adult.pk}").input_value() == "2"
        snap(page, device, "1-event-tickets")
        page.locator(f"li[data-ticket-type='{adult.pk}']").get_by_role("button", name=words["add"]).click()
        page.wait_for_url("**/cart/")
        assert page.get_by_text("¥160.00").first.is_visible()
        page.goto(f"{live_server.url}/events/{session.event.slug}/tickets/")
        assert page.get_by_text(words["left"]).first.is_visible()  # 50 less the 2 held for this cart
        page.locator(f"li[data-ticket-type='{named.pk}']").get_by_role("button", name=words["add"]).click()
        page.wait_for_url("**/cart/")
        snap(page, device, "2-cart")
        page.get_by_role("link", name=words["checkout"]).click()

        # Real-name checkout: the document type decides how the number is checked.
        page.get_by_label(words["full_name"]).fill("张小红")
        page.get_by_label(words["document"]).fill("E12345678")
        page.get_by_label(words["demo"]).check()
        page.get_by_role("button", name=words["place"]).click()
        assert page.locator(".errorlist").first.is_visible()  # a passport number is no resident ID
        page.get_by_label(words["document_type"]).select_option(label=words["passport"])
        assert page.locator(".document-hint").inner_text() == words["passport_hint"]
        page.get_by_label(words["document"]).fill("e1234 5678")
        snap(page, device, "3-checkout")
        page.get_by_label(words["demo"]).check()
        page.get_by_role("button", name=words["place"]).click()
        page.wait_for_url("**/pay/")

        # The pay page goes straight to the chosen method; switching waits behind a closed summary.
        assert page.get_by_role("button", name=words["pay"]).is_visible()
        assert page.get_by_text(words["change"]).is_visible()
        assert not page.get_by_label(words["demo"]).is_visible()
        snap(page, device, "4-pay")
        page.get_by_role("button", name=words["pay"]).click()
        page.wait_for_url("**/orders/*/")
        assert page.get_by_text(words["paid"], exact=True).first.is_visible()
        order = Order.objects.get(user=spectator)
        assert order.state == OrderState.PAID and order.tickets.count() == 3
        assert page.get_by_text(order.code).first.is_visible()
        group = page.locator(".order-session")
        assert group.count() == 1
        assert group.get_by_role(
            "heading", name=session.event.name_zh if device == "phone-zh" else session.event.name_en
        ).is_visible()
        assert group.get_by_text(
            session.name_zh if device == "phone-zh" else session.name_en
        ).first.is_visible()
        for ticket in order.tickets.all():
            assert group.get_by_text(f"{order.code}-{ticket.pk}").is_visible()
        snap(page, device, "5-order")
        with page.expect_download() as download:
            page.get_by_role("link", name=words["pdf"]).click()
        assert len(PdfReader(download.value.path()).pages) == 3

        page.goto(f"{live_server.url}/tickets/")
        wallet = page.locator(".session-group")
        assert wallet.count() == 1 and wallet.locator(".wallet-ticket").count() == 3
        assert wallet.get_by_text(words["holder"]).is_visible()
        snap(page, device, "6-wallet")
    finally:
        context.close()


def test_bought_ticket_opens_downloads_and_passes_the_gate_once(page, browser, live_server, settings):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import VenueResourceFactory
    from ticketing.services.gate_devices import gate_staff_assign
    from ticketing.signing import credential_code

    settings.PAYMENT_DEMO_ENABLED = True
    # Doors open three hours before the start, so a ticket for a match in an hour scans now.
    session = future_session(
        starts_at=timezone.now() + dt.timedelta(hours=1), name_zh="南通 vs 苏州", name_en="Nantong v Suzhou"
    )
    north = VenueResourceFactory(venue=session.venue, code="north", name_zh="北门", name_en="North Gate")
    TicketTypeFactory(
        session=session,
        name_zh="成人票",
        name_en="Adult",
        price_fen=8000,
        quota__capacity=50,
        gate_codes=["north"],
    )
    spectator = verified(UserFactory(email="parent@example.com"))

    log_in(page, live_server, spectator.email)
    page.goto(f"{live_server.url}/events/{session.event.slug}/tickets/")
    page.get_by_role("button", name="增加一张：成人票").click()
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
    assert page.get_by_text("北门").is_visible()  # the gate by its name
    snap(page, "phone-zh", "7-ticket")
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
        gate.goto(f"{live_server.url}/gate/?gate={north.pk}&direction=entry")  # staff work a venue's gate
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
