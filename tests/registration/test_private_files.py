"""Files that hold children's data (badge sheets, photos) are private: stored outside the public
media and static roots under random names, and served only by views that check the role, never
cached. Anyone else gets a 404; an anonymous visitor the login page."""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from registration.enums import AthleteAccessKind, AthleteSex, EntryStatus, MembershipRole
from registration.models import Athlete, AthleteAccess, BadgeSheetJob
from tests.factories import ProgrammeMembershipFactory, UserFactory, login_two_factor, with_totp
from tests.factories.registration import (
    AthleteFactory,
    DelegationFactory,
    EntryFactory,
    MembershipFactory,
    TeamFactory,
    resident_id,
)

pytestmark = pytest.mark.django_db


def jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "#4f81bd").save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "zhang-wei-310101201406010044.jpg"
    return buffer


def files_under(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    return settings


@pytest.fixture
def world():
    team = TeamFactory(event__venue__gates=["gate-a"])
    delegation = team.delegation
    manager = MembershipFactory(delegation=delegation, role=MembershipRole.MANAGER).user
    return {
        "team": team,
        "delegation": delegation,
        "manager": manager,
        "coach": MembershipFactory(delegation=delegation, role=MembershipRole.COACH).user,
        "organiser": with_totp(ProgrammeMembershipFactory(programme=delegation.programme).user),
        "other_manager": MembershipFactory(
            delegation=DelegationFactory(programme=delegation.programme), role=MembershipRole.MANAGER
        ).user,
        "other_organiser": with_totp(ProgrammeMembershipFactory().user),
        "stranger": UserFactory(),
    }


def upload_photo(client, world) -> Athlete:
    client.force_login(world["manager"])
    number = resident_id(dt.date(2014, 6, 1), AthleteSex.FEMALE, sequence=44)
    data = {
        "family_name_zh": "张",
        "given_name_zh": "伟",
        "name_latin": "ZHANG Wei",
        "sex": "female",
        "birth_date": "2014-06-01",
        "document_type": "resident_id",
        "document_number": number,
        "emergency_contact_name": "张强",
        "emergency_contact_phone": "13700000000",
        "guardian_name": "张强",
        "guardian_relationship": "father",
        "guardian_phone": "13700000000",
        "photo": jpeg(),
    }
    response = client.post(reverse("registration:athlete-create", args=[world["delegation"].pk]), data)
    assert response.status_code == 302
    return Athlete.objects.get(name_latin="ZHANG Wei")


def print_badges(client, world, django_capture_on_commit_callbacks) -> BadgeSheetJob:
    EntryFactory(
        team=world["team"],
        athlete=AthleteFactory(delegation=world["delegation"], family_name_zh="欧阳", given_name_zh="娜娜"),
        status=EntryStatus.APPROVED,
    )
    client.force_login(world["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:badge-sheet-create", args=[world["delegation"].pk]))
    job = BadgeSheetJob.objects.get()
    assert job.file
    return job


def test_no_personal_file_lands_under_the_public_media_or_static_roots(
    client, world, roots, private_media, django_capture_on_commit_callbacks
):
    athlete = upload_photo(client, world)
    job = print_badges(client, world, django_capture_on_commit_callbacks)

    assert files_under(roots.MEDIA_ROOT) == []
    assert files_under(roots.STATIC_ROOT) == []
    stored = sorted(path.relative_to(private_media).as_posix() for path in files_under(private_media))
    assert stored == sorted([athlete.photo.name, job.file.name])
    # Random names: nothing in them names the child, the delegation or the job.
    assert re.fullmatch(r"athletes/photos/[0-9a-f]{32}\.jpg", athlete.photo.name)
    assert re.fullmatch(r"badges/[0-9a-f]{32}\.pdf", job.file.name)
    with pytest.raises(ValueError, match="no public URL"):
        job.file.url  # noqa: B018  a private file has no media URL to leak


def test_badge_sheet_download_answers_its_delegation_managers_only_and_is_never_cached(
    client, world, django_capture_on_commit_callbacks
):
    job = print_badges(client, world, django_capture_on_commit_callbacks)
    url = reverse("registration:badge-sheet-download", args=[job.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]

    for role in ("coach", "other_manager", "organiser", "other_organiser", "stranger"):
        login_two_factor(client, world[role])
        assert client.get(url).status_code == 404, role
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))


def test_athlete_photo_answers_the_roster_roles_only_and_is_never_cached(client, world):
    athlete = upload_photo(client, world)
    url = reverse("registration:athlete-photo", args=[athlete.pk])

    for role in ("manager", "coach", "organiser"):
        login_two_factor(client, world[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (120, 160)
        assert "no-store" in response["Cache-Control"]
    # The organiser is outside the delegation: the read is logged; members' reads are not.
    assert list(AthleteAccess.objects.values_list("accessed_by", "kind")) == [
        (world["organiser"].pk, AthleteAccessKind.PHOTO)
    ]

    for role in ("other_manager", "other_organiser", "stranger"):
        login_two_factor(client, world[role])
        assert client.get(url).status_code == 404, role
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))


def test_athlete_without_a_photo_has_no_photo_page(client, world):
    athlete = AthleteFactory(delegation=world["delegation"])
    client.force_login(world["manager"])
    assert client.get(reverse("registration:athlete-photo", args=[athlete.pk])).status_code == 404


def test_files_stored_publicly_before_are_moved_into_private_storage(roots, private_media):
    """The data migration: a badge sheet under its old guessable public name and a photo under
    MEDIA_ROOT end up in private storage (the sheet renamed), and nothing is left under MEDIA_ROOT."""
    migration = import_module("registration.migrations.0010_move_personal_files_to_private_storage")
    public = storages["default"]
    athlete = AthleteFactory()
    job = BadgeSheetJob.objects.create(
        programme=athlete.delegation.programme, requested_by=UserFactory(), delegation=athlete.delegation
    )
    photo_name = public.save("athletes/photos/" + "a" * 32 + ".jpg", ContentFile(b"\xff\xd8photo"))
    sheet_name = public.save("badges/2026/badges-7.pdf", ContentFile(b"%PDF-sheet"))
    Athlete.objects.filter(pk=athlete.pk).update(photo=photo_name)
    BadgeSheetJob.objects.filter(pk=job.pk).update(file=sheet_name)

    migration.move_to_private(apps, None)

    athlete.refresh_from_db()
    job.refresh_from_db()
    assert files_under(roots.MEDIA_ROOT) == []
    assert athlete.photo.name == photo_name and athlete.photo.read() == b"\xff\xd8photo"
    assert re.fullmatch(r"badges/[0-9a-f]{32}\.pdf", job.file.name) and job.file.read() == b"%PDF-sheet"
