"""The registration demo slice: 450 synthetic fencers in ten corridor delegations, every workflow state,
some consents missing, idempotent, and quick."""

from __future__ import annotations

import time

import pytest

from events import demo as events_demo
from registration.enums import DocumentType, EntryStatus
from registration.errors import RevealError
from registration.models import Athlete, Consent, Delegation, Entry
from registration.services import demo

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
