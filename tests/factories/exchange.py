"""Factories for the exchange programme (tourism/exchange)."""

from __future__ import annotations

import datetime as dt

import factory

from tests.factories.events import ProgrammeFactory, VenueFactory
from tests.factories.registration import DelegationFactory
from tourism.exchange.enums import BookingStatus, ExperienceKind, SegmentKind
from tourism.exchange.models import Booking, Experience, ExperienceSlot, RollCall, Segment

START = dt.datetime(2027, 5, 3, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

    programme = factory.SubFactory(ProgrammeFactory)
    kind = ExperienceKind.COMPANY_VISIT
    name_zh = factory.Sequence(lambda n: f"企业参访{n}")
    name_en = factory.Sequence(lambda n: f"Company visit {n}")
    host_zh = "上海工业互联网创新中心"
    host_en = "Shanghai Industrial Internet Hub"
    venue = factory.SubFactory(VenueFactory)
    minimum_age = 10
    children_per_adult = 8
    safety_notes_zh = "车间内禁止拍照，须戴安全帽。"
    safety_notes_en = "No photographs inside the plant; hard hats on."


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceSlot

    experience = factory.SubFactory(ExperienceFactory)
    starts_at = START + dt.timedelta(hours=5)
    ends_at = START + dt.timedelta(hours=7)
    capacity = 20


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    delegation = factory.SubFactory(DelegationFactory)
    status = BookingStatus.CONFIRMED


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    delegation = factory.SubFactory(DelegationFactory)
    kind = SegmentKind.TRANSFER
    title_zh = factory.Sequence(lambda n: f"大巴转场{n}")
    title_en = factory.Sequence(lambda n: f"Coach transfer {n}")
    starts_at = START
    ends_at = START + dt.timedelta(hours=1)
    origin = factory.SubFactory(VenueFactory)
    venue = factory.SubFactory(VenueFactory)
    vehicle = "沪A·12345"
    driver_name = "张师傅"
    driver_phone = "13700000000"


class RollCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RollCall

    segment = factory.SubFactory(SegmentFactory)
    due_at = START
