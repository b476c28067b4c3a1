"""Athlete write paths: athlete edits, guardians, photos and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from registration.enums import AthleteSex, DocumentType
from registration.errors import AthleteError
from registration.models import Athlete, ConsentGiver, ConsentLink, Guardian
from registration.services import athletes
from registration.services.athletes import AthleteData, GuardianData
from tests.factories.registration import (
    AthleteFactory,
    ConsentFactory,
    DelegationFactory,
    GuardianFactory,
    resident_id,
)
from tests.factories.rosters import data_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": dt.date(2014, 3, 2)},
        {"sex": AthleteSex.FEMALE},
        {"document_type": DocumentType.PASSPORT},
    ],
)
def test_athlete_update_without_a_number_keeps_what_the_number_vouches_for(changes):
    athlete = AthleteFactory(birth_date=dt.date(2011, 3, 2), sex=AthleteSex.MALE)
    GuardianFactory(athlete=athlete)
    with translation.override("en"), pytest.raises(AthleteError) as refused:
        athletes.athlete_update(athlete=athlete, data=data_of(athlete, **changes))
    assert (
        str(refused.value) == "Re-enter the document number to change the birth date, sex or document type."
    )
    stored = Athlete.objects.get(pk=athlete.pk)
    assert (stored.birth_date, stored.sex, stored.document_type) == (
        dt.date(2011, 3, 2),
        AthleteSex.MALE,
        DocumentType.RESIDENT_ID,
    )


# --- guardians are updated in place ------------------------------------------------------------


def test_an_unrelated_edit_keeps_guardian_rows_consents_and_open_links():
    athlete = AthleteFactory()
    mother = GuardianFactory(athlete=athlete, name="王芳", relationship="mother")
    father = GuardianFactory(athlete=athlete, name="李强", relationship="father")
    link = ConsentLink.objects.create(
        athlete=athlete,
        guardian=mother,
        token_hash="a" * 64,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    consent = ConsentFactory(athlete=athlete, given_by=ConsentGiver.GUARDIAN, guardian=father)
    athletes.athlete_update(athlete=athlete, data=data_of(athlete, emergency_contact_phone="13911112222"))
    assert list(athlete.guardians.order_by("pk").values_list("pk", "name")) == [
        (mother.pk, "王芳"),
        (father.pk, "李强"),
    ]
    assert ConsentLink.objects.filter(pk=link.pk).exists()
    consent.refresh_from_db()
    assert consent.guardian_id == father.pk


def test_guardian_changes_update_the_same_row_and_remove_only_the_surplus():
    athlete = AthleteFactory()
    mother = GuardianFactory(athlete=athlete, name="王芳", phone="13900000000")
    father = GuardianFactory(athlete=athlete, name="李强", relationship="father")
    new_phone = [GuardianData(name="王芳", relationship="mother", phone="13712345678")]
    athletes.athlete_update(athlete=athlete, data=data_of(athlete, guardians=new_phone))
    assert list(athlete.guardians.values_list("pk", "phone")) == [(mother.pk, "13712345678")]
    assert not Guardian.objects.filter(pk=father.pk).exists()
    two = [*new_phone, GuardianData(name="李强", relationship="father", phone="1")]
    athletes.athlete_update(athlete=athlete, data=data_of(athlete, guardians=two))
    assert list(athlete.guardians.order_by("pk").values_list("name", flat=True)) == ["王芳", "李强"]
    assert athlete.guardians.order_by("pk").first().pk == mother.pk


# --- photos ------------------------------------------------------------------------------------


def test_a_photo_is_stored_under_a_random_name_without_its_metadata(settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    number = resident_id(dt.date(2014, 3, 2))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x9003] = "2026:11:28 10:00:00"  # DateTimeOriginal
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile(f"{number}.jpg", buffer.getvalue(), content_type="image/jpeg")
    data = AthleteData(
        "李", "明", "LI Ming", AthleteSex.MALE, dt.date(2014, 3, 2), "resident_id", number, "A", "1"
    )

    athlete = athletes.athlete_create(delegation=DelegationFactory(), data=data, photo=upload)

    name = Athlete.objects.get(pk=athlete.pk).photo.name
    assert number not in name and "LI" not in name
    assert name.startswith("athletes/photos/") and name.endswith(".jpg")
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [name.rsplit("/", 1)[1]]
    with Image.open(stored[0]) as image:
        assert image.size == (40, 30)
        assert dict(image.getexif()) == {}


def test_a_large_photo_is_shrunk_to_badge_size(settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 4000), "blue").save(buffer, "JPEG")  # a 12-megapixel phone portrait
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")
    data = AthleteData(
        "王",
        "芳",
        "WANG Fang",
        AthleteSex.FEMALE,
        dt.date(2014, 3, 2),
        "resident_id",
        resident_id(dt.date(2014, 3, 2), AthleteSex.FEMALE),
        "A",
        "1",
    )
    athlete = athletes.athlete_create(delegation=DelegationFactory(), data=data, photo=upload)
    with Image.open(Athlete.objects.get(pk=athlete.pk).photo.path) as image:
        assert image.size == (600, 800)
