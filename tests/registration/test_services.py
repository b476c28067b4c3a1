"""Registration write paths: athlete edits, invitations, photos and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from registration import services
from registration.enums import AthleteSex, DocumentType
from registration.errors import AthleteError
from registration.models import Athlete
from registration.services import AthleteData, GuardianData
from tests.factories.registration import AthleteFactory, GuardianFactory

pytestmark = pytest.mark.django_db


def data_of(athlete, **changes) -> AthleteData:
    values = {
        "family_name_zh": athlete.family_name_zh,
        "given_name_zh": athlete.given_name_zh,
        "name_latin": athlete.name_latin,
        "sex": athlete.sex,
        "birth_date": athlete.birth_date,
        "document_type": athlete.document_type,
        "document_number": "",
        "emergency_contact_name": athlete.emergency_contact_name,
        "emergency_contact_phone": athlete.emergency_contact_phone,
        "guardians": [
            GuardianData(name=g.name, relationship=g.relationship, phone=g.phone, email=g.email)
            for g in athlete.guardians.all()
        ],
    }
    values.update(changes)
    return AthleteData(**values)


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
        services.athlete_update(athlete=athlete, data=data_of(athlete, **changes))
    assert (
        str(refused.value) == "Re-enter the document number to change the birth date, sex or document type."
    )
    stored = Athlete.objects.get(pk=athlete.pk)
    assert (stored.birth_date, stored.sex, stored.document_type) == (
        dt.date(2011, 3, 2),
        AthleteSex.MALE,
        DocumentType.RESIDENT_ID,
    )
