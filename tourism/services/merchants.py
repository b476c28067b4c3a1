"""Merchants joining a programme: the application, the organiser's decision, stores and staff.

Anyone logged in may apply (business name, credit code with its check character, category, city,
a first store, the accepted version of the merchant terms) and becomes the owner; an organiser of
the programme approves or refuses with a reason. The owner invites counter staff by email, bound to
the invited address like delegation invitations: only that verified account can accept.

Locking: `merchant_decide` locks the MERCHANT row; `staff_accept` locks the MEMBERSHIP row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.mail import mail_send_after_commit
from tourism.enums import MerchantRole, MerchantStatus
from tourism.errors import InvitationError, MerchantError
from tourism.models import Merchant, MerchantMembership, MerchantTerms, Store
from tourism.validators import validate_credit_code, validate_opening_hours

INVITATION_VALID_DAYS = 14


@dataclass(frozen=True)
class StoreData:
    name_zh: str
    address_zh: str
    city_id: int
    latitude: Decimal
    longitude: Decimal
    opening_hours: dict
    name_en: str = ""
    address_en: str = ""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "merchant"
    slug = base
    while Merchant.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6).lower()}"
    return slug


def _store_row(merchant: Merchant, data: StoreData) -> Store:
    try:
        validate_opening_hours(data.opening_hours)
    except ValidationError as exc:
        raise MerchantError(exc.messages[0], code="opening_hours") from exc
    if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        raise MerchantError(_("Latitude must be within ±90 and longitude within ±180."), code="coordinates")
    return Store(
        merchant=merchant,
        name_zh=data.name_zh.strip(),
        name_en=data.name_en.strip() or data.name_zh.strip(),
        city_id=data.city_id,
        address_zh=data.address_zh.strip(),
        address_en=data.address_en.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        opening_hours=data.opening_hours,
    )


def merchant_apply(
    *,
    user,
    programme,
    name_zh: str,
    name_en: str,
    credit_code: str,
    category: str,
    city,
    contact_phone: str,
    terms: MerchantTerms,
    store: StoreData,
) -> Merchant:
    """Start an application: the merchant (status applied), its first store, the applicant as owner.
    Refused (MerchantError) for an invalid credit code or one already applied with this programme."""
    try:
        code = validate_credit_code(credit_code)
    except ValidationError as exc:
        raise MerchantError(exc.messages[0], code="credit_code") from exc
    now = timezone.now()
    try:
        with transaction.atomic():
            merchant = Merchant.objects.create(
                slug=_unique_slug(name_en or code),
                programme=programme,
                name_zh=name_zh.strip(),
                name_en=(name_en or name_zh).strip(),
                credit_code=code,
                category=category,
                city=city,
                contact_phone=contact_phone.strip(),
                status=MerchantStatus.APPLIED,
                applicant=user,
                applied_at=now,
                terms=terms,
                terms_accepted_at=now,
            )
            _store_row(merchant, store).save()
            MerchantMembership.objects.create(
                user=user, merchant=merchant, role=MerchantRole.OWNER, accepted_at=now
            )
    except IntegrityError as exc:
        raise MerchantError(
            _("A merchant with this credit code has already applied to this programme."), code="duplicate"
        ) from exc
    return merchant


def merchant_decide(*, merchant: Merchant, by, approve: bool, reason: str = "") -> Merchant:
    """Approve or refuse an application (a refusal needs a reason), or suspend an approved merchant.
    Locks the MERCHANT row. Deciding the same way again changes nothing."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise MerchantError(_("Give the applicant a reason for the refusal."), code="reason_required")
    target = MerchantStatus.APPROVED if approve else MerchantStatus.REFUSED
    with transaction.atomic():
        locked = Merchant.objects.select_for_update().get(pk=merchant.pk)
        if locked.status == target and locked.refusal_reason == ("" if approve else reason[:300]):
            return locked
        locked.status = target
        locked.refusal_reason = "" if approve else reason[:300]
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return locked


def store_create(*, merchant: Merchant, data: StoreData) -> Store:
    """Add a store to a merchant (the owner's page)."""
    store = _store_row(merchant, data)
    store.save()
    return store


def store_suspend(*, store: Store, reason: str) -> Store:
    """An organiser takes a store off the programme (its counter redeems nothing until restored)."""
    reason = (reason or "").strip()
    if not reason:
        raise MerchantError(_("Give a reason for the suspension."), code="reason_required")
    Store.objects.filter(pk=store.pk).update(suspended_at=timezone.now(), suspended_reason=reason[:300])
    store.refresh_from_db()
    return store


def store_restore(*, store: Store) -> Store:
    Store.objects.filter(pk=store.pk).update(suspended_at=None, suspended_reason="")
    store.refresh_from_db()
    return store


# --- Staff -----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expiry_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=INVITATION_VALID_DAYS)


def staff_invite(
    *, merchant: Merchant, email: str, store: Store | None, invited_by, language: str, build_accept_url
) -> MerchantMembership:
    """Invite counter staff by email for one store (or every store). The one-time token goes in the
    email only; its SHA-256 is stored; only the account with this verified address can accept."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise InvitationError(_("Enter the staff member's email address."))
    if store is not None and store.merchant_id != merchant.pk:
        raise InvitationError(_("This store belongs to another merchant."))
    existing_user = get_user_model().objects.filter(email__iexact=email).first()
    if existing_user is not None:
        language = existing_user.preferred_language or language
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        MerchantMembership.objects.filter(
            merchant=merchant,
            invited_email__iexact=email,
            user__isnull=True,
            created_at__lt=invitation_expiry_cutoff(),
        ).delete()
        member = MerchantMembership.objects.filter(merchant=merchant, user__email__iexact=email).exists()
        open_invite = MerchantMembership.objects.filter(
            merchant=merchant, invited_email__iexact=email, user__isnull=True
        ).exists()
        if member or open_invite:
            raise InvitationError(_("This person already works here or has an open invitation."))
        membership = MerchantMembership.objects.create(
            merchant=merchant,
            role=MerchantRole.STAFF,
            store=store,
            invited_email=email,
            invitation_token_hash=_token_hash(token),
            invited_by=invited_by,
        )
        mail_send_after_commit(
            to=[email],
            template="tourism/email/staff_invitation",
            context={
                "merchant": merchant,
                "store": store,
                "inviter": invited_by,
                "accept_url": build_accept_url(token),
                "valid_days": INVITATION_VALID_DAYS,
            },
            language=language,
        )
    return membership


def staff_invitation_get(*, token: str, user=None) -> MerchantMembership:
    """The open invitation for this token, or InvitationError (unknown, used, expired, or, when
    `user` is given, sent to another address or not yet verified)."""
    membership = (
        MerchantMembership.objects.select_related("merchant", "store")
        .filter(invitation_token_hash=_token_hash(token or ""), user__isnull=True)
        .first()
    )
    if membership is None or not token:
        raise InvitationError(_("This invitation link is not valid or has already been used."))
    if membership.created_at < invitation_expiry_cutoff():
        raise InvitationError(_("This invitation has expired; ask the merchant for a new one."))
    if user is not None:
        if (user.email or "").lower() != membership.invited_email.lower():
            raise InvitationError(
                _("This invitation was sent to another email address; log in with that address to accept it.")
            )
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            raise InvitationError(_("Verify your email address before accepting the invitation."))
    return membership


def staff_accept(*, token: str, user) -> MerchantMembership:
    """Bind the logged-in, verified invited account to the invitation; the token is then spent.
    Locks the MEMBERSHIP row."""
    with transaction.atomic():
        membership = staff_invitation_get(token=token, user=user)
        membership = MerchantMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.user_id is not None:
            raise InvitationError(_("This invitation link is not valid or has already been used."))
        if MerchantMembership.objects.filter(merchant_id=membership.merchant_id, user=user).exists():
            raise InvitationError(_("You already work for this merchant."))
        membership.user = user
        membership.accepted_at = timezone.now()
        membership.invitation_token_hash = ""
        membership.save(update_fields=["user", "accepted_at", "invitation_token_hash"])
    return membership


def staff_remove(*, membership: MerchantMembership) -> None:
    """Remove counter staff or cancel an invitation; the owner stays."""
    if membership.role == MerchantRole.OWNER:
        raise MerchantError(_("The owner cannot be removed."), code="owner")
    membership.delete()
