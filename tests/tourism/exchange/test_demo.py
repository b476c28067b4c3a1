"""The demo's exchange slice: the basketball camp's itinerary with two company visits, a heritage
workshop and a coach between cities, badges for every child, idempotent, and found by seed_demo."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from events import demo as events_demo
from registration.models import Badge
from tourism.exchange import demo
from tourism.exchange.enums import ExperienceKind, SegmentKind
from tourism.exchange.models import Booking, Experience, Segment
from tourism.exchange.selectors import itinerary_conflicts, itinerary_for_delegation, segment_coverage

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC), tick=False)
def test_camp_itinerary_seeded_once_with_visits_workshop_and_transfer():
    events_demo.seed()
    demo.seed()
    counts = (Segment.objects.count(), Booking.objects.count(), Badge.objects.count())
    demo.seed()
    assert (Segment.objects.count(), Booking.objects.count(), Badge.objects.count()) == counts
    kinds = sorted(Experience.objects.values_list("kind", flat=True))
    assert (
        kinds.count(ExperienceKind.COMPANY_VISIT) == 2 and kinds.count(ExperienceKind.HERITAGE_WORKSHOP) == 1
    )
    segments = list(itinerary_for_delegation(Segment.objects.first().delegation))
    transfers = [s for s in segments if s.kind == SegmentKind.TRANSFER]
    assert any(s.origin.city_id != s.venue.city_id for s in transfers)
    assert (
        sum(s.kind == SegmentKind.MATCH for s in segments) == 5
    )  # the camp's daily games, from the schedule
    assert Badge.objects.filter(entry__isnull=False).count() == len(demo.CHILDREN)
    assert itinerary_conflicts(segments) == {}
    assert all(segment_coverage(s).enough for s in transfers)


def test_announce_names_the_chaperone_and_the_pages():
    events_demo.seed()
    demo.seed()
    text = demo.announce()
    assert (
        demo.CHAPERONE_EMAIL in text and "/exchange/delegations/" in text and "/exchange/programmes/" in text
    )
