"""Knockout brackets: single elimination with seeding and byes, placement matches, groups then knockout
with cross-overs (A1 v B2, B1 v A2 ...).

Seeding uses the standard placement (seed 1 v the last seed, 1 and 2 in opposite halves: the same
order as the fencing tableau). Every match names where its two sides come from, so the schedule and
the pages can show "winner of M5" before M5 is played.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError
from events.competition.fencing.tableau import placement


@dataclass(frozen=True)
class Side:
    """A side of a match: an entry, or the winner / loser of another match, or a group place ("A1")."""

    entry: str | None = None
    winner_of: str | None = None
    loser_of: str | None = None
    group_place: str | None = None

    @property
    def label(self) -> str:
        if self.entry is not None:
            return self.entry
        if self.winner_of:
            return f"W {self.winner_of}"
        if self.loser_of:
            return f"L {self.loser_of}"
        return self.group_place or ""


@dataclass(frozen=True)
class Match:
    """`places` is (best, worst) place decided along this match's line: a final decides (1, 2)."""

    code: str
    round: int
    home: Side
    away: Side
    places: tuple[int, int]
    # The matches this one waits for (their codes): what the scheduler must finish (plus rest) first.
    after: tuple[str, ...] = ()


def _pairs_from_seeds(seeds: Sequence[str]) -> list[tuple[Side | None, Side | None]]:
    size = 2
    while size < len(seeds):
        size *= 2
    order = placement(size)
    slots = [Side(entry=seeds[s - 1]) if s <= len(seeds) else None for s in order]
    return [(slots[i], slots[i + 1]) for i in range(0, size, 2)]


def _bracket(pairs: list[tuple[Side | None, Side | None]], places: int) -> list[Match]:
    matches: list[Match] = []
    counter = [0]

    def code() -> str:
        counter[0] += 1
        return f"M{counter[0]}"

    def play(round_pairs: list[tuple[Side | None, Side | None]], first: int, round_no: int) -> None:
        size = 2 * len(round_pairs)
        winners: list[Side | None] = []
        losers: list[Side | None] = []
        for home, away in round_pairs:
            if home is None or away is None:
                # A bye: the present side goes straight on and nobody drops to the placement line.
                winners.append(home or away)
                losers.append(None)
                continue
            c = code()
            after = tuple(s.winner_of or s.loser_of for s in (home, away) if s.winner_of or s.loser_of)
            matches.append(Match(c, round_no, home, away, (first, first + size - 1), after))  # type: ignore[arg-type]
            winners.append(Side(winner_of=c))
            losers.append(Side(loser_of=c))
        if len(winners) >= 2:
            play([(winners[i], winners[i + 1]) for i in range(0, len(winners), 2)], first, round_no + 1)
        losers_first = first + len(round_pairs)
        present = [s for s in losers if s is not None]
        if len(present) >= 2 and losers_first <= places:
            if len(present) != len(losers):
                losers = present
            while len(losers) & (len(losers) - 1):
                losers.append(None)
            play([(losers[i], losers[i + 1]) for i in range(0, len(losers), 2)], losers_first, round_no + 1)

    play(pairs, 1, 1)
    matches.sort(key=lambda m: (m.round, m.places[0], int(m.code[1:])))
    return matches


def single_elimination(seeds: Sequence[str], *, places: int = 2) -> list[Match]:
    """A knockout for entries in seed order. `places` says how many places are played for: 2 is just
    a final, 4 adds the match for third place, 8 adds the 5th–8th placement matches, len(seeds) plays
    every place. Byes go to the top seeds."""
    if len(seeds) < 2:
        raise DrawError(
            "too_few",
            _("too few entries: %(count)s, a knockout needs at least 2"),
            _("add entries or merge categories"),
            count=len(seeds),
        )
    if len(set(seeds)) != len(seeds):
        raise DrawError("duplicate", _("an entry is in the draw twice"), _("remove the duplicate entry"))
    return _bracket(_pairs_from_seeds(seeds), places)


def groups_draw(seeds: Sequence[str], groups: int) -> dict[str, list[str]]:
    """Entries in seed order dealt to groups A, B, C ... in serpentine order (1..n, n..1)."""
    if groups < 1 or len(seeds) < 2 * groups:
        raise DrawError(
            "groups",
            _("%(count)s entries cannot fill %(groups)s groups of at least 2"),
            _("use fewer groups or add entries"),
            count=len(seeds),
            groups=groups,
        )
    names = [chr(ord("A") + i) for i in range(groups)]
    dealt: dict[str, list[str]] = {n: [] for n in names}
    for i, entry in enumerate(seeds):
        row, col = divmod(i, groups)
        dealt[names[col if row % 2 == 0 else groups - 1 - col]].append(entry)
    return dealt


def crossover(groups: int, *, places: int = 2) -> list[Match]:
    """The knockout after groups, two going through from each: groups are paired (A,B), (C,D) ...;
    A1 v B2 goes in the top half and B1 v A2 in the bottom half, so group winners and teams of the
    same group meet only in the final."""
    if groups < 2 or groups & (groups - 1):
        raise DrawError(
            "crossover",
            _("cross-overs need 2, 4, 8 ... groups, not %(groups)s"),
            _("change the number of groups"),
            groups=groups,
        )
    names = [chr(ord("A") + i) for i in range(groups)]
    top, bottom = [], []
    for j in range(0, groups, 2):
        a, b = names[j], names[j + 1]
        top.append((Side(group_place=f"{a}1"), Side(group_place=f"{b}2")))
        bottom.append((Side(group_place=f"{b}1"), Side(group_place=f"{a}2")))
    return _bracket([*top, *bottom], places)  # type: ignore[list-item]
