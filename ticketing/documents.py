"""Identity-document numbers: the one validator per document type, the one normal form and the one keyed hash.

The lowest app that needs them owns them: real-name ticket holders (here) and roster athletes
(`registration`, which re-exports these names from `registration/validators.py`) are checked by the
same rules and matched by the same hash.

Checks: GB 11643 resident IDs (18 characters, ISO 7064 MOD 11-2 check character, a real past birth
date, a province code from the versioned table `ticketing/data/gb2260_provinces.json`, no 15-digit
numbers), residence permits for Hong Kong, Macao and Taiwan residents (area codes 810000, 820000,
830000, same check), the 2023 foreign permanent-resident ID card (first digit 9, same check),
passports and travel permits (5 to 20 letters and digits) and synthetic demo numbers. Error messages
never repeat the number (they may end up in a form re-render or a log); they name the part that is
wrong.

The hash: HMAC-SHA256 (hex) under settings.DOCUMENT_HASH_KEY of the NFKC-normalised, upper-cased
number without spaces or hyphens. Full-width digits and letters typed with a Chinese input method
therefore hash the same as ASCII ones. The number itself is never stored here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables


class DocumentType(models.TextChoices):
    """The same values as registration's `DocumentType`, so a type chosen in either app validates here."""

    RESIDENT_ID = "resident_id", _("Resident identity card")
    HKMO_TW_PERMIT = "hkmo_tw_permit", _("Residence permit for Hong Kong, Macao and Taiwan residents")
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence", _("Foreign permanent resident ID card")
    PASSPORT = "passport", _("Passport")
    TRAVEL_PERMIT = "travel_permit", _("Travel permit (Mainland travel permit or similar)")
    DEMO = "demo", _("Demo (synthetic, never real)")


# What a buyer may name a real-name ticket holder with: every real document, never the demo type.
HOLDER_DOCUMENT_TYPES = [choice for choice in DocumentType.choices if choice[0] != DocumentType.DEMO]

MALE, FEMALE = "male", "female"  # registration's AthleteSex values
_SEX_LABELS = {MALE: _("Male"), FEMALE: _("Female")}

# ISO 7064 MOD 11-2 as GB 11643-1999 writes it: weights 2^(17-i) mod 11, check from this table.
MOD11_2_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MOD11_2_CHECK_CHARS = "10X98765432"
DEMO_PREFIX = "DEMO"

# [0-9], not \d: \d matches every Unicode digit and int() accepts them, so a number written in another
# script would pass and hash differently from the same number in ASCII.
_EIGHTEEN = re.compile(r"^[0-9]{17}[0-9X]$")
_FIFTEEN_DIGITS = re.compile(r"^[0-9]{15}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_DEMO = re.compile(r"^DEMO[A-Z0-9]{1,16}$")
_SEPARATORS = re.compile(r"[\s\-]+")

GB11643_TYPES = frozenset(
    {DocumentType.RESIDENT_ID, DocumentType.HKMO_TW_PERMIT, DocumentType.FOREIGN_PERMANENT_RESIDENCE}
)


@dataclass(frozen=True)
class ParsedNumber:
    """What an 18-character GB 11643-style number says about its holder."""

    area_code: str
    birth_date: dt.date
    sex: str | None  # "male" / "female"; None when the format does not encode sex reliably


# --- The normal form and the keyed hash -------------------------------------------------------


@sensitive_variables()
def document_number_normalise(number: str) -> str:
    """NFKC (full-width becomes ASCII), upper-case, without spaces and hyphens: the form that is
    validated, hashed, encrypted and masked, so the same number typed two ways is one person."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number or "")).upper()


# registration's historical name for the same function.
normalise_document_number = document_number_normalise


@sensitive_variables()
def document_hash(number: str) -> str:
    """The keyed hash (64 hex characters) of a document number, normalised first ("" for no number)."""
    normalised = document_number_normalise(number)
    if not normalised:
        return ""
    key = settings.DOCUMENT_HASH_KEY
    key_bytes = key.encode() if isinstance(key, str) else key
    return hmac.new(key_bytes, normalised.encode(), hashlib.sha256).hexdigest()


# --- Validation per document type -------------------------------------------------------------


@cache
def province_table() -> dict:
    """The versioned province-code table (ticketing/data/gb2260_provinces.json)."""
    path = Path(__file__).resolve().parent / "data" / "gb2260_provinces.json"
    return json.loads(path.read_text(encoding="utf-8"))


def mod11_2_check_char(body: str) -> str:
    """The check character for 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(body, MOD11_2_WEIGHTS, strict=True))
    return MOD11_2_CHECK_CHARS[total % 11]


@sensitive_variables()
def _check_eighteen(number: str, *, today: dt.date) -> dt.date:
    """Shared structure of every GB 11643-style number; returns the birth date it encodes."""
    if _FIFTEEN_DIGITS.match(number):
        raise ValidationError(
            _("15-digit ID numbers are no longer accepted; enter the 18-character number."),
            code="id_fifteen_digits",
        )
    if not _EIGHTEEN.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits, then a digit or X."), code="id_format"
        )
    try:
        birth_date = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("Characters 7 to 14 of the ID number are not a real birth date."), code="id_birth_date_invalid"
        ) from None
    if birth_date > today:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is in the future."),
            code="id_birth_date_future",
            params={"date": birth_date.isoformat()},
        )
    if birth_date.year < 1900:
        raise ValidationError(
            _("Characters 7 to 14 of the ID number are not a real birth date."), code="id_birth_date_invalid"
        )
    if mod11_2_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of the ID number does not match the others; check it for a typo."),
            code="id_check_character",
        )
    return birth_date


@sensitive_variables()
def _sex_from_sequence(number: str) -> str:
    return MALE if int(number[16]) % 2 == 1 else FEMALE


@sensitive_variables()
def parse_resident_id(number: str, *, today: dt.date | None = None) -> ParsedNumber:
    """A mainland resident ID (GB 11643-1999)."""
    today = today or timezone.localdate()
    birth_date = _check_eighteen(number, today=today)
    table = province_table()
    if number[:6] in table["residence_permit_area_codes"]:
        raise ValidationError(
            _("This is a Hong Kong, Macao or Taiwan residence permit number; choose that document type."),
            code="id_is_residence_permit",
        )
    if number[:2] not in table["provinces"]:
        raise ValidationError(
            _("The first two digits (%(code)s) are not a Chinese province code."),
            code="id_province",
            params={"code": number[:2]},
        )
    return ParsedNumber(area_code=number[:6], birth_date=birth_date, sex=_sex_from_sequence(number))


@sensitive_variables()
def parse_residence_permit(number: str, *, today: dt.date | None = None) -> ParsedNumber:
    """Residence permit for Hong Kong, Macao and Taiwan residents (2018): area code 810000/820000/830000."""
    today = today or timezone.localdate()
    birth_date = _check_eighteen(number, today=today)
    if number[:6] not in province_table()["residence_permit_area_codes"]:
        raise ValidationError(
            _("A Hong Kong, Macao or Taiwan residence permit number starts with 810000, 820000 or 830000."),
            code="permit_area_code",
        )
    return ParsedNumber(area_code=number[:6], birth_date=birth_date, sex=_sex_from_sequence(number))


@sensitive_variables()
def parse_foreign_permanent_residence(number: str, *, today: dt.date | None = None) -> ParsedNumber:
    """The 2023 foreign permanent-resident ID card: 18 characters, first digit 9, MOD 11-2 check.

    The National Immigration Administration's rules confirm the leading 9 and the shared check;
    the birth date sits in characters 7–14 as on a resident ID. The sex digit is not relied on.
    """
    today = today or timezone.localdate()
    if len(number) == 18 and not number.startswith("9"):
        raise ValidationError(
            _("A foreign permanent resident ID number starts with 9."), code="fpr_first_digit"
        )
    birth_date = _check_eighteen(number, today=today)
    return ParsedNumber(area_code=number[:6], birth_date=birth_date, sex=None)


@sensitive_variables()
def validate_document(
    *,
    document_type: str,
    number: str,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Check a document number for its type and, where the number encodes them, against the form's
    birth date and sex. Returns the normalised number; raises ValidationError (one message)."""
    normalised = document_number_normalise(number)
    if not normalised:
        raise ValidationError(_("Enter the document number."), code="document_required")
    if document_type == DocumentType.RESIDENT_ID:
        parsed = parse_resident_id(normalised, today=today)
    elif document_type == DocumentType.HKMO_TW_PERMIT:
        parsed = parse_residence_permit(normalised, today=today)
    elif document_type == DocumentType.FOREIGN_PERMANENT_RESIDENCE:
        parsed = parse_foreign_permanent_residence(normalised, today=today)
    elif document_type in (DocumentType.PASSPORT, DocumentType.TRAVEL_PERMIT):
        if not _PASSPORT.match(normalised):
            raise ValidationError(
                _("Passport and travel-permit numbers have 5 to 20 letters and digits."),
                code="passport_format",
            )
        return normalised
    elif document_type == DocumentType.DEMO:
        if not _DEMO.match(normalised):
            raise ValidationError(
                _("Demo document numbers start with DEMO followed by up to 16 letters or digits."),
                code="demo_format",
            )
        return normalised
    else:
        raise ValidationError(_("Choose a document type."), code="document_type")

    if birth_date is not None and parsed.birth_date != birth_date:
        raise ValidationError(
            _("The ID number gives the birth date %(number_date)s, but the form says %(form_date)s."),
            code="id_birth_date_mismatch",
            params={"number_date": parsed.birth_date.isoformat(), "form_date": birth_date.isoformat()},
        )
    if sex and parsed.sex and parsed.sex != sex:
        raise ValidationError(
            _("The ID number is for a %(number_sex)s athlete, but the form says %(form_sex)s."),
            code="id_sex_mismatch",
            params={
                "number_sex": str(_SEX_LABELS[parsed.sex]).lower(),
                "form_sex": str(_SEX_LABELS[str(sex)]).lower(),
            },
        )
    return normalised


# Documents whose first six characters are a GB/T 2260 area code of the holder's registration.
AREA_CODE_TYPES = frozenset({DocumentType.RESIDENT_ID, DocumentType.HKMO_TW_PERMIT})


@sensitive_variables()
def document_area_code(*, document_type: str, number: str) -> str:
    """The area code (first six digits) of a valid resident ID or residence permit, else "".

    The origin city of a real-name ticket holder is known only from such a document; anything else
    (a passport, a foreign permanent-resident card, an invalid or missing number) is unknown, never
    guessed. The number itself is not returned or kept.
    """
    if document_type not in AREA_CODE_TYPES or not number:
        return ""
    try:
        normalised = validate_document(document_type=document_type, number=number)
    except ValidationError:
        return ""
    return normalised[:6]
