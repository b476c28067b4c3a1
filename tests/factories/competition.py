"""Factories for competitions: fencing events with competitors, ready to draw."""

from __future__ import annotations

import factory

from events.enums import Discipline, Weapon
from events.models import Competitor
from tests.factories.events import EventFactory


class FencingEventFactory(EventFactory):
    discipline = Discipline.FENCING
    weapon = Weapon.FOIL
    age_group = "U12"


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    event = factory.SubFactory(FencingEventFactory)
    key = factory.Sequence(lambda n: f"p-test-{n}")
    display_name = factory.Sequence(lambda n: f"选手{n} (FENCER {n})")
    club_zh = factory.Sequence(lambda n: f"俱乐部{n}")
    club_en = factory.Sequence(lambda n: f"Club {n}")
    city_zh = "上海"
    city_en = "Shanghai"
    seed = factory.Sequence(lambda n: n + 1)
    person_keys = factory.LazyAttribute(lambda o: [o.key])


def fencers(event, count: int, *, clubs: int | None = None) -> list[Competitor]:
    """`count` competitors seeded 1..count; with `clubs`, spread over that many clubs in turn."""
    return [
        CompetitorFactory(
            event=event,
            seed=i + 1,
            club_zh=f"俱乐部{i % clubs}" if clubs else f"俱乐部{event.pk}-{i}",
            club_en=f"Club {i % clubs}" if clubs else f"Club {event.pk}-{i}",
        )
        for i in range(count)
    ]


class DragonBoatEventFactory(EventFactory):
    discipline = Discipline.DRAGON_BOAT
    weapon = ""
    age_group = ""


class BasketballEventFactory(EventFactory):
    discipline = Discipline.BASKETBALL
    weapon = ""
    age_group = "U15"


def entrants(event, count: int, *, kind: str = "team", city_of=None) -> list[Competitor]:
    """`count` crews or teams seeded 1..count, each from its own city unless `city_of(i)` says."""
    return [
        CompetitorFactory(
            event=event,
            seed=i + 1,
            kind=kind,
            display_name=f"队{i + 1} (Team {i + 1})",
            city_zh=city_of(i)[0] if city_of else f"城{i + 1}",
            city_en=city_of(i)[1] if city_of else f"City {i + 1}",
        )
        for i in range(count)
    ]
