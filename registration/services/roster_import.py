"""The roster import's writes: stage the checked rows (encrypted, in the cache) and create them on confirm."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from registration.enums import AthleteGrade
from registration.errors import DuplicateDocumentError, ImportFileError
from registration.models import Athlete, Delegation, Guardian
from registration.services.athletes import GuardianData, delegation_lock_row
from registration.services.documents import document_fields
from registration.services.encryption import decrypt_document, encrypt_document

STAGE_SECONDS = 30 * 60


def _cache_key(delegation_id: int, key: str) -> str:
    return f"registration:import:{delegation_id}:{key}"


@sensitive_variables()
def import_stage(*, delegation: Delegation, preview) -> str:
    """Keep the valid rows, encrypted, for the confirm step; returns the random key for the session."""
    payload = {
        "invalid": len(preview.invalid_rows),
        "rows": [
            {
                "number": row.number,
                **{k: v for k, v in vars(row.data).items() if k not in ("guardians", "birth_date")},
                "birth_date": row.data.birth_date.isoformat(),
                "guardians": [vars(guardian) for guardian in row.data.guardians],
            }
            for row in preview.valid_rows
        ],
    }
    key = secrets.token_urlsafe(16)
    cache.set(_cache_key(delegation.pk, key), encrypt_document(json.dumps(payload)), STAGE_SECONDS)
    return key


@sensitive_variables()
def _load_stage(delegation: Delegation, key: str) -> dict | None:
    token = cache.get(_cache_key(delegation.pk, key)) if key else None
    return json.loads(decrypt_document(token)) if token else None


@dataclass
class ImportResult:
    created: int
    skipped: int


@sensitive_variables()
def import_commit(*, delegation: Delegation, key: str, valid_only: bool, user=None) -> ImportResult:
    """Create the staged athletes in one transaction.

    Refuses when the file had bad rows unless `valid_only`; re-checks the roster for documents
    added since the preview (they are skipped and counted). Locks the delegation row (as every roster
    write does), then reads the staged rows and deletes them before committing: a second confirm
    (double click, two tabs) waits for the lock and then finds the preview gone.
    """
    with transaction.atomic():
        delegation_lock_row(delegation.pk)
        payload = _load_stage(delegation, key)
        if payload is None:
            raise ImportFileError(_("The preview has expired; upload the file again."))
        if payload["invalid"] and not valid_only:
            raise ImportFileError(
                _("The file has rows with errors. Fix them, or tick “import only the valid rows”.")
            )
        cache.delete(_cache_key(delegation.pk, key))
        on_roster = set(Athlete.objects.filter(delegation=delegation).values_list("document_hash", flat=True))
        athletes, guardians_by_athlete, skipped = [], [], 0
        for row in payload["rows"]:
            fields = document_fields(row["document_number"])
            if fields["document_hash"] in on_roster:
                skipped += 1
                continue
            on_roster.add(fields["document_hash"])
            athletes.append(
                Athlete(
                    delegation=delegation,
                    family_name_zh=row["family_name_zh"],
                    given_name_zh=row["given_name_zh"],
                    name_latin=row["name_latin"],
                    sex=row["sex"],
                    birth_date=dt.date.fromisoformat(row["birth_date"]),
                    grade=row.get("grade") or AthleteGrade.NONE,
                    document_type=row["document_type"],
                    emergency_contact_name=row["emergency_contact_name"],
                    emergency_contact_phone=row["emergency_contact_phone"],
                    created_by=user,
                    **fields,
                )
            )
            guardians_by_athlete.append([GuardianData(**guardian) for guardian in row["guardians"]])
        try:
            with transaction.atomic():
                Athlete.objects.bulk_create(athletes)
        except IntegrityError:  # a roster write that did not take the lock
            raise DuplicateDocumentError(
                _("An athlete with this document is already on the roster.")
            ) from None
        if any(athlete.pk is None for athlete in athletes):  # backends without RETURNING
            hashes = [athlete.document_hash for athlete in athletes]
            ids = dict(
                Athlete.objects.filter(delegation=delegation, document_hash__in=hashes).values_list(
                    "document_hash", "pk"
                )
            )
            for athlete in athletes:
                athlete.pk = ids[athlete.document_hash]
        Guardian.objects.bulk_create(
            [
                Guardian(athlete_id=athlete.pk, **vars(guardian))
                for athlete, guardians in zip(athletes, guardians_by_athlete, strict=True)
                for guardian in guardians
            ]
        )
    return ImportResult(created=len(athletes), skipped=skipped + payload["invalid"])
