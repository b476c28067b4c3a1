"""The catalogue slice of the demo season: corridor cities, venues, events, sessions.

The demo season is placed relative to the day it is loaded (today in Asia/Shanghai), so the gate, the
stub wallet and "now on" work whenever someone runs `make run`: the fencing invitational's foil day was
yesterday (results, stubs), its épée day is today with a session on now, its sabre day is tomorrow, and
most of the season lies ahead. Real programmes keep absolute dates; only this demo moves.

Re-running the seed on the same day (and in the same part of the day) changes nothing: every row is
keyed on a slug or (event, English name). Re-running it on a later day places the season again around
the new today, as a demo user expects: events and sessions move (an event is first widened to cover
both its old and new dates, then its sessions move, then it narrows, so the session-within-event
trigger holds throughout), and the tickets of moved sessions follow them (ticketing's demo slice).
Today's fencing timetable slides with the time of day so that a session is on now at any hour (see
`today_shift`): no session crosses midnight, which the trigger would refuse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from events.enums import (
    CityNetwork,
    Discipline,
    EventCategory,
    EventStatus,
    SessionKind,
    VenueKind,
    VenueResourceKind,
    Weapon,
)
from events.models import City, Event, Programme, ProgrammeMembership, Session, Venue, VenueResource

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_PROGRAMME = "corridor-2027"  # the slug the other slices look the demo up by; kept when the dates move
DEMO_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo, never used in production
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCORRIDOR"  # noqa: S105 - demo only  # base32; shown by `manage.py demo_totp`

CITIES = [
    # slug, zh, en, province zh, province en, network
    # The corridor of DOMAIN.md §1, Shanghai to Nanjing along the railway, then the Yangtze's north bank.
    ("shanghai", "上海", "Shanghai", "上海市", "Shanghai", CityNetwork.CORRIDOR),
    ("suzhou", "苏州", "Suzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("wuxi", "无锡", "Wuxi", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("changzhou", "常州", "Changzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("zhenjiang", "镇江", "Zhenjiang", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("nanjing", "南京", "Nanjing", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("nantong", "南通", "Nantong", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("taizhou", "泰州", "Taizhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("yangzhou", "扬州", "Yangzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("hangzhou", "杭州", "Hangzhou", "浙江省", "Zhejiang", CityNetwork.SISTER),
]
# Cities an earlier demo listed that are not in the corridor: removed when nothing refers to them.
RETIRED_CITIES = ["kunshan", "kunming"]

VENUES = [
    # slug, city, zh, en, address zh, address en, kind, capacity, lat, lng, resources (kind, count, zh, en)
    (
        "putuo-sports-centre",
        "shanghai",
        "普陀区体育中心击剑馆",
        "Putuo Sports Centre Fencing Hall",
        "上海市普陀区铜川路1111号",
        "1111 Tongchuan Road, Putuo District, Shanghai",
        VenueKind.SPORTS_HALL,
        1800,
        "31.245260",
        "121.403180",
        [(VenueResourceKind.PISTE, 12, "剑道", "Piste"), (VenueResourceKind.GATE, 2, "入口", "Gate")],
    ),
    (
        "suzhou-creek-changfeng",
        "shanghai",
        "苏州河长风段龙舟赛道",
        "Suzhou Creek Changfeng Course",
        "上海市普陀区长风公园东侧苏州河段",
        "Suzhou Creek by Changfeng Park, Putuo District, Shanghai",
        VenueKind.RIVER_COURSE,
        3000,
        "31.222870",
        "121.396420",
        [(VenueResourceKind.LANE, 6, "航道", "Lane"), (VenueResourceKind.GATE, 3, "看台入口", "Stand gate")],
    ),
    (
        "yuanshen-sports-centre",
        "shanghai",
        "源深体育中心",
        "Yuanshen Sports Centre",
        "上海市浦东新区源深路655号",
        "655 Yuanshen Road, Pudong, Shanghai",
        VenueKind.ARENA,
        5000,
        "31.229840",
        "121.525760",
        [(VenueResourceKind.COURT, 4, "球场", "Court"), (VenueResourceKind.GATE, 2, "入口", "Gate")],
    ),
    (
        "shanghai-indoor-stadium",
        "shanghai",
        "上海体育馆",
        "Shanghai Indoor Stadium",
        "上海市徐汇区漕溪北路1111号",
        "1111 Caoxi North Road, Xuhui, Shanghai",
        VenueKind.ARENA,
        12000,
        "31.182650",
        "121.437250",
        [(VenueResourceKind.TABLE, 16, "球台", "Table"), (VenueResourceKind.GATE, 4, "入口", "Gate")],
    ),
    (
        "putuo-heritage-workshop",
        "shanghai",
        "普陀非遗传习工坊",
        "Putuo Intangible Heritage Workshop",
        "上海市普陀区曹杨路500号",
        "500 Caoyang Road, Putuo District, Shanghai",
        VenueKind.CULTURAL,
        120,
        "31.240950",
        "121.419300",
        [(VenueResourceKind.ROOM, 3, "工坊教室", "Workshop room")],
    ),
    (
        "shanghai-industrial-internet-hub",
        "shanghai",
        "上海工业互联网创新中心",
        "Shanghai Industrial Internet Hub",
        "上海市普陀区真北路958号",
        "958 Zhenbei Road, Putuo District, Shanghai",
        VenueKind.COMPANY,
        200,
        "31.254410",
        "121.393870",
        [(VenueResourceKind.ROOM, 2, "展厅", "Showroom")],
    ),
    (
        "zhenjiang-sports-centre",
        "zhenjiang",
        "镇江体育会展中心体育场",
        "Zhenjiang Sports and Exhibition Centre Stadium",
        "江苏省镇江市润州区南徐大道",
        "Nanxu Avenue, Runzhou District, Zhenjiang",
        VenueKind.STADIUM,
        30000,
        "32.175390",
        "119.405120",
        [(VenueResourceKind.PITCH, 1, "球场", "Pitch"), (VenueResourceKind.GATE, 6, "入口", "Gate")],
    ),
    (
        "nantong-olympic-stadium",
        "nantong",
        "南通市体育会展中心体育场",
        "Nantong Sports and Exhibition Centre Stadium",
        "江苏省南通市崇川区世纪大道",
        "Century Avenue, Chongchuan District, Nantong",
        VenueKind.STADIUM,
        32000,
        "32.009450",
        "120.889780",
        [(VenueResourceKind.PITCH, 1, "球场", "Pitch"), (VenueResourceKind.GATE, 6, "入口", "Gate")],
    ),
    (
        "taizhou-sports-park",
        "taizhou",
        "泰州体育公园体育场",
        "Taizhou Sports Park Stadium",
        "江苏省泰州市海陵区迎春东路",
        "Yingchun East Road, Hailing District, Taizhou",
        VenueKind.STADIUM,
        25000,
        "32.463580",
        "119.944120",
        [(VenueResourceKind.PITCH, 1, "球场", "Pitch"), (VenueResourceKind.GATE, 4, "入口", "Gate")],
    ),
    (
        "nanjing-olympic-sports-centre",
        "nanjing",
        "南京奥林匹克体育中心",
        "Nanjing Olympic Sports Centre",
        "江苏省南京市建邺区江东中路222号",
        "222 Jiangdong Middle Road, Jianye District, Nanjing",
        VenueKind.STADIUM,
        60000,
        "32.008220",
        "118.730530",
        [(VenueResourceKind.PITCH, 1, "球场", "Pitch"), (VenueResourceKind.GATE, 8, "入口", "Gate")],
    ),
]

WEAPON_NAMES = {Weapon.FOIL: ("花剑", "Foil"), Weapon.EPEE: ("重剑", "Épée"), Weapon.SABRE: ("佩剑", "Sabre")}
SEX_NAMES = {EventCategory.MEN: ("男子", "Men's"), EventCategory.WOMEN: ("女子", "Women's")}
# Foil was yesterday, épée is today, sabre is tomorrow (days from today).
FENCING_DAYS = {Weapon.FOIL: -1, Weapon.EPEE: 0, Weapon.SABRE: 1}
# A fencing day, the four events of a weapon side by side on the twelve pistes: (zh, en, start, end).
FENCING_DAY = [
    ("小组赛", "Pools", dt.time(8, 30), dt.time(12)),
    ("淘汰赛", "Direct elimination", dt.time(12), dt.time(16)),
    ("决赛及颁奖", "Finals and medals", dt.time(16), dt.time(17, 30)),
]
LAST_MINUTE = dt.time(23, 59, 59)  # the latest a session may end without crossing into tomorrow


@dataclass(frozen=True)
class SessionPlan:
    kind: str
    zh: str
    en: str
    venue: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass
class EventPlan:
    slug: str
    zh: str
    en: str
    discipline: str
    city: str
    venue: str | None
    start: dt.date
    end: dt.date
    extra: dict = field(default_factory=dict)
    sessions: list[SessionPlan] = field(default_factory=list)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def demo_today(now: dt.datetime | None = None) -> dt.date:
    """The day the demo is placed around: today in Shanghai."""
    return (now or timezone.now()).astimezone(SHANGHAI).date()


def today_shift(now: dt.datetime | None = None) -> dt.timedelta:
    """How far today's fencing timetable slides so that a session is on now, at any hour.

    In the day (08:30 to 17:30) the timetable is the usual one. Before 08:30 it starts at midnight;
    from 17:30 it starts six and a half hours late (pools at 15:00) and the finals end at 23:59:59,
    never tomorrow. The three choices are fixed, so seeding twice in the same part of the day places
    everything the same; seeding in another part of the day slides today's sessions and their tickets.
    """
    local = (now or timezone.now()).astimezone(SHANGHAI).time()
    first, last = FENCING_DAY[0][2], FENCING_DAY[-1][3]
    if local < first:
        return -dt.timedelta(hours=first.hour, minutes=first.minute)
    if local >= last:
        return dt.timedelta(hours=6, minutes=30)
    return dt.timedelta(0)


def _fencing_sessions(day: dt.date, shift: dt.timedelta, venue: str) -> list[SessionPlan]:
    plans = []
    for zh, en, start, end in FENCING_DAY:
        starts_at = dt.datetime.combine(day, start, tzinfo=SHANGHAI) + shift
        ends_at = min(
            dt.datetime.combine(day, end, tzinfo=SHANGHAI) + shift,
            dt.datetime.combine(day, LAST_MINUTE, tzinfo=SHANGHAI),
        )
        plans.append(SessionPlan(SessionKind.BOUT_BLOCK, zh, en, venue, starts_at, ends_at))
    return plans


def season_plan(now: dt.datetime | None = None) -> list[EventPlan]:
    """Every demo event and its sessions, placed around `now` (default: the present)."""
    today = demo_today(now)
    shift = today_shift(now)

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    plans = []
    hall = "putuo-sports-centre"
    for weapon, (wzh, wen) in WEAPON_NAMES.items():
        fencing_day = day(FENCING_DAYS[weapon])
        for age_group in ("U12", "U14"):
            for sex, (szh, sen) in SEX_NAMES.items():
                plans.append(
                    EventPlan(
                        f"fencing-{age_group.lower()}-{sex}-{weapon}",
                        f"沪宁沿线青少年击剑邀请赛 {age_group}{szh}{wzh}",
                        f"Corridor Youth Fencing Invitational {age_group} {sen} {wen}",
                        Discipline.FENCING,
                        "shanghai",
                        hall,
                        fencing_day,
                        fencing_day,
                        {"weapon": weapon, "age_group": age_group, "category": sex},
                        _fencing_sessions(
                            fencing_day, shift if fencing_day == today else dt.timedelta(0), hall
                        ),
                    )
                )

    carnival_start = day(-10)
    plans.append(
        EventPlan(
            "table-tennis-carnival",
            "上海青少年乒乓球嘉年华",
            "Shanghai Youth Table Tennis Carnival",
            Discipline.TABLE_TENNIS,
            "shanghai",
            "shanghai-indoor-stadium",
            carnival_start,
            carnival_start + dt.timedelta(days=2),
            {"category": EventCategory.MIXED},
            [
                SessionPlan(
                    SessionKind.MATCH,
                    zh,
                    en,
                    "shanghai-indoor-stadium",
                    at(carnival_start + dt.timedelta(days=offset), 9),
                    at(carnival_start + dt.timedelta(days=offset), 17),
                )
                for offset, (zh, en) in enumerate(
                    [
                        ("小组循环赛", "Group round robin"),
                        ("淘汰赛", "Knockout"),
                        ("决赛与表演赛", "Finals and exhibition"),
                    ]
                )
            ],
        )
    )

    # Jiangsu league trips: Nantong was last weekend (stubs to spend), Zhenjiang sells by ballot.
    league = [
        ("nantong", "nantong-olympic-stadium", -6, "南通", "苏州", "Nantong", "Suzhou"),
        ("zhenjiang", "zhenjiang-sports-centre", 33, "镇江", "南京", "Zhenjiang", "Nanjing"),
        ("taizhou", "taizhou-sports-park", 40, "泰州", "常州", "Taizhou", "Changzhou"),
    ]
    for city, venue, offset, home_zh, away_zh, home_en, away_en in league:
        match_day = day(offset)
        plans.append(
            EventPlan(
                f"jiangsu-league-{city}",
                f"苏超观赛之旅：{home_zh} vs {away_zh}",
                f"Jiangsu League trip: {home_en} v {away_en}",
                Discipline.FOOTBALL,
                city,
                venue,
                match_day,
                match_day,
                {"category": EventCategory.OPEN},
                [
                    SessionPlan(
                        SessionKind.MATCH,
                        f"{home_zh} vs {away_zh}",
                        f"{home_en} v {away_en}",
                        venue,
                        at(match_day, 19, 30),
                        at(match_day, 21, 30),
                    )
                ],
            )
        )

    # Nanjing, the corridor's other end, hosts a youth football exchange this week.
    friendly_day = day(4)
    nanjing = "nanjing-olympic-sports-centre"
    plans.append(
        EventPlan(
            "youth-football-nanjing",
            "宁沪青少年足球友谊赛",
            "Nanjing–Shanghai Youth Football Friendlies",
            Discipline.FOOTBALL,
            "nanjing",
            nanjing,
            friendly_day,
            friendly_day,
            {"category": EventCategory.OPEN},
            [
                SessionPlan(
                    SessionKind.MATCH, "U13 南京 vs 上海", "U13 Nanjing v Shanghai", nanjing,
                    at(friendly_day, 14), at(friendly_day, 15, 30),
                ),
                SessionPlan(
                    SessionKind.MATCH, "U15 南京 vs 上海", "U15 Nanjing v Shanghai", nanjing,
                    at(friendly_day, 16), at(friendly_day, 17, 45),
                ),
            ],
        )
    )  # fmt: skip

    river = "suzhou-creek-changfeng"
    race_day = day(12)
    divisions = [
        ("city", "城市组", "City crews"),
        ("school", "中学组", "Middle-school division"),
        ("community", "社区组", "Community division"),
        ("international", "国际组", "International crews"),
    ]
    for position, (key, zh, en) in enumerate(divisions):
        base = 8 + position
        sessions = [
            SessionPlan(SessionKind.HEAT, "预赛", "Heats", river, at(race_day, base), at(race_day, base, 40)),
            SessionPlan(
                SessionKind.HEAT,
                "复赛",
                "Repechage",
                river,
                at(race_day, base + 4),
                at(race_day, base + 4, 30),
            ),
            SessionPlan(
                SessionKind.HEAT, "决赛", "Final", river, at(race_day, base + 8), at(race_day, base + 8, 30)
            ),
        ]
        if key == "city":
            sessions.insert(
                0,
                SessionPlan(
                    SessionKind.CEREMONY,
                    "开幕式",
                    "Opening ceremony",
                    river,
                    at(race_day, 7, 15),
                    at(race_day, 7, 50),
                ),
            )
        plans.append(
            EventPlan(
                f"dragon-boat-{key}",
                f"苏州河城市龙舟赛 {zh}",
                f"Suzhou Creek City Dragon Boat Race – {en}",
                Discipline.DRAGON_BOAT,
                "shanghai",
                river,
                race_day,
                race_day,
                {"category": EventCategory.MIXED},
                sessions,
            )
        )

    camp_start = day(21)
    camp_sessions = []
    for offset in range(5):
        camp_day = camp_start + dt.timedelta(days=offset)
        camp_sessions.append(
            SessionPlan(
                SessionKind.MATCH,
                f"第{offset + 1}天 友谊赛",
                f"Day {offset + 1} friendly games",
                "yuanshen-sports-centre",
                at(camp_day, 9),
                at(camp_day, 11, 30),
            )
        )
        if offset % 2 == 0:
            visit = (
                "shanghai-industrial-internet-hub",
                "工业互联网企业参访",
                "industrial-internet company visit",
            )
        else:
            visit = ("putuo-heritage-workshop", "非遗手作工坊", "intangible-heritage workshop")
        camp_sessions.append(
            SessionPlan(
                SessionKind.CAMP_ACTIVITY,
                f"第{offset + 1}天 {visit[1]}",
                f"Day {offset + 1} {visit[2]}",
                visit[0],
                at(camp_day, 14),
                at(camp_day, 16, 30),
            )
        )
    plans.append(
        EventPlan(
            "basketball-camp-shanghai-kunming",
            "沪昆青少年篮球营",
            "Shanghai–Kunming Youth Basketball Camp",
            Discipline.CAMP,
            "shanghai",
            "yuanshen-sports-centre",
            camp_start,
            camp_start + dt.timedelta(days=4),
            {"category": EventCategory.MIXED, "age_group": "U15"},
            camp_sessions,
        )
    )

    # A draft event only organisers see.
    plans.append(
        EventPlan(
            "dragon-boat-yangzhou-invitational",
            "扬州运河龙舟邀请赛（筹备中）",
            "Yangzhou Canal Dragon Boat Invitational (draft)",
            Discipline.DRAGON_BOAT,
            "yangzhou",
            None,
            day(60),
            day(60),
            {"status": EventStatus.DRAFT},
        )
    )
    return plans


def _place_event(programme: Programme, plan: EventPlan, cities: dict, venues: dict) -> Event:
    """Create or move one event and its sessions without ever breaking the session-within-event trigger.

    An existing event first widens to cover its old and new dates, its sessions move inside that, then
    it narrows to the new dates (each step is a valid state for the trigger).
    """
    extra = dict(plan.extra)
    defaults = {
        "programme": programme,
        "name_zh": plan.zh,
        "name_en": plan.en,
        "discipline": plan.discipline,
        "host_city": cities[plan.city],
        "venue": venues[plan.venue] if plan.venue else None,
        "status": extra.pop("status", EventStatus.PUBLISHED),
        **extra,
    }
    event = Event.objects.filter(slug=plan.slug).first()
    if event is None:
        event = Event.objects.create(slug=plan.slug, start_date=plan.start, end_date=plan.end, **defaults)
    elif (event.start_date, event.end_date) != (plan.start, plan.end):
        Event.objects.filter(pk=event.pk).update(
            start_date=min(event.start_date, plan.start), end_date=max(event.end_date, plan.end)
        )
    existing = {session.name_en: session for session in event.sessions.all()}
    for session in plan.sessions:
        fields = {
            "venue": venues[session.venue],
            "kind": session.kind,
            "name_zh": session.zh,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
        }
        row = existing.get(session.en)
        if row is None:
            Session.objects.create(event=event, name_en=session.en, **fields)
        else:
            Session.objects.filter(pk=row.pk).update(**fields)
    Event.objects.filter(pk=event.pk).update(start_date=plan.start, end_date=plan.end, **defaults)
    return event


def seed(now: dt.datetime | None = None) -> str:
    cities = {}
    for position, (slug, zh, en, pzh, pen, network) in enumerate(CITIES):
        cities[slug], _ = City.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "province_zh": pzh,
                "province_en": pen,
                "network": network,
                "ordering": position,
            },
        )
    for retired in City.objects.filter(slug__in=RETIRED_CITIES):
        try:
            with transaction.atomic():
                retired.delete()
        except ProtectedError:
            pass  # someone gave it a venue, event, delegation or merchant: it is theirs now
    venues = {}
    for slug, city, zh, en, azh, aen, kind, capacity, lat, lng, resources in VENUES:
        venues[slug], _ = Venue.objects.update_or_create(
            slug=slug,
            defaults={
                "city": cities[city],
                "name_zh": zh,
                "name_en": en,
                "address_zh": azh,
                "address_en": aen,
                "kind": kind,
                "capacity": capacity,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
            },
        )
        for resource_kind, count, rzh, ren in resources:
            for number in range(1, count + 1):
                letter = (
                    chr(ord("A") + number - 1) if resource_kind == VenueResourceKind.GATE else str(number)
                )
                VenueResource.objects.update_or_create(
                    venue=venues[slug],
                    code=f"{resource_kind}-{letter.lower()}",
                    defaults={
                        "kind": resource_kind,
                        "name_zh": f"{rzh}{letter}",
                        "name_en": f"{ren} {letter}",
                    },
                )

    plans = season_plan(now)
    today = demo_today(now)
    programme, _ = Programme.objects.update_or_create(
        slug=DEMO_PROGRAMME,
        defaults={
            "name_zh": f"{today.year}沪宁沿线青少年体育文化交流季",
            "name_en": f"{today.year} Shanghai–Nanjing Corridor Youth Sport and Culture Season",
            "description_zh": "击剑邀请赛、苏州河龙舟赛、沪昆青少年篮球营、苏超观赛之旅和乒乓球嘉年华，赛后凭票根畅游主办城市。",
            "description_en": "A fencing invitational, the Suzhou Creek dragon-boat race, the Shanghai–Kunming youth "
            "basketball camp, Jiangsu league match trips and a table-tennis carnival; after the match, "
            "the ticket stub opens the host city.",
            "start_date": min(plan.start for plan in plans),
            "end_date": max(plan.end for plan in plans),
        },
    )
    programme.cities.set(cities.values())
    for plan in plans:
        _place_event(programme, plan, cities, venues)

    organiser = _demo_organiser(programme)
    return (
        f"{City.objects.count()} cities, {Venue.objects.count()} venues, {Event.objects.count()} events, "
        f"{Session.objects.count()} sessions around {today.isoformat()}; organiser {organiser.email}"
    )


def _demo_organiser(programme: Programme):
    user_model = get_user_model()
    email = settings.CORRIDOR_DEMO_ORGANISER_EMAIL
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email, password=DEMO_PASSWORD, display_name="赛事组委会 Demo"
        )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    ProgrammeMembership.objects.get_or_create(user=user, programme=programme)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def current_totp_code(email: str) -> str | None:
    authenticator = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counters[len(counters) // 2]))


def announce() -> str:
    return (
        "\nDemo organiser: "
        f"{settings.CORRIDOR_DEMO_ORGANISER_EMAIL} / {DEMO_PASSWORD}\n"
        f"  two-factor code: run `.venv/bin/python manage.py demo_totp` (authenticator secret {DEMO_TOTP_SECRET})\n"
    )
