"""Pool results to a ranking: V/M, indicator (touches scored minus received), touches scored, ties; the cut.

FIE Technical Rules and Organisation Rules: fencers are ranked on the index victories/bouts, then the
indicator, then touches scored; equal on all three they are tied. When a fencer withdraws or is
excluded during the pools, all that fencer's bouts are annulled, as if they had not been in the pool.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError, ResultError


@dataclass(frozen=True)
class PoolBout:
    """One pool bout; `winner` is needed when time ran out with equal touches (priority minute)."""

    left: str
    right: str
    left_score: int
    right_score: int
    winner: str | None = None

    @property
    def victor(self) -> str:
        if self.winner:
            return self.winner
        return self.left if self.left_score > self.right_score else self.right


@dataclass(frozen=True)
class Standing:
    key: str
    victories: int
    bouts: int
    scored: int
    received: int
    place: int = 0
    tied: bool = False

    @property
    def ratio(self) -> Fraction:
        """V/M, the share of bouts won (0 when no bout was fenced)."""
        return Fraction(self.victories, self.bouts) if self.bouts else Fraction(0)

    @property
    def indicator(self) -> int:
        return self.scored - self.received

    @property
    def sort_key(self) -> tuple[Fraction, int, int]:
        return (-self.ratio, -self.indicator, -self.scored)


def bout_check(bout: PoolBout, *, touches: int = 5) -> None:
    """Refuse a score that cannot happen in a bout fought to `touches` (5 in pools, 15 in the tableau)."""
    if bout.left == bout.right:
        raise ResultError("same_fencer", _("a fencer cannot fence themselves"), _("check the two fencers"))
    high, low = max(bout.left_score, bout.right_score), min(bout.left_score, bout.right_score)
    if low < 0:
        raise ResultError("negative", _("a score cannot be negative"), _("enter the touches scored"))
    if high > touches:
        raise ResultError(
            "over_limit",
            _("%(high)s–%(low)s cannot happen in a bout fought to %(touches)s touches"),
            _("enter at most %(touches)s touches for the winner"),
            high=high,
            low=low,
            touches=touches,
        )
    if bout.winner is not None and bout.winner not in (bout.left, bout.right):
        raise ResultError(
            "winner_unknown", _("the winner is not in this bout"), _("pick one of the two fencers")
        )
    if bout.left_score == bout.right_score:
        if high == touches:
            raise ResultError(
                "both_at_limit",
                _("both fencers cannot reach %(touches)s touches: the bout ends at the first"),
                _("correct the loser's score"),
                touches=touches,
            )
        if bout.winner is None:
            raise ResultError(
                "draw",
                _("a fencing bout has a winner even at equal touches (priority)"),
                _("mark the fencer who won on priority"),
            )
    elif bout.winner is not None and bout.winner != (
        bout.left if bout.left_score > bout.right_score else bout.right
    ):
        raise ResultError(
            "winner_behind",
            _("the winner cannot have fewer touches than the loser"),
            _("swap the scores or the winner"),
        )


def pool_ranking(
    fencers: Sequence[str],
    bouts: Iterable[PoolBout],
    *,
    withdrawn: Iterable[str] = (),
    excluded: Iterable[str] = (),
    touches: int = 5,
) -> list[Standing]:
    """Rank `fencers` (listed in seed order) on their pool bouts, from one pool or from all of them.

    Bouts of withdrawn or excluded fencers are annulled and those fencers are left out of the ranking.
    Fencers equal on V/M, indicator and touches share a place (`tied`), listed in seed order.
    """
    gone = set(withdrawn) | set(excluded)
    totals = {key: [0, 0, 0, 0] for key in fencers if key not in gone}
    for bout in bouts:
        bout_check(bout, touches=touches)
        if bout.left in gone or bout.right in gone:
            continue
        for me, mine, theirs in (
            (bout.left, bout.left_score, bout.right_score),
            (bout.right, bout.right_score, bout.left_score),
        ):
            if me not in totals:
                raise ResultError(
                    "not_in_pool",
                    _("a bout names a fencer who is not in the pool"),
                    _("check the pool sheet"),
                )
            row = totals[me]
            row[0] += bout.victor == me
            row[1] += 1
            row[2] += mine
            row[3] += theirs
    rows = [Standing(key, *totals[key]) for key in fencers if key in totals]
    seed = {key: i for i, key in enumerate(fencers)}
    rows.sort(key=lambda s: (s.sort_key, seed[s.key]))
    ranked: list[Standing] = []
    for i, row in enumerate(rows):
        same_prev = i > 0 and rows[i - 1].sort_key == row.sort_key
        same_next = i + 1 < len(rows) and rows[i + 1].sort_key == row.sort_key
        place = ranked[-1].place if same_prev else i + 1
        ranked.append(
            Standing(
                row.key, row.victories, row.bouts, row.scored, row.received, place, same_prev or same_next
            )
        )
    return ranked


def pool_cut(
    ranking: Sequence[Standing], *, qualify: int | None = None, percent: int | None = None
) -> list[Standing]:
    """The fencers who go through to the tableau: the top `qualify` (or `percent` %, rounded up) and every
    fencer tied on the cut line with the last of them. No cut given: everybody goes through."""
    if qualify is None and percent is None:
        return list(ranking)
    if percent is not None:
        if not 0 < percent <= 100:
            raise DrawError("cut", _("the cut must be between 1 and 100 per cent"), _("change the cut"))
        qualify = math.ceil(len(ranking) * percent / 100)
    if qualify is None or qualify < 2:
        raise DrawError("cut", _("at least two fencers must go through to the tableau"), _("change the cut"))
    if qualify >= len(ranking):
        return list(ranking)
    line = ranking[qualify - 1].place
    return [s for s in ranking if s.place <= line]
