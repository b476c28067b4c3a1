"""Every workflow, paperwork, fee and badge URL, per role: a manager of delegation A gets 404 for B; coaches and chaperones
cannot approve or export; gate staff and merchants see nothing; anonymous users are sent to log in.
No document number appears in a URL, a log line or an email."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from registration.enums import EntryStatus, MembershipRole
from registration.models import Consent
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified, with_totp
from tests.factories.registration import (
    ConsentFactory,
    EntryFactory,
    GuardianFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
    resident_id,
)

pytestmark = pytest.mark.django_db
NUMBER = resident_id(dt.date(2014, 3, 2), sequence=444)


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=dt.UTC)):
        yield _world()


def _world():
    from ticketing.services.gate_devices import gate_staff_assign
    from tourism.models import Merchant, MerchantMembership

    team = TeamFactory()
    entry = EntryFactory(team=team, status=EntryStatus.SUBMITTED, athlete__document_number=NUMBER)
    athlete = complete_paperwork(entry.athlete)
    guardian = GuardianFactory(athlete=athlete, email="g@example.com")
    consent = Consent.objects.filter(athlete=athlete).first() or ConsentFactory(athlete=athlete)
    other_team = TeamFactory(delegation__programme=team.delegation.programme)
    users = {
        "manager": MembershipFactory(delegation=team.delegation).user,
        "coach": MembershipFactory(delegation=team.delegation, role=MembershipRole.COACH).user,
        "chaperone": MembershipFactory(delegation=team.delegation, role=MembershipRole.CHAPERONE).user,
        "other_manager": MembershipFactory(delegation=other_team.delegation).user,
        "gate": UserFactory(),
        "merchant": UserFactory(),
        "organiser": with_totp(
            verified(ProgrammeMembershipFactory(programme=team.delegation.programme).user)
        ),
    }
    gate_staff_assign(user=users["gate"], event=team.event)
    merchant = Merchant.objects.create(
        slug="tea", name_zh="茶馆", name_en="Tea house", city=team.event.host_city, category="food"
    )
    MerchantMembership.objects.create(user=users["merchant"], merchant=merchant)
    programme = team.delegation.programme.pk
    manager_urls = [
        ("get", reverse("registration:team-workflow", args=[team.pk])),
        ("get", reverse("registration:athlete-paperwork", args=[athlete.pk])),
        ("get", reverse("registration:badge-list", args=[team.delegation.pk])),
        ("get", reverse("registration:substitution-create", args=[entry.pk])),
        ("post", reverse("registration:team-submit", args=[team.pk])),
        ("post", reverse("registration:team-fee-pay", args=[team.pk])),
        ("post", reverse("registration:consent-withdraw", args=[athlete.pk, consent.pk])),
        ("post", reverse("registration:consent-link-send", args=[athlete.pk, guardian.pk])),
        ("post", reverse("registration:waitlist-answer", args=[entry.pk, "accept"])),
        ("post", reverse("registration:entry-withdraw", args=[entry.pk])),
        ("post", reverse("registration:badge-sheet-create", args=[team.delegation.pk])),
    ]
    organiser_urls = [
        ("get", reverse("registration:organiser-registration")),
        ("get", reverse("registration:review-queue", args=[programme])),
        ("get", reverse("registration:delegation-overview", args=[programme])),
        ("get", reverse("registration:insurance-export", args=[programme])),
        ("post", reverse("registration:insurance-export", args=[programme])),
        ("get", reverse("registration:substitution-list", args=[programme])),
        ("get", reverse("registration:entry-review", args=[entry.pk])),
        ("post", reverse("registration:entry-approve", args=[entry.pk])),
        ("post", reverse("registration:entry-request-changes", args=[entry.pk])),
        ("post", reverse("registration:review-bulk-approve", args=[programme])),
        ("post", reverse("registration:entry-attest", args=[entry.pk])),
    ]
    return {"users": users, "manager_urls": manager_urls, "organiser_urls": organiser_urls, "entry": entry}


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def test_anonymous_is_sent_to_login_everywhere(client, world):
    for method, url in world["manager_urls"] + world["organiser_urls"]:
        response = call(client, method, url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", ["other_manager", "gate", "merchant"])
def test_outsiders_get_404_everywhere(client, world, role):
    login_two_factor(client, world["users"][role])
    for method, url in world["manager_urls"] + world["organiser_urls"]:
        assert call(client, method, url).status_code == 404, (role, url)
    world["entry"].refresh_from_db()
    assert world["entry"].status == EntryStatus.SUBMITTED


@pytest.mark.parametrize("role", ["coach", "chaperone"])
def test_coach_and_chaperone_see_the_checklist_but_cannot_change_approve_or_export(client, world, role):
    login_two_factor(client, world["users"][role])
    _get, checklist = world["manager_urls"][0]
    page = client.get(checklist).content.decode()
    assert world["entry"].athlete.name_latin in page and "/submit/" not in page
    assert "/paperwork/" not in page  # the consents and paperwork are the managers' (and organisers')
    for method, url in world["manager_urls"][1:] + world["organiser_urls"]:
        assert call(client, method, url).status_code == 404, (role, url)


def test_manager_cannot_reach_organiser_pages(client, world):
    login_two_factor(client, world["users"]["manager"])
    for method, url in world["organiser_urls"]:
        assert call(client, method, url).status_code == 404, url


def test_organiser_reaches_organiser_pages(client, world):
    login_two_factor(client, world["users"]["organiser"])
    for method, url in world["organiser_urls"][:4] + world["organiser_urls"][5:7]:
        response = call(client, method, url)
        assert response.status_code == 200, url


def test_no_document_number_in_urls_logs_or_emails(client, world, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    login_two_factor(client, world["users"]["organiser"])
    entry = world["entry"]
    urls = [url for _m, url in world["manager_urls"] + world["organiser_urls"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:entry-approve", args=[entry.pk]))
        response = client.post(
            reverse("registration:insurance-export", args=[entry.event.programme_id]),
            {"reveal": "on", "reason": "insurer"},
        )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert NUMBER in response.content.decode("utf-8-sig")  # the revealed export itself, nowhere else
    assert all(NUMBER not in url and NUMBER[-4:] not in url for url in urls)
    assert NUMBER not in caplog.text and NUMBER[6:14] not in caplog.text
    assert mail.outbox
    for message in mail.outbox:
        assert NUMBER not in message.body and NUMBER[-4:] not in message.body
        assert "2014-03-02" not in message.body


def test_badge_sheet_pages_need_login_and_the_requester(client, world):
    from registration.models import BadgeSheetJob

    manager = world["users"]["manager"]
    team = world["entry"].team
    job = BadgeSheetJob.objects.create(
        programme=team.delegation.programme, requested_by=manager, delegation=team.delegation
    )
    urls = [
        reverse("registration:badge-sheet", args=[job.pk]),
        reverse("registration:badge-sheet-status", args=[job.pk]),
        reverse("registration:badge-sheet-download", args=[job.pk]),
    ]
    for url in urls:
        assert "/accounts/login/" in client.get(url)["Location"]
    for role in ("coach", "other_manager", "gate", "merchant", "organiser"):
        login_two_factor(client, world["users"][role])
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
    login_two_factor(client, manager)
    assert client.get(urls[1]).json()["state"] == "pending"


def test_team_checklist_and_badge_list_query_counts_do_not_grow(client, world, django_assert_num_queries):
    from registration.services import accreditation

    manager = world["users"]["manager"]
    team = world["entry"].team
    login_two_factor(client, manager)
    checklist = reverse("registration:team-workflow", args=[team.pk])
    badges = reverse("registration:badge-list", args=[team.delegation.pk])
    client.get(checklist)
    client.get(badges)
    with django_assert_num_queries(CHECKLIST_QUERIES):
        client.get(checklist)
    with django_assert_num_queries(BADGE_QUERIES):
        client.get(badges)
    for _ in range(5):
        entry = EntryFactory(team=team, status=EntryStatus.APPROVED)
        complete_paperwork(entry.athlete)
    accreditation.badges_issue(delegation=team.delegation)
    with django_assert_num_queries(CHECKLIST_QUERIES):
        client.get(checklist)
    with django_assert_num_queries(BADGE_QUERIES):
        client.get(badges)


CHECKLIST_QUERIES = 13  # one reads the event's eligibility rules (entries are re-checked against them)
BADGE_QUERIES = 8
