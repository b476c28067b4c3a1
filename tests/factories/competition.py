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
