"""The exchange slice of the demo season: the Shanghai–Kunming basketball camp's delegation with its
children (synthetic "demo" documents), guardians, a chaperone with valid credentials, two company
visits, a heritage workshop in Suzhou and the coach between the cities, on one itinerary.

Placed relative to the camp (events' demo puts it three weeks from today); idempotent: keyed on the
delegation's name, document hashes, experience and segment names.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from events.demo import DEMO_PASSWORD
from events.enums import VenueKind
from events.models import City, Event, Venue
from registration.enums import DelegationKind, DocumentType, EntryStatus, GuardianRelationship, MembershipRole
from registration.models import Athlete, Delegation, DelegationMembership, Entry, Guardian, Team
from registration.services.accreditation import badges_issue
from registration.services.encryption import encrypt_document, mask_document
from ticketing.documents import document_hash
from tourism.exchange.enums import CredentialKind, ExperienceKind, SegmentKind
from tourism.exchange.models import AgeBandRatio, ChaperoneCredential, Experience, ExperienceSlot, Segment
from tourism.exchange.services.experiences import slot_book
from tourism.exchange.services.itineraries import schedule_import

CAMP = "basketball-camp-shanghai-kunming"
DELEGATION_ZH = "沪昆青少年篮球营营员队"
CHAPERONE_EMAIL = "chaperone@corridor.example"
MANAGER_EMAIL = "manager@corridor.example"  # registration's demo manager also runs the camp team
CHILDREN = [
    ("李", "子涵", "LI Zihan", 2014), ("王", "浩宇", "WANG Haoyu", 2013), ("张", "欣怡", "ZHANG Xinyi", 2014),
    ("刘", "宇轩", "LIU Yuxuan", 2013), ("陈", "思远", "CHEN Siyuan", 2015), ("杨", "梓萱", "YANG Zixuan", 2014),
    ("赵", "一鸣", "ZHAO Yiming", 2013), ("黄", "诗琪", "HUANG Shiqi", 2015),
]  # fmt: skip


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _user(email: str, name: str):
    user_model = get_user_model()
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=DEMO_PASSWORD, display_name=name, preferred_language="zh-hans"
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _membership(delegation, user, role) -> DelegationMembership:
    membership, _created = DelegationMembership.objects.get_or_create(
        delegation=delegation, user=user, defaults={"role": role, "accepted_at": timezone.now()}
    )
    return membership


def _venue(slug, city_slug, zh, en, address_zh, kind, lat, lng) -> Venue:
    venue, _created = Venue.objects.update_or_create(
        slug=slug,
        defaults={
            "city": City.objects.get(slug=city_slug),
            "name_zh": zh,
            "name_en": en,
            "address_zh": address_zh,
            "kind": kind,
            "capacity": 0,
            "latitude": lat,
            "longitude": lng,
        },
    )
    return venue


def seed() -> str:
    event = Event.objects.select_related("programme", "venue").get(slug=CAMP)
    programme, camp_day = event.programme, event.start_date
    delegation, _created = Delegation.objects.update_or_create(
        programme=programme,
        name_zh=DELEGATION_ZH,
        defaults={
            "name_en": "Shanghai–Kunming Camp Team",
            "city": City.objects.get(slug="shanghai"),
            "kind": DelegationKind.CLUB,
        },
    )
    manager = _membership(delegation, _user(MANAGER_EMAIL, "上海代表团领队 Demo"), MembershipRole.MANAGER)
    chaperone = _membership(delegation, _user(CHAPERONE_EMAIL, "营地陪同老师 Demo"), MembershipRole.CHAPERONE)
    for kind in CredentialKind.values:
        ChaperoneCredential.objects.update_or_create(
            membership=chaperone,
            kind=kind,
            defaults={
                "valid_from": camp_day - dt.timedelta(days=60),
                "valid_until": camp_day + dt.timedelta(days=60),
            },
        )
    for under_age, ratio in ((12, 8), (18, 10)):
        AgeBandRatio.objects.update_or_create(
            programme=programme, under_age=under_age, defaults={"children_per_adult": ratio}
        )
    children = _children(delegation, event, manager.user)
    badges_issue(delegation=delegation)

    suzhou = _venue(
        "suzhou-embroidery-institute",
        "suzhou",
        "苏州刺绣研究所",
        "Suzhou Embroidery Institute",
        "苏州市姑苏区景德路262号",
        VenueKind.CULTURAL,
        "31.311400",
        "120.612300",
    )
    jiading = _venue(
        "jiading-auto-innovation-port",
        "shanghai",
        "嘉定汽车创新港",
        "Jiading Automotive Innovation Port",
        "上海市嘉定区安亭镇墨玉南路888号",
        VenueKind.COMPANY,
        "31.294600",
        "121.166800",
    )
    hub = Venue.objects.get(slug="shanghai-industrial-internet-hub")
    experiences = [
        (ExperienceKind.COMPANY_VISIT, "工业互联网企业参访", "Industrial internet company visit", "上海工业互联网创新中心", "Shanghai Industrial Internet Hub", hub, 1, (14, 0), "车间内禁止拍照；全程佩戴安全帽，跟随讲解员。", "No photographs inside the plant; hard hats on; stay with the guide."),
        (ExperienceKind.COMPANY_VISIT, "新能源汽车工厂参访", "Electric-vehicle plant visit", "嘉定汽车创新港", "Jiading Automotive Innovation Port", jiading, 2, (14, 0), "总装车间禁止拍照；穿封闭式鞋子。", "No photographs on the assembly line; closed shoes."),
        (ExperienceKind.HERITAGE_WORKSHOP, "苏绣非遗体验工坊", "Suzhou embroidery heritage workshop", "苏州刺绣研究所", "Suzhou Embroidery Institute", suzhou, 3, (15, 0), "使用绣针时听从老师指导。", "Follow the teacher when using needles."),
    ]  # fmt: skip
    segments = []
    for kind, zh, en, host_zh, host_en, venue, offset, (hour, minute), notes_zh, notes_en in experiences:
        experience, _created = Experience.objects.update_or_create(
            programme=programme,
            name_zh=zh,
            defaults={"kind": kind, "name_en": en, "host_zh": host_zh, "host_en": host_en, "venue": venue,
                      "minimum_age": 10, "children_per_adult": 8, "safety_notes_zh": notes_zh, "safety_notes_en": notes_en},
        )  # fmt: skip
        day = camp_day + dt.timedelta(days=offset)
        slot, _created = ExperienceSlot.objects.update_or_create(
            experience=experience,
            defaults={
                "starts_at": _at(day, hour, minute),
                "ends_at": _at(day, hour + 2, minute),
                "capacity": 30,
            },
        )
        slot_book(slot=slot, delegation=delegation, athletes=children, memberships=[chaperone])
        segments.append((SegmentKind.EXPERIENCE, zh, en, slot.starts_at, slot.ends_at, None, venue, slot))
    home = event.venue
    segments += [
        (SegmentKind.TRANSFER, "大巴赴苏州", "Coach to Suzhou", _at(camp_day + dt.timedelta(days=3), 12), _at(camp_day + dt.timedelta(days=3), 14), home, suzhou, None),
        (SegmentKind.MEAL, "苏州晚餐", "Dinner in Suzhou", _at(camp_day + dt.timedelta(days=3), 17, 30), _at(camp_day + dt.timedelta(days=3), 18, 30), None, suzhou, None),
        (SegmentKind.TRANSFER, "大巴返沪", "Coach back to Shanghai", _at(camp_day + dt.timedelta(days=3), 19), _at(camp_day + dt.timedelta(days=3), 21, 30), suzhou, home, None),
        (SegmentKind.LODGING, "营地住宿", "Camp lodging", _at(camp_day, 21), _at(camp_day + dt.timedelta(days=1), 7), None, home, None),
    ]  # fmt: skip
    for kind, zh, en, starts, ends, origin, venue, slot in segments:
        transfer = kind == SegmentKind.TRANSFER
        segment, _created = Segment.objects.update_or_create(
            delegation=delegation,
            title_zh=zh,
            defaults={"kind": kind, "title_en": en, "starts_at": starts, "ends_at": ends, "origin": origin, "venue": venue,
                      "slot": slot, "vehicle": "沪D·K2027" if transfer else "", "driver_name": "周师傅" if transfer else "",
                      "driver_phone": "13601700000" if transfer else "", "lead": chaperone if transfer else None},
        )  # fmt: skip
        segment.chaperones.set([chaperone])
    schedule_import(delegation=delegation)
    return (
        f"{DELEGATION_ZH}: {len(children)} children, {Segment.objects.filter(delegation=delegation).count()} "
        f"itinerary segments, {len(experiences)} experiences; chaperone {CHAPERONE_EMAIL}"
    )


def _children(delegation, event, manager_user) -> list[Athlete]:
    team, _created = Team.objects.get_or_create(
        delegation=delegation, event=event, defaults={"name_zh": "营员队", "name_en": "Camp team"}
    )
    children = []
    for index, (family, given, latin, year) in enumerate(CHILDREN):
        number = f"DEMOCAMP{index:04d}"
        athlete, _created = Athlete.objects.get_or_create(
            delegation=delegation,
            document_hash=document_hash(number),
            defaults={
                "family_name_zh": family,
                "given_name_zh": given,
                "name_latin": latin,
                "sex": "male" if index % 2 else "female",
                "birth_date": dt.date(year, 3 + index, 10),
                "document_type": DocumentType.DEMO,
                "document_number_encrypted": encrypt_document(number),
                "document_last4": number[-4:],
                "document_masked": mask_document(number),
                "emergency_contact_name": f"{family}家长",
                "emergency_contact_phone": f"1391700{index:04d}",
                "created_by": manager_user,
            },
        )
        Entry.objects.get_or_create(
            athlete=athlete, event=event, defaults={"team": team, "status": EntryStatus.APPROVED}
        )
        Guardian.objects.get_or_create(
            athlete=athlete,
            name=f"{family}家长",
            defaults={"relationship": GuardianRelationship.MOTHER, "phone": f"1380170{index:04d}",
                      "email": f"guardian{index + 1}@corridor.example"},
        )  # fmt: skip
        children.append(athlete)
    return children


def announce() -> str:
    delegation = Delegation.objects.filter(name_zh=DELEGATION_ZH).first()
    if delegation is None:
        return ""
    itinerary = reverse("exchange:itinerary", args=[delegation.pk])
    organiser = reverse("exchange:organiser", args=[delegation.programme_id])
    return (
        f"Exchange programme: chaperone {CHAPERONE_EMAIL} / {DEMO_PASSWORD}; the basketball camp's "
        f"itinerary {itinerary}; the organiser's roll-call alerts {organiser}"
    )
