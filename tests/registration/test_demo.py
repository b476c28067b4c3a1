"""The registration demo slice: 450 synthetic fencers in ten corridor delegations, every workflow state,
some consents missing, idempotent, and quick."""

from __future__ import annotations

import time

import pytest

from events import demo as events_demo
from events.enums import MatchStatus, StageKind
from events.models import Competitor, Match, Stage
from registration.enums import DocumentType, EntryStatus
from registration.errors import RevealError
from registration.models import Athlete, Consent, Delegation, Entry
from registration.services import demo, demo_competition

pytestmark = pytest.mark.django_db


def test_seed_demo_registration_slice():
    events_demo.seed()
    started = time.monotonic()
    summary = demo.seed()
    elapsed = time.monotonic() - started

    assert "450 fencers (450 new)" in summary
    assert elapsed < 30
    assert Delegation.objects.count() == 10
    assert set(Athlete.objects.values_list("document_type", flat=True)) == {DocumentType.DEMO}
    assert set(Entry.objects.values_list("status", flat=True)) == set(EntryStatus.values)
    assert Entry.objects.values("event").distinct().count() == 12
    without_consent = Athlete.objects.exclude(consents__purpose="registration").count()
    assert 0 < without_consent < 450
    assert Consent.objects.filter(purpose="registration").count() == 450 - without_consent
    assert "manager@corridor.example" in demo.announce()
    assert "(0 new)" in demo.seed()  # idempotent


def test_demo_documents_never_revealed():
    from registration.services.documents import document_reveal
    from tests.factories import ProgrammeMembershipFactory, two_factor

    events_demo.seed()
    demo.seed()
    athlete = Athlete.objects.select_related("delegation").first()
    organiser = two_factor(ProgrammeMembershipFactory(programme=athlete.delegation.programme).user)
    with pytest.raises(RevealError):
        document_reveal(athlete=athlete, user=organiser, purpose="verification", reason="check")
    assert athlete.document_masked.startswith("****")


def test_seed_demo_competition_slice_draws_pools_with_results_once():
    events_demo.seed()
    demo.seed()
    started = time.monotonic()
    summary = demo_competition.seed()
    assert time.monotonic() - started < 30
    approved = Entry.objects.filter(event__discipline="fencing", status__in=["approved", "locked"]).count()
    assert Competitor.objects.count() == approved
    stage = Stage.objects.get(event__slug=demo_competition.POOLS_EVENT, kind=StageKind.POOLS)
    done = Match.objects.filter(stage=stage, status=MatchStatus.DONE).count()
    assert 0 < done < stage.matches.count()
    assert "bouts scored now" in summary
    again = demo_competition.seed()  # idempotent
    assert "0 bouts scored now" in again
    assert Match.objects.filter(stage=stage, status=MatchStatus.DONE).count() == done
    # Every fencing event is drawn; yesterday's other foil events are fenced through the final.
    drawn = Competitor.objects.exclude(event__weapon="sabre").values("event").distinct().count()
    assert Stage.objects.filter(kind=StageKind.POOLS).count() == drawn
    finals = Match.objects.filter(stage__kind=StageKind.TABLEAU, round=2)
    assert finals.count() == 3 and all(final.status == MatchStatus.DONE for final in finals)
    assert not Stage.objects.filter(event__weapon="sabre").exists()


def test_demo_has_eligibility_rules_on_every_event_and_no_ineligible_entry():
    from events.models import Event
    from registration.models import EventEligibility
    from registration.selectors.eligibility import entries_refusals
    from registration.services import demo_eligibility

    events_demo.seed()
    demo.seed()
    summary = demo_eligibility.seed()
    assert "0 demo athletes corrected" in summary and "without rules" not in summary
    assert set(EventEligibility.objects.values_list("event_id", flat=True)) == set(
        Event.objects.values_list("pk", flat=True)
    )
    entries = list(Entry.objects.select_related("athlete", "event", "team"))
    assert entries_refusals(entries) == {}
    # A database seeded by an older demo: a girl born too early in U12 men's foil is corrected, not withdrawn.
    entry = next(
        e for e in entries if e.event.slug == "fencing-u12-men-foil" and e.status == EntryStatus.APPROVED
    )
    Athlete.objects.filter(pk=entry.athlete_id).update(sex="female", birth_date="2013-06-01")
    assert "1 demo athletes corrected" in demo_eligibility.seed()
    assert entries_refusals(list(Entry.objects.select_related("athlete", "event", "team"))) == {}
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.APPROVED
    assert "0 demo athletes corrected" in demo_eligibility.seed()  # idempotent
