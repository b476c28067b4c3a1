"""The demo season's events and sessions, placed around the day it is loaded: the fencing
invitational (foil yesterday, épée today with a session on now, sabre tomorrow), the table-tennis
carnival, the Jiangsu league trips, the Nanjing football friendlies, the Suzhou Creek dragon-boat race,
the Shanghai–Kunming basketball camp and a draft event. Plain plans; `events/demo.py` writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.enums import Discipline, EventCategory, EventStatus, SessionKind, Weapon

SHANGHAI = ZoneInfo("Asia/Shanghai")

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
TEAM_EVENT = "fencing-u14-men-epee-team"  # today, between teams (events/demo_competition.py)
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


def last_weekend(today: dt.date) -> dt.date:
    """The Saturday of the last weekend that is over: on a Saturday or Sunday, the one before."""
    back = (today.weekday() - 5) % 7  # Saturday 0, Sunday 1, Monday 2 ... Friday 6
    return today - dt.timedelta(days=back + (7 if back < 2 else 0))


def saturday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


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

    # Today's U14 men's épée team event: four city teams fence the nine-bout relay in the afternoon,
    # in the same hall, on the same sliding timetable as the individual events beside it.
    epee_day = day(FENCING_DAYS[Weapon.EPEE])
    team_sessions = _fencing_sessions(epee_day, shift, hall)[1:]
    plans.append(
        EventPlan(
            TEAM_EVENT,
            "沪宁沿线青少年击剑邀请赛 U14男子重剑团体",
            "Corridor Youth Fencing Invitational U14 Men's Épée Team",
            Discipline.FENCING,
            "shanghai",
            hall,
            epee_day,
            epee_day,
            {"weapon": Weapon.EPEE, "age_group": "U14", "category": EventCategory.MEN, "team_event": True},
            [
                SessionPlan(plan.kind, zh, en, hall, plan.starts_at, plan.ends_at)
                for plan, (zh, en) in zip(
                    team_sessions,
                    [("团体半决赛", "Team semi-finals"), ("团体决赛及颁奖", "Team finals and medals")],
                    strict=True,
                )
            ],
        )
    )

    # League matches are played on Saturdays; the carnival ran Friday to Sunday the weekend before
    # Nantong's, so both crowds spent their stubs over a weekend (tourism/demo.py).
    nantong_day = last_weekend(today)
    carnival_start = nantong_day - dt.timedelta(days=8)
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

    # Jiangsu league trips, on Saturdays: Nantong was last weekend (its crowd's redemptions are the
    # city report's weekend), Zhenjiang sells by ballot about a month ahead, Taizhou a week later.
    league = [
        ("nantong", "nantong-olympic-stadium", nantong_day, "南通", "苏州", "Nantong", "Suzhou"),
        (
            "zhenjiang",
            "zhenjiang-sports-centre",
            saturday_on_or_after(day(30)),
            "镇江",
            "南京",
            "Zhenjiang",
            "Nanjing",
        ),
        (
            "taizhou",
            "taizhou-sports-park",
            saturday_on_or_after(day(37)),
            "泰州",
            "常州",
            "Taizhou",
            "Changzhou",
        ),
    ]
    for city, venue, match_day, home_zh, away_zh, home_en, away_en in league:
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
