"""Order numbers and manual codes: drawn from the unambiguous alphabet, every character equally likely."""

from __future__ import annotations

from collections import Counter

from ticketing.models.credentials import (
    SHORT_CODE_ALPHABET,
    SHORT_CODE_LENGTH,
    new_short_code,
    random_code,
    short_code_normalise,
)
from ticketing.models.sales import new_order_code


def test_codes_use_the_alphabet_at_their_lengths():
    # random_code takes 5 random bits a character: the alphabet must have 32 distinct characters.
    assert len(set(SHORT_CODE_ALPHABET)) == len(SHORT_CODE_ALPHABET) == 32
    assert not set("01OI") & set(SHORT_CODE_ALPHABET)
    order, manual = new_order_code(), new_short_code()
    assert len(order) == 10 and len(manual) == SHORT_CODE_LENGTH
    assert set(order + manual) <= set(SHORT_CODE_ALPHABET)
    assert short_code_normalise(manual) == manual


def test_every_character_is_drawn_about_as_often():
    counts = Counter(random_code(32_000))
    assert set(counts) == set(SHORT_CODE_ALPHABET)
    # 1,000 expected each; a bias of 2 in 32 would show far beyond these bounds (sd about 31).
    assert all(850 < n < 1150 for n in counts.values())
    assert len({new_short_code() for _ in range(1000)}) == 1000
