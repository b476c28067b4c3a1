"""Races on PostgreSQL with real threads: a double-confirmed import, the same athlete added twice at
once, and one athlete entered in two events at once against a one-event limit.

Each test widens the race window with a barrier placed after the point the old code checked
without a lock: without the locks, both threads pass the check (the barrier releases them
together); with the locks, the second thread waits on the lock, the barrier times out for the
first, and the second then sees the first one's work.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from registration.enums import AthleteSex, EntryStatus
from registration.errors import DuplicateDocumentError, EntryRefusedError, ImportFileError
from registration.forms.roster_import import read_rows, validate_rows
from registration.models import Athlete, Entry, Guardian
from registration.services import athletes, entries, roster_import
from registration.services.athletes import AthleteData
from tests.concurrency import hold_after, race
from tests.factories.registration import (
    AthleteFactory,
    DelegationFactory,
    EventEligibilityFactory,
    TeamFactory,
    resident_id,
)
from tests.factories.rosters import csv_file, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_double_confirmed_import_creates_each_athlete_once(monkeypatch):
    delegation = DelegationFactory()
    preview = validate_rows(delegation=delegation, rows=read_rows(csv_file([row(n) for n in range(1, 6)])))
    key = roster_import.import_stage(delegation=delegation, preview=preview)
    hold_after(monkeypatch, roster_import, "_load_stage")

    results, errors = race(
        [lambda: roster_import.import_commit(delegation=delegation, key=key, valid_only=False)] * 2
    )
    assert [result.created for result in results] == [5]
    assert [type(error) for error in errors] == [ImportFileError]  # "the preview has expired"
    assert Athlete.objects.filter(delegation=delegation).count() == 5
    assert cache.get(roster_import._cache_key(delegation.pk, key)) is None


def test_the_same_athlete_added_twice_at_once_is_one_athlete_and_a_named_refusal(monkeypatch):
    delegation = DelegationFactory()
    number = resident_id(dt.date(2014, 3, 2))
    data = AthleteData(
        "李", "明", "LI Ming", AthleteSex.MALE, dt.date(2014, 3, 2), "resident_id", number, "A", "1"
    )
    # Hold the first thread after its insert, uncommitted: without the lock the second thread's check
    # cannot see that row, its insert waits on the unique index and then fails (IntegrityError, a 500).
    hold_after(monkeypatch, Guardian.objects, "bulk_create")

    results, errors = race([lambda: athletes.athlete_create(delegation=delegation, data=data)] * 2)
    assert len(results) == 1
    assert [type(error) for error in errors] == [DuplicateDocumentError]
    assert Athlete.objects.filter(delegation=delegation).count() == 1


def test_events_per_athlete_holds_when_two_teams_enter_the_same_athlete_at_once(monkeypatch):
    # The team lock's join (select_related) also happens to lock the delegation row on PostgreSQL,
    # which already serialised this; the explicit athlete lock keeps it true if that query changes.
    delegation = DelegationFactory()
    athlete = AthleteFactory(delegation=delegation, birth_date=dt.date(2014, 3, 2))
    teams = [TeamFactory(delegation=delegation) for _ in range(2)]
    for team in teams:
        EventEligibilityFactory(event=team.event, max_events_per_athlete=1)
    hold_after(monkeypatch, entries, "evaluate_entry")  # after the count of the athlete's entries

    results, errors = race(
        [lambda team=team: entries.entry_create(team=team, athlete=athlete) for team in teams]
    )
    assert len(results) == 1
    assert [type(error) for error in errors] == [EntryRefusedError]
    assert Entry.objects.filter(athlete=athlete).exclude(status=EntryStatus.WITHDRAWN).count() == 1
