"""The demo season loads the corridor's events and can be loaded twice without changing anything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from events.models import City, Event, Session, Venue

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return City.objects.count(), Venue.objects.count(), Event.objects.count(), Session.objects.count()


def test_seed_demo_loads_the_season_and_is_idempotent():
    output = seed()
    first = counts()
    seed()
    assert counts() == first
    assert "Demo organiser: organiser@corridor.example" in output
    fencing = Event.objects.filter(discipline="fencing")
    assert {(e.weapon, e.age_group, e.category) for e in fencing} >= {
        ("foil", "U12", "men"),
        ("epee", "U14", "women"),
        ("sabre", "U12", "women"),
    }
    assert Event.objects.filter(discipline="dragon_boat", venue__slug="suzhou-creek-changfeng").count() == 4
    assert set(Event.objects.filter(discipline="football").values_list("host_city__slug", flat=True)) == {
        "zhenjiang",
        "nantong",
        "taizhou",
    }
    assert City.objects.filter(slug__in=["shanghai", "nanjing", "suzhou", "wuxi", "hangzhou"]).count() == 5
