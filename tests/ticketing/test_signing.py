"""Signed credential codes: compact, verifiable offline, rotating keys, only the canonical encoding."""

from __future__ import annotations

import base64
import uuid

import pytest
from django.core.management import call_command

from tests.factories.checkin import BadgeCredentialFactory, CredentialFactory
from ticketing import signing
from ticketing.errors import ForgedCode, InvalidCode
from ticketing.signing import credential_code, credential_decode, generate_key_line

pytestmark = pytest.mark.django_db

OLD_KEY = "old1:" + base64.urlsafe_b64encode(b"o" * 32).decode().rstrip("=")
NEW_KEY = "new2:" + base64.urlsafe_b64encode(b"n" * 32).decode().rstrip("=")


def test_credential_code_is_short_and_decodes_to_the_same_identity_and_scope():
    credential = CredentialFactory()

    code = credential_code(credential)
    decoded = credential_decode(code)

    assert len(code) == 128
    assert decoded.public_id == credential.public_id
    assert decoded.kind == "ticket"
    assert decoded.session_id == credential.session_id
    assert decoded.event_id is None
    assert decoded.valid_from <= credential.valid_from < decoded.valid_from.replace(second=59)
    assert decoded.valid_until >= credential.valid_until


def test_badge_code_is_scoped_to_its_event():
    badge = BadgeCredentialFactory()

    decoded = credential_decode(credential_code(badge))

    assert decoded.kind == "badge"
    assert decoded.event_id == badge.event_id
    assert decoded.session_id is None


@pytest.mark.parametrize(
    "alter",
    [
        lambda code: code + "=",  # padding
        lambda code: code + "==",
        lambda code: code + "A",  # trailing data
        lambda code: " " + code,  # junk
        lambda code: code[:64] + "\n" + code[64:],
        lambda code: code.swapcase(),  # alternate case
        lambda code: "+" + code[1:],  # the other base64 alphabet
        lambda code: code[:-1] + "/",
        lambda code: code[:-1],  # truncated
        lambda code: "",
    ],
)
def test_altered_encodings_of_a_real_code_are_refused(alter):
    code = credential_code(CredentialFactory())
    altered = alter(code)
    if altered == code:
        pytest.skip("this code has no character the alteration changes")

    with pytest.raises(InvalidCode):
        credential_decode(altered)


def test_a_flipped_bit_anywhere_is_refused_as_forged_or_invalid():
    code = credential_code(CredentialFactory())
    raw = bytearray(base64.urlsafe_b64decode(code))
    for position in (5, 20, 31, 40, 95):
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(tampered)).decode()
        with pytest.raises((ForgedCode, InvalidCode)):
            credential_decode(text)


def test_a_code_signed_with_an_unknown_key_is_forged(settings):
    credential = CredentialFactory()
    settings.CREDENTIAL_SIGNING_KEYS = [NEW_KEY]
    foreign = credential_code(credential)
    settings.CREDENTIAL_SIGNING_KEYS = [OLD_KEY]

    with pytest.raises(ForgedCode):
        credential_decode(foreign)


def test_rotation_newest_key_signs_and_older_keys_still_verify(settings):
    credential = CredentialFactory()
    settings.CREDENTIAL_SIGNING_KEYS = [OLD_KEY]
    old_code = credential_code(credential)

    settings.CREDENTIAL_SIGNING_KEYS = [NEW_KEY, OLD_KEY]
    new_code = credential_code(credential)

    assert credential_decode(old_code).kid == "old1"
    assert credential_decode(new_code).kid == "new2"
    assert old_code != new_code
    assert {key["kid"] for key in signing.public_keys()} == {"new2", "old1"}


def test_same_credential_always_gets_the_same_code():
    credential = CredentialFactory()

    assert credential_code(credential) == credential_code(credential)  # Ed25519 is deterministic


def test_random_text_is_not_a_code():
    with pytest.raises(InvalidCode):
        credential_decode(uuid.uuid4().hex * 4)


def test_credential_keygen_prints_a_usable_key_line(settings, capsys):
    call_command("credential_keygen", "--kid", "k2027")
    line = capsys.readouterr().out.strip()

    assert line.startswith("k2027:")
    settings.CREDENTIAL_SIGNING_KEYS = [line]
    credential = CredentialFactory()
    assert credential_decode(credential_code(credential)).kid == "k2027"
    assert generate_key_line("x") != generate_key_line("x")
