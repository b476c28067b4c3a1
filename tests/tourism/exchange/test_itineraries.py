"""Itineraries: clashes and travel flagged by the schedule builder's own checker, matches imported
from the schedule, moved matches flagged through the events hook, and segments confirmed only with
enough valid chaperones for the children's ages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from events.enums import SessionKind
from events.hooks import schedule_moved
from events.scheduling import Rule
from registration.enums import MembershipRole
from tests.factories import SessionFactory, VenueFactory
from tests.factories.exchange import SegmentFactory, SlotFactory, credentials_for
from tests.factories.registration import AthleteFactory, MembershipFactory
from tourism.exchange import selectors
from tourism.exchange.enums import SegmentKind, SegmentStatus
from tourism.exchange.errors import ChaperoneShortfallError, ExchangeError
from tourism.exchange.models import AgeBandRatio, Segment
from tourism.exchange.services import itineraries

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def _segment(camp, start, hours=1, **kwargs):
    defaults = {"kind": SegmentKind.TRAINING, "origin": None, "vehicle": "", "driver_phone": ""}
    return SegmentFactory(
        delegation=camp.delegation, starts_at=start, ends_at=start + hours * HOUR, **{**defaults, **kwargs}
    )


def test_overlap_and_short_travel_flagged_by_the_schedule_checker(camp, start):
    Segment.objects.all().delete()
    here = VenueFactory()
    elsewhere = VenueFactory()  # another city: the checker's default travel between cities applies
    morning = _segment(camp, start, venue=here)
    clash = _segment(camp, start + dt.timedelta(minutes=30), venue=here)
    rushed = _segment(camp, start + 3 * HOUR, venue=elsewhere)
    conflicts = selectors.itinerary_conflicts(list(selectors.itinerary_for_delegation(camp.delegation)))
    assert [c.violation.rule for c in conflicts[clash.pk]] == [Rule.ATHLETE_OVERLAP]
    assert conflicts[clash.pk][0].other == morning
    travel = conflicts[rushed.pk]
    assert {c.violation.rule for c in travel} == {Rule.TRAVEL}
    assert {c.other for c in travel} == {morning, clash}  # two hours after either, three needed
    assert "180" in travel[0].message and morning.pk not in conflicts


def test_a_transfer_between_cities_carries_the_travel(camp, start):
    Segment.objects.all().delete()
    shanghai, kunming = VenueFactory(), VenueFactory()
    _segment(camp, start, venue=shanghai)
    _segment(
        camp,
        start + HOUR,
        kind=SegmentKind.TRANSFER,
        origin=shanghai,
        venue=kunming,
        vehicle="bus",
        driver_phone="1",
    )
    _segment(camp, start + 2 * HOUR, venue=kunming)
    assert selectors.itinerary_conflicts(list(selectors.itinerary_for_delegation(camp.delegation))) == {}


def test_transfer_needs_vehicle_driver_and_both_ends(camp, start):
    with pytest.raises(ExchangeError, match="vehicle"):
        itineraries.segment_create(
            delegation=camp.delegation,
            kind=SegmentKind.TRANSFER,
            title_zh="转场",
            starts_at=start,
            ends_at=start + HOUR,
        )


def test_schedule_import_once_and_a_moved_match_flags_the_segment(camp, django_capture_on_commit_callbacks):
    team_event = camp.delegation.teams.get().event
    session = SessionFactory(event=team_event, kind=SessionKind.MATCH)
    assert itineraries.schedule_import(delegation=camp.delegation) == 1
    assert itineraries.schedule_import(delegation=camp.delegation) == 0
    segment = Segment.objects.get(session=session)
    assert (segment.kind, segment.starts_at) == (SegmentKind.MATCH, session.starts_at)
    Segment.objects.filter(pk=segment.pk).update(status=SegmentStatus.CONFIRMED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_moved(sessions=[session.pk])
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.DRAFT and segment.flagged_at is not None
    assert [m.to for m in mail.outbox] == [[camp.manager.user.email]]
    assert segment.title in mail.outbox[0].body


def test_adults_needed_by_age_band_and_experience_ratio():
    bands = [
        AgeBandRatio(under_age=12, children_per_adult=6),
        AgeBandRatio(under_age=18, children_per_adult=10),
    ]
    assert selectors.children_needing_adults([10] * 6, bands, None) == 1
    assert selectors.children_needing_adults([10] * 7, bands, None) == 2
    assert selectors.children_needing_adults([10] * 6 + [15] * 5, bands, None) == 2  # 1 + 1/2 rounds up
    assert selectors.children_needing_adults([15] * 10, bands, 5) == 2  # the plant's stricter ratio
    assert selectors.children_needing_adults([], bands, None) == 0


def test_segment_without_enough_valid_chaperones_cannot_be_confirmed(camp, start):
    AgeBandRatio.objects.create(programme=camp.delegation.programme, under_age=18, children_per_adult=2)
    segment = camp.transfer  # three children, one chaperone with valid credentials: needs two
    expired = MembershipFactory(delegation=camp.delegation, role=MembershipRole.CHAPERONE)
    credentials_for(expired, end=dt.date(2027, 4, 30))  # expires before the transfer (3 May)
    segment.chaperones.add(expired)
    coverage = selectors.segment_coverage(segment)
    assert (coverage.required, coverage.valid, coverage.missing) == (2, 1, 1)
    assert coverage.invalid[0][0] == expired
    with pytest.raises(ChaperoneShortfallError, match="1 more chaperone"):
        itineraries.segment_confirm(segment=segment)
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.DRAFT
    credentials_for(expired)
    itineraries.segment_confirm(segment=segment)
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.CONFIRMED


def test_experience_segment_uses_the_experience_ratio(camp, start):
    slot = SlotFactory(experience__programme=camp.delegation.programme, experience__children_per_adult=1)
    segment = _segment(camp, start, venue=slot.experience.venue, kind=SegmentKind.EXPERIENCE, slot=slot)
    segment.chaperones.add(camp.chaperone)
    segment.athletes.add(*camp.children[:2])
    assert selectors.segment_coverage(segment).missing == 1


def test_other_delegations_athletes_cannot_join_an_itinerary(camp, start):
    with pytest.raises(ExchangeError):
        itineraries.segment_create(
            delegation=camp.delegation,
            kind=SegmentKind.MEAL,
            title_zh="午餐",
            starts_at=start,
            ends_at=start + HOUR,
            athletes=[AthleteFactory()],
        )
