"""Journey, on a phone in Chinese: a chaperone starts the roll-call at a coach transfer, ticks two of
the three children (the ticks are queued on the phone and uploaded), ends the count with one child
missing; the organiser's exchange page shows the alert; the chaperone types the missing child's
badge code into the gate's scanner; the organiser's alert clears. Screenshots in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories.accounts import totp_code, verified, with_totp
from tests.factories.exchange import exchange_camp
from tests.journeys.actions import log_in, scan_with_wedge
from tourism.exchange.models import RollCall, RollCallMark

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path("test-artifacts")
PHONE = {"width": 360, "height": 780}


def snap(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"exchange-{name}.png"), full_page=True)


def in_chinese(context, live_server) -> None:
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])


def test_roll_call_with_a_missing_child_alerts_the_organiser_until_the_badge_is_scanned(
    page, browser, live_server
):
    camp = exchange_camp()
    verified(camp.chaperone.user)
    organiser = with_totp(verified(camp.organiser))
    missing = camp.children[2]
    page.set_viewport_size(PHONE)
    in_chinese(page.context, live_server)

    # The chaperone, at the coach: start the roll-call, everyone due now.
    log_in(page, live_server, camp.chaperone.user.email)
    page.goto(live_server.url + camp.transfer.get_absolute_url())
    page.fill("input[name=minutes]", "0")
    page.get_by_role("button", name="开始点名").click()
    page.wait_for_url("**/exchange/rollcalls/*/")
    rollcall = RollCall.objects.get()
    for present, child in enumerate(camp.children[:2], start=1):
        # The tick is queued on the phone, uploaded, and the page reloads with the new count.
        page.get_by_role("button", name=f"登记{child.display_name}到场").click()
        page.wait_for_function(
            "n => document.getElementById('rollcall-count').textContent.includes('已到 ' + n + ' 人')",
            arg=str(present),
        )
    assert "未到 1 人" in page.inner_text("#rollcall-count")
    assert page.evaluate(f"localStorage.getItem('exchange-rollcall-{rollcall.pk}')") == "[]"
    snap(page, "rollcall-two-ticked")
    page.get_by_role("button", name="结束点名").click()
    page.wait_for_selector("#rollcall-alert")
    assert missing.display_name in page.inner_text(".exchange-ticks")
    snap(page, "rollcall-one-missing")

    # The organiser, on another phone: two-factor, then the exchange page shows the alert.
    desk = browser.new_context(viewport=PHONE)
    in_chinese(desk, live_server)
    organiser_page = desk.new_page()
    log_in(organiser_page, live_server, organiser.email)
    organiser_page.wait_for_url("**/2fa/authenticate/**")
    organiser_page.fill("input[name=code]", totp_code())
    organiser_page.locator("form").filter(has=organiser_page.locator("input[name=code]")).locator(
        "button[type=submit]"
    ).first.click()
    organiser_page.wait_for_load_state()
    programme_url = live_server.url + reverse("exchange:organiser", args=[camp.delegation.programme_id])
    organiser_page.goto(programme_url)
    alert = organiser_page.locator("#exchange-alerts")
    assert "点名警报" in alert.inner_text() and camp.transfer.title_zh in alert.inner_text()
    snap(organiser_page, "organiser-alert")

    # The chaperone finds the child and types the badge code into the gate's scanner.
    page.get_by_role("link", name="扫描证件").click()
    page.wait_for_url("**/scanner/")
    scan_with_wedge(page, camp.code(missing))
    page.wait_for_selector("#gate-answer.gate-admitted")
    assert page.inner_text("#gate-verdict") == "已到"
    assert page.inner_text("#gate-holder") == f"已到 · {missing.display_name}"
    snap(page, "scanner-found")

    organiser_page.reload()
    assert organiser_page.locator("#exchange-alerts").count() == 0
    snap(organiser_page, "organiser-alert-cleared")
    rollcall.refresh_from_db()
    assert rollcall.alert_cleared_at is not None and RollCallMark.objects.count() == 3
    desk.close()
