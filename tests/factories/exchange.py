"""Factories for the exchange programme (tourism/exchange)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory

from events.enums import ProgrammeRole, VenueResourceKind
from registration.enums import EntryStatus, MembershipRole
from registration.models import Athlete, Badge, Delegation, DelegationMembership, Guardian
from registration.services import accreditation
from tests.factories.events import (
    CityFactory,
    ProgrammeFactory,
    ProgrammeMembershipFactory,
    VenueFactory,
    VenueResourceFactory,
)
from tests.factories.registration import (
    AthleteFactory,
    DelegationFactory,
    EntryFactory,
    GuardianFactory,
    MembershipFactory,
    TeamFactory,
)
from ticketing.signing import credential_code
from tourism.exchange.enums import BookingStatus, CredentialKind, ExperienceKind, SegmentKind
from tourism.exchange.models import (
    Booking,
    ChaperoneCredential,
    Experience,
    ExperienceSlot,
    RollCall,
    Segment,
)

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


@dataclass
class Camp:
    delegation: Delegation
    manager: DelegationMembership
    chaperone: DelegationMembership
    organiser: object
    children: list[Athlete]
    guardians: list[Guardian]
    transfer: Segment

    def code(self, athlete: Athlete) -> str:
        return credential_code(Badge.objects.get(entry__athlete=athlete, revoked_at__isnull=True).credential)


def credentials_for(membership, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)) -> None:
    for kind in CredentialKind.values:
        ChaperoneCredential.objects.create(
            membership=membership, kind=kind, valid_from=start, valid_until=end
        )


def exchange_camp() -> Camp:
    """A delegation on an exchange: a manager, a chaperone with valid credentials, three children
    with badges and guardians, an organiser of the programme, and a coach transfer between two cities."""
    team = TeamFactory(event__venue__gates=["gate-a"])
    VenueResourceFactory(venue=team.event.venue, kind=VenueResourceKind.PISTE, code="court-1")
    delegation = team.delegation
    children = [
        AthleteFactory(
            delegation=delegation, given_name_zh=name, name_latin=f"WANG {latin}", family_name_zh="王"
        )
        for name, latin in (("小明", "Xiaoming"), ("小红", "Xiaohong"), ("小刚", "Xiaogang"))
    ]
    for child in children:
        EntryFactory(team=team, athlete=child, status=EntryStatus.APPROVED)
    accreditation.badges_issue(delegation=delegation)
    guardians = [
        GuardianFactory(athlete=child, email=f"parent{i}@example.com") for i, child in enumerate(children)
    ]
    manager = MembershipFactory(delegation=delegation, role=MembershipRole.MANAGER)
    chaperone = MembershipFactory(delegation=delegation, role=MembershipRole.CHAPERONE)
    credentials_for(chaperone)
    organiser = ProgrammeMembershipFactory(programme=delegation.programme, role=ProgrammeRole.ORGANISER).user
    shanghai, kunming = CityFactory(slug="sh-x"), CityFactory(slug="km-x")
    transfer = SegmentFactory(
        delegation=delegation,
        origin=VenueFactory(city=shanghai),
        venue=VenueFactory(city=kunming),
        lead=chaperone,
    )
    transfer.chaperones.add(chaperone)
    return Camp(delegation, manager, chaperone, organiser, children, guardians, transfer)
