"""Document numbers at rest: MultiFernet encryption (newest key first) and the masked form lists show.
The keyed hash that matches the same document across rosters and real-name tickets is
`ticketing.documents.document_hash`, the one hash of the house.

Keys come from settings.FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first) and
settings.DOCUMENT_HASH_KEY. Rotation: put a new key first, keep the old ones, then run
`manage.py rotate_document_keys`; once it reports zero rows left, drop the old key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

MASK_CHAR = "*"


def _multifernet():

    keys = settings.FIELD_ENCRYPTION_KEYS
    return _cached_multifernet(tuple(keys), Fernet, MultiFernet)


_CACHE: dict[tuple, object] = {}


def _cached_multifernet(keys: tuple, fernet_cls, multi_cls):
    if keys not in _CACHE:
        if not keys:
            raise RuntimeError("FIELD_ENCRYPTION_KEYS is empty")
        _CACHE.clear()
        _CACHE[keys] = multi_cls([fernet_cls(key) for key in keys])
    return _CACHE[keys]


@sensitive_variables()
def encrypt_document(number: str) -> str:
    """A Fernet token (ASCII) for a normalised document number, under the newest key."""
    return _multifernet().encrypt(number.encode()).decode("ascii")


@sensitive_variables()
def decrypt_document(token: str) -> str:
    return _multifernet().decrypt(token.encode("ascii")).decode()


def needs_rotation(token: str) -> bool:
    """True when the token was not made with the newest key."""

    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return True
    return False


@sensitive_variables()
def rotate_token(token: str) -> str:
    """Re-encrypt a token under the newest key (keeps its original timestamp)."""
    return _multifernet().rotate(token.encode("ascii")).decode("ascii")


@sensitive_variables()
def mask_document(number: str) -> str:
    """`310101********002X`: first 6 and last 4 with stars between; short numbers keep only the last 4."""
    if len(number) >= 14:
        return number[:6] + MASK_CHAR * (len(number) - 10) + number[-4:]
    if len(number) <= 4:
        return MASK_CHAR * len(number)
    return MASK_CHAR * (len(number) - 4) + number[-4:]
