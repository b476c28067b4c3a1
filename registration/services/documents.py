"""Identity documents: the stored fields of a number, reveals (logged), attestations, key rotation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from registration.enums import DocumentType
from registration.errors import (
    AttestationError,
    RevealError,
)
from registration.models import (
    Athlete,
    AttestationMethod,
    DocumentAttestation,
    DocumentReveal,
)
from registration.rules import is_delegation_programme_organiser
from registration.services.encryption import (
    decrypt_document,
    encrypt_document,
    mask_document,
    needs_rotation,
    rotate_token,
)
from ticketing.documents import document_hash


@sensitive_variables()
def document_fields(number: str) -> dict:
    """The stored representation of a normalised number: token, keyed hash, last four, mask."""
    return {
        "document_number_encrypted": encrypt_document(number),
        "document_hash": document_hash(number),
        "document_last4": number[-4:],
        "document_masked": mask_document(number),
    }


@sensitive_variables()
def document_reveal(*, athlete: Athlete, user, purpose: str, reason: str) -> str:
    """Return the full document number for an organiser of the athlete's programme, and log it.

    The DocumentReveal row is written in the same transaction, before the number is returned; demo
    numbers are never revealed. Django's superuser shortcut does not apply here.
    """
    if not is_delegation_programme_organiser.test(user, athlete):
        raise RevealError(_("Only the programme's organisers may reveal a document number."))
    if not reason.strip():
        raise RevealError(_("Give a reason for revealing the document number."))
    if athlete.document_type == DocumentType.DEMO:
        raise RevealError(_("Demo documents are synthetic and are never shown unmasked."))
    with transaction.atomic():
        DocumentReveal.objects.create(
            revealed_by=user,
            athlete=athlete,
            athlete_label=athlete.display_name,
            delegation_id=athlete.delegation_id,
            document_last4=athlete.document_last4,
            purpose=purpose,
            reason=reason.strip(),
        )
        token = Athlete.objects.values_list("document_number_encrypted", flat=True).get(pk=athlete.pk)
        return decrypt_document(token)


@sensitive_variables()
def document_attest(*, athlete: Athlete, user, method: str, note: str = "") -> DocumentAttestation:
    """Record that an organiser of the athlete's programme checked the document (docs/architecture.md#childrens-data: verify,
    then discard). Keeps the type and last four characters as they are now, the method, who and when;
    never an image. Supersedes the athlete's current attestation. Same rule as `document_reveal`
    (no superuser shortcut); anyone else gets AttestationError."""
    if not is_delegation_programme_organiser.test(user, athlete):
        raise AttestationError(_("Only the programme's organisers may verify a document."))
    if method not in AttestationMethod.values:
        raise AttestationError(_("Choose how the document was checked."))
    note = note.strip()
    if len(note) > DocumentAttestation._meta.get_field("note").max_length:
        raise AttestationError(_("The note is too long."))
    with transaction.atomic():
        # Lock the athlete so the copied type and last four match the document at this moment.
        current = (
            Athlete.objects.select_for_update()
            .values("document_type", "document_last4", "anonymised_at")
            .get(pk=athlete.pk)
        )
        if current["anonymised_at"] is not None or not current["document_last4"]:
            raise AttestationError(_("This athlete has no document on record to verify."))
        attestations_supersede(athlete=athlete)
        return DocumentAttestation.objects.create(
            athlete=athlete,
            document_type=current["document_type"],
            last4=current["document_last4"],
            method=method,
            attested_by=user,
            note=note,
        )


def attestations_supersede(*, athlete: Athlete) -> int:
    """Mark the athlete's current attestation as superseded (a new check, or the document changed).
    Runs inside the caller's transaction."""
    return DocumentAttestation.objects.filter(athlete_id=athlete.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )


@dataclass
class RotationResult:
    total: int
    rotated: int


@sensitive_variables()
def document_keys_rotate(*, dry_run: bool = False, batch_size: int = 500) -> RotationResult:
    """Re-encrypt every document token not made with the newest key, batch by batch (each batch one
    transaction, rows locked by primary key order). The plain number never leaves this function."""

    total = rotated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Athlete.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "document_number_encrypted")[:batch_size]
            )
            if not batch:
                break
            last_pk = batch[-1][0]
            total += len(batch)
            for pk, token in batch:
                if needs_rotation(token):
                    rotated += 1
                    if not dry_run:
                        Athlete.objects.filter(pk=pk).update(document_number_encrypted=rotate_token(token))
    return RotationResult(total=total, rotated=rotated)
