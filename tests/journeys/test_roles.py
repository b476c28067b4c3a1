"""Journeys, one per role, on the demo season as `make run` loads it: a visitor, a spectator, a team
manager, gate staff and an organiser each follow their fixed paths on a phone-sized screen in Chinese
and on a desktop in English. Every page visited is saved to test-artifacts/roles/<role>/ for people to
look at, and checked for what a person would notice (the page wider than the screen, an ASCII colon
in Chinese). The pool sheet is also opened on a 360px-wide phone: its table scrolls in its own box.

The buyer, the manager adding an athlete with one guardian, the gate's double scan and the
registration-to-badge flow have their own journeys (test_buy_tickets, test_catalogue, test_gate,
test_registration); these walk every role's pages.
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from events.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from registration.enums import EntryStatus
from registration.models import Entry
from tests.conftest import ARTIFACTS
from tests.factories.accounts import totp_code
from tests.journeys.actions import log_in, page_problems, pass_two_factor, scan_with_wedge
from ticketing import demo_gate
from ticketing.demo_gate import FENCING_EVENT, FENCING_VENUE, GATE_CODE, gate_ticket
from ticketing.signing import credential_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ARTIFACTS / "roles"
DEVICES = {
    "phone-zh": {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "chinese": True},
    "desktop-en": {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", "chinese": False},
}
POOLS_EVENT = "fencing-u12-men-foil"  # fenced yesterday in the demo: its pools are drawn and scored


@pytest.fixture
def demo(settings):
    settings.PAYMENT_DEMO_ENABLED = True
    call_command("seed_demo", stdout=io.StringIO())


def _ticket_valid_now():
    """The spectator's ticket the gate admits now. When a session of the demo's day ended between the
    seeding and this call (a CI run crossed 16:00 Shanghai time, from the knockout session to the
    finals), the gate slice issues the ticket of the session on now, as `make seed` does."""
    ticket = gate_ticket()
    if ticket is None:
        demo_gate.seed()
        ticket = gate_ticket()
    assert ticket is not None, "the demo has no session on now"
    return ticket


class Journey:
    """One role on one device: visits pages, saves each as a numbered screenshot, notes problems."""

    def __init__(self, browser, live_server, role: str, device: str):
        self.server = live_server
        self.url = live_server.url
        self.device = device
        self.chinese = DEVICES[device]["chinese"]
        self.folder = SCREENS / role
        self.folder.mkdir(parents=True, exist_ok=True)
        self.context = browser.new_context(
            viewport=DEVICES[device]["viewport"], locale=DEVICES[device]["locale"]
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.step = 0
        self.problems: list[str] = []

    def words(self, zh: str, en: str) -> str:
        return zh if self.chinese else en

    def visit(self, path: str, name: str) -> None:
        response = self.page.goto(f"{self.url}{path}")
        assert response.status == 200, (path, response.status)
        self.snap(name)

    def snap(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.step += 1
        path = self.folder / f"{self.device}-{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.problems.extend(page_problems(self.page, chinese=self.chinese))

    def log_in(self, email: str) -> None:
        log_in(self.page, self.server, email, DEMO_PASSWORD)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def journey(browser, live_server, demo):
    opened = []

    def start(role: str, device: str) -> Journey:
        opened.append(Journey(browser, live_server, role, device))
        return opened[-1]

    yield start
    for each in opened:
        each.context.close()


@pytest.mark.parametrize("device", DEVICES)
def test_visitor_finds_events_venues_and_the_pool_sheet(journey, device):
    j = journey("visitor", device)
    j.visit("/", "home")
    j.visit("/events/", "events")
    assert j.page.get_by_role("link", name=j.words("往期赛事", "Past events")).is_visible()
    j.visit("/events/?when=past", "events-past")
    j.visit(f"/events/{FENCING_EVENT}/", "event")
    j.visit(f"/events/{POOLS_EVENT}/pools/", "pools")
    assert j.page.locator(".pool-sheet").count() >= 1
    j.visit(f"/venues/{FENCING_VENUE}/", "venue")
    j.visit(f"/events/{FENCING_EVENT}/tickets/", "tickets")
    j.visit("/accounts/login/", "login")
    if device == "phone-zh":
        # The smallest phone: the pool table scrolls sideways inside its box, the page does not.
        j.page.set_viewport_size({"width": 360, "height": 740})
        j.visit(f"/events/{POOLS_EVENT}/pools/", "pools-360")
        box = j.page.locator(".pool-sheet .table-scroll").first
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # more to see: it scrolls
        assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    j.close()


@pytest.mark.parametrize("device", DEVICES)
def test_spectator_sees_tickets_orders_and_wallet(journey, device):
    j = journey("spectator", device)
    j.log_in("spectator@corridor.example")
    j.snap("after-login")
    j.visit(f"/events/{FENCING_EVENT}/tickets/", "event-tickets")
    j.visit("/tickets/", "wallet")
    assert j.page.locator(".session-group").count() >= 1
    j.visit("/orders/", "orders")
    j.page.locator("main a[href^='/orders/']").first.click()
    j.snap("order")
    ticket = _ticket_valid_now()
    j.visit(f"/tickets/{ticket.credential.public_id}/", "ticket")
    assert j.page.locator("img.ticket-qr").is_visible()
    j.close()


@pytest.mark.parametrize("device", DEVICES)
def test_team_manager_walks_the_delegation_checklist_and_fees(journey, device):
    j = journey("team-manager", device)
    j.log_in("manager@corridor.example")
    j.visit("/delegations/", "delegations")
    entry = (
        Entry.objects.filter(
            team__delegation__memberships__user__email="manager@corridor.example", status=EntryStatus.APPROVED
        )
        .select_related("team")
        .first()
    )
    team = entry.team
    j.visit(f"/delegations/{team.delegation_id}/", "delegation")
    assert j.page.get_by_text(j.words(team.name_zh, team.name_en)).first.is_visible()
    j.visit(f"/teams/{team.pk}/", "team")
    j.visit(f"/delegations/{team.delegation_id}/athletes/", "athletes")
    j.visit(f"/delegations/athletes/{entry.athlete_id}/paperwork/", "paperwork")
    j.visit(f"/teams/{team.pk}/checklist/", "checklist")
    assert j.page.locator("details.fee-breakdown").first.is_visible()  # what paying would charge
    # Withdrawing an approved entry asks first; keeping it changes nothing.
    j.page.locator(f"tr[data-entry='{entry.pk}']").get_by_role(
        "button", name=j.words("撤回", "Withdraw")
    ).click()
    j.page.wait_for_selector("#withdraw-confirm")
    j.snap("withdraw-confirm")
    j.page.get_by_role("link", name=j.words("保留报名", "Keep the entry")).click()
    j.page.wait_for_url(f"**/teams/{team.pk}/checklist/")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    j.close()


@pytest.mark.parametrize("device", DEVICES)
def test_gate_staff_choose_the_gate_and_scan(journey, device):
    from events.models import VenueResource

    j = journey("gate-staff", device)
    ticket = _ticket_valid_now()
    code = credential_code(ticket.credential)
    j.log_in("gate@corridor.example")
    j.visit("/gate/", "choose-gate")
    gate = VenueResource.objects.get(venue__slug=FENCING_VENUE, code=GATE_CODE)
    j.visit(f"/gate/?gate={gate.pk}&direction=entry", "scan")
    scan_with_wedge(j.page, code)
    j.page.wait_for_selector("#gate-answer.gate-admitted")
    assert j.page.locator("#gate-annul").is_visible()  # annul is offered after an admission
    j.snap("admitted")
    scan_with_wedge(j.page, code)
    j.page.wait_for_selector("#gate-answer.gate-refused")
    j.snap("refused")
    j.close()


@pytest.mark.parametrize("device", DEVICES)
def test_organiser_lands_on_the_back_office_and_reviews(journey, device):
    j = journey("organiser", device)
    cache.clear()  # the same authenticator code may be used once only: each device logs in afresh
    j.log_in("organiser@corridor.example")
    j.snap("two-factor")
    cancel = j.page.locator("button[form=logout-from-stage]")
    assert "button-secondary" in cancel.get_attribute("class")
    pass_two_factor(j.page, totp_code(DEMO_TOTP_SECRET))
    assert j.page.url == f"{j.url}/organiser/"  # after two-factor: the organiser home
    assert j.page.locator("#today-sales .figure").is_visible()
    assert int(j.page.locator("#today-review .figure").inner_text()) > 0
    j.snap("home")
    j.visit(f"/organiser/ticketing/events/{FENCING_EVENT}/sales/", "sales")
    j.visit(f"/organiser/ticketing/events/{FENCING_EVENT}/gates/", "gate-flow")
    j.visit("/organiser/ticketing/programmes/corridor-2027/orders/", "orders")
    # A help-desk search by a buyer's address: the answer is filtered, the address stays out of the URL.
    buyer = j.page.locator("main tbody tr td:nth-child(2)").first.inner_text()
    j.page.fill("input[name=q]", buyer)
    with j.page.expect_navigation():
        j.page.locator("form[role=search] button:not([name])").click()
    assert j.page.url == f"{j.url}/organiser/ticketing/programmes/corridor-2027/orders/"
    buyers = set(j.page.locator("main tbody tr td:nth-child(2)").all_inner_texts())
    assert buyers == {buyer}
    assert j.page.input_value("input[name=q]") == buyer
    j.snap("orders-searched")
    j.visit("/organiser/registration/", "registration")
    programme = Entry.objects.values_list("event__programme_id", flat=True).first()
    j.visit(f"/organiser/registration/{programme}/review/", "review-queue")
    statuses = j.page.locator("#review-queue tbody td:nth-child(5) .badge").all_inner_texts()
    assert statuses and set(statuses) == {j.words("已提交", "Submitted")}  # opens on what waits
    j.page.locator("#review-queue tbody a").first.click()
    j.page.wait_for_selector("#entry-facts")
    j.snap("entry-review")
    j.visit(f"/organiser/competition/events/{POOLS_EVENT}/", "competition")
    # The schedule's rules: the travel matrix scrolls in its own box, never the page.
    j.visit("/organiser/schedule/corridor-2027/travel/", "travel-times")
    box = j.page.locator(".table-scroll").first
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    j.visit("/organiser/schedule/corridor-2027/age-bands/", "age-band-limits")
    j.page.fill("#id_max_matches_per_day", "3")
    j.page.fill("#id_earliest_start", "09:00")
    j.page.locator("main form button[type=submit]").click()
    j.page.wait_for_selector(".rules-table")
    j.snap("age-band-limit-added")
    j.close()
