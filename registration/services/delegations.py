"""Delegations, teams and memberships: creating them, invitations by one-time link, accepting and removing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import EventStatus
from events.mail import mail_send_after_commit
from registration.enums import MembershipRole
from registration.errors import (
    DelegationError,
    InvitationError,
)
from registration.models import (
    Delegation,
    DelegationMembership,
    Team,
)


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


def team_create(*, delegation: Delegation, event, name_zh: str, name_en: str = "", user=None) -> Team:
    """A team for a published event of the delegation's programme, named in both languages."""
    if event.programme_id != delegation.programme_id:
        raise DelegationError(_("This event belongs to another programme."))
    if event.status != EventStatus.PUBLISHED:
        raise DelegationError(_("Teams can only be entered in published events."))
    with transaction.atomic():
        if Team.objects.filter(delegation=delegation, event=event, name_zh=name_zh).exists():
            raise DelegationError(_("This delegation already has a team with this name in this event."))
        return Team.objects.create(delegation=delegation, event=event, name_zh=name_zh, name_en=name_en)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_mail(*, membership: DelegationMembership, accept_url: str, language: str) -> None:
    """Queued after commit through the one mail path; the accept link is sealed in the broker."""
    mail_send_after_commit(
        to=[membership.invited_email],
        template="registration/email/invitation",
        context={
            "membership": membership,
            "delegation": membership.delegation,
            "role": membership.get_role_display,  # called while rendering, in the recipient's language
            "inviter": membership.invited_by,
            "accept_url": accept_url,
            "valid_days": INVITATION_VALID_DAYS,
        },
        language=language,
    )


def membership_invite(
    *, delegation: Delegation, email: str, role: str, invited_by, language: str, build_accept_url
) -> DelegationMembership:
    """Invite someone by email to join as manager, coach or chaperone.

    A one-time token goes in the email only; its SHA-256 is stored. The email is sent on commit in
    the recipient's language (their account's preference if they have one, else `language`).
    `build_accept_url(token)` turns the token into an absolute link.
    """

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
        _invitation_mail(membership=membership, accept_url=build_accept_url(token), language=language)
    return membership


def invitation_expiry_cutoff() -> dt.datetime:
    """Invitations created before this moment have expired."""
    return timezone.now() - dt.timedelta(days=INVITATION_VALID_DAYS)


def _check_recipient(membership: DelegationMembership, user) -> None:
    """The link is bound to the address it was sent to: whoever holds it must have logged in with
    that address, verified (a forwarded or leaked link is useless to another account)."""

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


INVITATION_VALID_DAYS = 14
