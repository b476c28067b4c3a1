"""A new schedule version mails only those whose matches or sessions moved, each in their language:
delegation managers (through registration's hook) and ticket holders (through ticketing's hook)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from events.errors import ScheduleError
from events.models import Match
from events.services import schedule as services
from events.services.competition import pools_generate
from registration.enums import EntryStatus
from registration.services.competitors import competitors_sync
from tests.factories import UserFactory
from tests.factories.checkin import issued_ticket
from tests.factories.competition import FencingEventFactory
from tests.factories.events import SessionFactory
from tests.factories.registration import (
    AthleteFactory,
    DelegationFactory,
    EntryFactory,
    MembershipFactory,
    TeamFactory,
)
from tests.factories.schedule import local, pistes
from tests.factories.ticketing import TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    """Two delegations of three fencers each in one pool of six, pistes, a morning and an evening session."""
    event = FencingEventFactory(name_zh="U12 男子花剑", name_en="U12 Men's Foil")
    pistes(event.venue, 2)
    day = event.start_date
    morning = SessionFactory(event=event, starts_at=local(day, 9), ends_at=local(day, 13))
    evening = SessionFactory(event=event, starts_at=local(day, 13), ends_at=local(day, 19))
    managers = {}
    for language in ("en", "zh-hans"):
        delegation = DelegationFactory(programme=event.programme)
        team = TeamFactory(event=event, delegation=delegation)
        for _ in range(3):
            EntryFactory(
                team=team, athlete=AthleteFactory(delegation=delegation), status=EntryStatus.APPROVED
            )
        managers[language] = MembershipFactory(
            delegation=delegation, user=UserFactory(preferred_language=language)
        ).user
    competitors_sync(event=event)
    pools_generate(event=event)
    services.schedule_build_greedy(programme=event.programme)
    return event, managers, morning, evening


def _bout_within(event, club_en: str) -> Match:
    return next(
        bout
        for bout in Match.objects.filter(stage__event=event).select_related("left", "right")
        if bout.left.club_en == club_en and bout.right.club_en == club_en
    )


def test_only_the_moved_athletes_manager_and_the_sessions_ticket_holders_are_told(
    season, django_capture_on_commit_callbacks
):
    event, managers, morning, evening = season
    morning_fan = issued_ticket(
        user=UserFactory(preferred_language="zh-hans"), ticket_type=TicketTypeFactory(session=morning)
    ).order.user
    evening_fan = issued_ticket(
        user=UserFactory(preferred_language="en"), ticket_type=TicketTypeFactory(session=evening)
    ).order.user
    with django_capture_on_commit_callbacks(execute=True):
        first = services.schedule_publish(programme=event.programme)
    assert first.notified == 0 and mail.outbox == []  # version 1 moves nothing

    english = managers["en"].delegation_memberships.get().delegation
    bout = _bout_within(event, english.name_en)
    assert bout.placement.starts_at < local(event.start_date, 13)  # a morning bout...
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=bout.placement.resource,
        starts_at=local(event.start_date, 18),
    )  # ...moved into the evening session
    with django_capture_on_commit_callbacks(execute=True):
        second = services.schedule_publish(programme=event.programme)

    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {managers["en"].email, morning_fan.email, evening_fan.email}
    assert second.notified == 3
    english_mail = told[managers["en"].email]
    assert "your schedule has changed" in english_mail.subject
    assert bout.code in english_mail.body and "18:00" in english_mail.body and "Was" in english_mail.body
    assert "您的日程有变" in told[morning_fan.email].subject and "原为" in told[morning_fan.email].body
    assert managers["zh-hans"].email not in told


def test_a_version_that_moves_nothing_tells_nobody(season, django_capture_on_commit_callbacks):
    event, _managers, _morning, _evening = season
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(programme=event.programme)
        again = services.schedule_publish(programme=event.programme)
    assert again.number == 2 and again.notified == 0 and mail.outbox == []


def test_a_move_that_is_refused_tells_nobody(season, django_capture_on_commit_callbacks):
    event, _managers, _morning, _evening = season
    services.schedule_publish(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).first()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ScheduleError, match="无法调整"):
        services.placement_move(
            programme=event.programme,
            match=bout,
            resource=bout.placement.resource,
            starts_at=dt.datetime.combine(
                event.start_date, dt.time(23), tzinfo=local(event.start_date, 0).tzinfo
            ),
        )
    assert mail.outbox == []
