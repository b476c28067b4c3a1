"""Athletes on a delegation's roster: create and update (with guardians and a cleaned photo), the
delegation row lock every roster write takes, and the logs of reads by people outside the delegation.

Every service is keyword-only, runs in one transaction and raises RegistrationError subclasses.
Document numbers enter only through `athlete_create`/`athlete_update` (already validated by
registration.validators) and leave only through `services.documents.document_reveal`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from registration.errors import (
    AthleteError,
    DuplicateDocumentError,
)
from registration.models import (
    Athlete,
    AthleteAccess,
    Delegation,
    Guardian,
)
from registration.rules import is_delegation_member
from registration.services.documents import attestations_supersede, document_fields
from registration.validators import GB11643_TYPES

# --- delegations and teams -------------------------------------------------------------------


# --- invitations ---------------------------------------------------------------------------------


# --- athletes ----------------------------------------------------------------------------------


@dataclass
class GuardianData:
    name: str
    relationship: str
    phone: str
    email: str = ""


@dataclass
class AthleteData:
    """Validated athlete fields; `document_number` is already normalised by the validators."""

    family_name_zh: str
    given_name_zh: str
    name_latin: str
    sex: str
    birth_date: dt.date
    document_type: str
    document_number: str
    emergency_contact_name: str
    emergency_contact_phone: str
    guardians: list[GuardianData] = field(default_factory=list)
    grade: str = "none"


PHOTO_MAX_PIXELS = (600, 800)  # a badge prints it at 30 x 40 mm: 600 x 800 is over 500 dpi


def photo_clean(photo):
    """The photo re-encoded as a JPEG with no metadata (EXIF carries GPS positions, device names and
    the original file name's date); orientation is applied first so the picture stays upright. It is
    shrunk to PHOTO_MAX_PIXELS: a 12-megapixel phone photo made each badge cost half a second and 8 MB."""

    from PIL import Image, ImageOps  # noqa: PLC0415  heavy optional library, loaded only when used

    photo.seek(0)
    with Image.open(photo) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(PHOTO_MAX_PIXELS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88)
    return ContentFile(out.getvalue(), name="photo.jpg")


def delegation_lock_row(delegation_id: int) -> None:
    """A row lock on the delegation (not the domain's roster deadline lock): every write that adds a
    document to a roster (create, new number, import) takes it first, so the duplicate check and the
    insert cannot interleave (docs/architecture.md#locking-rules)."""
    Delegation.objects.select_for_update().filter(pk=delegation_id).values_list("pk", flat=True).get()


@sensitive_variables()
def athlete_create(*, delegation: Delegation, data: AthleteData, user=None, photo=None) -> Athlete:
    """Add an athlete to the roster. The same document twice on one roster is refused.

    Locks the delegation row; the unique constraint backs the check up (DuplicateDocumentError)."""
    fields = document_fields(data.document_number)
    with transaction.atomic():
        delegation_lock_row(delegation.pk)
        if Athlete.objects.filter(delegation=delegation, document_hash=fields["document_hash"]).exists():
            raise DuplicateDocumentError(_("An athlete with this document is already on the roster."))
        athlete = Athlete(
            delegation=delegation,
            family_name_zh=data.family_name_zh,
            given_name_zh=data.given_name_zh,
            name_latin=data.name_latin,
            sex=data.sex,
            birth_date=data.birth_date,
            grade=data.grade,
            document_type=data.document_type,
            emergency_contact_name=data.emergency_contact_name,
            emergency_contact_phone=data.emergency_contact_phone,
            created_by=user,
            **fields,
        )
        if photo:
            athlete.photo = photo_clean(photo)
        try:
            with transaction.atomic():
                athlete.save()
        except IntegrityError:
            raise DuplicateDocumentError(
                _("An athlete with this document is already on the roster.")
            ) from None
        Guardian.objects.bulk_create(
            [Guardian(athlete=athlete, **vars(guardian)) for guardian in data.guardians]
        )
    return athlete


@sensitive_variables()
def athlete_update(*, athlete: Athlete, data: AthleteData, photo=None) -> Athlete:
    """Change an athlete; a new document number (non-empty) replaces the stored one.

    Without a new number, the document type cannot change, nor (for numbers that encode them) the
    birth date or sex: the stored number would no longer vouch for them (AthleteError)."""
    with transaction.atomic():
        if data.document_number:
            delegation_lock_row(athlete.delegation_id)
        athlete = Athlete.objects.select_for_update().get(pk=athlete.pk)
        if not data.document_number and (
            data.document_type != athlete.document_type
            or (
                athlete.document_type in GB11643_TYPES
                and (data.birth_date != athlete.birth_date or data.sex != athlete.sex)
            )
        ):
            raise AthleteError(
                _("Re-enter the document number to change the birth date, sex or document type.")
            )
        if data.document_number:
            fields = document_fields(data.document_number)
            clash = Athlete.objects.filter(
                delegation_id=athlete.delegation_id, document_hash=fields["document_hash"]
            ).exclude(pk=athlete.pk)
            if clash.exists():
                raise DuplicateDocumentError(_("An athlete with this document is already on the roster."))
            if (
                fields["document_hash"] != athlete.document_hash
                or data.document_type != athlete.document_type
            ):
                # An organiser vouched for the old document, not this one.
                attestations_supersede(athlete=athlete)
            for name, value in fields.items():
                setattr(athlete, name, value)
            athlete.document_type = data.document_type
        for name in (
            "family_name_zh",
            "given_name_zh",
            "name_latin",
            "sex",
            "birth_date",
            "grade",
            "emergency_contact_name",
            "emergency_contact_phone",
        ):
            setattr(athlete, name, getattr(data, name))
        if photo:
            athlete.photo = photo_clean(photo)
        athlete.save()
        _guardians_sync(athlete, data.guardians)
    return athlete


def _guardians_sync(athlete: Athlete, guardians: list[GuardianData]) -> None:
    """Update the guardians in place (by pk order), add extras, delete only the surplus: a guardian's
    consent links and consents point at the row, so an unrelated edit must not replace it."""
    existing = list(athlete.guardians.order_by("pk"))
    for row, new in zip(existing, guardians, strict=False):
        if any(getattr(row, name) != value for name, value in vars(new).items()):
            for name, value in vars(new).items():
                setattr(row, name, value)
            row.save(update_fields=list(vars(new)))
    Guardian.objects.bulk_create(
        [Guardian(athlete=athlete, **vars(new)) for new in guardians[len(existing) :]]
    )
    surplus = [row.pk for row in existing[len(guardians) :]]
    if surplus:
        Guardian.objects.filter(pk__in=surplus).delete()


def athlete_access_log(*, athlete: Athlete, user, kind: str) -> AthleteAccess | None:
    """Record that someone outside the athlete's delegation (an organiser, a superuser) read the
    record; members of the delegation are not logged. Returns the row written, if any."""
    if is_delegation_member.test(user, athlete):
        return None
    return AthleteAccess.objects.create(
        accessed_by=user,
        athlete=athlete,
        athlete_label=athlete.display_name,
        delegation_id=athlete.delegation_id,
        kind=kind,
    )


def roster_read_log(*, delegation: Delegation, athletes, user, kind: str) -> int:
    """Record one read per athlete when someone outside the delegation (an organiser, a superuser)
    opens a page listing its athletes; members are not logged (the membership check reuses the role
    the permission check cached, so a member's page costs no extra query). Iterating `athletes`
    fills a queryset's cache, so the page renders from the same rows."""
    if is_delegation_member.test(user, delegation):
        return 0
    rows = [
        AthleteAccess(
            accessed_by=user,
            athlete=athlete,
            athlete_label=athlete.display_name,
            delegation_id=delegation.pk,
            kind=kind,
        )
        for athlete in athletes
    ]
    AthleteAccess.objects.bulk_create(rows)
    return len(rows)


def athletes_access_log(*, athletes, user, kind: str) -> int:
    """Record one read per athlete for a bulk read (an export). Exports are organiser-only, so every
    athlete is outside the reader's delegation unless the reader also manages it."""
    member_of = set(user.delegation_memberships.values_list("delegation_id", flat=True))
    rows = [
        AthleteAccess(
            accessed_by=user,
            athlete=athlete,
            athlete_label=athlete.display_name,
            delegation_id=athlete.delegation_id,
            kind=kind,
        )
        for athlete in {athlete.pk: athlete for athlete in athletes}.values()
        if athlete.delegation_id not in member_of
    ]
    AthleteAccess.objects.bulk_create(rows)
    return len(rows)


# --- entries -----------------------------------------------------------------------------------


# --- key rotation ------------------------------------------------------------------------------
