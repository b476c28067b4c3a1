"""Organiser pages: the review queue (filters, missing items, approve, request changes, bulk approve
with confirmation), the per-city overview, and the insurance roster (masked unless revealed + logged)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from registration.enums import AthleteAccessKind, EntryStatus, MembershipRole
from registration.models import AthleteAccess, DocumentReveal, EntryTransition
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, verified, with_totp
from tests.factories.registration import (
    DelegationFactory,
    EntryFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
    resident_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    # Before the 2027 events, so health certificates and insurance are current; login inside the travel.
    with time_machine.travel(dt.datetime(2027, 3, 1, tzinfo=dt.UTC)):
        yield _setup(client)


def _setup(client):
    team = TeamFactory()
    programme = team.delegation.programme
    organiser = ProgrammeMembershipFactory(programme=programme).user
    with_totp(verified(organiser))
    login_two_factor(client, organiser)
    return client, team, programme, organiser


def ready(team, status=EntryStatus.SUBMITTED, **kwargs):
    entry = EntryFactory(team=team, status=status, **kwargs)
    complete_paperwork(entry.athlete)
    return entry


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_queue_shows_missing_items_and_filters(setup):
    client, team, programme, _ = setup
    complete = ready(team)
    lacking = EntryFactory(team=team, status=EntryStatus.SUBMITTED)
    url = reverse("registration:review-queue", args=[programme.pk])

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert complete.athlete.name_latin in html and lacking.athlete.name_latin in html
    assert "Accident insurance proof" in html

    only_missing = client.get(url, {"missing": "on"}).content.decode()
    assert lacking.athlete.name_latin in only_missing and complete.athlete.name_latin not in only_missing
    other_city = client.get(url, {"status": "approved"}).content.decode()
    assert complete.athlete.name_latin not in other_city


def test_approve_and_request_changes_through_the_pages(setup):
    client, team, _, organiser = setup
    entry = ready(team)
    other = ready(team)

    client.post(reverse("registration:entry-approve", args=[entry.pk]))
    response = client.post(reverse("registration:entry-request-changes", args=[other.pk]), {"reason": ""})
    other.refresh_from_db()
    assert other.status == EntryStatus.SUBMITTED and response.status_code == 302
    client.post(reverse("registration:entry-request-changes", args=[other.pk]), {"reason": "Wrong weapon"})

    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert other.status == EntryStatus.CHANGES_REQUESTED
    assert EntryTransition.objects.get(entry=other, to_status="changes_requested").actor == organiser
    page = client.get(reverse("registration:entry-review", args=[other.pk])).content.decode()
    assert "Wrong weapon" in page


def test_bulk_approve_needs_confirmation_and_skips_incomplete(setup):
    client, team, programme, _ = setup
    good = ready(team)
    bad = EntryFactory(team=team, status=EntryStatus.SUBMITTED)
    url = reverse("registration:review-bulk-approve", args=[programme.pk])

    confirm = client.post(url, {"entries": [good.pk, bad.pk]})
    good.refresh_from_db()
    assert good.status == EntryStatus.SUBMITTED  # nothing yet: the confirmation page
    assert 'name="confirmed"' in confirm.content.decode()

    client.post(url, {"entries": [good.pk, bad.pk], "confirmed": "True"})
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == EntryStatus.APPROVED and bad.status == EntryStatus.SUBMITTED


def test_delegation_overview_counts_by_status_per_city(setup):
    client, team, programme, _ = setup
    EntryFactory(team=team, status=EntryStatus.APPROVED)
    EntryFactory(team=team, status=EntryStatus.APPROVED)
    EntryFactory(team=team, status=EntryStatus.DRAFT)

    response = client.get(reverse("registration:delegation-overview", args=[programme.pk]))

    [city] = response.context["cities"]
    assert city["totals"]["approved"] == 2 and city["totals"]["draft"] == 1
    assert team.delegation.name_zh in response.content.decode()


def test_insurance_roster_masked_by_default_and_reveal_logs_each_athlete(setup):
    client, team, programme, organiser = setup
    number = resident_id(dt.date(2014, 3, 2), sequence=301)
    entry = EntryFactory(team=team, status=EntryStatus.APPROVED, athlete__document_number=number)
    url = reverse("registration:insurance-export", args=[programme.pk])

    masked = csv_rows(client.post(url, {}))
    assert masked[0] == ["name_zh", "name_latin", "sex", "birth_date", "document", "event", "delegation"]
    assert masked[1][4] == entry.athlete.document_masked and number not in str(masked)
    assert masked[1][3] == "2014-03-02"
    assert not DocumentReveal.objects.exists()

    refused = client.post(url, {"reveal": "on", "reason": ""})
    assert refused["Content-Type"].startswith("text/html")
    revealed = csv_rows(client.post(url, {"reveal": "on", "reason": "insurer needs full IDs"}))
    assert revealed[1][4] == number
    reveal = DocumentReveal.objects.get()
    assert (
        reveal.revealed_by == organiser and reveal.purpose == "insurance" and reveal.athlete == entry.athlete
    )


def test_insurance_export_logs_a_read_of_every_exported_athlete(setup):
    from registration.models import AthleteAccess

    client, team, programme, organiser = setup
    entries = [EntryFactory(team=team, status=EntryStatus.APPROVED) for _ in range(3)]
    client.post(reverse("registration:insurance-export", args=[programme.pk]), {})
    logged = AthleteAccess.objects.filter(kind="export", accessed_by=organiser)
    assert sorted(logged.values_list("athlete_id", flat=True)) == sorted(e.athlete_id for e in entries)


def test_review_queue_query_count_does_not_grow(setup, django_assert_num_queries):
    client, team, programme, _ = setup
    url = reverse("registration:review-queue", args=[programme.pk])
    ready(team)
    client.get(url)
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(url)
    for _ in range(6):
        ready(team)
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(url)


def test_delegation_overview_query_count_does_not_grow(setup, django_assert_num_queries):
    client, team, programme, _ = setup
    url = reverse("registration:delegation-overview", args=[programme.pk])
    EntryFactory(team=team)
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(url)
    for _ in range(4):
        EntryFactory(team=TeamFactory(delegation=DelegationFactory(programme=programme)))
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(url)


# 11 to read (the two-factor check reads the session: no query; one reads the events' eligibility rules),
# 2 to log the reads
QUEUE_QUERIES = 13
OVERVIEW_QUERIES = 6


def test_admin_lists_registration_workflow_models(client):
    admin = with_totp(verified(UserFactory(is_staff=True, is_superuser=True)))
    entry = EntryFactory()
    from registration.services import workflow

    workflow.entry_submit(entry=entry, user=None)
    login_two_factor(client, admin)
    for model in ("consentrulestext", "consent", "entrytransition", "feecharge", "badge", "waitlistplace"):
        response = client.get(f"/admin/registration/{model}/")
        assert response.status_code == 200, model
    assert "submitted" in client.get("/admin/registration/entrytransition/").content.decode()


def test_organiser_reads_of_roster_lists_and_paperwork_pages_are_logged_members_reads_are_not(setup):
    client, team, programme, organiser = setup
    entry = ready(team)
    other = ready(team)
    pages = {
        AthleteAccessKind.ROSTER: [
            reverse("registration:athlete-list", args=[team.delegation.pk]),
            reverse("registration:team-workflow", args=[team.pk]),
            reverse("registration:review-queue", args=[programme.pk]),
        ],
        AthleteAccessKind.PAPERWORK: [reverse("registration:athlete-paperwork", args=[entry.athlete.pk])],
        AthleteAccessKind.DETAIL: [reverse("registration:entry-review", args=[entry.pk])],
    }
    for urls in pages.values():
        for url in urls:
            assert client.get(url).status_code == 200, url

    logged = sorted(AthleteAccess.objects.values_list("kind", "athlete_id", "accessed_by", "delegation_id"))
    both = sorted([entry.athlete.pk, other.athlete.pk])
    expected = [
        *[(AthleteAccessKind.DETAIL, entry.athlete.pk)],
        *[(AthleteAccessKind.PAPERWORK, entry.athlete.pk)],
        *[(AthleteAccessKind.ROSTER, pk) for pk in both for _ in range(3)],
    ]
    assert [(kind, athlete) for kind, athlete, _, _ in logged] == sorted(expected)
    assert {(reader, delegation) for _, _, reader, delegation in logged} == {
        (organiser.pk, team.delegation.pk)
    }

    manager = MembershipFactory(delegation=team.delegation, role=MembershipRole.MANAGER).user
    client.force_login(manager)
    for url in [*pages[AthleteAccessKind.ROSTER][:2], *pages[AthleteAccessKind.PAPERWORK]]:
        assert client.get(url).status_code == 200, url
    assert AthleteAccess.objects.filter(accessed_by=manager).count() == 0
