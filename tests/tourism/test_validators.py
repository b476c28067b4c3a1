import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tourism.validators import (
    credit_code_check_char,
    is_open_at,
    validate_credit_code,
    validate_opening_hours,
)

# A published example of a valid unified social credit code (GB 32100-2015).
SHANGHAI = ZoneInfo("Asia/Shanghai")
VALID = "91350100M000100Y43"


def test_credit_code_check_character_matches_the_published_example():
    assert credit_code_check_char(VALID[:17]) == "3"
    assert validate_credit_code(VALID) == VALID


def test_credit_code_full_width_and_spaces_normalise():
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == VALID
    assert validate_credit_code("9135 0100-M000 100Y43") == VALID


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", "credit_code_check"),
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M00010OY43", "credit_code_format"),  # O is not in the alphabet
        ("913501A0M000100Y43", "credit_code_format"),  # the area part is digits
    ],
)
def test_credit_code_refused_with_the_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert raised.value.code == error
    assert code not in str(raised.value)


def test_opening_hours_shape_and_open_check():
    hours = {"0": [["10:00", "14:00"], ["17:00", "22:00"]], "6": [["09:00", "24:00"]]}
    validate_opening_hours(hours)
    monday_noon = dt.datetime(2026, 11, 30, 12, 0, tzinfo=SHANGHAI)
    monday_four = dt.datetime(2026, 11, 30, 16, 0, tzinfo=SHANGHAI)
    tuesday_noon = dt.datetime(2026, 12, 1, 12, 0, tzinfo=SHANGHAI)
    sunday_late = dt.datetime(2026, 12, 6, 23, 30, tzinfo=SHANGHAI)
    assert is_open_at(hours, monday_noon)
    assert not is_open_at(hours, monday_four)
    assert not is_open_at(hours, tuesday_noon)
    assert is_open_at(hours, sunday_late)
    assert is_open_at({}, monday_four)


@pytest.mark.parametrize(
    "hours", [[], {"7": []}, {"0": [["22:00", "10:00"]]}, {"0": [["10:00"]]}, {"0": [["25:00", "26:00"]]}]
)
def test_opening_hours_refused(hours):
    with pytest.raises(ValidationError):
        validate_opening_hours(hours)
