"""The one document validator and keyed hash: full-width and ASCII input agree, each type is checked by
its own rule, and registration uses the very same functions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registration import validators as registration_validators
from registration.enums import DocumentType as RosterDocumentType
from registration.services.documents import document_fields
from registration.validators import normalise_document_number
from tests.factories.registration import resident_id
from ticketing import documents
from ticketing.documents import (
    DocumentType,
    document_area_code,
    document_hash,
    document_number_normalise,
    validate_document,
)
from ticketing.services.orders import Holder

ASCII = "11010520080101002X"
FULL_WIDTH = "１１０１０５ ２００８０１０１ ００２ｘ"  # as a Chinese input method types it, with spaces


def test_full_width_and_ascii_digits_give_the_same_hash():
    assert document_number_normalise(FULL_WIDTH) == ASCII
    assert document_hash(FULL_WIDTH) == document_hash(ASCII)
    assert len(document_hash(ASCII)) == 64
    assert document_hash("") == ""


def test_a_ticket_holder_hashes_like_a_roster_athlete(settings):
    """The same child typed in full-width digits at checkout and in ASCII on a roster is one person."""
    settings.DOCUMENT_HASH_KEY = "a-test-document-hash-key"
    holder = Holder(name="张小明", document=FULL_WIDTH)

    athlete_fields = document_fields(normalise_document_number(ASCII))

    assert holder.document_hash == athlete_fields["document_hash"]
    assert Holder(name="张小明", document=ASCII).document_hash == athlete_fields["document_hash"]
    assert document_fields(normalise_document_number(FULL_WIDTH))["document_hash"] == holder.document_hash


TODAY = dt.date(2027, 3, 1)
VALID_ID = resident_id(dt.date(2008, 1, 1), area="110105")
FULL_WIDTH_DIGITS = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def test_registration_validates_with_ticketings_functions_and_table():
    for name in ("validate_document", "province_table", "parse_resident_id", "GB11643_TYPES"):
        assert getattr(registration_validators, name) is getattr(documents, name)
    assert "31" in documents.province_table()["provinces"]
    assert {value for value, _ in RosterDocumentType.choices} == {value for value, _ in DocumentType.choices}


@pytest.mark.parametrize(
    ("document_type", "number", "expected"),
    [
        (DocumentType.RESIDENT_ID, VALID_ID, VALID_ID),
        (DocumentType.RESIDENT_ID, VALID_ID.translate(FULL_WIDTH_DIGITS), VALID_ID),
        (DocumentType.PASSPORT, "e 1234 5678", "E12345678"),
        (DocumentType.TRAVEL_PERMIT, "C12345678", "C12345678"),
    ],
)
def test_each_type_accepts_its_own_numbers_normalised(document_type, number, expected):
    assert validate_document(document_type=document_type, number=number, today=TODAY) == expected


@pytest.mark.parametrize(
    ("document_type", "number", "code"),
    [
        (
            DocumentType.RESIDENT_ID,
            VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2"),
            "id_check_character",
        ),
        (DocumentType.RESIDENT_ID, "E12345678", "id_format"),
        (DocumentType.RESIDENT_ID, "110105080101002", "id_fifteen_digits"),
        (DocumentType.HKMO_TW_PERMIT, VALID_ID, "permit_area_code"),
        (DocumentType.FOREIGN_PERMANENT_RESIDENCE, VALID_ID, "fpr_first_digit"),
        (DocumentType.PASSPORT, "11010520080101002X-TOO-LONG-FOR-A-PASSPORT", "passport_format"),
        ("", "E12345678", "document_type"),
    ],
)
def test_a_number_of_another_type_is_refused_with_the_reason(document_type, number, code):
    with pytest.raises(ValidationError) as caught:
        validate_document(document_type=document_type, number=number, today=TODAY)
    assert caught.value.code == code
    assert number not in caught.value.messages[0]


def test_a_residence_permit_typed_as_a_resident_id_names_the_right_type_in_both_languages():
    permit = resident_id(dt.date(2010, 5, 1), area="810000")
    for language, words in (("en", "residence permit"), ("zh-hans", "居住证")):
        with translation.override(language):
            with pytest.raises(ValidationError) as caught:
                validate_document(document_type=DocumentType.RESIDENT_ID, number=permit, today=TODAY)
            assert words in caught.value.messages[0]
    assert validate_document(document_type=DocumentType.HKMO_TW_PERMIT, number=permit, today=TODAY) == permit


def test_area_code_only_from_a_valid_resident_id_or_permit():
    number = resident_id(dt.date(2012, 3, 4), area="321102")
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    assert document_area_code(document_type=DocumentType.RESIDENT_ID, number=full_width) == "321102"
    assert document_area_code(document_type=DocumentType.PASSPORT, number="E12345678") == ""
    assert document_area_code(document_type="", number=number) == ""
    wrong_check = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert document_area_code(document_type=DocumentType.RESIDENT_ID, number=wrong_check) == ""
