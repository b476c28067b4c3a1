"""Read paths of competitions: pool sheets, the ranking after the pools and the tableau, all derived from
the stored matches through the pure formats (`events.competition`), never stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import QuerySet

from events.competition.fencing.ranking import PoolBout, Standing, pool_ranking
from events.enums import CompetitorStatus, MatchStatus, StageKind
from events.models import Competitor, Event, Match, Stage


def stage_for(*, event: Event, kind: str) -> Stage | None:
    return Stage.objects.filter(event=event, kind=kind).order_by("order").first()


def competitors_for(*, event: Event) -> QuerySet[Competitor]:
    return Competitor.objects.filter(event=event).order_by("seed", "pk")


def _gone(competitors: dict[int, Competitor]) -> tuple[list[str], list[str]]:
    withdrawn = [str(pk) for pk, c in competitors.items() if c.status == CompetitorStatus.WITHDRAWN]
    excluded = [str(pk) for pk, c in competitors.items() if c.status == CompetitorStatus.EXCLUDED]
    return withdrawn, excluded


def pool_bout(match: Match) -> PoolBout:
    """The pure-format view of a fenced pool bout (competitor ids as keys)."""
    return PoolBout(
        str(match.left_id),
        str(match.right_id),
        match.left_score or 0,
        match.right_score or 0,
        str(match.winner_id) if match.winner_id else None,
    )


def _fenced(matches) -> list[Match]:
    return [m for m in matches if m.status == MatchStatus.DONE and m.left_id and m.right_id]


@dataclass
class Cell:
    """One square of the pool sheet: V or D with the touches scored, empty while not fenced."""

    victory: bool | None = None
    scored: int | None = None
    own: bool = False

    @property
    def mark(self) -> str:
        if self.own or self.victory is None:
            return ""
        prefix = "V" if self.victory else "D"
        # Five touches in a pool bout is written as V alone on the sheet; any other score follows the letter.
        return prefix if self.victory and self.scored == 5 else f"{prefix}{self.scored}"


@dataclass
class SheetRow:
    position: int
    competitor: Competitor
    cells: list[Cell]
    standing: Standing | None = None

    @property
    def ratio(self) -> str:
        if not self.standing or not self.standing.bouts:
            return ""
        return f"{float(Fraction(self.standing.victories, self.standing.bouts)):.3f}"


@dataclass
class PoolSheet:
    number: int
    table: str
    rows: list[SheetRow]
    bouts: list[Match] = field(default_factory=list)

    @property
    def fenced(self) -> int:
        return sum(1 for b in self.bouts if b.has_result)


@dataclass
class PoolsView:
    stage: Stage | None
    sheets: list[PoolSheet]
    ranking: list[tuple[Standing, Competitor]]


def pools_view(*, event: Event) -> PoolsView:
    """Every pool sheet of the event (matrix, V/M, indicator, place in the pool) and the overall
    ranking after the pools. Three queries however many pools and bouts."""
    stage = stage_for(event=event, kind=StageKind.POOLS)
    if stage is None:
        return PoolsView(None, [], [])
    competitors = {c.pk: c for c in competitors_for(event=event)}
    matches = list(stage.matches.order_by("pool", "sequence"))
    withdrawn, excluded = _gone(competitors)
    sheets = []
    for pool in stage.settings.get("pools", []):
        ids = [pk for pk in pool["positions"] if pk in competitors]
        bouts = [m for m in matches if m.pool == pool["number"]]
        seed_order = [str(pk) for pk in sorted(ids, key=lambda pk: (competitors[pk].seed, pk))]
        standings = {
            s.key: s
            for s in pool_ranking(
                seed_order,
                [pool_bout(m) for m in _fenced(bouts)],
                withdrawn=withdrawn,
                excluded=excluded,
                touches=stage.touches,
            )
        }
        rows = []
        for position, pk in enumerate(ids, start=1):
            cells = []
            for other in ids:
                cell = Cell(own=other == pk)
                for m in bouts:
                    if m.status == MatchStatus.DONE and {m.left_id, m.right_id} == {pk, other}:
                        cell.victory = m.winner_id == pk
                        cell.scored = m.left_score if m.left_id == pk else m.right_score
                cells.append(cell)
            rows.append(SheetRow(position, competitors[pk], cells, standings.get(str(pk))))
        sheets.append(PoolSheet(pool["number"], pool.get("table", ""), rows, bouts))
    ranking = overall_ranking(stage=stage, competitors=competitors, matches=matches)
    return PoolsView(stage, sheets, [(s, competitors[int(s.key)]) for s in ranking])


def overall_ranking(
    *, stage: Stage, competitors: dict[int, Competitor] | None = None, matches: list[Match] | None = None
) -> list[Standing]:
    """The ranking after the pools, all pools together (FIE: V/M, indicator, touches scored, then tied)."""
    if competitors is None:
        competitors = {c.pk: c for c in competitors_for(event=stage.event)}
    if matches is None:
        matches = list(stage.matches.all())
    in_pools = {pk for pool in stage.settings.get("pools", []) for pk in pool["positions"]}
    seed_order = [
        str(pk) for pk, c in sorted(competitors.items(), key=lambda i: (i[1].seed, i[0])) if pk in in_pools
    ]
    withdrawn, excluded = _gone(competitors)
    return pool_ranking(
        seed_order,
        [pool_bout(m) for m in _fenced(matches)],
        withdrawn=withdrawn,
        excluded=excluded,
        touches=stage.touches,
    )


@dataclass
class TableauRound:
    table: int
    matches: list[Match]


def tableau_view(*, event: Event) -> tuple[Stage | None, list[TableauRound]]:
    """The tableau round by round (table of 16, 8, ... final), with both sides' names. Two queries."""
    stage = stage_for(event=event, kind=StageKind.TABLEAU)
    if stage is None:
        return None, []
    matches = list(stage.matches.select_related("left", "right", "winner").order_by("-round", "sequence"))
    rounds: dict[int, list[Match]] = {}
    for match in matches:
        rounds.setdefault(match.round, []).append(match)
    return stage, [TableauRound(table, rows) for table, rows in rounds.items()]


def pool_matches_for_entry(*, stage: Stage) -> QuerySet[Match]:
    """Pool bouts in the official order, with both fencers, for the organiser's result form."""
    return stage.matches.select_related("left", "right").order_by("pool", "sequence")
