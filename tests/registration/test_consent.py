"""Consent per purpose and the safety paperwork: what the checklist asks for by age band, the guardian's
one-time link, withdrawal, and the published rules text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from registration.errors import ConsentError, PaperworkError
from registration.models import (
    Consent,
    ConsentGiver,
    ConsentLink,
    ConsentMethod,
    ConsentPurpose,
    HealthRecord,
)
from registration.selectors import paperwork as paperwork_selectors
from registration.services import consent
from tests.factories.registration import (
    AthleteFactory,
    ConsentFactory,
    ConsentRulesTextFactory,
    GuardianFactory,
    HealthRecordFactory,
    InsuranceProofFactory,
    MembershipFactory,
    SafetyDeclarationFactory,
    TeamFactory,
    complete_paperwork,
    resident_id,
)
from tests.privacy import shows_last4

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def codes(items):
    return [item.code for item in items]


def test_paperwork_missing_lists_every_item_for_a_child_with_nothing():
    team = TeamFactory()
    athlete = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2015, 6, 1))

    missing = paperwork_selectors.paperwork_missing(athlete, team.event)

    assert codes(missing) == [
        "consent_guardian",
        "declaration",
        "declaration_guardian",
        "insurance",
        "health_certificate",
    ]


def test_paperwork_complete_for_child_with_guardian_consent_only():
    team = TeamFactory()
    athlete = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2015, 6, 1))
    ConsentFactory(athlete=athlete, given_by=ConsentGiver.GUARDIAN)
    SafetyDeclarationFactory(athlete=athlete)
    InsuranceProofFactory(athlete=athlete)
    HealthRecordFactory(athlete=athlete)

    assert paperwork_selectors.paperwork_missing(athlete, team.event) == []


def test_teenager_needs_own_consent_and_guardian_declaration():
    team = TeamFactory()  # event starts 2027-05-01
    athlete = AthleteFactory(delegation=team.delegation, birth_date=dt.date(2011, 3, 2))  # 16
    ConsentFactory(athlete=athlete, given_by=ConsentGiver.GUARDIAN)

    missing = paperwork_selectors.paperwork_missing(athlete, team.event)

    assert "consent_athlete" in codes(missing)
    assert "consent_guardian" not in codes(missing)


def test_health_certificate_older_than_three_months_is_missing():
    team = TeamFactory()
    athlete = complete_paperwork(AthleteFactory(delegation=team.delegation), health_date=dt.date(2027, 1, 31))

    missing = paperwork_selectors.paperwork_missing(athlete, team.event)

    assert codes(missing) == ["health_certificate"]
    assert "three months" in missing[0].message


def test_insurance_must_cover_travel_and_the_event_days():
    athlete = AthleteFactory()
    with pytest.raises(PaperworkError, match="cover travel"):
        consent.insurance_record(
            athlete=athlete,
            insurer="PICC",
            policy_number="P1",
            covers_travel=False,
            valid_from=dt.date(2027, 1, 1),
            valid_until=dt.date(2027, 12, 31),
        )
    team = TeamFactory(delegation=athlete.delegation)
    InsuranceProofFactory(athlete=athlete, valid_until=dt.date(2027, 5, 2))  # event ends 2027-05-03

    assert "insurance" in codes(paperwork_selectors.paperwork_missing(athlete, team.event))


def test_consent_record_refers_to_rules_version_and_keeps_history():
    ConsentRulesTextFactory()
    athlete = AthleteFactory()

    first = consent.consent_record(
        athlete=athlete, purpose="photos", given_by="guardian", granted=True, method=ConsentMethod.PAPER
    )
    second = consent.consent_record(
        athlete=athlete, purpose="photos", given_by="guardian", granted=False, method=ConsentMethod.PAPER
    )

    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert second.withdrawn_at is None and second.granted is False
    assert second.rules_text.version == "2027-1"


def test_consent_without_published_rules_is_refused():
    with pytest.raises(ConsentError, match="rules text"):
        consent.consent_record(
            athlete=AthleteFactory(),
            purpose="registration",
            given_by="guardian",
            granted=True,
            method="paper",
        )


def test_withdrawing_health_consent_erases_health_notes_and_records_the_time():
    athlete = AthleteFactory()
    health = ConsentFactory(athlete=athlete, purpose=ConsentPurpose.HEALTH)
    HealthRecordFactory(athlete=athlete, notes="peanut allergy")

    withdrawn = consent.consent_withdraw(consent=health)

    assert withdrawn.withdrawn_at is not None
    record = HealthRecord.objects.get(athlete=athlete)
    assert record.notes == ""
    assert record.certificate_date is not None


def test_health_notes_need_health_consent():
    with pytest.raises(PaperworkError, match="health-data consent"):
        consent.health_record(athlete=AthleteFactory(), certificate_date=None, notes="asthma")


def test_declaration_help_says_it_is_not_a_waiver(client):
    membership = MembershipFactory()
    athlete = AthleteFactory(delegation=membership.delegation)
    client.force_login(membership.user)

    response = client.get(
        reverse("registration:athlete-paperwork", args=[athlete.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "not a liability waiver" in response.content.decode()


def test_manager_records_paper_consent_optional_purposes_default_off(client):
    ConsentRulesTextFactory()
    membership = MembershipFactory()
    athlete = AthleteFactory(delegation=membership.delegation)
    client.force_login(membership.user)

    response = client.post(
        reverse("registration:athlete-paperwork", args=[athlete.pk]),
        {"form": "consent", "consent-given_by": "guardian", "consent-registration": "on"},
    )

    assert response.status_code == 302
    granted = dict(Consent.objects.filter(athlete=athlete).values_list("purpose", "granted"))
    assert granted == {
        "registration": True,
        "health": False,
        "photos": False,
        "transfer_abroad": False,
        "marketing": False,
    }


def test_guardian_link_flow_email_page_and_single_use(client, django_capture_on_commit_callbacks):
    ConsentRulesTextFactory()
    membership = MembershipFactory()
    number = resident_id(dt.date(2015, 6, 1), sequence=77)
    athlete = AthleteFactory(
        delegation=membership.delegation, birth_date=dt.date(2015, 6, 1), document_number=number
    )
    guardian = GuardianFactory(athlete=athlete, email="mum@example.com")
    client.force_login(membership.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:consent-link-send", args=[athlete.pk, guardian.pk]))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mum@example.com"]
    assert athlete.name_zh in message.body
    assert number not in message.body and "2015-06-01" not in message.body
    token = re.search(r"/delegations/consent/([^/]+)/", message.body).group(1)
    assert not ConsentLink.objects.filter(token_hash=token).exists()  # only the hash is stored

    client.logout()
    page = client.get(reverse("registration:consent-link", args=[token]))
    html = page.content.decode()
    assert athlete.name_zh in html
    assert not shows_last4(html, athlete.document_last4) and athlete.document_masked not in html
    assert "<summary>儿童个人信息处理规则 (版本 2027-1)</summary>" in html  # the site's default language

    client.post(reverse("registration:consent-link", args=[token]), {"registration": "on", "photos": "on"})
    current = Consent.objects.filter(athlete=athlete, withdrawn_at__isnull=True)
    assert set(current.filter(granted=True).values_list("purpose", flat=True)) == {"registration", "photos"}
    assert current.get(purpose="registration").method == ConsentMethod.LINK
    assert client.get(reverse("registration:consent-link", args=[token])).status_code == 404


def test_expired_link_is_refused(client):
    link_athlete = AthleteFactory()
    guardian = GuardianFactory(athlete=link_athlete, email="dad@example.com")
    tokens = []
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        consent.consent_link_send(
            athlete=link_athlete, guardian=guardian, user=None, build_url=tokens.append, language="en"
        )
        assert consent.consent_link_get(token=tokens[0]).athlete == link_athlete
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC)),
        pytest.raises(ConsentError, match="expired"),
    ):
        consent.consent_link_get(token=tokens[0])
    assert ConsentLink.objects.get().used_at is None


def test_published_rules_page_is_public(client):
    ConsentRulesTextFactory()
    ConsentRulesTextFactory(version="draft", published_at=None, body_en="DRAFT TEXT")

    html = client.get(reverse("registration:consent-rules"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h2>Rules for processing children&#x27;s personal data</h2>" in html
    assert "We process children&#x27;s personal data only to register them for the competition." in html
    assert "DRAFT TEXT" not in html


def test_guardian_link_and_invitation_leave_through_the_sealed_mail_path(
    django_capture_on_commit_callbacks, queued
):
    """The one-time tokens travel sealed: whoever reads the broker sees neither link nor address."""
    from registration.services.delegations import membership_invite
    from tests.factories.registration import DelegationFactory

    athlete = AthleteFactory()
    guardian = GuardianFactory(athlete=athlete, email="mum@example.com")
    delegation = DelegationFactory()
    tokens: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        consent.consent_link_send(
            athlete=athlete, guardian=guardian, user=None, build_url=tokens.append, language="en"
        )
        membership_invite(
            delegation=delegation,
            email="coach@example.com",
            role="coach",
            invited_by=None,
            language="zh-hans",
            build_accept_url=lambda token: tokens.append(token) or f"https://corridor.example/i/{token}",
        )
        assert mail.outbox == []  # nothing leaves before the commit

    assert [message.to for message in mail.outbox] == [["mum@example.com"], ["coach@example.com"]]
    assert len(queued) == 2
    for (sealed,), token in zip(queued, tokens, strict=True):
        assert token not in sealed and "@example.com" not in sealed
