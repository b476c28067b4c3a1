"""Factories for delegations, teams, athletes (with valid generated resident IDs), entries and rules."""

from __future__ import annotations

import datetime as dt

import factory

from registration.enums import (
    AgeRuleKind,
    AthleteSex,
    DelegationKind,
    DocumentType,
    EntryStatus,
    GuardianRelationship,
    MembershipRole,
)
from registration.models import (
    Athlete,
    Delegation,
    DelegationMembership,
    Entry,
    EventEligibility,
    Guardian,
    Team,
)
from registration.services.documents import document_fields
from tests.factories.events import CityFactory, EventFactory, ProgrammeFactory


def gb11643_check(body17: str) -> str:
    """ISO 7064 MOD 11-2, written from the standard's formula (2^(17-i) mod 11), not the app's table."""
    total = sum(int(digit) * (2 ** (17 - index) % 11) for index, digit in enumerate(body17))
    return "10X98765432"[total % 11]


def resident_id(
    birth_date: dt.date, sex: str = AthleteSex.MALE, *, area: str = "310101", sequence: int = 1
) -> str:
    """A structurally valid resident ID for the given birth date and sex (sequence parity fixed)."""
    sequence = sequence * 2 % 1000
    if sex == AthleteSex.MALE:
        sequence += 1
    body = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    return body + gb11643_check(body)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.SubFactory(CityFactory)
    kind = DelegationKind.CLUB
    name_zh = factory.Sequence(lambda n: f"代表团{n}")
    name_en = factory.Sequence(lambda n: f"Delegation {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMembership

    delegation = factory.SubFactory(DelegationFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = MembershipRole.MANAGER
    accepted_at = factory.LazyFunction(lambda: dt.datetime(2027, 1, 1, tzinfo=dt.UTC))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    delegation = factory.SubFactory(DelegationFactory)
    event = factory.SubFactory(EventFactory, programme=factory.SelfAttribute("..delegation.programme"))
    name_zh = factory.Sequence(lambda n: f"队伍 {n}")
    name_en = factory.Sequence(lambda n: f"Team {n}")


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete
        exclude = ["document_number"]

    delegation = factory.SubFactory(DelegationFactory)
    family_name_zh = "李"
    given_name_zh = factory.Sequence(lambda n: f"明{n}")
    name_latin = factory.Sequence(lambda n: f"LI Ming{n}")
    sex = AthleteSex.MALE
    birth_date = dt.date(2014, 3, 2)
    document_type = DocumentType.RESIDENT_ID
    document_number = factory.LazyAttributeSequence(lambda o, n: resident_id(o.birth_date, o.sex, sequence=n))
    emergency_contact_name = "李华"
    emergency_contact_phone = "13800000000"

    @factory.lazy_attribute
    def document_number_encrypted(self):
        return document_fields(self.document_number)["document_number_encrypted"]

    @factory.lazy_attribute
    def document_hash(self):
        return document_fields(self.document_number)["document_hash"]

    @factory.lazy_attribute
    def document_last4(self):
        return self.document_number[-4:]

    @factory.lazy_attribute
    def document_masked(self):
        return document_fields(self.document_number)["document_masked"]


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    athlete = factory.SubFactory(AthleteFactory)
    name = "王芳"
    relationship = GuardianRelationship.MOTHER
    phone = "13900000000"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    team = factory.SubFactory(TeamFactory)
    athlete = factory.SubFactory(AthleteFactory, delegation=factory.SelfAttribute("..team.delegation"))
    event = factory.SelfAttribute("team.event")
    status = EntryStatus.DRAFT


class EventEligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventEligibility

    event = factory.SubFactory(EventFactory)
    age_rule = AgeRuleKind.BIRTH_YEAR_WINDOW
    min_birth_year = 2014
    max_birth_year = 2015


# --- paperwork, workflow, fees --------------------------------------------------------------------

from registration.models import (  # noqa: E402
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ConsentRulesText,
    EventFee,
    EventRegistrationSettings,
    HealthRecord,
    InsuranceProof,
    SafetyDeclaration,
)


class ConsentRulesTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRulesText
        django_get_or_create = ["version"]

    version = "2027-1"
    title_zh = "儿童个人信息处理规则"
    title_en = "Rules for processing children's personal data"
    body_zh = "我们仅为报名参赛处理儿童个人信息。"
    body_en = "We process children's personal data only to register them for the competition."
    published_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    athlete = factory.SubFactory(AthleteFactory)
    purpose = ConsentPurpose.REGISTRATION
    given_by = ConsentGiver.GUARDIAN
    granted = True
    rules_text = factory.SubFactory(ConsentRulesTextFactory)
    method = ConsentMethod.PAPER
    given_at = factory.LazyFunction(lambda: dt.datetime(2026, 2, 1, tzinfo=dt.UTC))


class SafetyDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyDeclaration

    athlete = factory.SubFactory(AthleteFactory)
    risk_notice_version = "2027-1"
    athlete_signed_at = factory.LazyFunction(lambda: dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    guardian_signed_at = factory.LazyFunction(lambda: dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    guardian_name = "王芳"


class InsuranceProofFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuranceProof

    athlete = factory.SubFactory(AthleteFactory)
    insurer = "中国人寿"
    policy_number = factory.Sequence(lambda n: f"PL{n:08d}")
    covers_travel = True
    valid_from = dt.date(2027, 1, 1)
    valid_until = dt.date(2027, 12, 31)


class HealthRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthRecord

    athlete = factory.SubFactory(AthleteFactory)
    certificate_date = dt.date(2027, 3, 1)


class EventRegistrationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistrationSettings

    event = factory.SubFactory(EventFactory)


class EventFeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventFee

    event = factory.SubFactory(EventFactory)
    amount_fen = 20000


def complete_paperwork(athlete, *, health_date: dt.date = dt.date(2027, 3, 1)):
    """Everything an entry needs before approval (guardian and athlete consent, declaration,
    insurance covering travel in 2027, a health certificate) for events in spring 2027."""
    ConsentFactory(athlete=athlete, given_by=ConsentGiver.GUARDIAN)
    ConsentFactory(athlete=athlete, given_by=ConsentGiver.ATHLETE)
    SafetyDeclarationFactory(athlete=athlete)
    InsuranceProofFactory(athlete=athlete)
    HealthRecordFactory(athlete=athlete, certificate_date=health_date)
    return athlete
