"""Catalogue write paths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from events.errors import SessionOutsideEventError
from events.models import Session
from events.services.catalogue import event_set_status, session_create
from tests.factories import EventFactory
from tests.factories.events import SHANGHAI

pytestmark = pytest.mark.django_db


def test_session_create_inside_the_event_dates():
    event = EventFactory()
    start = dt.datetime(2027, 5, 2, 9, tzinfo=SHANGHAI)
    session = session_create(
        event=event,
        venue=event.venue,
        kind="match",
        name_zh="半决赛",
        name_en="Semi-final",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    assert Session.objects.get(pk=session.pk).name_zh == "半决赛"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "outside the event's dates"), ("zh-hans", "不在赛事日期")],
)
def test_session_create_outside_the_dates_explains_in_both_languages(language, expected):
    event = EventFactory()
    start = dt.datetime(2027, 5, 9, 9, tzinfo=SHANGHAI)
    with translation.override(language), pytest.raises(SessionOutsideEventError) as error:
        session_create(
            event=event,
            venue=event.venue,
            kind="match",
            name_zh="错",
            name_en="Wrong",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )
    assert expected in str(error.value)
    assert "starts_at" in error.value.errors
    assert not Session.objects.exists()


def test_event_set_status_publishes():
    event = EventFactory(status="draft")
    event_set_status(event=event, status="published")
    event.refresh_from_db()
    assert event.status == "published"
