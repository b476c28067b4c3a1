"""Pure checks of the stub economy: the unified social credit code (GB 32100-2015) and opening hours."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^(i) mod 31, check = 31 - (sum mod 31).
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_SEPARATORS = re.compile(r"[\s\-]+")
WEEKDAYS = range(7)  # Monday is 0, as datetime.weekday()
_HHMM = re.compile(r"^([01][0-9]|2[0-4]):[0-5][0-9]$")


def credit_code_normalise(code: str) -> str:
    """Full-width to ASCII, upper case, no spaces or hyphens."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", code or "")).upper()


def credit_code_check_char(body: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the normalised code or raise ValidationError naming what is wrong (never echoing it)."""
    normalised = credit_code_normalise(code)
    if len(normalised) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_code_length")
    if not _CREDIT_CODE.match(normalised):
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters except I, O, S, V and Z."),
            code="credit_code_format",
        )
    if credit_code_check_char(normalised[:17]) != normalised[17]:
        raise ValidationError(
            _("The last character of this unified social credit code does not match: check for a typo."),
            code="credit_code_check",
        )
    return normalised


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def validate_opening_hours(value) -> None:
    """Opening hours: {"0": [["10:00", "22:00"]], ...} by weekday (Monday "0"), closing after opening
    ("24:00" for midnight); a weekday that is missing or empty is a closed day."""
    if not isinstance(value, dict):
        raise ValidationError(_("Opening hours must list each weekday's times."), code="hours_shape")
    for day, spans in value.items():
        if day not in {str(d) for d in WEEKDAYS} or not isinstance(spans, list):
            raise ValidationError(_("Opening hours must list each weekday's times."), code="hours_shape")
        for span in spans:
            if (
                not isinstance(span, list | tuple)
                or len(span) != 2
                or not all(isinstance(t, str) and _HHMM.match(t) for t in span)
                or _minutes(span[0]) >= _minutes(span[1])
                or _minutes(span[1]) > 24 * 60
            ):
                raise ValidationError(
                    _("Each opening time is a pair such as 10:00 to 22:00, closing after opening."),
                    code="hours_span",
                )


def is_open_at(opening_hours: dict, moment: dt.datetime) -> bool:
    """Whether a store with these hours is open at this local time (empty hours: always open)."""
    if not opening_hours:
        return True
    minute = moment.hour * 60 + moment.minute
    spans = opening_hours.get(str(moment.weekday())) or []
    return any(_minutes(start) <= minute < _minutes(end) for start, end in spans)
