"""Roster data for tests: import-file rows and uploads in the template's columns, and the edit data of
an existing athlete (shared by the import, view, attestation and concurrency tests)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from registration.enums import AthleteSex
from registration.forms.roster_import import COLUMNS, header_text
from registration.services.athletes import AthleteData, GuardianData
from tests.factories.registration import resident_id

HEADERS = [header_text(zh, en) for _key, zh, en, _req in COLUMNS]


def row(
    n: int, *, number: str | None = None, birth: dt.date = dt.date(2014, 5, 1), grade: str = ""
) -> list[str]:
    """Row n of a valid roster file: a boy born on `birth` with a valid resident ID number (and this
    technical grade, as the manager typed it; empty: no grade)."""
    number = number or resident_id(birth, AthleteSex.MALE, sequence=n)
    return [
        "张",
        f"伟{n}",
        f"ZHANG Wei{n}",
        "男",
        birth.isoformat(),
        "身份证",
        number,
        "张敏",
        "13800000000",
        "张敏",
        "mother",
        "13800000000",
        "",
        grade,
    ]


def csv_file(rows, name="athletes.csv") -> SimpleUploadedFile:
    """An uploaded CSV (UTF-8 with BOM, as Excel saves it) with the template's header and these rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def data_of(athlete, **changes) -> AthleteData:
    """The athlete's current data as an edit would submit it (no new document number), with changes."""
    values = {
        "family_name_zh": athlete.family_name_zh,
        "given_name_zh": athlete.given_name_zh,
        "name_latin": athlete.name_latin,
        "sex": athlete.sex,
        "birth_date": athlete.birth_date,
        "document_type": athlete.document_type,
        "document_number": "",
        "emergency_contact_name": athlete.emergency_contact_name,
        "emergency_contact_phone": athlete.emergency_contact_phone,
        "guardians": [
            GuardianData(name=g.name, relationship=g.relationship, phone=g.phone, email=g.email)
            for g in athlete.guardians.all()
        ],
    }
    values.update(changes)
    return AthleteData(**values)
