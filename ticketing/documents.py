"""Identity-document numbers: the one normal form and the one keyed hash, for real-name tickets and rosters.

The lowest app that needs the hash owns it, so `registration` can match a ticket holder and an
athlete by the same value: HMAC-SHA256 (hex) under settings.DOCUMENT_HASH_KEY of the NFKC-normalised,
upper-cased number without spaces or hyphens. Full-width digits and letters typed with a Chinese input
method therefore hash the same as ASCII ones. The number itself is never stored here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

_SEPARATORS = re.compile(r"[\s\-]+")


@sensitive_variables()
def document_number_normalise(number: str) -> str:
    """NFKC (full-width becomes ASCII), upper-case, without spaces and hyphens: the form that is hashed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number or "")).upper()


@sensitive_variables()
def document_hash(number: str) -> str:
    """The keyed hash (64 hex characters) of a document number, normalised first ("" for no number)."""
    normalised = document_number_normalise(number)
    if not normalised:
        return ""
    key = settings.DOCUMENT_HASH_KEY
    key_bytes = key.encode() if isinstance(key, str) else key
    return hmac.new(key_bytes, normalised.encode(), hashlib.sha256).hexdigest()
