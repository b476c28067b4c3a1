"""Standings of a round robin with each sport's tie-breakers, chosen by setting.

- FIBA (Official Basketball Rules, Appendix D.1): 2 points a win, 1 a loss, 0 a loss by forfeit.
  Teams level on points are separated by the games between them: points, then goal difference, then
  goals scored in those games; then goal difference and goals scored in all games. Whenever a step
  places one or more teams, the procedure restarts from the beginning for those still tied (D.1.4).
- Football, FIFA order (World Cup regulations): points; goal difference and goals scored in all
  games; then points, goal difference and goals among the tied teams.
- Football, UEFA order (EURO regulations): points; points, goal difference and goals among the tied
  teams, re-applied to any subset still tied; then goal difference and goals in all games.
- Table tennis (ITTF Handbook 3.7.5.4): 2 points a win, 1 a loss, 0 a match not played. Ties are
  resolved on the matches between the tied players only: points, then the ratio of games won to lost,
  then the ratio of points won to lost; whenever one is placed, the others are resolved again
  excluding the matches of those already placed.

Teams still tied after every step share a place (`tied`), listed in entry order: the organiser
draws lots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from events.competition.errors import ResultError


@dataclass(frozen=True)
class Game:
    """A played game. `forfeit` names the side that forfeited (it loses, with 0 points under FIBA).
    `home_points`/`away_points` are the rally points of a table-tennis match (its score is in games)."""

    home: str
    away: str
    home_score: int
    away_score: int
    forfeit: str | None = None
    home_points: int = 0
    away_points: int = 0


@dataclass(frozen=True)
class Rules:
    name: str
    win: int
    loss: int
    draw: int | None  # None: a draw cannot be the result
    forfeit_loss: int
    overall_first: tuple[str, ...]  # criteria on all games before looking at the tied teams' games
    head_to_head: tuple[str, ...]
    restart: bool  # re-apply head-to-head to a subset still tied, on its own games only
    overall_after: tuple[str, ...] = ()
    source: str = ""
    # FIBA D.1.4: a team placed at any level, the overall ones included, restarts the procedure for
    # the teams still tied; UEFA re-applies only the head-to-head criteria.
    restart_after_overall: bool = False


FIBA = Rules(
    "fiba", 2, 1, None, 0, (), ("points", "diff", "scored"), True, ("diff", "scored"),
    "FIBA Official Basketball Rules, Appendix D.1 Classification of teams", True,
)  # fmt: skip
FIFA = Rules(
    "fifa", 3, 0, 1, 0, ("diff", "scored"), ("points", "diff", "scored"), False, (),
    "FIFA World Cup regulations, group stage ranking",
)  # fmt: skip
UEFA = Rules(
    "uefa", 3, 0, 1, 0, (), ("points", "diff", "scored"), True, ("diff", "scored"),
    "UEFA EURO regulations, equality of points in the group stage",
)  # fmt: skip
ITTF = Rules(
    "ittf", 2, 1, None, 0, (), ("points", "game_ratio", "point_ratio"), True, (),
    "ITTF Handbook 3.7.5.4, group results",
)  # fmt: skip
RULES = {r.name: r for r in (FIBA, FIFA, UEFA, ITTF)}


@dataclass
class Row:
    team: str
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    points: int = 0
    scored: int = 0
    conceded: int = 0
    points_won: int = 0
    points_lost: int = 0
    place: int = 0
    tied: bool = False
    decided_by: list[str] = field(default_factory=list)

    @property
    def diff(self) -> int:
        return self.scored - self.conceded


def game_check(game: Game, rules: Rules) -> None:
    """Refuse a result the sport cannot have: a draw where there is none (basketball, table tennis)."""
    if game.home == game.away:
        raise ResultError("same_team", _("a team cannot play itself"), _("check the two teams"))
    if min(game.home_score, game.away_score) < 0:
        raise ResultError("negative", _("a score cannot be negative"), _("enter the score"))
    if game.forfeit is not None and game.forfeit not in (game.home, game.away):
        raise ResultError(
            "forfeit_unknown", _("the forfeiting side is not in this game"), _("pick one of the two sides")
        )
    if game.home_score == game.away_score and game.forfeit is None and rules.draw is None:
        raise ResultError(
            "draw",
            _("a %(sport)s game cannot end in a draw"),
            _("enter the score after overtime"),
            sport=SPORT_NAMES[rules.name],
        )


SPORT_NAMES = {
    "fiba": _("basketball"),
    "ittf": _("table tennis"),
    "fifa": _("football"),
    "uefa": _("football"),
}


def _table(teams: Iterable[str], games: Iterable[Game], rules: Rules) -> dict[str, Row]:
    rows = {t: Row(t) for t in teams}
    for g in games:
        if g.home not in rows or g.away not in rows:
            continue
        for me, _them, mine, theirs, pw, pl in (
            (g.home, g.away, g.home_score, g.away_score, g.home_points, g.away_points),
            (g.away, g.home, g.away_score, g.home_score, g.away_points, g.home_points),
        ):
            row = rows[me]
            row.played += 1
            row.scored += mine
            row.conceded += theirs
            row.points_won += pw
            row.points_lost += pl
            if g.forfeit is not None:
                lost = g.forfeit == me
            elif mine == theirs:
                row.drawn += 1
                row.points += rules.draw or 0
                continue
            else:
                lost = mine < theirs
            if lost:
                row.lost += 1
                row.points += rules.forfeit_loss if g.forfeit == me else rules.loss
            else:
                row.won += 1
                row.points += rules.win
    return rows


def _ratio(won: int, lost: int) -> Fraction:
    # All won and none lost beats any finite ratio.
    return Fraction(won, lost) if lost else Fraction(10**9 + won)


CRITERIA: dict[str, Callable[[Row], object]] = {
    "points": lambda r: r.points,
    "diff": lambda r: r.diff,
    "scored": lambda r: r.scored,
    "game_ratio": lambda r: _ratio(r.scored, r.conceded),
    "point_ratio": lambda r: _ratio(r.points_won, r.points_lost),
}


def _split(group: list[str], rows: dict[str, Row], criterion: str) -> list[list[str]]:
    value = CRITERIA[criterion]
    ordered = sorted(group, key=lambda t: value(rows[t]), reverse=True)  # type: ignore[arg-type, return-value]
    classes: list[list[str]] = []
    for t in ordered:
        if classes and value(rows[classes[-1][0]]) == value(rows[t]):
            classes[-1].append(t)
        else:
            classes.append([t])
    return classes


def _by_overall(
    group: list[str], overall: dict[str, Row], criteria: Sequence[str], note: dict
) -> list[list[str]]:
    classes = [group]
    for criterion in criteria:
        nxt = []
        for c in classes:
            parts = _split(c, overall, criterion) if len(c) > 1 else [c]
            if len(parts) > 1 and criterion != "points":
                for t in c:
                    note[t].append(f"overall {criterion}")
            nxt += parts
        classes = nxt
    return classes


def _resolve(
    group: list[str], games: list[Game], rules: Rules, overall: dict[str, Row], note: dict
) -> list[list[str]]:
    """Order a group level on points into classes (a class of several is still tied)."""
    h2h = _table(group, [g for g in games if g.home in group and g.away in group], rules)
    if rules.restart:
        for criterion in rules.head_to_head:
            parts = _split(group, h2h, criterion)
            if len(parts) > 1:
                for t in group:
                    note[t].append(f"head-to-head {criterion}")
                out: list[list[str]] = []
                for part in parts:
                    out += _resolve(part, games, rules, overall, note) if len(part) > 1 else [part]
                return out
        if rules.restart_after_overall:
            for criterion in rules.overall_after:
                parts = _split(group, overall, criterion)
                if len(parts) > 1:
                    for t in group:
                        note[t].append(f"overall {criterion}")
                    out = []
                    for part in parts:
                        out += _resolve(part, games, rules, overall, note) if len(part) > 1 else [part]
                    return out
            return [group]
        return _by_overall(group, overall, rules.overall_after, note)
    classes = [group]
    for criterion in rules.head_to_head:
        nxt = []
        for c in classes:
            parts = _split(c, h2h, criterion) if len(c) > 1 else [c]
            if len(parts) > 1:
                for t in c:
                    note[t].append(f"head-to-head {criterion}")
            nxt += parts
        classes = nxt
    out = []
    for c in classes:
        out += _by_overall(c, overall, rules.overall_after, note) if len(c) > 1 else [c]
    return out


def standings(teams: Sequence[str], games: Iterable[Game], rules: Rules | str = FIBA) -> list[Row]:
    """The table of a group: every team with its record, place and how ties were decided.

    `rules` is FIBA, FIFA, UEFA, ITTF (or their names). Each game is checked first (`game_check`).
    """
    if isinstance(rules, str):
        rules = RULES[rules]
    games = list(games)
    for g in games:
        game_check(g, rules)
    overall = _table(teams, games, rules)
    note: dict[str, list[str]] = {t: [] for t in teams}
    order = {t: i for i, t in enumerate(teams)}
    ranked: list[Row] = []
    for level in _by_overall(
        sorted(teams, key=lambda t: order[t]), overall, ("points", *rules.overall_first), note
    ):
        classes = _resolve(level, games, rules, overall, note) if len(level) > 1 else [level]
        for c in classes:
            place = len(ranked) + 1
            for t in sorted(c, key=lambda t: order[t]):
                row = overall[t]
                row.place, row.tied, row.decided_by = place, len(c) > 1, list(dict.fromkeys(note[t]))
                ranked.append(row)
    return ranked
