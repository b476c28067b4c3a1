"""Journey: a visitor opens the home page in Chinese, switches to English, filters by city, opens an event and a venue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import CityFactory, EventFactory, SessionFactory, VenueFactory
from tests.factories.events import SHANGHAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def season():
    shanghai = CityFactory(slug="shanghai", name_zh="上海", name_en="Shanghai")
    nantong = CityFactory(slug="nantong", name_zh="南通", name_en="Nantong")
    stadium = VenueFactory(
        city=nantong, slug="nantong-stadium", name_zh="南通体育会展中心体育场", name_en="Nantong Stadium"
    )
    match = EventFactory(
        host_city=nantong,
        venue=stadium,
        discipline="football",
        name_zh="苏超观赛之旅：南通 vs 苏州",
        name_en="Jiangsu League trip: Nantong v Suzhou",
        start_date=dt.date(2027, 5, 29),
        end_date=dt.date(2027, 5, 29),
    )
    fencing = EventFactory(
        host_city=shanghai,
        programme=match.programme,
        discipline="fencing",
        weapon="foil",
        name_zh="击剑邀请赛 U12 男子花剑",
        name_en="Fencing Invitational U12 Men's Foil",
        start_date=dt.date(2027, 4, 10),
        end_date=dt.date(2027, 4, 10),
    )
    SessionFactory(event=match, name_zh="南通 vs 苏州", name_en="Nantong v Suzhou")
    SessionFactory(event=fencing, name_zh="小组赛", name_en="Pools")
    return match


@time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=SHANGHAI), tick=True)
def test_visitor_browses_the_catalogue_in_both_languages(page, live_server, season):
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="接下来的赛程").is_visible()
    assert page.get_by_text("击剑邀请赛 U12 男子花剑").first.is_visible()

    page.select_option("#language-select", "en")
    page.wait_for_load_state()
    page.get_by_role("heading", name="What is on next").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Events", exact=True).first.click()
    page.select_option("#id_city", "nantong")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/events/?city=nantong**")
    cards = page.locator(".event-card")
    assert cards.count() == 1
    assert "Nantong v Suzhou" in cards.first.inner_text()

    cards.first.get_by_role("link").click()
    page.get_by_role("heading", name="Jiangsu League trip: Nantong v Suzhou").wait_for()
    assert page.get_by_role("cell", name="Nantong v Suzhou").is_visible()

    page.get_by_role("link", name="Nantong Stadium").first.click()
    page.get_by_role("heading", name="Nantong Stadium").wait_for()
    amap = page.get_by_role("link", name="Open in Amap (高德地图)")
    assert amap.get_attribute("href").startswith("https://uri.amap.com/marker?")
    # Phone-sized screen: nothing overflows sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
