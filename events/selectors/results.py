"""Read paths of results beyond the fencing pools: group standings, knockout brackets, dragon-boat races,
final classifications and the season's medal and points table by city. Everything is derived from the
stored matches through the pure formats (`events.competition`), never stored twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from events.competition import standings as standings_format
from events.competition.dragonboat.progression import progression_for
from events.competition.dragonboat.tables import Progression
from events.competition.fencing.tableau import DEResult, Tableau, final_classification
from events.competition.fencing.team import Relay, relay_order
from events.enums import CompetitorStatus, EventStatus, GameRules, LaneStatus, MatchStatus, StageKind
from events.models import Competitor, Event, Match, Programme, RefereeLinkRevocation, Stage, VenueResource
from events.selectors.competition import overall_ranking

# China's National Games score the first eight places 9-7-6-5-4-3-2-1: the corridor's scoreboard
# counts the same way, so a city's depth shows beside its medals.
PLACE_POINTS = {1: 9, 2: 7, 3: 6, 4: 5, 5: 4, 6: 3, 7: 2, 8: 1}
POINTS_SOURCE = "Corridor scoreboard: 9-7-6-5-4-3-2-1 for places 1 to 8, as at China's National Games"


def _ordinal_text(n: int) -> str:
    # Translators: an ordinal number ("1st", "2nd"; Chinese 第1).
    if n % 10 == 1 and n % 100 != 11:
        return _("%(n)sst") % {"n": n}
    if n % 10 == 2 and n % 100 != 12:
        return _("%(n)snd") % {"n": n}
    if n % 10 == 3 and n % 100 != 13:
        return _("%(n)srd") % {"n": n}
    return _("%(n)sth") % {"n": n}


ROUND_NAMES = {
    "heat": lambda: _("heats"),
    "repechage": lambda: _("repechages"),
    "semi": lambda: _("semi-finals"),
    "minor_final": lambda: _("minor final"),
    "final": lambda: _("final"),
}


def source_label(source: str) -> str:
    """What fills a side or lane not known yet, in the active language ("Winner of M3", "1st of group A",
    "2nd fastest of the crews placed 1st in the heats")."""
    kind, _sep, ref = source.partition(":")
    if kind == "winner":
        return _("Winner of %(code)s") % {"code": ref}
    if kind == "loser":
        return _("Loser of %(code)s") % {"code": ref}
    if kind == "group":
        return _("%(place)s of group %(group)s") % {"place": _ordinal_text(int(ref[1:])), "group": ref[0]}
    parts = ref.split(":")
    if kind == "rank" and len(parts) == 3:
        name, place, k = parts
        return _("%(k)s fastest of the crews placed %(place)s in the %(round)s") % {
            "k": _ordinal_text(int(k)),
            "place": _ordinal_text(int(place)),
            "round": ROUND_NAMES.get(name, lambda: name)(),
        }
    if kind == "fast" and len(parts) == 2:
        name, k = parts
        return _("%(k)s fastest of the other crews of the %(round)s") % {
            "k": _ordinal_text(int(k)),
            "round": ROUND_NAMES.get(name, lambda: name)(),
        }
    return source


def stage_for(*, event: Event, kind: str) -> Stage | None:
    return Stage.objects.filter(event=event, kind=kind).order_by("order").first()


# Groups ---------------------------------------------------------------------------------------------


def _games(matches) -> list[standings_format.Game]:
    return [
        standings_format.Game(str(m.left_id), str(m.right_id), m.left_score, m.right_score)
        for m in matches
        if m.status == MatchStatus.DONE and m.left_id and m.right_id
    ]


@dataclass
class GroupTable:
    name: str
    rows: list[tuple[standings_format.Row, Competitor]]
    matches: list[Match]
    complete: bool


def group_tables(*, stage: Stage, competitors: dict[int, Competitor] | None = None) -> list[GroupTable]:
    """Each group's standings under the stage's rules, with its games in Berger order."""
    if competitors is None:
        competitors = {c.pk: c for c in Competitor.objects.filter(event_id=stage.event_id)}
    rules = stage.settings.get("rules", GameRules.FIBA)
    matches = list(stage.matches.select_related("left", "right").order_by("pool", "round", "sequence"))
    tables = []
    for number, group in enumerate(stage.settings.get("groups", []), start=1):
        games = [m for m in matches if m.pool == number]
        rows = standings_format.standings([str(k) for k in group["entries"]], _games(games), rules)
        tables.append(
            GroupTable(
                group["name"],
                [(row, competitors[int(row.team)]) for row in rows],
                games,
                all(m.status == MatchStatus.DONE for m in games),
            )
        )
    return tables


def group_places(*, stage: Stage) -> dict[str, int]:
    """ "A1" -> competitor id for every place of every finished group (an unfinished group places nobody)."""
    places: dict[str, int] = {}
    for table in group_tables(
        stage=stage, competitors={c.pk: c for c in Competitor.objects.filter(event_id=stage.event_id)}
    ):
        if not table.complete:
            continue
        for i, (_row, competitor) in enumerate(table.rows, start=1):
            places[f"{table.name}{i}"] = competitor.pk
    return places


# Knockout -------------------------------------------------------------------------------------------


@dataclass
class BracketRound:
    number: int
    title: str
    matches: list[Match]


def _round_title(number: int, last: int, matches: list[Match]) -> str:
    best = min((m.detail.get("places", [1, 2])[0] for m in matches), default=1)
    if best == 1 and number == last:
        return _("Final")
    if best == 1 and number == last - 1:
        return _("Semi-finals")
    if best == 1 and number == last - 2:
        return _("Quarter-finals")
    if best > 1:
        return _("Placement, round %(number)s") % {"number": number}
    return _("Round %(number)s") % {"number": number}


def bracket_rounds(*, stage: Stage) -> list[BracketRound]:
    """The knockout round by round, each match with both sides (or where they come from). Two queries."""
    matches = list(stage.matches.select_related("left", "right", "winner").order_by("round", "sequence"))
    rounds: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        match.left_label = source_label(match.left_source) if match.left_source else ""
        match.right_label = source_label(match.right_source) if match.right_source else ""
        rounds[match.round].append(match)
    last = max(rounds, default=0)
    out = []
    for number, rows in rounds.items():
        main = [m for m in rows if m.detail.get("places", [1])[0] == 1]
        placement = [m for m in rows if m.detail.get("places", [1])[0] != 1]
        if main:
            out.append(BracketRound(number, _round_title(number, last, main), main))
        if placement:
            out.append(BracketRound(number, _round_title(number, last, placement), placement))
    return out


# Races ----------------------------------------------------------------------------------------------


def stage_progression(*, stage: Stage) -> Progression:
    return progression_for(int(stage.settings["crews"]), int(stage.settings["lanes"]))


@dataclass
class RaceView:
    match: Match
    round_title: str
    lanes: list = field(default_factory=list)


def races_view(*, stage: Stage) -> list[RaceView]:
    """Every race in running order with its lanes: crew or placeholder, time, finish, place. Two queries."""
    matches = list(stage.matches.prefetch_related("lanes__competitor").order_by("sequence"))
    out = []
    for match in matches:
        lanes = list(match.lanes.all())
        for lane in lanes:
            lane.source_label = source_label(lane.source) if lane.source else ""
        out.append(RaceView(match, ROUND_NAMES.get(match.detail.get("round", ""), lambda: "")(), lanes))
    return out


# Classifications and the medal table ----------------------------------------------------------------


def event_classification(*, event: Event, stages: list[Stage] | None = None) -> list[tuple[int, Competitor]]:
    """The final places of an event once it is decided (empty before): fencing from the tableau (two
    bronzes), a knockout from its final and placement matches, a round robin from its table, a
    dragon-boat event from its final race."""
    stages = stages if stages is not None else list(Stage.objects.filter(event=event).order_by("order"))
    competitors = {c.pk: c for c in Competitor.objects.filter(event=event)}
    by_kind = {s.kind: s for s in stages}
    if StageKind.TABLEAU in by_kind:
        places = _tableau_places(by_kind[StageKind.TABLEAU], by_kind.get(StageKind.POOLS), competitors)
    elif StageKind.KNOCKOUT in by_kind:
        places = _knockout_places(by_kind[StageKind.KNOCKOUT])
    elif StageKind.GROUPS in by_kind:
        tables = group_tables(stage=by_kind[StageKind.GROUPS], competitors=competitors)
        places = (
            [(row.place, int(row.team)) for row, _c in tables[0].rows]
            if len(tables) == 1 and tables[0].complete
            else []
        )
    elif StageKind.RACES in by_kind:
        places = _race_places(by_kind[StageKind.RACES])
    else:
        places = []
    return [(place, competitors[pk]) for place, pk in places if pk in competitors]


def _tableau_places(stage: Stage, pools: Stage | None, competitors) -> list[tuple[int, int]]:
    matches = list(stage.matches.all())
    final = next((m for m in matches if m.round == 2), None)
    if final is None or final.status != MatchStatus.DONE:
        return []
    results = tuple(
        DEResult(m.round, m.sequence - 1, m.left_score, m.right_score, str(m.winner_id))
        for m in matches
        if m.status == MatchStatus.DONE
    )
    tableau = Tableau(
        stage.settings["size"], tuple(str(k) for k in stage.settings["seeds"]), results, stage.touches
    )
    not_qualified = []
    if pools is not None:
        qualified = {str(k) for k in stage.settings["seeds"]}
        not_qualified = [
            s for s in overall_ranking(stage=pools, competitors=competitors) if s.key not in qualified
        ]
    return [(place, int(key)) for place, key in final_classification(tableau, not_qualified)]


def _knockout_places(stage: Stage) -> list[tuple[int, int]]:
    places = []
    for match in stage.matches.all():
        first, last = match.detail.get("places", [0, 0])
        if last - first != 1 or match.status != MatchStatus.DONE or match.winner_id is None:
            continue
        loser = match.right_id if match.winner_id == match.left_id else match.left_id
        places += [(first, match.winner_id), (last, loser)]
    if not any(place == 1 for place, _pk in places):
        return []
    if stage.settings.get("places", 2) == 2:
        # No match for third: both losing semi-finalists are third.
        final = next(m for m in stage.matches.all() if m.detail.get("places") == [1, 2])
        for match in stage.matches.filter(
            code__in=[s.partition(":")[2] for s in (final.left_source, final.right_source)]
        ):
            if match.winner_id:
                places.append((3, match.right_id if match.winner_id == match.left_id else match.left_id))
    return sorted(places)


def _race_places(stage: Stage) -> list[tuple[int, int]]:
    final = next(
        (m for m in stage.matches.prefetch_related("lanes") if m.detail.get("round") == "final"), None
    )
    if final is None or final.status != MatchStatus.DONE:
        return []
    return sorted(
        (ln.place, ln.competitor_id)
        for ln in final.lanes.all()
        if ln.place and ln.competitor_id and ln.status == LaneStatus.FINISHED
    )


@dataclass
class CityRow:
    city: str
    gold: int = 0
    silver: int = 0
    bronze: int = 0
    points: int = 0
    rank: int = 0

    @property
    def total(self) -> int:
        return self.gold + self.silver + self.bronze


def medal_table(*, programme: Programme) -> tuple[list[CityRow], list[Event]]:
    """Medals and points by city over every decided event of the programme's season (public events
    only): gold, silver, bronze (two bronzes in fencing), points for places 1-8; ranked by gold, then
    silver, bronze, points. Returns the rows and the events counted."""
    events = list(
        Event.objects.filter(programme=programme, status=EventStatus.PUBLISHED, stages__isnull=False)
        .distinct()
        .prefetch_related("stages")
        .order_by("start_date", "slug")
    )
    rows: dict[str, CityRow] = {}
    counted = []
    for event in events:
        places = event_classification(event=event, stages=list(event.stages.all()))
        if not places:
            continue
        counted.append(event)
        for place, competitor in places:
            city = competitor.city or _("unknown")
            row = rows.setdefault(city, CityRow(city))
            if place == 1:
                row.gold += 1
            elif place == 2:
                row.silver += 1
            elif place == 3:
                row.bronze += 1
            row.points += PLACE_POINTS.get(place, 0)
    ordered = sorted(rows.values(), key=lambda r: (-r.gold, -r.silver, -r.bronze, -r.points, r.city))
    for i, row in enumerate(ordered):
        previous = ordered[i - 1] if i else None
        same = previous and (previous.gold, previous.silver, previous.bronze, previous.points) == (
            row.gold,
            row.silver,
            row.bronze,
            row.points,
        )
        row.rank = previous.rank if same else i + 1
    return ordered, counted


# The organiser's page ------------------------------------------------------------------------------


def referee_revocations(*, event: Event, limit: int = 20) -> list[RefereeLinkRevocation]:
    """The latest revocations of the event's referee links, newest first, with who revoked each (the
    log the competition page shows organisers; tokens are never stored, only the link's label)."""
    return list(
        RefereeLinkRevocation.objects.filter(event=event)
        .select_related("revoked_by")
        .order_by("-revoked_at", "-pk")[:limit]
    )


def stages_of(*, event: Event) -> list[Stage]:
    return list(Stage.objects.filter(event=event).order_by("order"))


def stage_pools(*, stage: Stage) -> list[int]:
    """The pool (or group) numbers of a stage, each of which gets its own referee link."""
    if stage.kind == StageKind.POOLS:
        return [p["number"] for p in stage.settings.get("pools", [])]
    return list(range(1, len(stage.settings.get("groups", [])) + 1))


def resources_used(*, event: Event) -> list[VenueResource]:
    """The pistes, courts and lanes the event's matches are placed on."""
    return list(
        VenueResource.objects.filter(matches__stage__event=event).distinct().order_by("venue_id", "code")
    )


def matches_for_entry(*, event: Event):
    """Every game or race of the event in running order, with sides and lanes, for result entry."""
    return (
        Match.objects.filter(stage__event=event)
        .select_related("stage", "left", "right")
        .prefetch_related("lanes__competitor")
        .order_by("stage__order", "round", "pool", "sequence")
    )


def start_list(*, event: Event) -> list[tuple[int, Competitor, str]]:
    """(seed, competitor, pool, group or first race) for every active competitor, in seed order."""
    where: dict[int, str] = {}
    for stage in Stage.objects.filter(event=event).order_by("-order"):
        if stage.kind == StageKind.POOLS:
            for pool in stage.settings.get("pools", []):
                for pk in pool["positions"]:
                    where[pk] = str(pool["number"])
        elif stage.kind == StageKind.GROUPS:
            for group in stage.settings.get("groups", []):
                for pk in group["entries"]:
                    where[pk] = group["name"]
        elif stage.kind == StageKind.RACES:
            for match in stage.matches.filter(round=1).prefetch_related("lanes"):
                for lane in match.lanes.all():
                    if lane.competitor_id:
                        where[lane.competitor_id] = f"{match.code} · {lane.lane}"
    competitors = Competitor.objects.filter(event=event, status=CompetitorStatus.ACTIVE).order_by(
        "seed", "pk"
    )
    return [(c.seed, c, where.get(c.pk, "")) for c in competitors]


@dataclass(frozen=True)
class RelayRow:
    relay: Relay
    a_name: str  # the home team's fencer in this relay, where its order names one
    b_name: str


def position_names(match: Match) -> dict[int, str]:
    """Position (1-3 home, 4-6 away) -> the fencer the team's order puts there, by public name ("?" for
    one no longer in the team); positions of an order not given are absent. `match.left`/`right` loaded."""
    lineups = match.detail.get("lineup") or {}
    names: dict[int, str] = {}
    for team, first in ((match.left, 1), (match.right, 4)):
        if team is None:
            continue
        for index, key in enumerate(lineups.get(str(team.pk), ())):
            names[first + index] = team.members.get(key, "?")
    return names


def relay_sheet(match: Match) -> list[RelayRow]:
    """A fencing team match's nine relays in the FIE order, each with the names of the two fencers the
    teams' orders put in it (empty where a team's order is not given): the organiser's relay page, the
    referee's phone page and the scoresheet read the same rows. `match.left` and `match.right` loaded."""
    names = position_names(match)
    return [
        RelayRow(relay, names.get(relay.a_fencer, ""), names.get(relay.b_fencer, ""))
        for relay in relay_order()
    ]


def is_relay_match(match: Match) -> bool:
    """A fencing team match (the relay rules) between two known teams. `match.stage` loaded."""
    return match.stage.settings.get("rules") == GameRules.FENCING_TEAM and bool(match.left and match.right)
