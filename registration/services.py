"""Write paths for delegations, memberships, teams, athletes, entries and document reveals.

Every service is keyword-only, runs in one transaction and raises RegistrationError subclasses.
Document numbers enter only through `athlete_create`/`athlete_update` (already validated by
registration.validators) and leave only through `document_reveal`. `document_attest` records an
organiser's check of a document (type and last four only); a changed document supersedes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from events.enums import EventStatus
from registration.crypto import decrypt_document, document_hash, encrypt_document, mask_document
from registration.eligibility import evaluate_entry
from registration.enums import DocumentType, EntryStatus, MembershipRole
from registration.errors import (
    AthleteError,
    AttestationError,
    DelegationError,
    DuplicateDocumentError,
    EntryError,
    EntryRefused,
    InvitationError,
    RevealError,
)
from registration.models import (
    Athlete,
    AthleteAccess,
    AttestationMethod,
    Delegation,
    DelegationMembership,
    DocumentAttestation,
    DocumentReveal,
    Entry,
    Guardian,
    Team,
)
from registration.rules import is_delegation_member, is_delegation_programme_organiser
from registration.validators import GB11643_TYPES

INVITATION_VALID_DAYS = 14


# --- delegations and teams -------------------------------------------------------------------


def delegation_create(*, user, programme, city, kind: str, name_zh: str, name_en: str = "") -> Delegation:
    """Create a delegation; its creator becomes its first (accepted) manager."""
    with transaction.atomic():
        if Delegation.objects.filter(programme=programme, name_zh=name_zh).exists():
            raise DelegationError(_("A delegation with this name already exists in this programme."))
        delegation = Delegation.objects.create(
            programme=programme, city=city, kind=kind, name_zh=name_zh, name_en=name_en, created_by=user
        )
        DelegationMembership.objects.create(
            delegation=delegation, user=user, role=MembershipRole.MANAGER, accepted_at=timezone.now()
        )
    return delegation


def team_create(*, delegation: Delegation, event, name: str, user=None) -> Team:
    """A team for a published event of the delegation's programme."""
    if event.programme_id != delegation.programme_id:
        raise DelegationError(_("This event belongs to another programme."))
    if event.status != EventStatus.PUBLISHED:
        raise DelegationError(_("Teams can only be entered in published events."))
    with transaction.atomic():
        if Team.objects.filter(delegation=delegation, event=event, name=name).exists():
            raise DelegationError(_("This delegation already has a team with this name in this event."))
        return Team.objects.create(delegation=delegation, event=event, name=name)


# --- invitations ---------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(*, membership_id: int, token: str, language: str, accept_url: str) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    membership = DelegationMembership.objects.select_related("delegation", "invited_by").get(pk=membership_id)
    with translation.override(language):
        context = {
            "membership": membership,
            "delegation": membership.delegation,
            "role": membership.get_role_display(),
            "inviter": membership.invited_by,
            "accept_url": accept_url,
            "valid_days": INVITATION_VALID_DAYS,
        }
        subject = render_to_string("registration/email/invitation_subject.txt", context).strip()
        body = render_to_string("registration/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.invited_email])


def membership_invite(
    *, delegation: Delegation, email: str, role: str, invited_by, language: str, build_accept_url
) -> DelegationMembership:
    """Invite someone by email to join as manager, coach or chaperone.

    A one-time token goes in the email only; its SHA-256 is stored. The email is sent on commit in
    the recipient's language (their account's preference if they have one, else `language`).
    `build_accept_url(token)` turns the token into an absolute link.
    """
    from django.contrib.auth import get_user_model

    email = email.strip().lower()
    existing_user = get_user_model().objects.filter(email__iexact=email).first()
    if existing_user is not None:
        language = existing_user.preferred_language
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # An expired invitation can no longer be accepted; it must not block a fresh one.
        DelegationMembership.objects.filter(
            delegation=delegation,
            invited_email__iexact=email,
            accepted_at__isnull=True,
            created_at__lt=invitation_expiry_cutoff(),
        ).delete()
        already = DelegationMembership.objects.filter(delegation=delegation).filter(
            user__email__iexact=email
        ) | DelegationMembership.objects.filter(
            delegation=delegation, invited_email__iexact=email, accepted_at__isnull=True
        )
        if already.exists():
            raise InvitationError(_("This person is already a member or has an open invitation."))
        membership = DelegationMembership.objects.create(
            delegation=delegation,
            role=role,
            invited_email=email,
            invitation_token_hash=_token_hash(token),
            invited_by=invited_by,
        )
        accept_url = build_accept_url(token)
        transaction.on_commit(
            lambda: _send_invitation(
                membership_id=membership.pk, token=token, language=language, accept_url=accept_url
            )
        )
    return membership


def invitation_expiry_cutoff() -> dt.datetime:
    """Invitations created before this moment have expired."""
    return timezone.now() - dt.timedelta(days=INVITATION_VALID_DAYS)


def _check_recipient(membership: DelegationMembership, user) -> None:
    """The link is bound to the address it was sent to: whoever holds it must have logged in with
    that address, verified (a forwarded or leaked link is useless to another account)."""
    from allauth.account.models import EmailAddress

    if (user.email or "").lower() != membership.invited_email.lower():
        raise InvitationError(
            _("This invitation was sent to another email address; log in with that address to accept it.")
        )
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise InvitationError(_("Verify your email address before accepting the invitation."))


def invitation_get(*, token: str, user=None) -> DelegationMembership:
    """The open invitation for this token, or InvitationError (unknown, used or expired, or, when
    `user` is given, addressed to someone else)."""
    membership = (
        DelegationMembership.objects.select_related("delegation")
        .filter(invitation_token_hash=_token_hash(token), accepted_at__isnull=True)
        .first()
    )
    if membership is None:
        raise InvitationError(_("This invitation link is not valid or has already been used."))
    if membership.created_at < invitation_expiry_cutoff():
        raise InvitationError(_("This invitation has expired; ask the team manager for a new one."))
    if user is not None:
        _check_recipient(membership, user)
    return membership


def membership_accept(*, token: str, user) -> DelegationMembership:
    """Bind the logged-in user to the invitation; the token cannot be used again. Only the account
    with the invited (verified) email address may accept."""
    with transaction.atomic():
        membership = invitation_get(token=token, user=user)
        membership = DelegationMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.accepted_at is not None:
            raise InvitationError(_("This invitation link is not valid or has already been used."))
        if DelegationMembership.objects.filter(delegation_id=membership.delegation_id, user=user).exists():
            raise InvitationError(_("You are already a member of this delegation."))
        membership.user = user
        membership.accepted_at = timezone.now()
        membership.invitation_token_hash = ""
        membership.save(update_fields=["user", "accepted_at", "invitation_token_hash"])
    return membership


def membership_remove(*, membership: DelegationMembership) -> None:
    """Remove a member or cancel an invitation; a delegation always keeps one manager."""
    with transaction.atomic():
        if membership.role == MembershipRole.MANAGER and membership.accepted_at is not None:
            managers = DelegationMembership.objects.select_for_update().filter(
                delegation_id=membership.delegation_id, role=MembershipRole.MANAGER, accepted_at__isnull=False
            )
            if managers.count() <= 1:
                raise InvitationError(_("A delegation needs at least one team manager."))
        membership.delete()


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


PHOTO_MAX_PIXELS = (600, 800)  # a badge prints it at 30 x 40 mm: 600 x 800 is over 500 dpi


def photo_clean(photo):
    """The photo re-encoded as a JPEG with no metadata (EXIF carries GPS positions, device names and
    the original file name's date); orientation is applied first so the picture stays upright. It is
    shrunk to PHOTO_MAX_PIXELS: a 12-megapixel phone photo made each badge cost half a second and 8 MB."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    photo.seek(0)
    with Image.open(photo) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(PHOTO_MAX_PIXELS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88)
    return ContentFile(out.getvalue(), name="photo.jpg")


@sensitive_variables()
def document_fields(number: str) -> dict:
    """The stored representation of a normalised number: token, keyed hash, last four, mask."""
    return {
        "document_number_encrypted": encrypt_document(number),
        "document_hash": document_hash(number),
        "document_last4": number[-4:],
        "document_masked": mask_document(number),
    }


def roster_lock(delegation_id: int) -> None:
    """Every write that adds a document to a roster (create, new number, import) locks the delegation
    row first, so the duplicate check and the insert cannot interleave."""
    Delegation.objects.select_for_update().filter(pk=delegation_id).values_list("pk", flat=True).get()


@sensitive_variables()
def athlete_create(*, delegation: Delegation, data: AthleteData, user=None, photo=None) -> Athlete:
    """Add an athlete to the roster. The same document twice on one roster is refused.

    Locks the delegation row; the unique constraint backs the check up (DuplicateDocumentError)."""
    fields = document_fields(data.document_number)
    with transaction.atomic():
        roster_lock(delegation.pk)
        if Athlete.objects.filter(delegation=delegation, document_hash=fields["document_hash"]).exists():
            raise DuplicateDocumentError(_("An athlete with this document is already on the roster."))
        athlete = Athlete(
            delegation=delegation,
            family_name_zh=data.family_name_zh,
            given_name_zh=data.given_name_zh,
            name_latin=data.name_latin,
            sex=data.sex,
            birth_date=data.birth_date,
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
            roster_lock(athlete.delegation_id)
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
    """Record that an organiser of the athlete's programme checked the document (DOMAIN §4: verify,
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


def entry_create(*, team: Team, athlete: Athlete, user=None) -> Entry:
    """Enter an athlete in the team's event as a draft, if the eligibility engine allows it.

    Locks the team row first (roster maximum is scarce), then the athlete row (the events-per-athlete
    limit counts entries across teams, which lock different team rows), then evaluates every rule and
    raises EntryRefused with all refusals. The database constraint backs up "one team per event".
    """
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("event", "delegation").get(pk=team.pk)
        athlete = Athlete.objects.select_for_update().get(pk=athlete.pk)
        refusals = evaluate_entry(athlete=athlete, team=team)
        if refusals:
            raise EntryRefused(refusals)
        try:
            with transaction.atomic():
                return Entry.objects.create(
                    athlete=athlete, team=team, event=team.event, status=EntryStatus.DRAFT, created_by=user
                )
        except IntegrityError:
            raise EntryError(_("This athlete is already entered in this event for a team.")) from None


# --- key rotation ------------------------------------------------------------------------------


@dataclass
class RotationResult:
    total: int
    rotated: int


@sensitive_variables()
def document_keys_rotate(*, dry_run: bool = False, batch_size: int = 500) -> RotationResult:
    """Re-encrypt every document token not made with the newest key, batch by batch (each batch one
    transaction, rows locked by primary key order). The plain number never leaves this function."""
    from registration.crypto import needs_rotation, rotate_token

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
