"""The competition slice of the demo season for the sports without registration entries in the demo:
city and international crews of the Suzhou Creek dragon-boat race, eight teams for the Shanghai–Kunming
basketball camp, six players for the table-tennis carnival, four city teams for today's U14 men's épée
team event (each with its fencers' public names, as registration's sync gives a team; the semi-finals
have both teams' orders, so the relay page and the scoresheet name who meets whom). Each is drawn (heats, repechages and
finals; groups then cross-overs; a round robin) and results are entered only for what has already
happened by the demo's today: the carnival (played last week) is complete, so its standings and the
medal table have real content; the camp and the races lie ahead, so their pages show the draw with
its placeholders ("1st of group A", "2nd fastest heat winner").

Idempotent: competitors are keyed on (event, key), a draw is made once, a scored match is left alone.
Runs after the catalogue slice (it needs the events).
"""

from __future__ import annotations

import random

from events.demodata.season import TEAM_EVENT
from events.enums import CompetitorKind, GameRules, MatchStatus
from events.models import Competitor, Event, Stage
from events.services.games import game_result_record, games_generate, team_lineup_set
from events.services.races import races_generate

CITIES = [
    ("上海", "Shanghai"), ("南京", "Nanjing"), ("苏州", "Suzhou"), ("南通", "Nantong"), ("无锡", "Wuxi"),
    ("常州", "Changzhou"), ("镇江", "Zhenjiang"), ("泰州", "Taizhou"), ("扬州", "Yangzhou"), ("杭州", "Hangzhou"),
]  # fmt: skip
# Crews per division and the course's lanes: the city division races heats, repechages and a final.
DIVISIONS = {"city": 10, "international": 5}
LANES = 6
COURSE_RECORD_MS = 118_400  # Suzhou Creek, 500 m, 22 paddlers
INTERNATIONAL = [
    ("新加坡", "Singapore"),
    ("悉尼", "Sydney"),
    ("汉堡", "Hamburg"),
    ("大阪", "Osaka"),
    ("温哥华", "Vancouver"),
]
CAMP_TEAMS = [("上海", "Shanghai"), ("昆明", "Kunming"), ("南京", "Nanjing"), ("苏州", "Suzhou"), ("杭州", "Hangzhou"),
              ("南通", "Nantong"), ("无锡", "Wuxi"), ("常州", "Changzhou")]  # fmt: skip
PLAYERS = [("林小雨", 0), ("陈思远", 1), ("周子涵", 2), ("王一鸣", 3), ("赵欣怡", 4), ("孙浩然", 5)]


def _competitor(
    event: Event,
    key: str,
    seed: int,
    name: str,
    city: tuple[str, str],
    kind: str,
    people: int,
    members: dict[str, str] | None = None,
) -> None:
    """A competitor keyed on (event, key); `members` (person key -> public name) names a team's
    people, else `people` made-up keys stand for them."""
    Competitor.objects.get_or_create(
        event=event,
        key=key,
        defaults={
            "kind": kind,
            "display_name": name,
            "club_zh": city[0],
            "club_en": city[1],
            "city_zh": city[0],
            "city_en": city[1],
            "seed": seed,
            "person_keys": list(members) if members else [f"{key}-{n}" for n in range(1, people + 1)],
            "members": members or {},
        },
    )


def _crews(event: Event, division: str, count: int) -> None:
    pool = INTERNATIONAL if division == "international" else CITIES
    for seed, city in enumerate(pool[:count], start=1):
        _competitor(
            event, f"demo-crew-{division}-{seed}", seed, f"{city[0]}龙舟队", city, CompetitorKind.CREW, 22
        )
    # The community division has more crews than cities: the bigger cities send a second boat.
    for extra in range(len(pool), count):
        city = CITIES[extra - len(pool)]
        _competitor(
            event,
            f"demo-crew-{division}-{extra + 1}",
            extra + 1,
            f"{city[0]}二队",
            city,
            CompetitorKind.CREW,
            22,
        )


def _seed_races() -> int:
    drawn = 0
    for division, count in DIVISIONS.items():
        event = Event.objects.filter(slug=f"dragon-boat-{division}").first()
        if event is None:
            continue
        _crews(event, division, count)
        if not Stage.objects.filter(event=event).exists():
            races_generate(event=event, lanes=LANES, course_record_ms=COURSE_RECORD_MS)
            drawn += 1
    return drawn


def _seed_camp() -> bool:
    event = Event.objects.filter(slug="basketball-camp-shanghai-kunming").first()
    if event is None:
        return False
    for seed, city in enumerate(CAMP_TEAMS, start=1):
        _competitor(event, f"demo-camp-{seed}", seed, f"{city[0]} U15", city, CompetitorKind.TEAM, 10)
    if not Stage.objects.filter(event=event).exists():
        games_generate(event=event, rules=GameRules.FIBA, groups=2, places=4)
    return True


def _seed_carnival() -> int:
    event = Event.objects.filter(slug="table-tennis-carnival").first()
    if event is None:
        return 0
    for seed, (name, city) in enumerate(PLAYERS, start=1):
        _competitor(event, f"demo-tt-{seed}", seed, name, CITIES[city], CompetitorKind.TEAM, 1)
    if not Stage.objects.filter(event=event).exists():
        games_generate(event=event, rules=GameRules.ITTF, groups=1, knockout=False)
    rng = random.Random(2027)  # noqa: S311 - made-up scores, not security
    scored = 0
    stage = Stage.objects.get(event=event, order=1)
    for match in stage.matches.select_related("left", "right").order_by("sequence"):
        # Drawn before the skip, so a second run draws the same scores for the same games.
        better_wins = rng.random() < (0.75 if match.left.seed < match.right.seed else 0.25)
        loser_games = rng.randrange(3)
        if match.status != MatchStatus.SCHEDULED:
            continue
        home, away = (
            (3, loser_games) if better_wins == (match.left.seed < match.right.seed) else (loser_games, 3)
        )
        game_result_record(match=match, home_score=home, away_score=away, user=None, via="demo")
        scored += 1
    return scored


# Today's épée team event: four city teams of three fencers and a reserve (public names, made up).
FENCING_TEAMS = [
    (("上海", "Shanghai"), ["王浩宇 (WANG Haoyu)", "李子轩 (LI Zixuan)", "张俊杰 (ZHANG Junjie)", "刘博文 (LIU Bowen)"]),
    (("南京", "Nanjing"), ["陈宇航 (CHEN Yuhang)", "杨天佑 (YANG Tianyou)", "赵明哲 (ZHAO Mingzhe)", "黄嘉诚 (HUANG Jiacheng)"]),
    (("苏州", "Suzhou"), ["周立行 (ZHOU Lixing)", "吴思源 (WU Siyuan)", "徐一凡 (XU Yifan)", "孙铭泽 (SUN Mingze)"]),
    (("无锡", "Wuxi"), ["朱晨阳 (ZHU Chenyang)", "胡景行 (HU Jingxing)", "郭子墨 (GUO Zimo)", "林浩然 (LIN Haoran)"]),
]  # fmt: skip


def _seed_fencing_teams() -> int:
    """The team event's teams, its direct-elimination table (semi-finals, final, third place) and both
    orders of each semi-final (the first three fencers; the Suzhou team brings its reserve in). Returns
    the orders set now."""
    event = Event.objects.filter(slug=TEAM_EVENT).first()
    if event is None:
        return 0
    for seed, (city, names) in enumerate(FENCING_TEAMS, start=1):
        key = f"demo-fencing-team-{seed}"
        members = {f"{key}-{n}": name for n, name in enumerate(names, start=1)}
        _competitor(event, key, seed, f"{city[0]}队", city, CompetitorKind.TEAM, len(members), members)
    if not Stage.objects.filter(event=event).exists():
        games_generate(event=event, rules=GameRules.FENCING_TEAM, places=4)
    orders = 0
    stage = Stage.objects.get(event=event)
    for match in stage.matches.select_related("stage", "left", "right").filter(
        left__isnull=False, right__isnull=False
    ):
        for team in (match.left, match.right):
            if str(team.pk) in (match.detail.get("lineup") or {}):
                continue
            keys = list(team.members)
            order = [keys[3], keys[0], keys[1]] if team.club_en == "Suzhou" else keys[:3]
            match = team_lineup_set(match=match, team=team, order=order, user=None, via="demo")
            orders += 1
    return orders


def seed() -> str:
    teams = _seed_fencing_teams()
    races = _seed_races()
    camp = _seed_camp()
    scored = _seed_carnival()
    return (
        f"dragon-boat divisions drawn now: {races}; basketball camp {'drawn' if camp else 'missing'}; "
        f"table-tennis carnival games scored now: {scored}; fencing team orders set now: {teams}"
    )
