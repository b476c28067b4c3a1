"""The registration slice of the demo season: delegations from ten corridor cities, 450 fencers with
synthetic identities (document type "demo", never shown unmasked) across the 12 fencing events,
entries in every workflow state, paperwork mostly complete with some consents missing, and a demo
team manager. Deterministic (seeded random) and idempotent: keyed on delegation names and document
hashes; everything is written with bulk_create so the whole slice takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from events.demo import DEMO_PASSWORD
from events.demodata.season import SEX_NAMES, WEAPON_NAMES, demo_today
from events.enums import Discipline, EventCategory
from events.models import City, Event, Programme
from registration.enums import (
    AthleteSex,
    DelegationKind,
    DocumentType,
    EntryStatus,
    GuardianRelationship,
    MembershipRole,
)
from registration.models import (
    Athlete,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ConsentRulesText,
    Delegation,
    DelegationMembership,
    Entry,
    EntryTransition,
    EventFee,
    EventRegistrationSettings,
    Guardian,
    HealthRecord,
    InsuranceProof,
    SafetyDeclaration,
    Team,
    WaitlistPlace,
    WaitlistState,
)
from registration.services.encryption import encrypt_document, mask_document
from ticketing.documents import document_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")
MANAGER_EMAIL = "manager@corridor.example"
FENCERS = 450
CITY_SLUGS = [
    "shanghai", "nanjing", "suzhou", "wuxi", "changzhou", "zhenjiang", "nantong", "taizhou", "yangzhou", "hangzhou",
]  # fmt: skip
FAMILY = [
    ("王", "WANG"), ("李", "LI"), ("张", "ZHANG"), ("刘", "LIU"), ("陈", "CHEN"), ("杨", "YANG"), ("赵", "ZHAO"),
    ("黄", "HUANG"), ("周", "ZHOU"), ("吴", "WU"), ("徐", "XU"), ("孙", "SUN"), ("胡", "HU"), ("朱", "ZHU"),
    ("高", "GAO"), ("林", "LIN"), ("何", "HE"), ("郭", "GUO"), ("马", "MA"), ("罗", "LUO"), ("沈", "SHEN"),
    ("顾", "GU"), ("陆", "LU"), ("欧阳", "OUYANG"), ("钱", "QIAN"), ("蒋", "JIANG"),
]  # fmt: skip
GIVEN = [
    ("子", "zi"), ("涵", "han"), ("浩", "hao"), ("宇", "yu"), ("欣", "xin"), ("怡", "yi"), ("梓", "zi"),
    ("轩", "xuan"), ("思", "si"), ("雨", "yu"), ("嘉", "jia"), ("俊", "jun"), ("晨", "chen"), ("一", "yi"),
    ("诺", "nuo"), ("博", "bo"), ("文", "wen"), ("佳", "jia"), ("琪", "qi"), ("睿", "rui"), ("泽", "ze"),
    ("若", "ruo"), ("安", "an"), ("明", "ming"), ("昊", "hao"), ("然", "ran"), ("可", "ke"), ("心", "xin"),
    ("悦", "yue"), ("彤", "tong"),
]  # fmt: skip
# Share of entries per state (out of 20), so every state is on screen.
STATES = (
    [EntryStatus.APPROVED] * 8
    + [EntryStatus.SUBMITTED] * 5
    + [EntryStatus.DRAFT] * 3
    + [EntryStatus.CHANGES_REQUESTED, EntryStatus.WAITLISTED, EntryStatus.WITHDRAWN, EntryStatus.LOCKED]
)
RULES_TEXT = {
    "version": "2027-1",
    "title_zh": "沪宁沿线青少年体育文化交流季儿童个人信息处理规则",
    "title_en": "Corridor Youth Season: rules for processing children's personal data",
    "body_zh": "我们仅为报名参赛、安全保障和保险目的处理儿童个人信息。\n"
    "证件号码加密保存，列表中仅显示打码后的号码；主办方查看完整号码时会记录查看人、时间和理由。\n"
    "健康数据、照片、向境外提供和营销信息须由监护人逐项单独同意，默认不同意，可随时撤回。\n"
    "赛事结束并经过理赔期后，我们删除健康数据，并按保存期限匿名化运动员信息。",
    "body_en": "We process children's personal data only to register them, keep them safe and insure them.\n"
    "Document numbers are stored encrypted and shown masked; every time an organiser reveals one, who, when "
    "and why is logged.\nHealth data, photos, transfer abroad and marketing each need the guardian's separate "
    "consent, off by default and withdrawable at any time.\nAfter the event and the claim window we delete "
    "health data and anonymise athletes when their retention period ends.",
}


def _days_ago(days: int) -> dt.datetime:
    """Paperwork dates follow the demo season, which is placed relative to today (events/demodata/season.py)."""
    return dt.datetime.combine(demo_today() - dt.timedelta(days=days), dt.time(9), SHANGHAI)


def _name(rng: random.Random) -> tuple[str, str, str]:
    family_zh, family_py = rng.choice(FAMILY)
    chars = [rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))]
    given_zh = "".join(c for c, _ in chars)
    given_py = "".join(p for _, p in chars).capitalize()
    return family_zh, given_zh, f"{family_py} {given_py}"


def _manager(delegation: Delegation):

    user_model = get_user_model()
    user = user_model.objects.filter(email=MANAGER_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            email=MANAGER_EMAIL,
            password=DEMO_PASSWORD,
            display_name="上海代表团领队 Demo",
            preferred_language="zh-hans",
        )
    EmailAddress.objects.update_or_create(
        user=user, email=MANAGER_EMAIL, defaults={"verified": True, "primary": True}
    )
    DelegationMembership.objects.get_or_create(
        delegation=delegation,
        user=user,
        defaults={"role": MembershipRole.MANAGER, "accepted_at": _days_ago(120)},
    )
    return user


def _fencing_events(programme: Programme) -> list[Event]:
    return list(
        Event.objects.filter(programme=programme, discipline=Discipline.FENCING, age_group__in=["U12", "U14"])
        .exclude(category=EventCategory.MIXED)
        .exclude(team_event=True)  # the team event's teams come from events' demo, not entries
        .order_by("start_date", "slug")
    )


def _birth_date(rng: random.Random, event: Event) -> dt.date:
    # U12 this season: born 11 or 10 years before its year (2015-2016 for a 2026 season); U14 two earlier.
    first_year = demo_today().year - (11 if event.age_group == "U12" else 13)
    return dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(730))


def seed() -> str:
    programme = Programme.objects.filter(slug="corridor-2027").first()
    if programme is None:
        return "skipped (no demo programme)"
    events = _fencing_events(programme)
    if not events:
        return "skipped (no fencing events)"
    rules_text, _ = ConsentRulesText.objects.get_or_create(
        version=RULES_TEXT["version"],
        defaults={**RULES_TEXT, "published_at": _days_ago(150)},
    )
    cities = {c.slug: c for c in City.objects.filter(slug__in=CITY_SLUGS)}
    delegations = []
    for slug in CITY_SLUGS:
        city = cities.get(slug)
        if city is None:
            continue
        delegation, _ = Delegation.objects.get_or_create(
            programme=programme,
            name_zh=f"{city.name_zh}市击剑代表队",
            defaults={
                "city": city,
                "kind": DelegationKind.CITY,
                "name_en": f"{city.name_en} Fencing Delegation",
            },
        )
        delegations.append(delegation)
    manager = _manager(delegations[0])
    for event in events:
        # The deadline follows the event when the demo season moves to another today.
        deadline = dt.datetime.combine(event.start_date - dt.timedelta(days=14), dt.time(18), SHANGHAI)
        EventRegistrationSettings.objects.update_or_create(
            event=event,
            defaults={"roster_deadline": deadline},
            create_defaults={"roster_deadline": deadline, "capacity": 48},
        )
        EventFee.objects.get_or_create(event=event, defaults={"amount_fen": 30000, "deposit_fen": 10000})
    teams = {}
    for delegation in delegations:
        for event in events:
            # Names that read like names: "上海 U12 女子佩剑" / "Shanghai U12 Women's Sabre".
            sex, weapon = SEX_NAMES[event.category], WEAPON_NAMES[event.weapon]
            names = {
                "name_zh": f"{delegation.city.name_zh} {event.age_group} {sex[0]}{weapon[0]}",
                "name_en": f"{delegation.city.name_en} {event.age_group} {sex[1]} {weapon[1]}",
            }
            team = Team.objects.filter(delegation=delegation, event=event).order_by("pk").first()
            if team is None:
                team = Team.objects.create(delegation=delegation, event=event, **names)
            elif (team.name_zh, team.name_en) != (names["name_zh"], names["name_en"]):
                Team.objects.filter(pk=team.pk).update(**names)
            teams[(delegation.pk, event.pk)] = team
    created = _seed_fencers(delegations, events, teams, rules_text, manager)
    return (
        f"{len(delegations)} delegations, {Athlete.objects.filter(delegation__in=delegations).count()} fencers "
        f"({created} new), {Entry.objects.filter(team__delegation__in=delegations).count()} entries; "
        f"manager {MANAGER_EMAIL}"
    )


def _seed_fencers(delegations, events, teams, rules_text, manager) -> int:
    rng = random.Random(2027)  # noqa: S311 - deterministic synthetic names, not security
    now = _days_ago(90)
    today = demo_today()
    numbers = [f"DEMO{index:08d}" for index in range(FENCERS)]
    hashes = [document_hash(number) for number in numbers]
    existing = set(Athlete.objects.filter(document_hash__in=hashes).values_list("document_hash", flat=True))
    plan = []
    for index, number in enumerate(numbers):
        delegation = delegations[index % len(delegations)]
        event = events[(index // len(delegations)) % len(events)]
        family_zh, given_zh, latin = _name(rng)
        birth = _birth_date(rng, event)
        state = STATES[(index * 7) % len(STATES)]
        paperwork_gap = state in (EntryStatus.DRAFT, EntryStatus.SUBMITTED) and index % 3 == 0
        if hashes[index] in existing:
            continue
        sex = AthleteSex.MALE if event.category == EventCategory.MEN else AthleteSex.FEMALE
        plan.append(
            (index, number, delegation, event, family_zh, given_zh, latin, birth, sex, state, paperwork_gap)
        )
    if not plan:
        return 0
    athletes = Athlete.objects.bulk_create(
        [
            Athlete(
                delegation=delegation,
                family_name_zh=family_zh,
                given_name_zh=given_zh,
                name_latin=latin,
                sex=sex,
                birth_date=birth,
                document_type=DocumentType.DEMO,
                document_number_encrypted=encrypt_document(number),
                document_hash=hashes[index],
                document_last4=number[-4:],
                document_masked=mask_document(number),
                emergency_contact_name=f"{family_zh}家长",
                emergency_contact_phone=f"1390000{index:04d}",
                retain_until=today + dt.timedelta(days=540),
                created_by=manager,
            )
            for index, number, delegation, _e, family_zh, given_zh, latin, birth, sex, _s, _g in plan
        ]
    )
    Guardian.objects.bulk_create(
        [
            Guardian(
                athlete=athlete,
                name=f"{athlete.family_name_zh}{'女士' if i % 2 else '先生'}",
                relationship=GuardianRelationship.MOTHER if i % 2 else GuardianRelationship.FATHER,
                phone=f"1380000{i:04d}",
                email=f"guardian{i}@example.com",
            )
            for i, athlete in enumerate(athletes)
        ]
    )
    consents, declarations, insurance, health, entries = [], [], [], [], []
    for athlete, row in zip(athletes, plan, strict=True):
        _i, _n, delegation, event, *_rest, state, gap = row
        if not gap:
            consents.append(
                Consent(
                    athlete=athlete,
                    purpose=ConsentPurpose.REGISTRATION,
                    given_by=ConsentGiver.GUARDIAN,
                    granted=True,
                    rules_text=rules_text,
                    method=ConsentMethod.PAPER,
                    recorded_by=manager,
                    given_at=now,
                )
            )
            consents.append(
                Consent(
                    athlete=athlete,
                    purpose=ConsentPurpose.PHOTOS,
                    given_by=ConsentGiver.GUARDIAN,
                    granted=athlete.pk % 2 == 0,
                    rules_text=rules_text,
                    method=ConsentMethod.PAPER,
                    recorded_by=manager,
                    given_at=now,
                )
            )
            declarations.append(
                SafetyDeclaration(
                    athlete=athlete,
                    risk_notice_version="2027-1",
                    athlete_signed_at=now,
                    guardian_signed_at=now,
                    guardian_name=f"{athlete.family_name_zh}家长",
                    recorded_by=manager,
                )
            )
        insurance.append(
            InsuranceProof(
                athlete=athlete,
                insurer="中国人民财产保险",
                policy_number=f"PICC2027{athlete.pk:06d}",
                covers_travel=True,
                valid_from=today - dt.timedelta(days=90),
                valid_until=today + dt.timedelta(days=275),
                recorded_by=manager,
            )
        )
        health.append(HealthRecord(athlete=athlete, certificate_date=today - dt.timedelta(days=60)))
        entries.append(
            Entry(
                athlete=athlete,
                team=teams[(delegation.pk, event.pk)],
                event=event,
                status=state,
                created_by=manager,
            )
        )
    Consent.objects.bulk_create(consents)
    SafetyDeclaration.objects.bulk_create(declarations)
    InsuranceProof.objects.bulk_create(insurance)
    HealthRecord.objects.bulk_create(health)
    entries = Entry.objects.bulk_create(entries)
    _ledger(entries, now)
    WaitlistPlace.objects.bulk_create(
        [
            WaitlistPlace(entry=entry, event=entry.event, state=WaitlistState.WAITING, queued_at=now)
            for entry in entries
            if entry.status == EntryStatus.WAITLISTED
        ]
    )
    return len(athletes)


PATHS = {
    EntryStatus.DRAFT: [],
    EntryStatus.SUBMITTED: [EntryStatus.SUBMITTED],
    EntryStatus.CHANGES_REQUESTED: [EntryStatus.SUBMITTED, EntryStatus.CHANGES_REQUESTED],
    EntryStatus.APPROVED: [EntryStatus.SUBMITTED, EntryStatus.APPROVED],
    EntryStatus.LOCKED: [EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.LOCKED],
    EntryStatus.WAITLISTED: [EntryStatus.WAITLISTED],
    EntryStatus.WITHDRAWN: [EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN],
}
# Transitions without a reason show none in the history (not "draft → submitted · demo", issue 9 item 7).
REASONS = {EntryStatus.CHANGES_REQUESTED: "请补充清晰的证件照片 / Please add a clearer photo."}


def _ledger(entries, now) -> None:
    rows = []
    for entry in entries:
        previous = EntryStatus.DRAFT
        for status in PATHS[entry.status]:
            rows.append(
                EntryTransition(
                    entry=entry, from_status=previous, to_status=status, reason=REASONS.get(status, "")
                )
            )
            previous = status
    EntryTransition.objects.bulk_create(rows)


def announce() -> str:
    return f"Demo team manager (Shanghai fencing delegation): {MANAGER_EMAIL} / {DEMO_PASSWORD}\n"
