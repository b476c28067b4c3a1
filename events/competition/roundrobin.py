"""Round robins by the Berger tables (FIDE Handbook C.05, Annex 1), single or double, byes for odd counts.

Players are numbered 1..n by their draw number. In round k of the table for an even n, the player
who meets n is p = (k+1)/2 for odd k (p has white / plays at home) and p = n/2 + k/2 for even k (n at
home); the other boards pair p+i (home) with p-i (away), counted round 1..n-1. For an odd n a dummy
n+1 is added and its opponent has a bye. This gives exactly the FIDE tables (checked for 4, 6 and 8
in tests/events/competition/test_roundrobin.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError

SOURCE = (
    "FIDE Handbook C.05 (General Rules for Competitions), Annex 1: Berger tables for round-robin tournaments"
)


@dataclass(frozen=True)
class Pairing:
    """One game of a round: `home` plays at home (white in chess); `away` is None for a bye."""

    round: int
    board: int
    home: str
    away: str | None

    @property
    def bye(self) -> bool:
        return self.away is None


def berger_table(n: int) -> list[list[tuple[int, int]]]:
    """The Berger table for `n` players (even; use n+1 for an odd count): rounds of (home, away) numbers."""
    if n < 2 or n % 2:
        raise ValueError("the Berger table is built for an even number of players")
    m = n - 1

    def wrap(x: int) -> int:
        return (x - 1) % m + 1

    rounds = []
    for k in range(1, n):
        if k % 2:
            p = (k + 1) // 2
            boards = [(p, n)]
        else:
            p = n // 2 + k // 2
            boards = [(n, p)]
        boards += [(wrap(p + i), wrap(p - i)) for i in range(1, n // 2)]
        rounds.append(boards)
    return rounds


def round_robin(entries: Sequence[str], *, cycles: int = 1) -> list[Pairing]:
    """Every round of a round robin for `entries` in draw order (entry i is Berger number i+1).

    `cycles=2` is a double round robin: the second cycle repeats the first with home and away
    swapped. An odd number of entries gives each entry one bye per cycle (a Pairing with away None).
    """
    if len(entries) < 2:
        raise DrawError(
            "too_few",
            _("too few entries: %(count)s, a round robin needs at least 2"),
            _("add entries or merge categories"),
            count=len(entries),
        )
    if len(set(entries)) != len(entries):
        raise DrawError("duplicate", _("an entry is in the draw twice"), _("remove the duplicate entry"))
    if cycles not in (1, 2):
        raise DrawError("cycles", _("a round robin has one or two cycles"), _("choose single or double"))
    n = len(entries) + len(entries) % 2
    table = berger_table(n)

    def name(number: int) -> str | None:
        return entries[number - 1] if number <= len(entries) else None

    pairings: list[Pairing] = []
    for cycle in range(cycles):
        for r, boards in enumerate(table, start=1):
            board_number = 0
            for home, away in boards:
                if cycle:
                    home, away = away, home
                a, b = name(home), name(away)
                if a is None or b is None:
                    # The dummy's opponent sits out; byes are listed last in their round.
                    continue
                board_number += 1
                pairings.append(Pairing(round=r + cycle * len(table), board=board_number, home=a, away=b))
            for home, away in boards:
                a, b = name(home), name(away)
                if a is None or b is None:
                    pairings.append(
                        Pairing(round=r + cycle * len(table), board=0, home=a or b or "", away=None)
                    )
    return pairings
