"""Factories for ticketing. Sales factories first; credential and gate factories follow."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from events.models import Session
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory
from ticketing.enums import TicketKind
from ticketing.models import Ballot, Quota, Section, TicketType


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    session = factory.SubFactory(SessionFactory)
    name_zh = factory.Sequence(lambda n: f"配额{n}")
    name_en = factory.Sequence(lambda n: f"Quota {n}")
    capacity = 100


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    session = factory.SubFactory(SessionFactory)
    name_zh = factory.Sequence(lambda n: f"看台{n}")
    name_en = factory.Sequence(lambda n: f"Stand {n}")
    capacity = 50


class TicketTypeFactory(factory.django.DjangoModelFactory):
    """A type on sale now with its own quota (pass `quota=` to share one, `quota=None` for none)."""

    class Meta:
        model = TicketType
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    name_zh = factory.Sequence(lambda n: f"成人票{n}")
    name_en = factory.Sequence(lambda n: f"Adult {n}")
    kind = TicketKind.ADULT
    price_fen = 8000
    max_per_order = 6

    @factory.post_generation
    def quota(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        quota = extracted or QuotaFactory(session=self.session, capacity=kwargs.get("capacity", 100))
        self.quotas.add(quota)


def future_session(**kwargs) -> Session:
    """A session a month from now (factories' fixed 2027 dates may be in the past when tests run later)."""
    start = kwargs.pop("starts_at", None) or timezone.now() + dt.timedelta(days=30)
    return SessionFactory(
        event__start_date=timezone.localdate(start) - dt.timedelta(days=1),
        event__end_date=timezone.localdate(start) + dt.timedelta(days=1),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **kwargs,
    )


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    ticket_type = factory.SubFactory(TicketTypeFactory)
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    pay_within_hours = 48
    max_per_application = 4


def buyer(**kwargs):
    from tests.factories.accounts import verified

    return verified(UserFactory(**kwargs))
