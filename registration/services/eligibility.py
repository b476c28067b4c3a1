"""The organiser's eligibility rules of one event (birth-year bands or ages, sex, roster size, events
per athlete): saved as the event's `EventEligibility`, then every existing entry re-checked.

Saving never deletes or withdraws an entry. Entries the new rules refuse are flagged: the review
queue and the approval check (`selectors.workflow.entry_blockers`) evaluate every entry against the
current rules, so a refused entry shows its reasons there and cannot be approved until the organiser
withdraws it, asks for changes, or relaxes the rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event
from registration.enums import GRADE_ORDER
from registration.errors import EligibilityRulesError
from registration.models import EventEligibility
from registration.selectors.eligibility import eligibility_preview


@dataclass(frozen=True)
class EligibilityData:
    age_rule: str
    sex_allowed: str
    min_birth_year: int | None = None
    max_birth_year: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    reference_date: dt.date | None = None
    cutoff_month: int | None = None
    cutoff_day: int | None = None
    allow_playing_up: bool = False
    playing_up_groups: int = 1
    group_span_years: int = 2
    min_grade: str = ""
    max_grade: str = ""
    roster_min: int | None = None
    roster_max: int | None = None
    max_events_per_athlete: int | None = None

    def as_rules(self, event: Event, pk: int | None = None) -> EventEligibility:
        """An unsaved EventEligibility with these values, for a preview or to save."""
        return EventEligibility(pk=pk, event=event, **asdict(self))


def eligibility_save(*, event: Event, data: EligibilityData) -> tuple[EventEligibility, list]:
    """Save the event's rules and return them with the entries they now refuse (entry, reasons).

    Locks the event's EventEligibility row (creating it if missing) so two organisers' saves follow
    each other; `entry_create` reads the rules without a lock and sees either version whole.
    """
    with transaction.atomic():
        EventEligibility.objects.get_or_create(event=event)
        current = EventEligibility.objects.select_for_update().get(event=event)
        rules = data.as_rules(event, pk=current.pk)
        if data.min_grade and data.max_grade and GRADE_ORDER[data.max_grade] < GRADE_ORDER[data.min_grade]:
            raise EligibilityRulesError(_("The highest grade cannot be below the lowest."))
        try:
            rules.full_clean(exclude=["event"], validate_unique=False)
        except ValidationError as error:
            raise EligibilityRulesError(" ".join(error.messages)) from None
        rules.save()
        return rules, eligibility_preview(event, rules)
