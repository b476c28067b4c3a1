"""The catalogue slice of the demo season: corridor cities, venues, events, sessions.

Dates are fixed in the 2027 season so that the demo looks real and stays stable between runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model

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
DEMO_PASSWORD = "corridor-demo-2027"  # noqa: S105 - printed for the local demo, never used in production
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCORRIDOR"  # noqa: S105 - demo only  # base32; shown by `manage.py demo_totp`

CITIES = [
    # slug, zh, en, province zh, province en, network
    ("shanghai", "上海", "Shanghai", "上海市", "Shanghai", CityNetwork.CORRIDOR),
    ("kunshan", "昆山", "Kunshan", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("suzhou", "苏州", "Suzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("wuxi", "无锡", "Wuxi", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("changzhou", "常州", "Changzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("zhenjiang", "镇江", "Zhenjiang", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("nanjing", "南京", "Nanjing", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("nantong", "南通", "Nantong", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("taizhou", "泰州", "Taizhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("yangzhou", "扬州", "Yangzhou", "江苏省", "Jiangsu", CityNetwork.CORRIDOR),
    ("hangzhou", "杭州", "Hangzhou", "浙江省", "Zhejiang", CityNetwork.SISTER),
    ("kunming", "昆明", "Kunming", "云南省", "Yunnan", CityNetwork.SISTER),
]

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


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _upsert_session(event: Event, venue: Venue, index: int, kind, zh: str, en: str, start, end) -> None:
    # Keyed on (event, position in the demo) via the English name, which is unique per event here.
    Session.objects.update_or_create(
        event=event,
        name_en=en,
        defaults={"venue": venue, "kind": kind, "name_zh": zh, "starts_at": start, "ends_at": end},
    )


def _event(programme, slug, zh, en, discipline, city, venue, start, end, **extra) -> Event:
    event, _ = Event.objects.update_or_create(
        slug=slug,
        defaults={
            "programme": programme,
            "name_zh": zh,
            "name_en": en,
            "discipline": discipline,
            "host_city": city,
            "venue": venue,
            "start_date": start,
            "end_date": end,
            "status": extra.pop("status", EventStatus.PUBLISHED),
            **extra,
        },
    )
    return event


def seed() -> str:
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

    programme, _ = Programme.objects.update_or_create(
        slug="corridor-2027",
        defaults={
            "name_zh": "2027沪宁沿线青少年体育文化交流季",
            "name_en": "2027 Shanghai–Nanjing Corridor Youth Sport and Culture Season",
            "description_zh": "击剑邀请赛、苏州河龙舟赛、沪昆青少年篮球营、苏超观赛之旅和乒乓球嘉年华，赛后凭票根畅游主办城市。",
            "description_en": "A fencing invitational, the Suzhou Creek dragon-boat race, the Shanghai–Kunming youth "
            "basketball camp, Jiangsu league match trips and a table-tennis carnival; after the match, "
            "the ticket stub opens the host city.",
            "start_date": dt.date(2027, 4, 10),
            "end_date": dt.date(2027, 9, 30),
        },
    )
    programme.cities.set(cities.values())

    hall = venues["putuo-sports-centre"]
    day1, day2 = dt.date(2027, 4, 10), dt.date(2027, 4, 11)
    fencing_days = {Weapon.FOIL: day1, Weapon.SABRE: day1, Weapon.EPEE: day2}
    for weapon, (wzh, wen) in WEAPON_NAMES.items():
        for age_group in ("U12", "U14"):
            for sex, (szh, sen) in SEX_NAMES.items():
                day = fencing_days[weapon]
                slug = f"fencing-{age_group.lower()}-{sex}-{weapon}"
                event = _event(
                    programme,
                    slug,
                    f"沪宁沿线青少年击剑邀请赛 {age_group}{szh}{wzh}",
                    f"Corridor Youth Fencing Invitational {age_group} {sen} {wen}",
                    Discipline.FENCING,
                    cities["shanghai"],
                    hall,
                    day,
                    day,
                    weapon=weapon,
                    age_group=age_group,
                    category=sex,
                )
                offset = 0 if age_group == "U12" else 1
                _upsert_session(
                    event,
                    hall,
                    1,
                    SessionKind.BOUT_BLOCK,
                    "小组赛",
                    "Pools",
                    at(day, 8 + offset, 30),
                    at(day, 11 + offset, 30),
                )
                _upsert_session(
                    event,
                    hall,
                    2,
                    SessionKind.BOUT_BLOCK,
                    "淘汰赛",
                    "Direct elimination",
                    at(day, 13 + offset),
                    at(day, 16 + offset),
                )
                _upsert_session(
                    event,
                    hall,
                    3,
                    SessionKind.BOUT_BLOCK,
                    "决赛及颁奖",
                    "Finals and medals",
                    at(day, 16 + offset, 30),
                    at(day, 17 + offset, 30),
                )

    river = venues["suzhou-creek-changfeng"]
    race_day = dt.date(2027, 6, 12)
    divisions = [
        ("city", "城市组", "City crews"),
        ("school", "中学组", "Middle-school division"),
        ("community", "社区组", "Community division"),
        ("international", "国际组", "International crews"),
    ]
    for position, (key, zh, en) in enumerate(divisions):
        event = _event(
            programme,
            f"dragon-boat-{key}",
            f"苏州河城市龙舟赛 {zh}",
            f"Suzhou Creek City Dragon Boat Race – {en}",
            Discipline.DRAGON_BOAT,
            cities["shanghai"],
            river,
            race_day,
            race_day,
            category=EventCategory.MIXED,
        )
        base = 8 + position
        _upsert_session(
            event, river, 1, SessionKind.HEAT, "预赛", "Heats", at(race_day, base), at(race_day, base, 40)
        )
        _upsert_session(
            event,
            river,
            2,
            SessionKind.HEAT,
            "复赛",
            "Repechage",
            at(race_day, base + 4),
            at(race_day, base + 4, 30),
        )
        _upsert_session(
            event,
            river,
            3,
            SessionKind.HEAT,
            "决赛",
            "Final",
            at(race_day, base + 8, 0),
            at(race_day, base + 8, 30),
        )
    opening = Event.objects.get(slug="dragon-boat-city")
    _upsert_session(
        opening,
        river,
        0,
        SessionKind.CEREMONY,
        "开幕式",
        "Opening ceremony",
        at(race_day, 7, 15),
        at(race_day, 7, 50),
    )

    camp_start, camp_end = dt.date(2027, 7, 12), dt.date(2027, 7, 16)
    camp = _event(
        programme,
        "basketball-camp-shanghai-kunming",
        "沪昆青少年篮球训练营",
        "Shanghai–Kunming Youth Basketball Camp",
        Discipline.CAMP,
        cities["shanghai"],
        venues["yuanshen-sports-centre"],
        camp_start,
        camp_end,
        category=EventCategory.MIXED,
        age_group="U15",
    )
    for offset in range(5):
        day = camp_start + dt.timedelta(days=offset)
        _upsert_session(
            camp,
            venues["yuanshen-sports-centre"],
            1,
            SessionKind.MATCH,
            f"第{offset + 1}天 友谊赛",
            f"Day {offset + 1} friendly games",
            at(day, 9),
            at(day, 11, 30),
        )
        if offset % 2 == 0:
            _upsert_session(
                camp,
                venues["shanghai-industrial-internet-hub"],
                2,
                SessionKind.CAMP_ACTIVITY,
                f"第{offset + 1}天 工业互联网企业参访",
                f"Day {offset + 1} industrial-internet company visit",
                at(day, 14),
                at(day, 16, 30),
            )
        else:
            _upsert_session(
                camp,
                venues["putuo-heritage-workshop"],
                2,
                SessionKind.CAMP_ACTIVITY,
                f"第{offset + 1}天 非遗手作工坊",
                f"Day {offset + 1} intangible-heritage workshop",
                at(day, 14),
                at(day, 16, 30),
            )

    league = [
        (
            "zhenjiang",
            "zhenjiang-sports-centre",
            dt.date(2027, 5, 15),
            "镇江",
            "南京",
            "Zhenjiang",
            "Nanjing",
        ),
        ("nantong", "nantong-olympic-stadium", dt.date(2027, 5, 29), "南通", "苏州", "Nantong", "Suzhou"),
        ("taizhou", "taizhou-sports-park", dt.date(2027, 6, 19), "泰州", "常州", "Taizhou", "Changzhou"),
    ]
    for city, venue_slug, day, home_zh, away_zh, home_en, away_en in league:
        event = _event(
            programme,
            f"jiangsu-league-{city}",
            f"苏超观赛之旅：{home_zh} vs {away_zh}",
            f"Jiangsu League trip: {home_en} v {away_en}",
            Discipline.FOOTBALL,
            cities[city],
            venues[venue_slug],
            day,
            day,
            category=EventCategory.OPEN,
        )
        _upsert_session(
            event,
            venues[venue_slug],
            1,
            SessionKind.MATCH,
            f"{home_zh} vs {away_zh}",
            f"{home_en} v {away_en}",
            at(day, 19, 30),
            at(day, 21, 30),
        )

    carnival_start = dt.date(2027, 5, 1)
    carnival = _event(
        programme,
        "table-tennis-carnival",
        "上海青少年乒乓球嘉年华",
        "Shanghai Youth Table Tennis Carnival",
        Discipline.TABLE_TENNIS,
        cities["shanghai"],
        venues["shanghai-indoor-stadium"],
        carnival_start,
        carnival_start + dt.timedelta(days=2),
        category=EventCategory.MIXED,
    )
    for offset, (zh, en) in enumerate(
        [
            ("小组循环赛", "Group round robin"),
            ("淘汰赛", "Knockout"),
            ("决赛与表演赛", "Finals and exhibition"),
        ]
    ):
        day = carnival_start + dt.timedelta(days=offset)
        _upsert_session(
            carnival, venues["shanghai-indoor-stadium"], 1, SessionKind.MATCH, zh, en, at(day, 9), at(day, 17)
        )

    # A draft event only organisers see.
    _event(
        programme,
        "dragon-boat-yangzhou-invitational",
        "扬州运河龙舟邀请赛（筹备中）",
        "Yangzhou Canal Dragon Boat Invitational (draft)",
        Discipline.DRAGON_BOAT,
        cities["yangzhou"],
        None,
        dt.date(2027, 9, 18),
        dt.date(2027, 9, 18),
        status=EventStatus.DRAFT,
    )

    organiser = _demo_organiser(programme)
    return (
        f"{City.objects.count()} cities, {Venue.objects.count()} venues, {Event.objects.count()} events, "
        f"{Session.objects.count()} sessions; organiser {organiser.email}"
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
