"""Entries: an athlete entered in a team's event, if the eligibility rules allow it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from registration.enums import EntryStatus
from registration.errors import (
    EntryError,
    EntryRefusedError,
)
from registration.models import (
    Athlete,
    Entry,
    Team,
)
from registration.selectors.eligibility import evaluate_entry


def entry_create(*, team: Team, athlete: Athlete, user=None) -> Entry:
    """Enter an athlete in the team's event as a draft, if the eligibility engine allows it.

    Locks the team row first (roster maximum is scarce), then the athlete row (the events-per-athlete
    limit counts entries across teams, which lock different team rows), then evaluates every rule and
    raises EntryRefusedError with all refusals. The database constraint backs up "one team per event".
    """
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("event", "delegation").get(pk=team.pk)
        athlete = Athlete.objects.select_for_update().get(pk=athlete.pk)
        refusals = evaluate_entry(athlete=athlete, team=team)
        if refusals:
            raise EntryRefusedError(refusals)
        try:
            with transaction.atomic():
                return Entry.objects.create(
                    athlete=athlete, team=team, event=team.event, status=EntryStatus.DRAFT, created_by=user
                )
        except IntegrityError:
            raise EntryError(_("This athlete is already entered in this event for a team.")) from None
