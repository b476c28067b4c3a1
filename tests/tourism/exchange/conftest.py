"""A delegation on an exchange: a manager, a chaperone with valid credentials, three children with
badges and guardians, an organiser of the programme, and a coach transfer between two cities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation

from events.enums import ProgrammeRole, VenueResourceKind
from registration.enums import EntryStatus, MembershipRole
from registration.models import Athlete, Badge, Delegation, DelegationMembership, Guardian
from registration.services import accreditation
from tests.factories import (
    CityFactory,
    ProgrammeMembershipFactory,
    UserFactory,
    VenueFactory,
    VenueResourceFactory,
)
from tests.factories.exchange import START, SegmentFactory
from tests.factories.registration import (
    AthleteFactory,
    EntryFactory,
    GuardianFactory,
    MembershipFactory,
    TeamFactory,
)
from ticketing.signing import credential_code
from tourism.exchange.enums import CredentialKind
from tourism.exchange.models import ChaperoneCredential, Segment


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


@pytest.fixture
def camp(db) -> Camp:
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


@pytest.fixture(autouse=True)
def english():
    """Service messages are read in English here; the pages' Chinese is checked by the journey."""
    with translation.override("en"):
        yield


@pytest.fixture
def start() -> dt.datetime:
    return START


@pytest.fixture
def outsider():
    return UserFactory()
