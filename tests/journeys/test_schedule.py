"""Journey, on a phone in Chinese and a desktop in English: two delegations' managers have entered
fencers (registration's services: entry, submission) and the organiser approved them; the organiser
logs in with two-factor, turns the approved entries into competitors (registration's
`competitors_sync`, through the competition page's button), draws the pools, builds the schedule, tries to move a bout onto a time when its
fencer is already fencing on another piste and sees the move refused at once with the reason (and
nothing moved), then publishes version 1. Screenshots of each page go to test-artifacts/schedule/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Competitor, Match, Placement, ScheduleVersion, Stage
from registration.enums import EntryStatus
from registration.models import Entry
from registration.services.competitors import person_key
from registration.services.entries import entry_create
from registration.services.workflow import entry_approve, entry_submit
from tests.factories import ProgrammeMembershipFactory, totp_code, verified, with_totp
from tests.factories.events import CityFactory
from tests.factories.registration import (
    AthleteFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
)
from tests.factories.schedule import SHANGHAI, drawn_event
from tests.journeys.actions import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "schedule"

DEVICES = {
    "phone-zh": {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "refused": "会同时出现在两场比赛中",
        "published": "版本 1 已发布",
        "revoked": "由 {who} 撤销",
    },
    "desktop-en": {
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "refused": "would be in two matches at once",
        "published": "Version 1 published",
        "revoked": "by {who}",
    },
}


def approved_entries(event, organiser, *, per_delegation: int = 4) -> list[Entry]:
    """Two delegations (Nantong and Suzhou) each enter `per_delegation` fencers the way a team
    manager does (entry, then submission) once their paperwork is complete, and the organiser approves
    them: the entries `make run`'s demo and a real season start from."""
    entries = []
    for name_zh, name_en in (("南通", "Nantong"), ("苏州", "Suzhou")):
        team = TeamFactory(
            event=event,
            delegation__programme=event.programme,
            delegation__city=CityFactory(name_zh=name_zh, name_en=name_en),
            delegation__name_zh=f"{name_zh}击剑队",
            delegation__name_en=f"{name_en} Fencing",
        )
        manager = MembershipFactory(delegation=team.delegation).user
        for _i in range(per_delegation):
            athlete = complete_paperwork(AthleteFactory(delegation=team.delegation))
            entry = entry_create(team=team, athlete=athlete, user=manager)
            entries.append(entry_approve(entry=entry_submit(entry=entry, user=manager), user=organiser))
    assert {e.status for e in entries} == {EntryStatus.APPROVED}
    return entries


def snap(page, device: str, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{device}-{name}.png"), full_page=True)


@pytest.mark.parametrize("device", DEVICES)
def test_organiser_draws_schedules_is_refused_a_clash_and_publishes(browser, live_server, device):
    words = DEVICES[device]
    event = drawn_event(count=0, piste_count=3, name_zh="U12 男子花剑", name_en="U12 Men's Foil")
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    entries = approved_entries(event, organiser)
    context = browser.new_context(viewport=words["viewport"], locale=words["locale"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    url = live_server.url
    try:
        log_in(page, live_server, organiser.email)
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", totp_code())
        page.locator("form").filter(has=page.locator("input[name=code]")).locator(
            "button[type=submit]"
        ).first.click()
        page.wait_for_load_state()

        # Turn the approved entries into competitors, then draw the pools (the competition page the
        # schedule grid links to).
        page.goto(f"{url}/organiser/schedule/{event.programme.slug}/")
        page.locator(f"a[href='/organiser/competition/events/{event.slug}/']").first.click()
        page.locator(f"form[action='/organiser/competition/events/{event.slug}/competitors/'] button").click()
        page.wait_for_load_state()
        competitors = Competitor.objects.filter(event=event)
        assert sorted(competitors.values_list("key", flat=True)) == sorted(
            person_key(entry.athlete_id) for entry in entries
        )
        assert set(competitors.values_list("club_en", flat=True)) == {"Nantong Fencing", "Suzhou Fencing"}
        page.locator(f"form[action='/organiser/competition/events/{event.slug}/pools/'] button").click()
        page.wait_for_load_state()
        assert Stage.objects.filter(event=event).exists()
        assert entries[0].athlete.display_name in page.content()  # the top seed heads pool 1
        snap(page, device, "1-pools")

        # A referee's phone is lost: revoke pool 1's link, after a confirmation; the page logs it.
        first_link = page.locator(".referee-links li").first
        lost = first_link.locator("a").get_attribute("href")
        first_link.locator("button[type=submit]").click()
        page.locator("form button.button-danger").click()
        page.wait_for_load_state()
        log = page.locator(".referee-revocations li")
        expect(log).to_have_count(1)
        assert words["revoked"].format(who=organiser.display_name or organiser.email) in log.inner_text()
        assert page.locator(".referee-links li").first.locator("a").get_attribute("href") != lost
        snap(page, device, "1b-revoked")

        # Build the schedule with the quick builder.
        page.goto(f"{url}/organiser/schedule/{event.programme.slug}/")
        page.locator("#solve-form button[type=submit]").click()
        page.wait_for_load_state()
        bouts = Match.objects.filter(stage__event=event)
        assert Placement.objects.count() == bouts.count() > 0
        assert page.locator("#schedule-grid .chip").count() == bouts.count()
        snap(page, device, "2-grid")

        # Move a bout onto a time when its fencer is already fencing elsewhere: refused at once.
        first = bouts.order_by("sequence").first()
        clash = bouts.filter(left=first.left).exclude(pk=first.pk).first()
        target = Placement.objects.get(match=first)
        before = Placement.objects.get(match=clash)
        other = event.venue.resources.filter(kind="piste").exclude(pk=target.resource_id).first()
        chip = page.locator(f"#chip-{clash.pk}")
        chip.locator("summary").click()
        chip.locator("select[name=resource]").select_option(str(other.pk))
        chip.locator("input[name=starts_at]").fill(
            f"{timezone.localtime(target.starts_at, SHANGHAI):%Y-%m-%dT%H:%M}"
        )
        chip.locator("button[type=submit]").click()
        status = page.locator("#move-status")
        status.wait_for(state="visible")
        assert words["refused"] in status.inner_text() and first.left.display_name in status.inner_text()
        assert "message-error" in status.get_attribute("class")
        after = Placement.objects.get(match=clash)
        assert (after.resource_id, after.starts_at) == (before.resource_id, before.starts_at)
        snap(page, device, "3-refused")

        # Publish.
        page.locator("#publish-form button[type=submit]").click()
        page.wait_for_load_state()
        assert words["published"] in page.content()
        assert list(ScheduleVersion.objects.values_list("number", flat=True)) == [1]
        snap(page, device, "4-published")
    finally:
        context.close()
