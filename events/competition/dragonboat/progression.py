"""The dragon-boat progression engine: draws each round from the table, the results of the rounds
that feed it, and lanes filled from the centre.

Crews are ranked across a round's races by finishing place, then time; the qualifiers for a round are
dealt to its races in serpentine order, and within a race the best gets the centre lane.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from events.competition.dragonboat.lanes import assign_lanes
from events.competition.dragonboat.tables import TABLES, Progression, Round
from events.competition.errors import DrawError, ResultError

ROUND_CODES = {"heat": "H", "repechage": "R", "semi": "SF", "minor_final": "FB", "final": "FA"}


@dataclass(frozen=True)
class Race:
    code: str  # "H1", "R2", "SF1", "FA"...
    round: str
    number: int
    lanes: tuple[tuple[int, str], ...]  # (lane, crew), lane order

    @property
    def crews(self) -> tuple[str, ...]:
        return tuple(crew for _lane, crew in self.lanes)


@dataclass(frozen=True)
class Finish:
    """A crew's finish in a race: time in milliseconds, None for did not finish / did not start."""

    race: str
    crew: str
    time_ms: int | None


def progression_for(crews: int, lanes: int, tables: Sequence[Progression] = TABLES) -> Progression:
    """The table row for this many crews on a course of `lanes` lanes."""
    if crews < 2:
        raise DrawError(
            "too_few",
            _("too few entries: %(count)s crews, a race needs at least 2"),
            _("add crews or merge categories"),
            count=crews,
        )
    for row in tables:
        if row.lanes == lanes and row.crews[0] <= crews <= row.crews[1]:
            return row
    raise DrawError(
        "no_table",
        _("no progression table for %(count)s crews on %(lanes)s lanes"),
        _("split the event into two categories or add a table for it"),
        count=crews,
        lanes=lanes,
    )


def _deal(ranked: Sequence[str], races: int) -> list[list[str]]:
    dealt: list[list[str]] = [[] for _r in range(races)]
    for i, crew in enumerate(ranked):
        row, col = divmod(i, races)
        dealt[col if row % 2 == 0 else races - 1 - col].append(crew)
    return dealt


def round_draw(progression: Progression, round_name: str, ranked: Sequence[str]) -> list[Race]:
    """The races of one round for its crews listed best first (seeds for the first round)."""
    spec = next((r for r in progression.rounds if r.name == round_name), None)
    if spec is None:
        raise DrawError("no_round", _("this progression has no such round"), _("check the table"))
    if len(ranked) > spec.races * progression.lanes:
        raise DrawError(
            "too_many",
            _("%(count)s crews do not fit %(races)s races on %(lanes)s lanes"),
            _("use a table with more races"),
            count=len(ranked),
            races=spec.races,
            lanes=progression.lanes,
        )
    code = ROUND_CODES.get(round_name, round_name.upper())
    races = []
    for number, crews in enumerate(_deal(ranked, spec.races), start=1):
        lanes = assign_lanes(crews, progression.lanes)
        label = code if spec.races == 1 else f"{code}{number}"
        races.append(Race(label, round_name, number, tuple(sorted(lanes.items()))))
    return races


def time_check(time_ms: int, *, course_record_ms: int | None) -> None:
    """Refuse a time that cannot be: zero or less, or faster than half the course record."""
    if time_ms <= 0:
        raise ResultError(
            "time", _("a race time must be more than zero"), _("enter the time from the finish")
        )
    if course_record_ms and time_ms * 2 < course_record_ms:
        raise ResultError(
            "too_fast",
            _("%(time)s s is faster than half the course record (%(record)s s)"),
            _("check the time: a digit may be missing"),
            time=f"{time_ms / 1000:.2f}",
            record=f"{course_record_ms / 1000:.2f}",
        )


def _ranked_finishes(races: Sequence[Race], finishes: Sequence[Finish]) -> list[tuple[int, int, str]]:
    """(place in race, time, crew) for every crew of the races; no time ranks last in its race."""
    by_race: dict[str, list[Finish]] = {}
    for f in finishes:
        by_race.setdefault(f.race, []).append(f)
    out = []
    for race in races:
        got = {f.crew: f for f in by_race.get(race.code, [])}
        missing = [c for c in race.crews if c not in got]
        if missing:
            raise ResultError(
                "missing",
                _("race %(race)s has no result for %(crews)s"),
                _("enter every crew's time, or mark it did not finish"),
                race=race.code,
                crews=pgettext("separator between names in a list", ", ").join(missing),
            )
        never = 10**12
        order = sorted(race.crews, key=lambda c: (got[c].time_ms is None, got[c].time_ms or never))
        out += [(place, got[c].time_ms or never, c) for place, c in enumerate(order, start=1)]
    return out


def qualifiers(spec: Round, races: Sequence[Race], finishes: Sequence[Finish]) -> dict[str, list[str]]:
    """Where a finished round sends its crews: target round -> crews, best first (place, then time),
    then the fastest of the rest by time (only among one place's finishers when the table says so:
    "the faster of the two eighth-placed crews"; a crew placed lower is not taken, however fast)."""
    rows = _ranked_finishes(races, finishes)
    sent: set[str] = set()
    out: dict[str, list[str]] = {}
    for adv in spec.advance:
        first, last = adv.places
        chosen = sorted(
            (r for r in rows if first <= r[0] <= last and r[2] not in sent), key=lambda r: (r[0], r[1])
        )
        rest = sorted(
            (r for r in rows if r[2] not in sent and r not in chosen and adv.fastest_place in (0, r[0])),
            key=lambda r: (r[1], r[0]),
        )
        chosen += [r for r in rest if r[1] < 10**12][: adv.fastest]
        out.setdefault(adv.to, [])
        out[adv.to] += [r[2] for r in chosen]
        sent |= {r[2] for r in chosen}
    return out


def progression_run(
    progression: Progression, seeds: Sequence[str], finishes: Sequence[Finish] = ()
) -> list[Race]:
    """Every race that can be drawn so far: the first round from the seeds, each later round once every
    round feeding it has all its results. Deterministic, so it can be re-run after each result."""
    feeders: dict[str, list[str]] = {}
    for spec in progression.rounds:
        for adv in spec.advance:
            feeders.setdefault(adv.to, []).append(spec.name)
    drawn: dict[str, list[Race]] = {}
    first = progression.rounds[0]
    drawn[first.name] = round_draw(progression, first.name, list(seeds))
    done_codes = {f.race for f in finishes}
    changed = True
    while changed:
        changed = False
        for spec in progression.rounds:
            if spec.name in drawn or not feeders.get(spec.name):
                continue
            if not all(
                name in drawn and all(r.code in done_codes for r in drawn[name])
                for name in feeders[spec.name]
            ):
                continue
            ranked: list[tuple[int, int, str]] = []
            for name in feeders[spec.name]:
                feeder = next(r for r in progression.rounds if r.name == name)
                rows = {row[2]: row for row in _ranked_finishes(drawn[name], finishes)}
                ranked += [rows[c] for c in qualifiers(feeder, drawn[name], finishes).get(spec.name, [])]
            # Direct qualifiers (from an earlier round) before those who came through a later one.
            drawn[spec.name] = round_draw(progression, spec.name, [c for _p, _t, c in ranked])
            changed = True
    order = {spec.name: i for i, spec in enumerate(progression.rounds)}
    return [race for name in sorted(drawn, key=order.__getitem__) for race in drawn[name]]


def combined_ranking(
    times: Mapping[str, Sequence[int | None]], *, runs: int
) -> list[tuple[int, str, int | None]]:
    """Festival format ranked on combined time: (place, crew, total ms) over `runs` races each; a crew
    missing a run or with a did-not-finish has no total and ranks after every crew with one."""
    rows = []
    for crew, values in times.items():
        total = (
            sum(v for v in values if v is not None) if len(values) == runs and None not in values else None
        )
        rows.append((total is None, total or 0, crew, total))
    rows.sort()
    out: list[tuple[int, str, int | None]] = []
    for i, (_none, _t, crew, total) in enumerate(rows):
        place = out[-1][0] if out and out[-1][2] == total and total is not None else i + 1
        out.append((place, crew, total))
    return out
