"""The athlete form when editing: leaving the document number empty keeps the stored number, but then
nothing the number vouches for (birth date, sex, document type) may change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from registration.enums import AthleteSex, DocumentType, MembershipRole
from registration.forms.athletes import AthleteForm
from registration.models import Athlete
from registration.services.encryption import decrypt_document
from tests.factories.registration import AthleteFactory, GuardianFactory, MembershipFactory

pytestmark = pytest.mark.django_db

RE_ENTER_EN = "Re-enter the document number to change the birth date, sex or document type."
RE_ENTER_ZH = "如需修改出生日期、性别或证件类型，请重新输入证件号码。"


def edit_data(athlete, **changes) -> dict:
    data = {
        "family_name_zh": athlete.family_name_zh,
        "given_name_zh": athlete.given_name_zh,
        "name_latin": athlete.name_latin,
        "sex": athlete.sex,
        "birth_date": athlete.birth_date.isoformat(),
        "document_type": athlete.document_type,
        "document_number": "",
        "emergency_contact_name": "李华",
        "emergency_contact_phone": "13800000000",
        "guardian_name": "王芳",
        "guardian_relationship": "mother",
        "guardian_phone": "13900000000",
    }
    data.update(changes)
    return data


def edit_form(athlete, **changes) -> AthleteForm:
    return AthleteForm(edit_data(athlete, **changes), editing=True, initial=AthleteForm.initial_for(athlete))


@pytest.fixture
def athlete():
    athlete = AthleteFactory(birth_date=dt.date(2011, 3, 2), sex=AthleteSex.MALE)
    GuardianFactory(athlete=athlete)
    return athlete


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "2014-03-02"},
        {"sex": "female"},
        {"document_type": DocumentType.PASSPORT},
    ],
)
def test_changing_what_the_number_vouches_for_needs_the_number_again(athlete, changes):
    with translation.override("en"):
        form = edit_form(athlete, **changes)
        assert not form.is_valid()
        assert form.errors["document_number"] == [RE_ENTER_EN]
    with translation.override("zh-hans"):
        form = edit_form(athlete, **changes)
        assert not form.is_valid()
        assert form.errors["document_number"] == [RE_ENTER_ZH]


def test_other_edits_keep_the_stored_number_without_retyping_it(athlete):
    form = edit_form(athlete, emergency_contact_phone="13911112222", name_latin="LI Ming")
    assert form.is_valid(), form.errors
    assert form.athlete_data().document_number == ""


def test_re_entered_number_is_checked_against_the_new_birth_date(athlete):
    number = decrypt_document(athlete.document_number_encrypted)
    with translation.override("en"):
        form = edit_form(athlete, birth_date="2014-03-02", document_number=number)
        assert not form.is_valid()
        assert form.errors["document_number"] == [
            "The ID number gives the birth date 2011-03-02, but the form says 2014-03-02."
        ]


def test_editing_a_passport_holders_birth_date_needs_no_number():
    # A passport number encodes nothing about its holder, so there is nothing to contradict.
    athlete = AthleteFactory(document_type=DocumentType.PASSPORT, birth_date=dt.date(2011, 3, 2))
    GuardianFactory(athlete=athlete)
    assert edit_form(athlete, birth_date="2012-03-02").is_valid()


def test_edit_page_refuses_a_younger_birth_date_and_saves_nothing(client, athlete):
    manager = MembershipFactory(delegation=athlete.delegation, role=MembershipRole.MANAGER).user
    client.force_login(manager)
    url = reverse("registration:athlete-edit", args=[athlete.pk])
    response = client.post(
        url, edit_data(athlete, birth_date="2014-03-02", sex="female"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert RE_ENTER_EN in response.content.decode()
    chinese = client.post(url, edit_data(athlete, birth_date="2014-03-02"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert RE_ENTER_ZH in chinese.content.decode()
    stored = Athlete.objects.get(pk=athlete.pk)
    assert (stored.birth_date, stored.sex, stored.document_type) == (
        dt.date(2011, 3, 2),
        AthleteSex.MALE,
        DocumentType.RESIDENT_ID,
    )
