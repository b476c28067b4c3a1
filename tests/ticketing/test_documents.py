"""The one keyed document hash: full-width and ASCII input agree, and it is byte-identical to registration's."""

from __future__ import annotations

from registration import crypto as registration_crypto
from registration.validators import normalise_document_number
from ticketing.documents import document_hash, document_number_normalise
from ticketing.services.orders import Holder

ASCII = "11010520080101002X"
FULL_WIDTH = "１１０１０５ ２００８０１０１ ００２ｘ"  # as a Chinese input method types it, with spaces


def test_full_width_and_ascii_digits_give_the_same_hash():
    assert document_number_normalise(FULL_WIDTH) == ASCII
    assert document_hash(FULL_WIDTH) == document_hash(ASCII)
    assert len(document_hash(ASCII)) == 64
    assert document_hash("") == ""


def test_a_ticket_holder_hashes_like_a_roster_athlete(settings):
    settings.DOCUMENT_HASH_KEY = "a-test-document-hash-key"
    holder = Holder(name="张小明", document=FULL_WIDTH)

    roster = registration_crypto.document_hash(normalise_document_number(FULL_WIDTH))

    assert holder.document_hash == roster
    assert Holder(name="张小明", document=ASCII).document_hash == roster
    assert document_hash(ASCII) == registration_crypto.document_hash(ASCII)
