"""Consent per purpose and the safety paperwork (docs/architecture.md#childrens-data): the services
that record them and the guardians' one-time consent links (the checklist of what an athlete still
lacks is selectors.paperwork).

Age bands use the age on the event's first day: under 14 the guardian consents, purpose by purpose;
14–17 the athlete consents and the guardian declares; adults consent for themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.mail import mail_send_after_commit
from registration.errors import ConsentError, PaperworkError
from registration.models import (
    Athlete,
    Consent,
    ConsentGiver,
    ConsentLink,
    ConsentMethod,
    ConsentPurpose,
    ConsentRulesText,
    Guardian,
    HealthRecord,
    InsuranceProof,
    SafetyDeclaration,
)
from registration.selectors.paperwork import (
    rules_text_current,
)
from registration.services.accreditation import badge_sheets_discard

CONSENT_LINK_DAYS = 14
RISK_NOTICE_VERSION = "2027-1"
OPTIONAL_PURPOSES = (
    ConsentPurpose.HEALTH,
    ConsentPurpose.PHOTOS,
    ConsentPurpose.TRANSFER_ABROAD,
    ConsentPurpose.MARKETING,
)


# --- selectors ---------------------------------------------------------------------------------


# --- consent services --------------------------------------------------------------------------


def _rules_text(rules_text: ConsentRulesText | None) -> ConsentRulesText:
    rules_text = rules_text or rules_text_current()
    if rules_text is None or rules_text.published_at is None:
        raise ConsentError(_("No rules text for children's data has been published yet."))
    return rules_text


def consent_record(
    *,
    athlete: Athlete,
    purpose: str,
    given_by: str,
    granted: bool,
    method: str,
    user=None,
    guardian: Guardian | None = None,
    rules_text: ConsentRulesText | None = None,
) -> Consent:
    """Record one consent (or refusal) for one purpose. A current consent for the same purpose and
    giver is closed (`withdrawn_at`) first, so the history stays; locks the athlete row."""
    if purpose not in ConsentPurpose.values or given_by not in ConsentGiver.values:
        raise ConsentError(_("Unknown consent purpose."))
    if guardian is not None and guardian.athlete_id != athlete.pk:
        raise ConsentError(_("This guardian belongs to another athlete."))
    rules_text = _rules_text(rules_text)
    now = timezone.now()
    with transaction.atomic():
        Athlete.objects.select_for_update().filter(pk=athlete.pk).first()
        previous = Consent.objects.filter(
            athlete=athlete, purpose=purpose, given_by=given_by, withdrawn_at__isnull=True
        ).first()
        if previous is not None:
            previous.withdrawn_at = now
            previous.save(update_fields=["withdrawn_at"])
            if previous.granted and not granted:  # a refusal replacing a consent is a withdrawal
                _consent_ended(athlete, purpose, now)
        return Consent.objects.create(
            athlete=athlete,
            purpose=purpose,
            given_by=given_by,
            guardian=guardian,
            granted=granted,
            rules_text=rules_text,
            method=method,
            recorded_by=user,
            given_at=now,
        )


def _consent_ended(athlete: Athlete, purpose: str, now: dt.datetime) -> None:
    """What ends with a granted consent, whether withdrawn or replaced by a refusal: the health notes
    (the certificate date stays: it is a safety requirement, not health data), or the printed badge
    sheets that show the photo (a new one is made from the roster as it is now, without it)."""
    if purpose == ConsentPurpose.HEALTH:
        _erase_health_notes(athlete, now)
    elif purpose == ConsentPurpose.PHOTOS:
        badge_sheets_discard(delegation_ids=[athlete.delegation_id])


def _erase_health_notes(athlete: Athlete, now: dt.datetime) -> None:
    HealthRecord.objects.filter(athlete=athlete).exclude(notes="").update(notes="", notes_erased_at=now)


def consent_withdraw(*, consent: Consent, user=None) -> Consent:
    """Withdraw a consent (the time is recorded). Withdrawing health-data consent erases the health
    notes at once (the certificate date stays: it is a safety requirement, not health data);
    withdrawing photo consent deletes the delegation's printed badge sheets."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ConsentError(_("This consent was already withdrawn."))
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        if consent.purpose != ConsentPurpose.HEALTH or not has_other_health_consent(consent):
            _consent_ended(consent.athlete, consent.purpose, consent.withdrawn_at)
    return consent


def has_other_health_consent(consent: Consent) -> bool:
    return (
        Consent.objects.filter(
            athlete_id=consent.athlete_id,
            purpose=ConsentPurpose.HEALTH,
            granted=True,
            withdrawn_at__isnull=True,
        )
        .exclude(pk=consent.pk)
        .exists()
    )


# --- guardian links ----------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _consent_link_mail(*, link: ConsentLink, url: str, language: str) -> None:
    """Queued after commit through the one mail path; the one-time link is sealed in the broker."""
    mail_send_after_commit(
        to=[link.guardian.email],
        template="registration/email/consent_link",
        context={"child": link.athlete.display_name, "url": url, "days": CONSENT_LINK_DAYS},
        language=language,
    )


def consent_link_send(*, athlete: Athlete, guardian: Guardian, user, build_url, language: str) -> ConsentLink:
    """Email the guardian a one-time link (token hashed at rest) to give consent without an account."""
    if guardian.athlete_id != athlete.pk:
        raise ConsentError(_("This guardian belongs to another athlete."))
    if not guardian.email:
        raise ConsentError(_("Add the guardian's email address first."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ConsentLink.objects.create(
            athlete=athlete,
            guardian=guardian,
            token_hash=_hash(token),
            created_by=user,
            expires_at=timezone.now() + dt.timedelta(days=CONSENT_LINK_DAYS),
        )
        _consent_link_mail(link=link, url=build_url(token), language=language)
    return link


def consent_link_get(*, token: str) -> ConsentLink:
    link = (
        ConsentLink.objects.select_related("athlete", "guardian")
        .filter(token_hash=_hash(token), used_at__isnull=True)
        .first()
    )
    if link is None or link.expires_at <= timezone.now():
        raise ConsentError(_("This consent link is not valid, has expired or was already used."))
    return link


def consent_link_submit(*, token: str, choices: dict[str, bool]) -> list[Consent]:
    """The guardian's answers through the link: one consent row per purpose; the link is spent."""
    with transaction.atomic():
        link = consent_link_get(token=token)
        link = ConsentLink.objects.select_for_update().select_related("athlete", "guardian").get(pk=link.pk)
        if link.used_at is not None:
            raise ConsentError(_("This consent link is not valid, has expired or was already used."))
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        return [
            consent_record(
                athlete=link.athlete,
                purpose=purpose,
                given_by=ConsentGiver.GUARDIAN,
                granted=bool(choices.get(purpose, False)),
                method=ConsentMethod.LINK,
                guardian=link.guardian,
            )
            for purpose in ConsentPurpose.values
        ]


# --- safety paperwork --------------------------------------------------------------------------


def declaration_record(
    *, athlete: Athlete, athlete_signed: bool, guardian_signed: bool, guardian_name: str = "", user=None
) -> SafetyDeclaration:
    """Record the signatures on the risk notice and voluntary participation declaration."""
    if guardian_signed and not guardian_name.strip():
        raise PaperworkError(_("Give the name of the guardian who signed."))
    now = timezone.now()
    with transaction.atomic():
        declaration, _created = SafetyDeclaration.objects.select_for_update().get_or_create(
            athlete=athlete, defaults={"risk_notice_version": RISK_NOTICE_VERSION}
        )
        declaration.risk_notice_version = RISK_NOTICE_VERSION
        declaration.athlete_signed_at = (declaration.athlete_signed_at or now) if athlete_signed else None
        declaration.guardian_signed_at = (declaration.guardian_signed_at or now) if guardian_signed else None
        declaration.guardian_name = guardian_name.strip() if guardian_signed else ""
        declaration.recorded_by = user
        declaration.save()
    return declaration


def insurance_record(
    *,
    athlete: Athlete,
    insurer: str,
    policy_number: str,
    covers_travel: bool,
    valid_from: dt.date,
    valid_until: dt.date,
    user=None,
) -> InsuranceProof:
    if not covers_travel:
        raise PaperworkError(_("The accident insurance must cover travel to and from the event."))
    if valid_until < valid_from:
        raise PaperworkError(_("The insurance must end after it starts."))
    with transaction.atomic():
        proof, _created = InsuranceProof.objects.update_or_create(
            athlete=athlete,
            defaults={
                "insurer": insurer.strip(),
                "policy_number": policy_number.strip(),
                "covers_travel": covers_travel,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "recorded_by": user,
            },
        )
    return proof


def health_record(*, athlete: Athlete, certificate_date: dt.date | None, notes: str = "") -> HealthRecord:
    """Store the certificate date; health notes only with a current health-data consent."""
    notes = notes.strip()
    if (
        notes
        and not Consent.objects.filter(
            athlete=athlete, purpose=ConsentPurpose.HEALTH, granted=True, withdrawn_at__isnull=True
        ).exists()
    ):
        raise PaperworkError(_("Health notes can only be kept with the health-data consent."))
    if certificate_date and certificate_date > timezone.localdate():
        raise PaperworkError(_("The health certificate date cannot be in the future."))
    with transaction.atomic():
        record, _created = HealthRecord.objects.update_or_create(
            athlete=athlete, defaults={"certificate_date": certificate_date, "notes": notes}
        )
    return record
