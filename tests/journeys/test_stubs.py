"""Journey of the stub economy, on phones in Chinese: a spectator whose ticket was scanned in at the
gate opens the stub wallet; a merchant's counter staff member logs in (landing on the merchant home),
redeems the stub at the counter page by typing its code; a second redemption of the same once-only
offer is refused with the reason; the organiser (two-factor) sees the redemption in the city report.
Screenshots of every page land in test-artifacts/stubs/.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation

from tests.factories import (
    CityFactory,
    ProgrammeMembershipFactory,
    UserFactory,
    VenueResourceFactory,
    verified,
)
from tests.factories.accounts import totp_code, with_totp
from tests.factories.stub_reports import redeem, stub
from tests.factories.ticketing import TicketTypeFactory, future_session
from tests.journeys.actions import log_in, page_problems
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_mark_paid, order_place
from ticketing.services.scans import credential_scan
from ticketing.signing import credential_code
from tourism.enums import (
    MerchantCategory,
    MerchantRole,
    MerchantStatus,
    OfferActivation,
    OfferKind,
    OfferStatus,
)
from tourism.models import Merchant, MerchantMembership, Offer, Redemption, Store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stubs"
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}


def snap(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"phone-zh-{name}.png"), full_page=True)


@pytest.fixture
def match(settings):
    """A Zhenjiang match on now, a spectator's paid ticket scanned in at the gate, a restaurant in
    the host city with a once-per-stub offer that opens on scan-in, its counter staff, an organiser."""
    settings.PAYMENT_DEMO_ENABLED = True
    zhenjiang = CityFactory(slug="zhenjiang", name_zh="镇江", name_en="Zhenjiang")
    session = future_session(
        starts_at=timezone.now() - dt.timedelta(minutes=30),
        event__host_city=zhenjiang,
        event__name_zh="城市足球联赛镇江站",
        event__name_en="City Football League, Zhenjiang",
        name_zh="镇江 vs 南通",
        name_en="Zhenjiang v Nantong",
    )
    # The ground is in Zhenjiang too (the venue factory's default stands in Shanghai), so the wallet's
    # distances read as a fan there sees them.
    venue = session.venue
    venue.city, venue.name_zh, venue.name_en = zhenjiang, "镇江体育会展中心", "Zhenjiang Sports Centre"
    venue.latitude, venue.longitude = Decimal("32.1580"), Decimal("119.4580")
    venue.save(update_fields=["city", "name_zh", "name_en", "latitude", "longitude"])
    programme = session.event.programme
    programme.start_date = timezone.localdate() - dt.timedelta(days=7)
    programme.save(update_fields=["start_date"])
    VenueResourceFactory(venue=session.venue, code="gate-a", name_zh="A 门", name_en="Gate A")
    spectator = verified(UserFactory(email="fan@example.com"))
    cart_add(user=spectator, ticket_type=TicketTypeFactory(session=session, price_fen=8000), quantity=1)
    order = order_mark_paid(order=order_place(user=spectator, provider="demo"))
    ticket = order.tickets.select_related("credential").get()
    scanned = credential_scan(
        code=credential_code(ticket.credential),
        gate_code="gate-a",
        direction="entry",
        event=session.event,
        nonce=uuid.uuid4().hex,
    )
    assert scanned.admitted
    merchant = Merchant.objects.create(
        slug="yanchun",
        programme=programme,
        name_zh="宴春酒楼",
        name_en="Yanchun Restaurant",
        city=zhenjiang,
        category=MerchantCategory.RESTAURANT,
        status=MerchantStatus.APPROVED,
    )
    store = Store.objects.create(
        merchant=merchant,
        name_zh="大西路店",
        name_en="Daxi Road",
        city=zhenjiang,
        address_zh="镇江市大西路1号",
        latitude=Decimal("32.2044"),
        longitude=Decimal("119.4550"),
    )
    offer = Offer.objects.create(
        merchant=merchant,
        programme=programme,
        name_zh="观赛锅盖面八折",
        name_en="20% off pot-lid noodles",
        status=OfferStatus.LIVE,
        kind=OfferKind.PERCENTAGE,
        percent_off=20,
        days_from=0,
        days_until=2,
        activation=OfferActivation.ON_SCAN_IN,
        subsidy_percent=50,
    )
    counter = verified(UserFactory(email="counter@example.com"))
    MerchantMembership.objects.create(user=counter, merchant=merchant, store=store, role=MerchantRole.STAFF)
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=programme).user))
    # Twelve fans redeemed here earlier today, so the report's cells describe enough people to show.
    for minutes in range(12):
        redeem(
            stub(session, area_code="310107"),
            offer,
            store,
            at=timezone.now() - dt.timedelta(minutes=20 + minutes),
        )
    return {
        "spectator": spectator,
        "ticket": ticket,
        "store": store,
        "offer": offer,
        "counter": counter,
        "organiser": organiser,
        "programme": programme,
        "city": zhenjiang,
    }


def counter_check(page, code: str, bill_yuan: str) -> None:
    page.fill("#counter-code", code)
    page.fill("#counter-bill", bill_yuan)
    page.locator("#counter-form button[type=submit]").click()
    page.wait_for_selector("#counter-answer:not([hidden])")


def test_spectator_stub_is_redeemed_once_at_the_counter_and_shows_in_the_city_report(
    browser, live_server, match
):
    url = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # The spectator: the wallet lists the stub and the offer open now (the ticket was scanned in).
        log_in(page, live_server, match["spectator"].email)
        page.goto(f"{url}/stubs/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_text("观赛锅盖面八折").first.is_visible()
        snap(page, "1-stub-wallet")
        page.locator("a.button").first.click()
        page.wait_for_selector("#stub-qr")
        snap(page, "2-stub-detail")

        # Counter staff: they land on their merchant home, then open their store's counter.
        log_in(page, live_server, match["counter"].email)
        assert "/merchant/" in page.url
        assert page.locator(".site-nav").get_by_text("商户主页").is_visible()
        snap(page, "3-merchant-home")
        page.goto(f"{url}/counter/{match['store'].pk}/")
        snap(page, "4-counter")
        code = credential_code(match["ticket"].credential)  # the ticket's own code: the offline fallback
        counter_check(page, code, "100")
        offer_button = page.locator("#counter-offers button").filter(has_text="观赛锅盖面八折")
        assert offer_button.is_enabled()
        snap(page, "5-counter-offers")
        offer_button.click()
        page.wait_for_selector("#counter-receipt:not(:empty)")
        redemption = Redemption.objects.get(stub__ticket=match["ticket"])
        assert redemption.receipt_number in page.locator("#counter-receipt").inner_text()
        assert (redemption.bill_fen, redemption.discount_fen) == (10_000, 2_000)
        snap(page, "6-counter-redeemed")

        # The same stub again: the once-only offer is refused, and the counter says why.
        counter_check(page, code, "80")
        refused = page.locator("#counter-offers button").filter(has_text="观赛锅盖面八折")
        with translation.override("zh-hans"):
            reason = translation.gettext("This stub has already been used for this offer at this merchant.")
        assert refused.is_disabled() and reason in refused.inner_text()
        # Who and what: the ticket has no holder's name, so the line is the event alone, no stray "·".
        who = page.locator("#counter-holder").inner_text().strip()
        assert who and "·" not in who
        assert Redemption.objects.filter(stub__ticket=match["ticket"]).count() == 1
        snap(page, "7-counter-refused")

        # The organiser, after two-factor, finds the redemption in the city report.
        log_in(page, live_server, match["organiser"].email)
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", totp_code())
        page.locator("form").filter(has=page.locator("input[name=code]")).locator(
            "button[type=submit]"
        ).first.click()
        page.wait_for_load_state()
        page.goto(f"{url}/stubs/report/")
        page.get_by_role("link", name="城市报告").first.click()
        page.wait_for_selector("svg.chart")
        by_city = page.locator("h3", has_text="按核销城市").locator("xpath=following-sibling::div[1]")
        zhenjiang_row = by_city.locator("tbody tr").filter(has_text="镇江").first.inner_text().split()
        assert zhenjiang_row[:3] == ["镇江", "13", "13"]  # the twelve earlier fans and this one
        snap(page, "8-city-report")
        page.goto(f"{url}/stubs/settlement/{match['programme'].pk}/")
        page.get_by_role("link", name=f"{redemption.business_day:%Y-%m}").first.click()
        page.wait_for_url("**/settlement/**")
        page.wait_for_selector("h1")
        assert redemption.receipt_number in page.content()
        snap(page, "9-settlement-statement")
    finally:
        context.close()


def test_the_owner_sets_up_an_offer_by_ticking_boxes_on_a_phone(browser, live_server, match):
    """The restaurant's owner creates a weekend offer for Nanjing fans at the chosen store, by ticking
    boxes on a 390px phone page that is never wider than the screen, then edits it."""
    owner = verified(UserFactory(email="owner@example.com"))
    MerchantMembership.objects.create(user=owner, merchant=match["store"].merchant, role=MerchantRole.OWNER)
    CityFactory(slug="nanjing", name_zh="南京", name_en="Nanjing")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, live_server, owner.email)
        page.goto(f"{live_server.url}/merchants/{match['store'].merchant_id}/offers/new/")
        page.fill("#id_name_zh", "南京球迷周末送汤包")
        page.fill("#id_name_en", "Weekend soup dumplings for Nanjing fans")
        page.select_option("#id_kind", "gift")
        page.fill("#id_value_fen", "1500")
        page.select_option("#id_origin", "listed")
        page.get_by_label("南京", exact=True).first.check()
        page.get_by_label("星期六").check()
        page.get_by_label("星期日").check()
        page.select_option("#id_where", "stores")
        page.get_by_label("大西路店").check()
        assert page_problems(page, chinese=True) == []
        snap(page, "10-offer-form")
        page.locator("form.offer-form button[type=submit]").click()
        page.wait_for_url("**/merchants/**")

        offer = Offer.objects.get(name_en="Weekend soup dumplings for Nanjing fans")
        assert (offer.kind, offer.value_fen, offer.weekdays) == (OfferKind.GIFT, 1500, [5, 6])
        assert (offer.origin_area_prefixes, list(offer.stores.all())) == (["3201"], [match["store"]])

        # The edit page shows the ticks; taking Sunday away saves at once.
        page.get_by_role("link", name="修改").last.click()
        assert page.get_by_label("星期六").is_checked() and page.get_by_label("大西路店").is_checked()
        page.get_by_label("星期日").uncheck()
        page.locator("form.offer-form button[type=submit]").click()
        page.wait_for_url("**/merchants/**")
        offer.refresh_from_db()
        assert offer.weekdays == [5]
    finally:
        context.close()
