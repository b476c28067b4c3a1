"""The entry workflow: transitions with a ledger, approval blocked by missing paperwork, the roster
lock (task and lazy), substitutions after the lock, the waitlist, and the managers' emails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from registration.enums import EntryStatus
from registration.errors import (
    EntryNotReadyError,
    RosterLockedError,
    SubstitutionError,
    WaitlistError,
    WorkflowError,
)
from registration.models import EntryTransition, SubstitutionStatus, WaitlistPlace, WaitlistState
from registration.services import workflow
from tests.factories import UserFactory
from tests.factories.registration import (
    AthleteFactory,
    EntryFactory,
    EventRegistrationSettingsFactory,
    MembershipFactory,
    TeamFactory,
    complete_paperwork,
)
from tests.privacy import shows_last4

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2027, 4, 1, tzinfo=dt.UTC)


@pytest.fixture
def team():
    team = TeamFactory()
    MembershipFactory(
        delegation=team.delegation, user=UserFactory(email="mgr@example.com", preferred_language="en")
    )
    MembershipFactory(
        delegation=team.delegation, user=UserFactory(email="zh@example.com", preferred_language="zh-hans")
    )
    return team


def ready_entry(team, **kwargs):
    entry = EntryFactory(team=team, **kwargs)
    complete_paperwork(entry.athlete)
    return entry


def ledger(entry):
    return list(EntryTransition.objects.filter(entry=entry).values_list("from_status", "to_status"))


@time_machine.travel(BEFORE, tick=False)
def test_submit_approve_writes_ledger_and_emails_each_manager_in_their_language(
    team, django_capture_on_commit_callbacks
):
    entry = ready_entry(team)
    organiser = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.entry_submit(entry=entry, user=organiser)
        workflow.entry_approve(entry=entry, user=organiser)

    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert ledger(entry) == [("draft", "submitted"), ("submitted", "approved")]
    english = [m for m in mail.outbox if m.to == ["mgr@example.com"]]
    chinese = [m for m in mail.outbox if m.to == ["zh@example.com"]]
    assert len(english) == 2 and len(chinese) == 2
    assert "Approved" in english[1].subject
    assert chinese[1].subject == f"{entry.athlete.display_name} · {entry.event.name_zh}：已批准"
    for message in mail.outbox:
        assert not shows_last4(message.body, entry.athlete.document_last4)
        assert entry.athlete.birth_date.isoformat() not in message.body


@time_machine.travel(BEFORE, tick=False)
def test_approve_refused_with_reasons_until_paperwork_complete(team):
    entry = EntryFactory(team=team, status=EntryStatus.SUBMITTED)

    with pytest.raises(EntryNotReadyError) as refused:
        workflow.entry_approve(entry=entry, user=None)

    assert "insurance" in [getattr(reason, "code", "") for reason in refused.value.reasons]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    complete_paperwork(entry.athlete)
    assert workflow.entry_approve(entry=entry, user=None).status == EntryStatus.APPROVED


@time_machine.travel(BEFORE, tick=False)
def test_request_changes_needs_reason_then_resubmit(team, django_capture_on_commit_callbacks):
    entry = ready_entry(team, status=EntryStatus.SUBMITTED)
    with pytest.raises(WorkflowError):
        workflow.entry_request_changes(entry=entry, user=None, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.entry_request_changes(entry=entry, user=None, reason="Photo is blurred")

    assert any("Photo is blurred" in m.body for m in mail.outbox)
    assert workflow.entry_submit(entry=entry, user=None).status == EntryStatus.SUBMITTED
    assert ledger(entry)[-2:] == [("submitted", "changes_requested"), ("changes_requested", "submitted")]
    assert (
        EntryTransition.objects.get(entry=entry, to_status="changes_requested").reason == "Photo is blurred"
    )


def test_roster_locks_at_deadline_by_task_and_lazily(team):
    EventRegistrationSettingsFactory(event=team.event, roster_deadline=DEADLINE)
    approved = ready_entry(team, status=EntryStatus.APPROVED)
    draft = ready_entry(team)

    with time_machine.travel(DEADLINE - dt.timedelta(minutes=1)):
        assert workflow.rosters_lock_due() == 0
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1)), pytest.raises(RosterLockedError):
        workflow.entry_submit(entry=draft, user=None)  # lazily locks first

    approved.refresh_from_db()
    assert approved.status == EntryStatus.LOCKED
    assert ledger(approved)[-1] == ("approved", "locked")
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1)):
        assert workflow.rosters_lock_due() == 0  # already applied, nothing twice


@time_machine.travel(DEADLINE + dt.timedelta(days=1))
def test_substitution_after_lock_is_a_decided_ledger(team):
    EventRegistrationSettingsFactory(event=team.event, roster_deadline=DEADLINE, locked_at=DEADLINE)
    entry = ready_entry(team, status=EntryStatus.LOCKED)
    replacement = complete_paperwork(AthleteFactory(delegation=team.delegation))
    with pytest.raises(RosterLockedError):
        workflow.entry_withdraw(entry=entry, user=None)
    with pytest.raises(SubstitutionError):
        workflow.substitution_request(entry=entry, replacement=replacement, reason="", user=None)

    request = workflow.substitution_request(
        entry=entry, replacement=replacement, reason="broken wrist", user=None
    )
    decided = workflow.substitution_decide(request=request, user=UserFactory(), approve=True, note="ok")

    entry.refresh_from_db()
    assert decided.status == SubstitutionStatus.APPROVED
    assert entry.status == EntryStatus.WITHDRAWN
    assert decided.new_entry.athlete == replacement and decided.new_entry.status == EntryStatus.LOCKED
    assert ledger(entry)[-1] == ("locked", "withdrawn")
    assert ledger(decided.new_entry) == [("draft", "locked")]
    with pytest.raises(SubstitutionError):
        workflow.substitution_decide(request=request, user=None, approve=False)


@time_machine.travel(DEADLINE + dt.timedelta(days=1))
def test_substitution_refused_when_replacement_lacks_paperwork(team):
    EventRegistrationSettingsFactory(event=team.event, roster_deadline=DEADLINE, locked_at=DEADLINE)
    entry = ready_entry(team, status=EntryStatus.LOCKED)
    replacement = AthleteFactory(delegation=team.delegation)
    request = workflow.substitution_request(entry=entry, replacement=replacement, reason="ill", user=None)

    with pytest.raises(SubstitutionError, match=r"insurance|保险"):
        workflow.substitution_decide(request=request, user=None, approve=True)

    entry.refresh_from_db()
    request.refresh_from_db()
    assert entry.status == EntryStatus.LOCKED and request.status == SubstitutionStatus.PENDING


@time_machine.travel(BEFORE, tick=False)
def test_waitlist_offer_accept_and_expiry(team, django_capture_on_commit_callbacks):
    EventRegistrationSettingsFactory(event=team.event, capacity=1, offer_hours=24)
    first, second, third = (ready_entry(team) for _ in range(3))
    for entry in (first, second, third):
        workflow.entry_submit(entry=entry, user=None)
    second.refresh_from_db()
    assert second.status == EntryStatus.WAITLISTED

    with django_capture_on_commit_callbacks(execute=True):
        workflow.entry_withdraw(entry=first, user=None)
    place = WaitlistPlace.objects.get(entry=second)
    assert place.state == WaitlistState.OFFERED
    assert place.offer_expires_at == BEFORE + dt.timedelta(hours=24)
    assert WaitlistPlace.objects.get(entry=third).state == WaitlistState.WAITING
    assert any("A place is free" in m.body for m in mail.outbox)

    with time_machine.travel(BEFORE + dt.timedelta(hours=25)):
        assert workflow.waitlist_expire_due() == 1
        with pytest.raises(WaitlistError):
            workflow.waitlist_accept(place=place, user=None)
    second.refresh_from_db()
    assert second.status == EntryStatus.WITHDRAWN
    third_place = WaitlistPlace.objects.get(entry=third)
    assert third_place.state == WaitlistState.OFFERED
    assert workflow.waitlist_accept(place=third_place, user=None).status == EntryStatus.SUBMITTED


@time_machine.travel(BEFORE, tick=False)
def test_team_submit_requires_roster_minimum(team):
    from tests.factories.registration import EventEligibilityFactory

    EventEligibilityFactory(
        event=team.event, age_rule="none", min_birth_year=None, max_birth_year=None, roster_min=2
    )
    ready_entry(team)
    with pytest.raises(WorkflowError, match=r"at least 2|至少需要 2"):
        workflow.team_submit(team=team, user=None)
    ready_entry(team)
    assert [e.status for e in workflow.team_submit(team=team, user=None)] == ["submitted", "submitted"]
