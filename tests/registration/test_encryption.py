"""Encryption at rest, the keyed hash, masking and key rotation."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from registration.models import Athlete
from registration.services.encryption import decrypt_document, encrypt_document, mask_document
from tests.factories.registration import AthleteFactory, resident_id
from ticketing.documents import document_hash


def test_encrypted_token_hides_the_number_and_round_trips():
    number = resident_id(dt.date(2014, 3, 2))
    token = encrypt_document(number)
    assert number not in token
    assert decrypt_document(token) == number


def test_keyed_hash_is_stable_and_depends_on_the_key(settings):
    number = resident_id(dt.date(2014, 3, 2))
    first = document_hash(number)
    assert first == document_hash(number)
    assert len(first) == 64
    settings.DOCUMENT_HASH_KEY = "another-key"
    assert document_hash(number) != first


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("31010120140302002X", "310101********002X"),
        ("E12345678", "*****5678"),
        ("DEMO000001", "******0001"),
        ("ABC", "***"),
    ],
)
def test_masking(number, masked):
    assert mask_document(number) == masked


@pytest.mark.django_db
def test_rotate_document_keys_reencrypts_with_the_newest_key(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    athlete = AthleteFactory()
    number = decrypt_document(athlete.document_number_encrypted)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    out = StringIO()
    call_command("rotate_document_keys", "--dry-run", stdout=out)
    assert "would re-encrypt 1 of 1" in out.getvalue()
    athlete.refresh_from_db()
    with pytest.raises(InvalidToken):  # still under the old key after a dry run
        Fernet(new_key).decrypt(athlete.document_number_encrypted.encode())

    out = StringIO()
    call_command("rotate_document_keys", stdout=out)
    assert "re-encrypted 1 of 1" in out.getvalue()
    token = Athlete.objects.get(pk=athlete.pk).document_number_encrypted
    assert Fernet(new_key).decrypt(token.encode()).decode() == number

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    assert decrypt_document(token) == number
    out = StringIO()
    call_command("rotate_document_keys", stdout=out)
    assert "re-encrypted 0 of 1" in out.getvalue()
