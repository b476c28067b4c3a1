"""Journey (phone, Chinese): the organiser logs in with two-factor, adds a quota and a ticket type to a
session and sees its capacity and what is left; then edits the event's eligibility rules, previews
"these entries would become ineligible" with the athlete's name and reason, and saves. Screenshots of
each step go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from registration.enums import AthleteSex, EntryStatus
from registration.models import EventEligibility
from tests.conftest import ARTIFACTS
from tests.factories import ProgrammeMembershipFactory, SessionFactory, totp_code, verified, with_totp
from tests.factories.events import SHANGHAI
from tests.factories.registration import AthleteFactory, EntryFactory, TeamFactory
from tests.journeys.actions import log_in
from ticketing.models import Quota, TicketType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"setup-{name}.png"), full_page=True)


@time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=SHANGHAI), tick=True)
def test_organiser_adds_a_ticket_type_with_a_quota_and_previews_an_eligibility_rule(page, live_server):
    team = TeamFactory(
        event__name_zh="击剑邀请赛 U12 男子花剑", event__category="men", event__age_group="U12"
    )
    event = team.event
    session = SessionFactory(event=event, name_zh="决赛", name_en="Finals")
    girl = AthleteFactory(
        delegation=team.delegation, family_name_zh="王", given_name_zh="小雨", name_latin="WANG Xiaoyu",
        sex=AthleteSex.FEMALE, birth_date=dt.date(2013, 6, 1),
    )  # fmt: skip
    EntryFactory(team=team, athlete=girl, status=EntryStatus.APPROVED)
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    url = live_server.url

    log_in(page, live_server, organiser.email)
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code())
    page.locator("form").filter(has=page.locator("input[name=code]")).locator(
        "button[type=submit]"
    ).first.click()
    page.wait_for_load_state()

    page.goto(f"{url}/organiser/ticketing/events/{event.slug}/setup/")
    page.get_by_role("link", name="添加配额").click()
    page.fill("#id_name_zh", "主看台")
    page.fill("#id_name_en", "Main stand")
    page.fill("#id_capacity", "120")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    quota = Quota.objects.get(session=session)
    page.get_by_role("link", name="添加票种").click()
    page.fill("#id_name_zh", "成人票")
    page.fill("#id_name_en", "Adult")
    page.fill("#id_price_yuan", "80")
    page.check(f"input[name=quotas][value='{quota.pk}']")
    shot(page, "1-ticket-type-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert TicketType.objects.get(session=session).price_fen == 8000
    table = page.locator(f"#session-{session.pk}").locator("xpath=..").inner_text()
    assert "成人票" in table and "¥80.00" in table and "120" in table
    shot(page, "2-setup-list")

    page.goto(f"{url}/organiser/registration/events/{event.slug}/eligibility/")
    page.select_option("#id_age_rule", "birth_year_window")
    page.fill("#id_min_birth_year", "2015")
    page.fill("#id_max_birth_year", "2016")
    page.get_by_role("button", name="预览影响").click()
    page.wait_for_load_state()
    preview = page.locator("#preview").inner_text()
    assert "这 1 项报名将不再符合资格" in preview and "王小雨" in preview and "2013-06-01" in preview
    assert not EventEligibility.objects.filter(event=event).exists()
    shot(page, "3-eligibility-preview")
    page.get_by_role("button", name="保存规则").click()
    page.wait_for_load_state()
    assert EventEligibility.objects.get(event=event).min_birth_year == 2015
    assert "已在审核队列中标记" in page.content()
    shot(page, "4-eligibility-saved")
