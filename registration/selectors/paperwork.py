"""Reads of consent and safety paperwork: the current rules text, an athlete's consents, age bands and what
an entry still lacks."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from registration.models import (
    Athlete,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    ConsentRulesText,
)
from registration.selectors.eligibility import age_on


def rules_text_current() -> ConsentRulesText | None:
    """The newest published rules text for children's data (what new consents refer to)."""
    return (
        ConsentRulesText.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .order_by("-published_at", "-pk")
        .first()
    )


def rules_texts_published() -> QuerySet[ConsentRulesText]:
    return ConsentRulesText.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())


def with_paperwork(athletes: QuerySet[Athlete]) -> QuerySet[Athlete]:
    """Athletes with everything the checklist reads, in a fixed number of queries."""
    current = Consent.objects.filter(withdrawn_at__isnull=True)
    return athletes.select_related("safety_declaration", "insurance", "health").prefetch_related(
        Prefetch("consents", queryset=current, to_attr="current_consents")
    )


def consents_for_athlete(athlete: Athlete) -> QuerySet[Consent]:
    return Consent.objects.filter(athlete=athlete).select_related("rules_text", "guardian")


def age_band(athlete: Athlete, event) -> str:
    age = age_on(athlete.birth_date, event.start_date)
    if age < CHILD_AGE:
        return "child"
    if age < ADULT_AGE:
        return "teen"
    return "adult"


def _one(athlete: Athlete, name: str):
    try:
        return getattr(athlete, name)
    except Exception:  # RelatedObjectDoesNotExist of a reverse one-to-one
        return None


def _current(athlete: Athlete) -> list[Consent]:
    cached = getattr(athlete, "current_consents", None)
    if cached is None:
        cached = list(athlete.consents.filter(withdrawn_at__isnull=True))
    return cached


def has_consent(athlete: Athlete, purpose: str, given_by: str) -> bool:
    return any(c.purpose == purpose and c.given_by == given_by and c.granted for c in _current(athlete))


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class MissingItem:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def paperwork_missing(athlete: Athlete, event) -> list[MissingItem]:
    """Every required item this athlete still lacks for `event`, as translated sentences."""
    missing: list[MissingItem] = []
    band = age_band(athlete, event)
    if band == "child":
        if not has_consent(athlete, ConsentPurpose.REGISTRATION, ConsentGiver.GUARDIAN):
            missing.append(MissingItem("consent_guardian", _("Guardian's consent to registration")))
    else:
        if not has_consent(athlete, ConsentPurpose.REGISTRATION, ConsentGiver.ATHLETE):
            missing.append(MissingItem("consent_athlete", _("Athlete's own consent to registration")))
        if band == "teen" and not has_consent(athlete, ConsentPurpose.REGISTRATION, ConsentGiver.GUARDIAN):
            missing.append(MissingItem("consent_guardian", _("Guardian's declaration")))
    declaration = _one(athlete, "safety_declaration")
    if declaration is None or declaration.athlete_signed_at is None:
        missing.append(
            MissingItem("declaration", _("Risk notice and participation declaration signed by the athlete"))
        )
    if band != "adult" and (declaration is None or declaration.guardian_signed_at is None):
        missing.append(
            MissingItem(
                "declaration_guardian", _("Risk notice and participation declaration signed by the guardian")
            )
        )
    insurance = _one(athlete, "insurance")
    if insurance is None:
        missing.append(MissingItem("insurance", _("Accident insurance proof")))
    elif not insurance.covers_travel:
        missing.append(MissingItem("insurance", _("Accident insurance that covers travel")))
    elif insurance.valid_from > event.start_date or insurance.valid_until < event.end_date:
        missing.append(MissingItem("insurance", _("Accident insurance valid on every day of the event")))
    health = _one(athlete, "health")
    certificate = health.certificate_date if health else None
    if certificate is None:
        missing.append(MissingItem("health_certificate", _("Health certificate date")))
    elif not months_before(event.start_date, HEALTH_CERTIFICATE_MONTHS) <= certificate <= event.start_date:
        missing.append(
            MissingItem(
                "health_certificate", _("A health certificate from the three months before the event")
            )
        )
    return missing


CHILD_AGE = 14


ADULT_AGE = 18


HEALTH_CERTIFICATE_MONTHS = 3
