"""Retention: photos after the event unless photo consent, health data after the claim window,
anonymisation past retain_until; the dry run counts and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from registration.models import Athlete, ConsentPurpose, Guardian, HealthRecord
from registration.services.retention import retention_run
from tests.factories.registration import (
    AthleteFactory,
    ConsentFactory,
    EntryFactory,
    GuardianFactory,
    HealthRecordFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db
EVENT_END = dt.date(2027, 5, 3)  # EventFactory's last day


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REGISTRATION_PHOTO_RETENTION_DAYS = 30
    settings.REGISTRATION_CLAIM_WINDOW_DAYS = 180
    return tmp_path


def entered(team, **kwargs):
    athlete = AthleteFactory(delegation=team.delegation, **kwargs)
    EntryFactory(team=team, athlete=athlete)
    return athlete


def with_photo(athlete):
    athlete.photo = SimpleUploadedFile("face.png", b"\x89PNG fake", content_type="image/png")
    athlete.save()
    return athlete


def test_photos_removed_after_event_plus_days_unless_photo_consent(media):
    team = TeamFactory()
    plain = with_photo(entered(team))
    consented = with_photo(entered(team))
    ConsentFactory(athlete=consented, purpose=ConsentPurpose.PHOTOS)
    path = plain.photo.path

    with time_machine.travel(dt.datetime(2027, 6, 1, tzinfo=dt.UTC)):
        assert retention_run().photos_removed == 0  # 29 days after the event
    with time_machine.travel(dt.datetime(2027, 6, 3, tzinfo=dt.UTC)):
        report = retention_run()

    assert report.photos_removed == 1
    plain.refresh_from_db()
    consented.refresh_from_db()
    assert not plain.photo and consented.photo
    import os

    assert not os.path.exists(path)


def test_health_data_deleted_after_claim_window(media):
    team = TeamFactory()
    athlete = entered(team)
    HealthRecordFactory(athlete=athlete, notes="asthma")

    with time_machine.travel(dt.datetime(2027, 10, 30, tzinfo=dt.UTC)):
        assert retention_run().health_records_deleted == 0
    with time_machine.travel(dt.datetime(2027, 11, 1, tzinfo=dt.UTC)):
        assert retention_run().health_records_deleted == 1
    assert not HealthRecord.objects.exists()


def test_anonymise_past_retain_until_and_dry_run_changes_nothing(media, capsys):
    team = TeamFactory()
    athlete = entered(team, retain_until=dt.date(2027, 12, 31), birth_date=dt.date(2014, 3, 2))
    GuardianFactory(athlete=athlete)
    keep = entered(team, retain_until=dt.date(2030, 1, 1))

    with time_machine.travel(dt.datetime(2028, 1, 2, tzinfo=dt.UTC)):
        call_command("retention_run", "--dry-run")
        assert (
            "Would change: 0 photos removed, 0 health records deleted, 1 athletes anonymised"
            in capsys.readouterr().out
        )
        athlete.refresh_from_db()
        assert athlete.anonymised_at is None and athlete.document_hash and athlete.name_latin.startswith("LI")

        call_command("retention_run")

    athlete.refresh_from_db()
    assert athlete.anonymised_at is not None
    assert athlete.family_name_zh == "匿名" and athlete.given_name_zh == ""
    assert (
        athlete.document_number_encrypted == ""
        and athlete.document_last4 == ""
        and athlete.document_masked == ""
    )
    assert athlete.document_hash == f"anonymised-{athlete.pk}"
    assert athlete.birth_date == dt.date(2014, 1, 1)
    assert not Guardian.objects.filter(athlete=athlete).exists()
    assert Athlete.objects.get(pk=keep.pk).anonymised_at is None


def test_anonymising_replaces_the_name_wherever_it_was_copied(
    media, client, django_capture_on_commit_callbacks
):
    """Competitors (public pool sheets, tableaux, the competitor's schedule), team line-ups, badges and
    their gate credentials carry a copy of the child's name; printed badge sheets carry it too."""
    from django.urls import reverse

    from events.enums import EventStatus
    from registration.enums import EntryStatus
    from registration.models import Badge, BadgeSheetJob
    from registration.services import accreditation
    from registration.services.competitors import competitors_sync, person_key
    from tests.factories.competition import FencingEventFactory
    from tests.factories.registration import DelegationFactory, MembershipFactory

    event = FencingEventFactory(status=EventStatus.PUBLISHED, venue__gates=["gate-a"])
    team_event = FencingEventFactory(status=EventStatus.PUBLISHED, team_event=True, programme=event.programme)
    delegation = DelegationFactory(programme=event.programme)
    team, squad = (
        TeamFactory(delegation=delegation, event=event),
        TeamFactory(delegation=delegation, event=team_event),
    )
    child = AthleteFactory(
        delegation=delegation, family_name_zh="王", given_name_zh="子涵", name_latin="WANG Zihan",
        retain_until=dt.date(2027, 12, 31),
    )  # fmt: skip
    keep = AthleteFactory(delegation=delegation, family_name_zh="李", given_name_zh="雷", name_latin="LI Lei")
    for athlete in (child, keep):
        EntryFactory(team=team, athlete=athlete, status=EntryStatus.APPROVED)
        EntryFactory(team=squad, athlete=athlete, status=EntryStatus.APPROVED)
    competitors_sync(event=event)
    competitors_sync(event=team_event)
    accreditation.badges_issue(delegation=delegation)
    job = BadgeSheetJob.objects.create(
        programme=event.programme,
        requested_by=MembershipFactory(delegation=delegation).user,
        delegation=delegation,
    )
    sheet = accreditation.badge_sheet_render(job_id=job.pk).file.name
    storage = BadgeSheetJob._meta.get_field("file").storage
    assert storage.exists(sheet)

    with (
        time_machine.travel(dt.datetime(2028, 1, 2, tzinfo=dt.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert retention_run().athletes_anonymised == 1

    child.refresh_from_db()
    competitor = event.competitors.get(key=person_key(child))
    assert competitor.display_name == child.display_name == f"匿名 (ANONYMISED {child.pk})"
    page = client.get(reverse("events:competitor-schedule", kwargs={"pk": competitor.pk})).content.decode()
    assert "子涵" not in page and "WANG" not in page
    line_up = team_event.competitors.get().members
    assert line_up[person_key(child)] == child.display_name and line_up[person_key(keep)] == "李雷 (LI Lei)"
    for badge in Badge.objects.filter(entry__athlete=child).select_related("credential"):
        assert "子涵" not in badge.holder_label and "子涵" not in badge.credential.holder_label
    assert "李雷" in Badge.objects.filter(entry__athlete=keep).first().credential.holder_label
    assert not BadgeSheetJob.objects.exists() and not storage.exists(sheet)


def test_removing_a_photo_deletes_the_delegation_badge_sheets(media, django_capture_on_commit_callbacks):
    from registration.models import BadgeSheetJob
    from tests.factories import UserFactory

    team = TeamFactory()
    with_photo(entered(team))
    job = BadgeSheetJob.objects.create(
        programme=team.delegation.programme, requested_by=UserFactory(), delegation=team.delegation
    )
    from django.core.files.base import ContentFile

    job.file.save("sheet.pdf", ContentFile(b"%PDF-1.4 names and photos"), save=True)
    sheet = job.file.name
    with (
        time_machine.travel(dt.datetime(2027, 6, 3, tzinfo=dt.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert retention_run().photos_removed == 1
    assert not BadgeSheetJob.objects.filter(pk=job.pk).exists()
    assert not BadgeSheetJob._meta.get_field("file").storage.exists(sheet)


def test_anonymising_keeps_the_read_logs_but_not_the_name(media):
    """Who read whose record stays; the child is named as the record now names them, and a reveal's
    last four characters go as the attestation's do."""
    from registration.enums import AthleteAccessKind
    from registration.models import AthleteAccess, DocumentReveal
    from tests.factories import UserFactory

    team = TeamFactory()
    child = entered(team, retain_until=dt.date(2027, 12, 31), family_name_zh="王", given_name_zh="子涵")
    reader = UserFactory()
    AthleteAccess.objects.create(
        accessed_by=reader, athlete=child, athlete_label=child.display_name, delegation_id=child.delegation_id,
        kind=AthleteAccessKind.ROSTER,
    )  # fmt: skip
    DocumentReveal.objects.create(
        revealed_by=reader, athlete=child, athlete_label=child.display_name, delegation_id=child.delegation_id,
        document_last4="0011", purpose="verification", reason="check",
    )  # fmt: skip

    with time_machine.travel(dt.datetime(2028, 1, 2, tzinfo=dt.UTC)):
        retention_run()

    child.refresh_from_db()
    access, reveal = AthleteAccess.objects.get(), DocumentReveal.objects.get()
    assert access.athlete_label == reveal.athlete_label == child.display_name
    assert "子涵" not in access.athlete_label and reveal.document_last4 == ""
    assert access.accessed_by == reveal.revealed_by == reader
