"""Factories for the events catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from events.enums import Discipline, EventStatus, SessionKind, VenueKind, VenueResourceKind
from events.models import City, Event, Programme, ProgrammeMembership, Session, Venue, VenueResource

SHANGHAI = ZoneInfo("Asia/Shanghai")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"city-{n:05d}")  # zero-padded: ordered by slug as created
    name_zh = factory.Sequence(lambda n: f"城市{n}")
    name_en = factory.Sequence(lambda n: f"City {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"season-{n}")
    name_zh = factory.Sequence(lambda n: f"交流季{n}")
    name_en = factory.Sequence(lambda n: f"Season {n}")
    start_date = dt.date(2027, 4, 1)
    end_date = dt.date(2027, 9, 30)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"venue-{n:05d}")  # as cities
    city = factory.SubFactory(CityFactory)
    name_zh = factory.Sequence(lambda n: f"体育馆{n}")
    name_en = factory.Sequence(lambda n: f"Arena {n}")
    address_zh = "上海市普陀区铜川路1号"
    address_en = "1 Tongchuan Road, Shanghai"
    kind = VenueKind.ARENA
    capacity = 1000
    latitude = Decimal("31.245260")
    longitude = Decimal("121.403180")

    @factory.post_generation
    def gates(self, create, extracted, **kwargs):
        """Two gates, gate-a and gate-b, as every real venue has: scans are checked against them."""
        if not create:
            return
        for code in extracted if extracted is not None else ("gate-a", "gate-b"):
            VenueResource.objects.get_or_create(
                venue=self,
                code=code,
                defaults={
                    "kind": VenueResourceKind.GATE,
                    "name_zh": f"入口{code[-1].upper()}",
                    "name_en": f"Gate {code[-1].upper()}",
                },
            )


class VenueResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VenueResource
        django_get_or_create = ["venue", "code"]

    venue = factory.SubFactory(VenueFactory)
    kind = VenueResourceKind.GATE
    code = factory.Sequence(lambda n: f"gate-{n}")
    name_zh = factory.Sequence(lambda n: f"入口{n}")
    name_en = factory.Sequence(lambda n: f"Gate {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"event-{n}")
    name_zh = factory.Sequence(lambda n: f"赛事{n}")
    name_en = factory.Sequence(lambda n: f"Event {n}")
    discipline = Discipline.BASKETBALL
    host_city = factory.SubFactory(CityFactory)
    venue = factory.SubFactory(VenueFactory, city=factory.SelfAttribute("..host_city"))
    start_date = dt.date(2027, 5, 1)
    end_date = dt.date(2027, 5, 3)
    status = EventStatus.PUBLISHED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    venue = factory.LazyAttribute(lambda o: o.event.venue)
    kind = SessionKind.MATCH
    name_zh = factory.Sequence(lambda n: f"场次{n}")
    name_en = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.event.start_date, dt.time(10, 0), tzinfo=SHANGHAI)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class ProgrammeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMembership

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    programme = factory.SubFactory(ProgrammeFactory)
