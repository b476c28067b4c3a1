"""PostgreSQL: entries submitted at the same moment into a capacity-limited event never exceed its
capacity (the settings row is locked, then places are re-counted); the rest are waitlisted."""

from __future__ import annotations

import pytest

from registration.enums import EntryStatus
from registration.models import Entry, WaitlistPlace
from registration.services import workflow
from tests.concurrency import race
from tests.factories.registration import EntryFactory, EventRegistrationSettingsFactory, TeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SUBMITTERS = 12
CAPACITY = 5


def test_simultaneous_submissions_never_exceed_capacity():
    team = TeamFactory()
    EventRegistrationSettingsFactory(event=team.event, capacity=CAPACITY)
    entries = [EntryFactory(team=team) for _ in range(SUBMITTERS)]
    _results, errors = race(
        [lambda entry=entry: workflow.entry_submit(entry=entry, user=None) for entry in entries]
    )

    assert errors == []
    assert Entry.objects.filter(status=EntryStatus.SUBMITTED).count() == CAPACITY
    assert Entry.objects.filter(status=EntryStatus.WAITLISTED).count() == SUBMITTERS - CAPACITY
    assert WaitlistPlace.objects.count() == SUBMITTERS - CAPACITY
