"""Ed25519-signed credential codes: what every Corridor QR code carries.

A code is 96 bytes in unpadded base64url (exactly 128 characters, so no partial last character):

    body (32 bytes) = version(1) | flags+kind(1) | key hash(2) | public id(16) | scope id(4)
                      | valid from(4) | valid until(4)      (times in whole minutes since the epoch)
    code = base64url(body | Ed25519 signature over body (64))

Only the canonical encoding is accepted: the decoded bytes are re-encoded and compared with the input,
so padding, whitespace, other alphabets or trailing data are refused (pretix accepted such variants).
Revocation and duplicate checks key on the decoded public id, never on the raw string.
Keys come from settings.CREDENTIAL_SIGNING_KEYS ("kid:base64url-private-key", newest first): the newest
signs, all verify, so keys rotate without reissuing codes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import re
import struct
import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings
from django.utils.translation import gettext as _
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from ticketing.enums import CredentialKind
from ticketing.errors import ForgedCode, InvalidCode

VERSION = 1
CODE_LENGTH = 128
_BODY = struct.Struct(">BB2s16sIII")  # 32 bytes
_SIGNATURE_LENGTH = 64
_EVENT_SCOPE = 0x80  # flag bit: the scope id is an event (badges), else a session (tickets, stubs)
_KIND_CODES = {CredentialKind.TICKET: 1, CredentialKind.BADGE: 2, CredentialKind.STUB: 3}
_KINDS_BY_CODE = {value: kind for kind, value in _KIND_CODES.items()}
_ALPHABET = re.compile(r"[A-Za-z0-9_-]{128}")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SigningKey:
    kid: str
    kid_hash: bytes
    private: object  # cryptography's Ed25519PrivateKey, which signs
    public: object  # libsodium's VerifyKey for it (PyNaCl), kept to verify without re-deriving it per scan
    public_bytes: bytes

    @property
    def public_b64(self) -> str:
        return base64.urlsafe_b64encode(self.public_bytes).rstrip(b"=").decode()


@dataclass(frozen=True)
class DecodedCredential:
    """What a verified code says. Compare it with the Credential row (the row is the truth online)."""

    kid: str
    public_id: uuid.UUID
    kind: str
    event_id: int | None
    session_id: int | None
    valid_from: dt.datetime
    valid_until: dt.datetime


def kid_hash(kid: str) -> bytes:
    return hashlib.sha256(kid.encode()).digest()[:2]


@functools.lru_cache(maxsize=8)
def _load_keys(config: tuple[str, ...]) -> tuple[SigningKey, ...]:
    keys = []
    seen: set[bytes] = set()
    for entry in config:
        kid, sep, secret = entry.strip().partition(":")
        if not sep or not kid or not secret:
            raise ValueError("CREDENTIAL_SIGNING_KEYS entries look like kid:base64url-private-key")
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        if len(raw) != 32:
            raise ValueError(f"credential key {kid!r} must be 32 bytes (an Ed25519 private key)")
        digest = kid_hash(kid)
        if digest in seen:
            raise ValueError(f"credential key id {kid!r} collides with another key id; rename it")
        seen.add(digest)
        private = Ed25519PrivateKey.from_private_bytes(raw)
        public_bytes = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        keys.append(
            SigningKey(
                kid=kid,
                kid_hash=digest,
                private=private,
                public=VerifyKey(public_bytes),
                public_bytes=public_bytes,
            )
        )
    if not keys:
        raise ValueError("CREDENTIAL_SIGNING_KEYS is empty")
    return tuple(keys)


def signing_keys() -> tuple[SigningKey, ...]:
    """All configured keys, newest (the signing one) first. Parsed once per process and setting."""
    return _load_keys(tuple(settings.CREDENTIAL_SIGNING_KEYS))


def public_keys() -> list[dict]:
    """Public halves for the offline bundle: scanners verify codes with no network."""
    return [
        {"kid": key.kid, "kid_hash": key.kid_hash.hex(), "algorithm": "Ed25519", "public_key": key.public_b64}
        for key in signing_keys()
    ]


def generate_key_line(kid: str) -> str:
    """A new "kid:base64url-private-key" entry for CREDENTIAL_SIGNING_KEYS."""
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{kid}:{base64.urlsafe_b64encode(raw).decode().rstrip('=')}"


def _minutes(moment: dt.datetime, *, round_up: bool) -> int:
    seconds = (moment - _EPOCH).total_seconds()
    minutes = int(seconds // 60)
    if round_up and seconds % 60:
        minutes += 1
    return minutes


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_credential(
    *,
    public_id: uuid.UUID,
    kind: str,
    event_id: int,
    session_id: int | None,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
) -> str:
    """Sign the fields with the newest key. Times are widened to whole minutes (from down, until up)."""
    key = signing_keys()[0]
    flags = _KIND_CODES[kind] | (0 if session_id else _EVENT_SCOPE)
    body = _BODY.pack(
        VERSION,
        flags,
        key.kid_hash,
        public_id.bytes,
        session_id or event_id,
        _minutes(valid_from, round_up=False),
        _minutes(valid_until, round_up=True),
    )
    return _b64encode(body + key.private.sign(body))


def credential_code(credential) -> str:
    """The signed code for a Credential row (what its QR code shows)."""
    return encode_credential(
        public_id=credential.public_id,
        kind=credential.kind,
        event_id=credential.event_id,
        session_id=credential.session_id,
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
    )


def credential_decode(code: str) -> DecodedCredential:
    """Parse and verify a scanned code.

    Raises InvalidCode when the text is not a canonical code, ForgedCode when the signature fails or
    the key is unknown. Never touches the database.
    """
    if not isinstance(code, str) or len(code) != CODE_LENGTH or not _ALPHABET.fullmatch(code):
        raise InvalidCode(_("This is not a Corridor code."))
    try:
        raw = base64.urlsafe_b64decode(code)
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the alphabet check above prevents it
        raise InvalidCode(_("This is not a Corridor code.")) from exc
    if _b64encode(raw) != code or len(raw) != _BODY.size + _SIGNATURE_LENGTH:
        raise InvalidCode(_("This is not a Corridor code."))
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    version, flags, digest, id_bytes, scope, minutes_from, minutes_until = _BODY.unpack(body)
    kind = _KINDS_BY_CODE.get(flags & ~_EVENT_SCOPE)
    if version != VERSION or kind is None or minutes_until <= minutes_from or scope == 0:
        raise InvalidCode(_("This is not a Corridor code."))
    key = next((key for key in signing_keys() if key.kid_hash == digest), None)
    if key is None:
        raise ForgedCode(_("This code was not signed by Corridor."))
    try:
        key.public.verify(body, signature)
    except BadSignatureError as exc:
        raise ForgedCode(_("This code was not signed by Corridor.")) from exc
    event_scoped = bool(flags & _EVENT_SCOPE)
    return DecodedCredential(
        kid=key.kid,
        public_id=uuid.UUID(bytes=id_bytes),
        kind=kind,
        event_id=scope if event_scoped else None,
        session_id=None if event_scoped else scope,
        valid_from=_EPOCH + dt.timedelta(minutes=minutes_from),
        valid_until=_EPOCH + dt.timedelta(minutes=minutes_until),
    )


def code_hash(code: str) -> str:
    """What a Scan stores of the raw text it was given (forged codes included), never the text itself."""
    return hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()
