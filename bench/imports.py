"""Roster import: validating 450 rows (the fencing invitational's size) against reading the same file.

The baseline is `read_rows` alone (decode, parse, map columns); the figure is how much the checks
(GB 11643, eligibility-free field validation, keyed hashes for duplicates, one roster query) add.
Runs on an in-memory SQLite test database; nothing leaves the process.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import time

ROWS = 450
REPEATS = 5


def roster_file(rows: int):
    """A valid roster CSV of `rows` athletes born 2010-2015, as a factory of fresh uploads."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registration.enums import AthleteSex
    from registration.forms.roster_import import COLUMNS, header_text
    from tests.factories.registration import resident_id

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header_text(zh, en) for _key, zh, en, _required in COLUMNS])
    for n in range(rows):
        birth = dt.date(2010 + n % 6, 1 + n % 12, 1 + n % 28)
        values = {
            "family_name_zh": "张",
            "given_name_zh": f"伟{n}",
            "name_latin": f"ZHANG Wei{n}",
            "sex": "男",
            "birth_date": birth.isoformat(),
            "document_type": "身份证",
            "document_number": resident_id(birth, AthleteSex.MALE, sequence=n + 1),
            "emergency_contact_name": "张敏",
            "emergency_contact_phone": "13800000000",
            "guardian_name": "张敏",
            "guardian_relationship": "mother",
            "guardian_phone": "13800000000",
        }
        writer.writerow([values.get(key, "") for key, *_rest in COLUMNS])
    content = out.getvalue().encode("utf-8-sig")
    return lambda: SimpleUploadedFile("athletes.csv", content, content_type="text/csv")


def _median_seconds(work) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> list[dict]:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from registration.forms.roster_import import read_rows, validate_rows
    from tests.factories.registration import DelegationFactory

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        delegation = DelegationFactory()
        upload = roster_file(ROWS)
        preview = validate_rows(delegation=delegation, rows=read_rows(upload()))
        if not preview.is_valid or len(preview.valid_rows) != ROWS:
            raise RuntimeError(f"the bench file must be valid: {preview.errors[:3]}")
        parse = _median_seconds(lambda: read_rows(upload()))
        validate = _median_seconds(lambda: validate_rows(delegation=delegation, rows=read_rows(upload())))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return [
        {
            "benchmark": f"import: read {ROWS} CSV rows (baseline)",
            "value": f"{parse * 1000:.0f}",
            "unit": "ms",
            "note": f"median of {REPEATS}",
        },
        {
            "benchmark": f"import: read + validate {ROWS} rows",
            "value": f"{validate * 1000:.0f}",
            "unit": "ms",
            "note": f"{ROWS / validate:.0f} rows/s",
        },
        {
            "benchmark": "import: validate / read",
            "value": f"{validate / parse:.1f}",
            "unit": "x",
            "note": "cost of the checks over parsing",
        },
    ]
