"""Guardians: a private link to their own child's itinerary, roll-calls and handover, and the PIN
they show when they collect the child.

Only SHA-256 of the link's token and a password hash of the PIN are stored; both are sent once, to
the guardian's email. Locking rule: `handover_record` locks the `Athlete` row, so one child is handed
over once (the unique constraint is the second net). Wrong PINs are counted in the shared cache per
child and per person handing over: past PIN_MISSES in PIN_WINDOW_SECONDS every attempt is refused,
so a six-digit PIN cannot be guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.mail import mail_send_after_commit
from events.ratelimit import attempt_refund, attempt_reserve
from registration.models import Athlete, Delegation, Guardian
from tourism.exchange.errors import GuardianLinkError, HandoverError
from tourism.exchange.models import GuardianLink, Handover
from tourism.exchange.selectors import guardian_link_get

LINK_DAYS = 60
PIN_DIGITS = 6
PIN_MISSES = 5  # wrong PINs per child, and per person handing over, ...
PIN_WINDOW_SECONDS = 15 * 60  # ... in this window; then every attempt is refused until it ends

logger = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def guardian_link_create(*, guardian: Guardian, user=None) -> tuple[GuardianLink, str, str]:
    """A new link and PIN for this guardian (older links stop working); emailed when the guardian
    has an address. Returns the row, the token and the PIN: show them only to the guardian."""
    token = secrets.token_urlsafe(32)
    pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
    with transaction.atomic():
        GuardianLink.objects.filter(guardian=guardian).delete()
        link = GuardianLink.objects.create(
            guardian=guardian,
            token_hash=token_hash(token),
            pin_hash=make_password(pin),
            expires_at=timezone.now() + dt.timedelta(days=LINK_DAYS),
        )
        if guardian.email:
            mail_send_after_commit(
                to=[guardian.email],
                template="exchange/email/guardian_link",
                context={
                    "child": guardian.athlete.display_name,
                    "url": settings.SITE_URL + reverse("exchange:guardian", kwargs={"token": token}),
                    "pin": pin,
                },
                language=None,
            )
    return link, token, pin


def guardian_link_resolve(*, token: str) -> GuardianLink:
    link = guardian_link_get(token_hash(token or ""), timezone.now())
    if link is None:
        raise GuardianLinkError(_("This link is not valid or has expired."))
    return link


def handover_record(
    *, delegation: Delegation, athlete: Athlete, guardian: Guardian, pin: str, user=None
) -> Handover:
    """Hand a child to a guardian listed for them, after their PIN checks. Locks the athlete row.

    Refused without checking the PIN once the child or the person has PIN_MISSES wrong PINs in the
    window; refusals are logged by row ids only."""
    if athlete.delegation_id != delegation.pk or guardian.athlete_id != athlete.pk:
        raise HandoverError(_("This guardian is not listed for this child."))
    keys = [f"exchange:handover-pin-misses:athlete:{athlete.pk}"]
    if getattr(user, "pk", None) is not None:
        keys.append(f"exchange:handover-pin-misses:user:{user.pk}")
    if not attempt_reserve(*keys, limit=PIN_MISSES, window_seconds=PIN_WINDOW_SECONDS):
        logger.warning(
            "handover refused: too many wrong PINs (athlete %s, user %s)",
            athlete.pk,
            getattr(user, "pk", None),
        )
        raise HandoverError(
            _(
                "Too many wrong PINs for this handover: wait fifteen minutes, or call the delegation's manager."
            )
        )
    link = GuardianLink.objects.filter(guardian=guardian, expires_at__gt=timezone.now()).first()
    if link is None or not check_password((pin or "").strip(), link.pin_hash):
        # The reserved attempt stays counted: a miss.
        logger.info(
            "handover refused: wrong PIN (athlete %s, user %s)", athlete.pk, getattr(user, "pk", None)
        )
        raise HandoverError(_("The PIN does not match. Ask the guardian for the PIN sent to them."))
    attempt_refund(*keys)
    with transaction.atomic():
        Athlete.objects.select_for_update().filter(pk=athlete.pk).first()
        existing = Handover.objects.filter(delegation=delegation, athlete=athlete).first()
        if existing is not None:
            raise HandoverError(_("This child was already handed over."))
        try:
            with transaction.atomic():
                return Handover.objects.create(
                    delegation=delegation, athlete=athlete, guardian=guardian, handed_by=user
                )
        except IntegrityError as exc:  # pragma: no cover - the athlete lock serialises handovers
            raise HandoverError(_("This child was already handed over.")) from exc
