"""The one keyed document hash: full-width and ASCII input agree, and it is byte-identical to registration's."""

from __future__ import annotations

from registration.services.documents import document_fields
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
    """The same child typed in full-width digits at checkout and in ASCII on a roster is one person."""
    settings.DOCUMENT_HASH_KEY = "a-test-document-hash-key"
    holder = Holder(name="张小明", document=FULL_WIDTH)

    athlete_fields = document_fields(normalise_document_number(ASCII))

    assert holder.document_hash == athlete_fields["document_hash"]
    assert Holder(name="张小明", document=ASCII).document_hash == athlete_fields["document_hash"]
    assert document_fields(normalise_document_number(FULL_WIDTH))["document_hash"] == holder.document_hash
