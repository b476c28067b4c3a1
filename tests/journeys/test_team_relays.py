"""Journey: an organiser of a fencing team event, on a phone in Chinese and on a desktop in English,
names each team's order for a match (a fencer chosen twice is refused on the page), then reads the
nine relays with the names of the fencers who meet in each; the referee, on a phone through the stage's
link, scores the match relay by relay (a relay with one score is refused, then corrected). Screenshots
land in test-artifacts/relays/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.enums import EventStatus, GameRules
from events.services.games import games_generate
from events.services.referee import referee_link_make
from tests.factories import ProgrammeMembershipFactory, totp_code, verified, with_totp
from tests.factories.competition import FencingEventFactory, entrants
from tests.journeys.actions import log_in, page_problems, pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "relays"

DEVICES = {
    "phone-zh": {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "twice": "同一名选手在出场顺序中只能占一个位置",
        "saved": "的出场顺序已保存",
        "one_score": "第 4 轮接力：请填写两队的累计比分。",
        "scored": "的成绩已保存。",
    },
    "desktop-en": {
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "twice": "a fencer can hold only one position in the team's order",
        "saved": "is saved",
        "one_score": "Relay 4: enter both teams",
        "scored": "saved.",
    },
}
RELAYS_HOME = [5, 10, 14, 20, 25, 28, 35, 40, 45]
RELAYS_AWAY = [3, 8, 15, 17, 21, 30, 33, 36, 41]
HOME = ["李华 (LI Hua)", "王强 (WANG Qiang)", "陈一 (CHEN Yi)", "赵安 (ZHAO An)"]
AWAY = ["周文 (ZHOU Wen)", "吴迪 (WU Di)", "孙悦 (SUN Yue)"]


def _squad(team, names: list[str]) -> list[str]:
    team.members = {f"p-{team.pk:04d}{index:02d}": name for index, name in enumerate(names, start=1)}
    team.person_keys = list(team.members)
    team.save(update_fields=["members", "person_keys"])
    return team.person_keys


@pytest.mark.parametrize("device", DEVICES)
def test_organiser_names_each_teams_order_and_reads_who_meets_in_each_relay(browser, live_server, device):
    words = DEVICES[device]
    event = FencingEventFactory(
        status=EventStatus.PUBLISHED,
        team_event=True,
        name_zh="U14 男子重剑团体",
        name_en="U14 Men's Épée Team",
    )
    entrants(event, 2)
    [stage] = games_generate(event=event, rules=GameRules.FENCING_TEAM, places=2)
    final = stage.matches.get()
    home, away = _squad(final.left, HOME), _squad(final.right, AWAY)
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    context = browser.new_context(viewport=words["viewport"], locale=words["locale"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    SCREENS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, live_server, organiser.email)
        pass_two_factor(page, totp_code())
        if device.endswith("en"):
            with page.expect_navigation():
                page.select_option("#language-select", "en")
        page.goto(f"{live_server.url}/organiser/competition/matches/{final.pk}/relays/")

        # The home team: the reserve fences first, and a fencer chosen twice is refused on the page.
        page.select_option("#id_home-position_1", home[3])
        page.select_option("#id_home-position_2", home[0])
        page.select_option("#id_home-position_3", home[0])
        page.locator("#lineup-home button[type=submit]").click()
        expect(page.locator("#lineup-home-errors")).to_contain_text(words["twice"])
        page.screenshot(path=str(SCREENS / f"{device}-refused.png"), full_page=True)
        page.select_option("#id_home-position_3", home[1])
        page.locator("#lineup-home button[type=submit]").click()
        expect(page.locator("body")).to_contain_text(words["saved"])

        page.select_option("#id_away-position_1", away[2])
        page.select_option("#id_away-position_2", away[0])
        page.select_option("#id_away-position_3", away[1])
        page.locator("#lineup-away button[type=submit]").click()
        expect(page.locator("body")).to_contain_text(words["saved"])

        # Relay 1 is 3-6: the home team's third (王强) against the away team's third (吴迪); relay 2, 1-5.
        expect(page.locator("#relay-1")).to_contain_text("王强 (WANG Qiang) – 吴迪 (WU Di)")
        expect(page.locator("#relay-2")).to_contain_text("赵安 (ZHAO An) – 周文 (ZHOU Wen)")
        page.screenshot(path=str(SCREENS / f"{device}-orders.png"), full_page=True)
        assert page_problems(page, chinese=device.endswith("zh")) == []
    finally:
        context.close()

    # The referee at the piste: a phone, no account, the stage's link; the same relays with the names.
    link = reverse("events:referee", args=[referee_link_make(event_id=event.pk, stage=stage)])
    referee = browser.new_context(viewport={"width": 390, "height": 844}, locale=words["locale"])
    page = referee.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}{link}")
        expect(page.locator(f"#match-{final.pk}-relay-1")).to_contain_text("王强 (WANG Qiang) – 吴迪 (WU Di)")
        field = f"#id_match-{final.pk}"
        for number, (home_score, away_score) in enumerate(
            zip(RELAYS_HOME, RELAYS_AWAY, strict=True), start=1
        ):
            page.fill(f"{field}-home_{number}", str(home_score))
            if number != 4:  # relay 4's away score forgotten: refused, nothing saved
                page.fill(f"{field}-away_{number}", str(away_score))
        page.locator(f"#match-{final.pk} button[type=submit]").click()
        expect(page.locator("body")).to_contain_text(words["one_score"])
        page.screenshot(path=str(SCREENS / f"{device}-referee-refused.png"), full_page=True)
        expect(page.locator(f"{field}-home_9")).to_have_value("45")  # shown again as typed
        page.fill(f"{field}-away_4", str(RELAYS_AWAY[3]))
        page.locator(f"#match-{final.pk} button[type=submit]").click()
        expect(page.locator("body")).to_contain_text(words["scored"])
        expect(page.locator(f"{field}-home_9")).to_have_value("45")
        page.screenshot(path=str(SCREENS / f"{device}-referee.png"), full_page=True)
        assert page_problems(page, chinese=device.endswith("zh")) == []
    finally:
        referee.close()
    final.refresh_from_db()
    assert final.detail["lineup"] == {
        str(final.left_id): [home[3], home[0], home[1]],
        str(final.right_id): [away[2], away[0], away[1]],
    }
    assert final.detail["relays"] == [RELAYS_HOME, RELAYS_AWAY]
    assert (final.left_score, final.right_score, final.winner_id) == (45, 41, final.left_id)
