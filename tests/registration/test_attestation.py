"""Document attestations (DOMAIN §4, verify then discard): an organiser of the programme records that
they checked a document (type, last four, method, who, when; never an image); nobody else can; a
changed document supersedes the check; the review page and the athlete page say so in both languages;
the queue filters unverified athletes without extra queries; retention strips the attestation."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.urls import reverse

from registration.enums import DocumentType, EntryStatus
from registration.errors import AttestationError
from registration.models import AttestationMethod, DocumentAttestation
from registration.services import athletes, documents
from registration.services.retention import retention_run
from tests.factories import (
    ProgrammeMembershipFactory,
    UserFactory,
    login_two_factor,
    two_factor,
    verified,
    with_totp,
)
from tests.factories.registration import (
    EntryFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
    resident_id,
)
from tests.factories.rosters import data_of

pytestmark = pytest.mark.django_db
NUMBER = resident_id(dt.date(2014, 3, 2), sequence=377)
NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
QUEUE_QUERIES = 13  # the same pin as tests/registration/test_organiser.py: the filter adds no query


@pytest.fixture
def world(client):
    with time_machine.travel(NOW, tick=False):
        team = TeamFactory()
        entry = EntryFactory(team=team, status=EntryStatus.SUBMITTED, athlete__document_number=NUMBER)
        organiser = two_factor(
            with_totp(
                verified(
                    ProgrammeMembershipFactory(
                        programme=team.delegation.programme, user__display_name="Organiser Wu"
                    ).user
                )
            )
        )
        manager = MembershipFactory(delegation=team.delegation).user
        yield {
            "team": team,
            "entry": entry,
            "athlete": entry.athlete,
            "organiser": organiser,
            "manager": manager,
        }


def attest_url(entry):
    return reverse("registration:entry-attest", args=[entry.pk])


def review_url(entry):
    return reverse("registration:entry-review", args=[entry.pk])


FORM = {"method": AttestationMethod.IN_PERSON, "note": "Checked at accreditation desk", "confirmed": "on"}


def test_organiser_attests_through_the_review_page(client, world):
    login_two_factor(client, world["organiser"])

    response = client.post(attest_url(world["entry"]), FORM)

    assert response.status_code == 302 and response["Location"] == review_url(world["entry"])
    attestation = DocumentAttestation.objects.get()
    assert attestation.athlete == world["athlete"]
    assert attestation.last4 == NUMBER[-4:] and attestation.document_type == DocumentType.RESIDENT_ID
    assert attestation.method == AttestationMethod.IN_PERSON and attestation.attested_by == world["organiser"]
    assert attestation.note == "Checked at accreditation desk" and attestation.superseded_at is None
    assert not any(
        field.get_internal_type() in {"FileField", "ImageField"} for field in attestation._meta.fields
    )


def test_attesting_needs_the_confirmation(client, world):
    login_two_factor(client, world["organiser"])
    client.post(attest_url(world["entry"]), {**FORM, "confirmed": ""})
    assert not DocumentAttestation.objects.exists()


def test_manager_cannot_attest(client, world):
    login_two_factor(client, world["manager"])
    assert client.post(attest_url(world["entry"]), FORM).status_code == 404
    assert not DocumentAttestation.objects.exists()
    with pytest.raises(AttestationError):
        documents.document_attest(athlete=world["athlete"], user=world["manager"], method="in_person")


def test_another_programmes_organiser_cannot_attest(client, world):
    stranger = with_totp(verified(ProgrammeMembershipFactory().user))
    login_two_factor(client, stranger)
    assert client.post(attest_url(world["entry"]), FORM).status_code == 404
    assert client.get(review_url(world["entry"])).status_code == 404
    assert not DocumentAttestation.objects.exists()


def test_superuser_without_the_organiser_role_is_refused_by_the_service(world):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(AttestationError):
        documents.document_attest(athlete=world["athlete"], user=superuser, method="in_person")


def test_unknown_method_is_refused(world):
    with pytest.raises(AttestationError):
        documents.document_attest(athlete=world["athlete"], user=world["organiser"], method="photo_upload")


def test_a_new_attestation_supersedes_the_current_one(world):
    first = documents.document_attest(athlete=world["athlete"], user=world["organiser"], method="in_person")
    second = documents.document_attest(athlete=world["athlete"], user=world["organiser"], method="registry")
    first.refresh_from_db()
    assert first.superseded_at is not None and second.superseded_at is None
    assert DocumentAttestation.objects.filter(superseded_at__isnull=True).get() == second


def test_document_change_supersedes_but_other_edits_do_not(world):
    athlete = world["athlete"]
    attestation = documents.document_attest(athlete=athlete, user=world["organiser"], method="video_call")

    athletes.athlete_update(athlete=athlete, data=data_of(athlete, name_latin="LI Mingming"))
    athletes.athlete_update(athlete=athlete, data=data_of(athlete, document_number=NUMBER))  # same number
    attestation.refresh_from_db()
    assert attestation.superseded_at is None

    new_number = resident_id(athlete.birth_date, sequence=378)
    athletes.athlete_update(athlete=athlete, data=data_of(athlete, document_number=new_number))
    attestation.refresh_from_db()
    assert attestation.superseded_at is not None
    assert attestation.last4 == NUMBER[-4:]  # the history says what was checked
    assert not DocumentAttestation.objects.filter(athlete=athlete, superseded_at__isnull=True).exists()


def test_document_type_change_supersedes(world):
    athlete = world["athlete"]
    attestation = documents.document_attest(athlete=athlete, user=world["organiser"], method="in_person")
    athletes.athlete_update(
        athlete=athlete,
        data=data_of(athlete, document_type=DocumentType.PASSPORT, document_number="E12345678"),
    )
    attestation.refresh_from_db()
    assert attestation.superseded_at is not None


@pytest.mark.parametrize(
    ("language", "verified_text", "method_text", "missing_text"),
    [
        ("en", "Document verified by Organiser Wu on 1 Mar 2027", "Seen in person", "Not verified yet"),
        ("zh-hans", "Organiser Wu 于 2027年3月1日 核验了证件", "现场查验", "尚未核验"),
    ],
)
def test_review_page_shows_the_status_in_both_languages(
    client, world, language, verified_text, method_text, missing_text
):
    login_two_factor(client, world["organiser"])
    before = client.get(review_url(world["entry"]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert missing_text in before and 'name="method"' in before

    with time_machine.travel(NOW, tick=False):
        documents.document_attest(athlete=world["athlete"], user=world["organiser"], method="in_person")
    after = client.get(review_url(world["entry"]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert verified_text in after and method_text in after and f"····{NUMBER[-4:]}" in after
    assert missing_text not in after


def test_review_page_says_when_the_document_changed_since_the_check(client, world):
    athlete = world["athlete"]
    documents.document_attest(athlete=athlete, user=world["organiser"], method="in_person")
    athletes.athlete_update(
        athlete=athlete, data=data_of(athlete, document_number=resident_id(athlete.birth_date, sequence=9))
    )
    login_two_factor(client, world["organiser"])
    page = client.get(review_url(world["entry"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not verified yet" in page and "after it was last verified" in page


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Document verified ✓ on 1 Mar 2027"), ("zh-hans", "证件已于 2027年3月1日 核验 ✓")],
)
def test_manager_sees_verified_and_the_date_but_not_who(client, world, language, text):
    with time_machine.travel(NOW, tick=False):
        documents.document_attest(athlete=world["athlete"], user=world["organiser"], method="registry")
    login_two_factor(client, world["manager"])
    page = client.get(world["athlete"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in page
    assert "Organiser Wu" not in page and world["organiser"].email not in page


def test_no_document_number_in_pages_or_logs(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    login_two_factor(client, world["organiser"])
    responses = [
        client.post(attest_url(world["entry"]), {**FORM, "note": ""}, follow=True),
        client.get(review_url(world["entry"])),
        client.get(reverse("registration:review-queue", args=[world["team"].delegation.programme_id])),
    ]
    login_two_factor(client, world["manager"])
    responses.append(client.get(world["athlete"].get_absolute_url()))

    assert DocumentAttestation.objects.exists()
    for response in responses:
        assert response.status_code == 200
        assert NUMBER not in response.content.decode()
    assert NUMBER not in caplog.text


def test_queue_filters_unverified_and_keeps_its_query_count(client, world, django_assert_num_queries):
    with time_machine.travel(NOW):
        team, organiser = world["team"], world["organiser"]
        complete_paperwork(world["athlete"])
        url = reverse("registration:review-queue", args=[team.delegation.programme_id])
        login_two_factor(client, organiser)
        client.get(url)
        with django_assert_num_queries(QUEUE_QUERIES):
            client.get(url)
        verified_entries = []
        for index in range(6):
            entry = EntryFactory(team=team, status=EntryStatus.SUBMITTED)
            complete_paperwork(entry.athlete)
            if index % 2:
                documents.document_attest(athlete=entry.athlete, user=organiser, method="in_person")
                verified_entries.append(entry)
        with django_assert_num_queries(QUEUE_QUERIES):
            client.get(url)
        with django_assert_num_queries(QUEUE_QUERIES):
            page = client.get(url, {"unverified": "on"}).content.decode()

    assert world["athlete"].name_latin in page
    for entry in verified_entries:
        assert entry.athlete.name_latin not in page
    rows = client.get(url, {"unverified": "on"}).context["rows"]
    assert len(rows) == 4 and not any(row["entry"].document_verified for row in rows)


def test_anonymising_strips_last4_and_note_but_keeps_the_check(world):
    athlete = world["athlete"]
    documents.document_attest(
        athlete=athlete, user=world["organiser"], method="video_call", note="Mother held it"
    )
    attested_at = DocumentAttestation.objects.get().attested_at
    athlete.retain_until = dt.date(2027, 12, 31)
    athlete.save(update_fields=["retain_until"])

    with time_machine.travel(dt.datetime(2028, 1, 2, tzinfo=dt.UTC)):
        assert retention_run(dry_run=True).athletes_anonymised == 1
        assert DocumentAttestation.objects.get().last4 == NUMBER[-4:]
        retention_run()

    attestation = DocumentAttestation.objects.get()
    assert attestation.last4 == "" and attestation.note == ""
    assert attestation.document_type == DocumentType.RESIDENT_ID and attestation.method == "video_call"
    assert attestation.attested_by == world["organiser"] and attestation.attested_at == attested_at
    with pytest.raises(AttestationError):
        documents.document_attest(athlete=athlete, user=world["organiser"], method="in_person")
