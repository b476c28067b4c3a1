"""Direct elimination: the tableau on the next power of two, byes to the top seeds, standard placement,
results through to the final classification.

FIE Organisation Rules: the tableau is the next power of two above the number of qualifiers; byes
fall to the best seeds; seed 1 meets the last seed and seeds 1 and 2 can only meet in the final (the
FIE placement: 1–16, 9–8, 5–12, 13–4, 3–14, 11–6, 7–10, 15–2 in a tableau of 16). No bout for third
place in individual events: both losing semi-finalists are third. Fencers beaten in the same round
are placed by their ranking after the pools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError, ResultError
from events.competition.fencing.ranking import PoolBout, Standing, bout_check


def placement(size: int) -> list[int]:
    """Seed numbers in tableau order, top to bottom, for a tableau of `size` (a power of two)."""
    if size < 2 or size & (size - 1):
        raise ValueError("a tableau has a power of two places")
    order = [1, 2]
    while len(order) < size:
        total = 2 * len(order) + 1
        nxt: list[int] = []
        for i, seed in enumerate(order):
            pair = [seed, total - seed]
            nxt += pair if i % 2 == 0 else pair[::-1]
        order = nxt
    return order


@dataclass(frozen=True)
class DEResult:
    table: int
    index: int
    top_score: int
    bottom_score: int
    winner: str


@dataclass(frozen=True)
class DEBout:
    """A bout of table `table` (64, 32, ... 2 is the final), `index` from the top, 0-based.

    `top`/`bottom` are None while the winner of the feeding bout (`feeds`) is not known; a bye is a
    bout with one fencer, won at once."""

    table: int
    index: int
    top: str | None
    bottom: str | None
    feeds: tuple[tuple[int, int], tuple[int, int]] | None
    winner: str | None
    bye: bool
    top_score: int | None = None
    bottom_score: int | None = None

    @property
    def label(self) -> str:
        return f"T{self.table}-{self.index + 1}"


@dataclass(frozen=True)
class Tableau:
    size: int
    seeds: tuple[str, ...]
    results: tuple[DEResult, ...] = ()
    touches: int = 15


def tableau_draw(qualifiers: Sequence[str], *, touches: int = 15) -> Tableau:
    """The tableau for qualifiers listed in seed order (the ranking after pools, ties settled)."""
    if len(qualifiers) < 2:
        raise DrawError(
            "too_few",
            _("too few entries: %(count)s in the tableau, it needs at least 2"),
            _("let more fencers through the cut"),
            count=len(qualifiers),
        )
    if len(set(qualifiers)) != len(qualifiers):
        raise DrawError("duplicate", _("a fencer is entered twice"), _("remove the duplicate entry"))
    size = 2
    while size < len(qualifiers):
        size *= 2
    return Tableau(size=size, seeds=tuple(qualifiers), touches=touches)


def tableau_bouts(tableau: Tableau) -> list[DEBout]:
    """Every bout of the tableau, round by round, with the fencers known so far and the results."""
    recorded = {(r.table, r.index): r for r in tableau.results}
    slots: list[str | None] = [
        tableau.seeds[s - 1] if s <= len(tableau.seeds) else None for s in placement(tableau.size)
    ]
    known = [True] * len(slots)
    bouts: list[DEBout] = []
    table = tableau.size
    while table >= 2:
        nxt: list[str | None] = []
        nxt_known: list[bool] = []
        for i in range(table // 2):
            top, bottom = slots[2 * i], slots[2 * i + 1]
            ready = known[2 * i] and known[2 * i + 1]
            bye = ready and (top is None) != (bottom is None)
            result = recorded.get((table, i))
            winner = None
            if bye:
                winner = top or bottom
            elif ready and result is not None:
                winner = result.winner
            feeds = None if table == tableau.size else ((table * 2, 2 * i), (table * 2, 2 * i + 1))
            bouts.append(
                DEBout(
                    table=table,
                    index=i,
                    top=top if known[2 * i] else None,
                    bottom=bottom if known[2 * i + 1] else None,
                    feeds=feeds,
                    winner=winner,
                    bye=bye,
                    top_score=result.top_score if result and not bye else None,
                    bottom_score=result.bottom_score if result and not bye else None,
                )
            )
            nxt.append(winner)
            nxt_known.append(winner is not None or (ready and top is None and bottom is None))
        slots, known = nxt, nxt_known
        table //= 2
    return bouts


def tableau_record(
    tableau: Tableau, *, table: int, index: int, top_score: int, bottom_score: int, winner: str | None = None
) -> Tableau:
    """A new tableau with the result of bout (`table`, `index`) recorded (or corrected).

    Refuses a bout whose fencers are not known yet, a bye, and a score that cannot be. Correcting a
    result whose winner changes drops the later results that depended on it.
    """
    bouts = {(b.table, b.index): b for b in tableau_bouts(tableau)}
    bout = bouts.get((table, index))
    if bout is None:
        raise ResultError(
            "no_bout", _("there is no such bout in this tableau"), _("check the table and bout number")
        )
    if bout.bye or bout.top is None or bout.bottom is None:
        raise ResultError(
            "not_ready",
            _("bout %(label)s cannot be scored yet: both fencers must be known"),
            _("enter the results of the bouts before it first"),
            label=bout.label,
        )
    check = PoolBout(bout.top, bout.bottom, top_score, bottom_score, winner)
    bout_check(check, touches=tableau.touches)
    result = DEResult(table, index, top_score, bottom_score, check.victor)
    kept = [r for r in tableau.results if (r.table, r.index) != (table, index)]
    if bout.winner is not None and bout.winner != result.winner:
        # Later bouts fed by this one no longer hold: drop every result downstream of it.
        downstream, t, i = set(), table, index
        while t > 2:
            t, i = t // 2, i // 2
            downstream.add((t, i))
        kept = [r for r in kept if (r.table, r.index) not in downstream]
    return replace(tableau, results=(*kept, result))


def final_classification(tableau: Tableau, not_qualified: Sequence[Standing] = ()) -> list[tuple[int, str]]:
    """(place, fencer) for everyone once the final is fenced: 1, 2, 3 and 3 (two bronzes), then the
    losers of each table placed by their seed from table/2 + 1, then the fencers cut after the pools
    in their pool ranking (ties kept)."""
    bouts = tableau_bouts(tableau)
    final = next(b for b in bouts if b.table == 2)
    if final.winner is None:
        raise ResultError(
            "unfinished", _("the tableau is not finished: the final has no result"), _("enter the final")
        )
    seed = {key: i for i, key in enumerate(tableau.seeds)}
    places: list[tuple[int, str]] = [(1, final.winner)]
    runner_up = final.bottom if final.winner == final.top else final.top
    places.append((2, runner_up or ""))
    table = 4
    while table <= tableau.size:
        losers = []
        for b in bouts:
            if b.table == table and not b.bye and b.winner is not None:
                loser = b.bottom if b.winner == b.top else b.top
                if loser is not None:
                    losers.append(loser)
        losers.sort(key=lambda k: seed[k])
        first = table // 2 + 1
        places += [(3 if table == 4 else first + i, key) for i, key in enumerate(losers)]
        table *= 2
    if not_qualified:
        offset = len(tableau.seeds) + 1 - not_qualified[0].place
        places += [(s.place + offset, s.key) for s in not_qualified]
    return places
