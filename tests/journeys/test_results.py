"""Journey: a referee enters a pool's results from the signed link on a phone (Chinese) or a desktop
(English); a spectator's pool sheet fills in without a reload; the organiser draws the tableau, the
referee of the tableau scores a bout, and the public tableau shows it. Screenshots of each page land in
test-artifacts/results/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.enums import EventStatus, MatchStatus
from events.models import Match
from events.services.competition import pools_generate, tableau_generate
from events.services.referee import referee_link_make
from events.views import results as results_views
from tests.factories.competition import CompetitorFactory, FencingEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "results"

DEVICES = {
    "phone-zh": {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "save": "保存",
        "saved": "已保存",
        "pool": "第 1 组",
        "final": "决赛",
    },
    "desktop-en": {
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "save": "Save",
        "saved": "saved",
        "pool": "Pool 1",
        "final": "Final",
    },
}


def snap(page, device: str, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{device}-{name}.png"), full_page=True)


@pytest.fixture
def pool(monkeypatch):
    monkeypatch.setattr(results_views, "LIVE_SECONDS", 1)
    event = FencingEventFactory(
        status=EventStatus.PUBLISHED, name_zh="U12 男子花剑", name_en="U12 Men's Foil"
    )
    for i in range(6):
        CompetitorFactory(
            event=event,
            seed=i + 1,
            display_name=f"选手{i + 1} (FENCER {i + 1})",
            club_zh="南通",
            club_en="Nantong",
        )
    return pools_generate(event=event, max_size=6)


def _language(page, live_server, locale: str) -> None:
    if locale.startswith("en"):
        page.goto(f"{live_server.url}/")
        # The switcher submits itself: wait for that navigation, or the next goto aborts it.
        with page.expect_navigation():
            page.select_option("#language-select", "en")


@pytest.mark.parametrize("device", DEVICES)
def test_referee_scores_a_pool_by_link_and_the_public_pages_follow(browser, live_server, pool, device):
    words = DEVICES[device]
    event = pool.event
    context = browser.new_context(viewport=words["viewport"], locale=words["locale"])
    referee, spectator = context.new_page(), context.new_page()
    for page in (referee, spectator):
        page.set_default_timeout(15_000)
    try:
        _language(spectator, live_server, words["locale"])
        spectator.goto(f"{live_server.url}{reverse('events:competition-pools', args=[event.slug])}")
        spectator.get_by_role("heading", name=words["pool"]).wait_for()
        assert spectator.locator(".pool-v").count() == 0

        link = referee_link_make(event_id=event.pk, stage=pool, pool=1)
        referee.goto(f"{live_server.url}{reverse('events:referee', args=[link])}")
        snap(referee, device, "referee-empty")
        bouts = list(pool.matches.select_related("left", "right").order_by("sequence"))
        for bout in bouts:
            row = referee.locator(f"#match-{bout.pk}")
            better = bout.left.seed < bout.right.seed
            row.locator("input[name=left_score]").fill("5" if better else "3")
            row.locator("input[name=right_score]").fill("3" if better else "5")
            row.get_by_role("button", name=words["save"]).click()
            referee.wait_for_load_state()
        snap(referee, device, "referee-done")
        assert Match.objects.filter(stage=pool, status=MatchStatus.DONE).count() == len(bouts)

        # The spectator never reloaded: the sheet polled its fragment and shows every victory.
        expect(spectator.locator(".pool-v")).to_have_count(15, timeout=15_000)
        first = spectator.locator("tbody tr").first
        assert (
            "选手1 (FENCER 1)" in first.inner_text() and first.locator("td").last.inner_text().strip() == "1"
        )
        snap(spectator, device, "pool-sheet")
        assert (
            spectator.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            or device == "phone-zh"
        )

        tableau = tableau_generate(event=event)
        spectator.goto(f"{live_server.url}{reverse('events:competition-tableau', args=[event.slug])}")
        spectator.get_by_text("选手1 (FENCER 1)").first.wait_for()
        referee.goto(
            f"{live_server.url}{reverse('events:referee', args=[referee_link_make(event_id=event.pk, stage=tableau)])}"
        )
        bout = (
            tableau.matches.filter(left__isnull=False, right__isnull=False)
            .exclude(status=MatchStatus.WALKOVER)
            .order_by("-round", "sequence")
            .first()
        )
        row = referee.locator(f"#match-{bout.pk}")
        row.locator("input[name=left_score]").fill("15")
        row.locator("input[name=right_score]").fill("9")
        row.get_by_role("button", name=words["save"]).click()
        referee.wait_for_load_state()
        spectator.locator(f"#bout-{bout.pk} .tableau-score").first.filter(has_text="15").wait_for()
        snap(spectator, device, "tableau")
    finally:
        context.close()
