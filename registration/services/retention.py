"""Retention (PIPL: the shortest retention that serves the purpose): photos go after the event plus
REGISTRATION_PHOTO_RETENTION_DAYS unless photo consent is current; health data goes after the event
plus the claim window (REGISTRATION_CLAIM_WINDOW_DAYS); athletes past `retain_until` are anonymised
(names replaced, document fields and keyed hash cleared, guardians and paperwork deleted, the name
replaced on the competitors and badges that copied it, badge sheets deleted, and what higher apps
registered through registration/hooks.py removed with them). Removing a photo deletes the badge
sheets of the athlete's delegation too (they print it).
A dry run counts what would change and changes nothing.

Document attestations of an anonymised athlete are kept, but stripped to the organiser's check: the
document type, the method, who attested and when. Their last four characters and note are erased
(the note is free text that may name the child; the last four, with the kept birth year, would let
someone match the anonymised row to a person, and the athlete's own last four are cleared too).
They are not deleted because they record an organiser's act rather than the child's data: that a
document was checked, by whom and when, is what a later dispute about eligibility asks for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from registration.hooks import athletes_forgotten
from registration.models import (
    Athlete,
    AthleteAccess,
    Consent,
    ConsentLink,
    ConsentPurpose,
    DocumentAttestation,
    DocumentReveal,
    Guardian,
    HealthRecord,
    InsuranceProof,
    SafetyDeclaration,
)
from registration.services.accreditation import badge_sheets_discard, badges_relabel
from registration.services.competitors import competitors_rename

ANONYMOUS_ZH = "匿名"
ANONYMOUS_LATIN = "ANONYMISED"


@dataclass
class RetentionReport:
    photos_removed: int = 0
    health_records_deleted: int = 0
    athletes_anonymised: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _claim_days() -> int:
    return int(getattr(settings, "REGISTRATION_CLAIM_WINDOW_DAYS", 180))


def _photo_days() -> int:
    return int(getattr(settings, "REGISTRATION_PHOTO_RETENTION_DAYS", 30))


def _with_last_day(queryset):
    return queryset.annotate(last_day=Max("entries__event__end_date"))


def photos_due(today: dt.date):
    photo_consent = Consent.objects.filter(
        athlete=OuterRef("pk"), purpose=ConsentPurpose.PHOTOS, granted=True, withdrawn_at__isnull=True
    )
    return (
        _with_last_day(Athlete.objects.exclude(photo="").filter(anonymised_at__isnull=True))
        .filter(last_day__lt=today - dt.timedelta(days=_photo_days()))
        .exclude(Exists(photo_consent))
    )


def health_due(today: dt.date):
    athletes = _with_last_day(Athlete.objects.all()).filter(
        last_day__lt=today - dt.timedelta(days=_claim_days())
    )
    return HealthRecord.objects.filter(athlete__in=athletes.values("pk"))


def anonymise_due(today: dt.date):
    return Athlete.objects.filter(retain_until__lt=today, anonymised_at__isnull=True)


def _anonymise(athlete: Athlete, now: dt.datetime) -> None:
    if athlete.photo:
        athlete.photo.delete(save=False)
    athlete.family_name_zh = ANONYMOUS_ZH
    athlete.given_name_zh = ""
    athlete.name_latin = f"{ANONYMOUS_LATIN} {athlete.pk}"
    athlete.document_number_encrypted = ""
    athlete.document_hash = f"anonymised-{athlete.pk}"  # unique per delegation, derived from nothing personal
    athlete.document_last4 = ""
    athlete.document_masked = ""
    athlete.birth_date = dt.date(athlete.birth_date.year, 1, 1)  # keeps only the year, for age statistics
    athlete.emergency_contact_name = ""
    athlete.emergency_contact_phone = ""
    athlete.photo = ""
    athlete.anonymised_at = now
    athlete.save()
    Guardian.objects.filter(athlete=athlete).delete()
    ConsentLink.objects.filter(athlete=athlete).delete()
    DocumentAttestation.objects.filter(athlete=athlete).update(last4="", note="")
    # The read logs stay (who read whose record, and when) but name the child as the record now does;
    # a reveal's last four go as the attestation's do.
    AthleteAccess.objects.filter(athlete=athlete).update(athlete_label=athlete.display_name)
    DocumentReveal.objects.filter(athlete=athlete).update(
        athlete_label=athlete.display_name, document_last4=""
    )
    for model in (HealthRecord, InsuranceProof, SafetyDeclaration):
        model.objects.filter(athlete=athlete).delete()
    # Copies of the name elsewhere: the competitors the draws and public pages show, the badges and
    # their gate credentials, and any badge sheet printed with the child on it.
    competitors_rename(athlete=athlete)
    badges_relabel(athlete=athlete)
    badge_sheets_discard(delegation_ids=[athlete.delegation_id])
    # Apps above registration (the exchange programme's roll-calls) delete what refers to the child.
    athletes_forgotten(athlete_ids=[athlete.pk])


def retention_run(*, dry_run: bool = False, today: dt.date | None = None) -> RetentionReport:
    """Apply (or with dry_run only count) every retention rule. One transaction; rows locked by pk."""
    today = today or timezone.localdate()
    now = timezone.now()
    report = RetentionReport(dry_run=dry_run)
    with transaction.atomic():
        photo_ids = list(photos_due(today).order_by("pk").values_list("pk", flat=True))
        health = health_due(today).order_by("pk")
        anonymise_ids = list(anonymise_due(today).order_by("pk").values_list("pk", flat=True))
        report.photos_removed = len(photo_ids)
        report.health_records_deleted = health.count()
        report.athletes_anonymised = len(anonymise_ids)
        if dry_run:
            return report
        photo_delegations = set()
        for athlete in Athlete.objects.select_for_update().filter(pk__in=photo_ids).order_by("pk"):
            athlete.photo.delete(save=False)
            Athlete.objects.filter(pk=athlete.pk).update(photo="")
            photo_delegations.add(athlete.delegation_id)
        if photo_delegations:
            badge_sheets_discard(delegation_ids=photo_delegations)  # they print the photos
        HealthRecord.objects.filter(pk__in=list(health.values_list("pk", flat=True))).delete()
        for athlete in Athlete.objects.select_for_update().filter(pk__in=anonymise_ids).order_by("pk"):
            _anonymise(athlete, now)
    return report
