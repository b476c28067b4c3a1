"""Fencing pools: how many and how big, serpentine seeding, separation by club then city.

FIE Organisation Rules (pools: "as far as possible pools of 7", sizes differing by at most one) and
USA Fencing's pool tables; smaller pools for local events through `max_size`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError
from events.competition.fencing.bout_orders import BoutOrder, bout_order_for

MIN_POOL = 4
MAX_POOL = 9


@dataclass(frozen=True)
class Fencer:
    """An entry in an individual draw: `seed` 1 is the best ranked; club and city drive separation."""

    key: str
    seed: int
    club: str = ""
    city: str = ""


@dataclass(frozen=True)
class Pool:
    number: int
    fencers: tuple[Fencer, ...]
    order: BoutOrder


@dataclass(frozen=True)
class PoolDraw:
    pools: tuple[Pool, ...]
    # (level, key, pool number) for each club/city left with more than one fencer in a pool.
    unseparated: tuple[tuple[str, str, int], ...]


def pool_sizes(count: int, *, max_size: int = 7, pools: int | None = None) -> list[int]:
    """Sizes of the pools for `count` fencers, largest first: as many `max_size` pools as the count
    allows with never more than two sizes (they differ by one). `max_size` 5 or 6 gives the smaller
    pools of a local event; `pools` forces the number of pools. Refuses a pool under 4 or over 9.
    """
    if count < MIN_POOL:
        raise DrawError(
            "too_few",
            _("too few entries: %(count)s fencers, a pool needs at least %(minimum)s"),
            _("add fencers or merge categories"),
            count=count,
            minimum=MIN_POOL,
        )
    if not MIN_POOL <= max_size <= MAX_POOL:
        raise DrawError(
            "pool_size",
            _("a pool of %(size)s has no official order of bouts (pools of 4 to 9 have one)"),
            _("use pools of 4 to 9 fencers"),
            size=max_size,
        )
    if pools is None:
        pools = math.ceil(count / max_size)
        # Too many small pools would leave one under 4 (e.g. 6 fencers in pools of at most 5): fewer
        # pools, as long as none grows past the largest pool with an official order of bouts.
        while pools > 1 and count // pools < MIN_POOL:
            pools -= 1
    if pools < 1:
        raise DrawError("pool_count", _("at least one pool is needed"), _("choose one pool or more"))
    base, extra = divmod(count, pools)
    sizes = [base + 1] * extra + [base] * (pools - extra)
    if sizes[-1] < MIN_POOL:
        raise DrawError(
            "pool_too_small",
            _("%(count)s fencers in %(pools)s pools would make a pool of %(size)s; a pool needs at least 4"),
            _("use fewer pools or add fencers"),
            count=count,
            pools=pools,
            size=sizes[-1],
        )
    if sizes[0] > MAX_POOL:
        raise DrawError(
            "pool_too_big",
            _("%(count)s fencers in %(pools)s pools would make a pool of %(size)s; a pool has at most 9"),
            _("use more pools"),
            count=count,
            pools=pools,
            size=sizes[0],
        )
    return sizes


def serpentine(fencers: Sequence[Fencer], sizes: Sequence[int]) -> list[list[Fencer]]:
    """Deal fencers in seed order to the pools in serpentine order (1..n, n..1, ...), skipping full pools."""
    ordered = sorted(fencers, key=lambda f: (f.seed, f.key))
    pools: list[list[Fencer]] = [[] for _size in sizes]
    row, index = 0, 0
    while index < len(ordered):
        direction = range(len(sizes)) if row % 2 == 0 else range(len(sizes) - 1, -1, -1)
        for p in direction:
            if index < len(ordered) and len(pools[p]) < sizes[p]:
                pools[p].append(ordered[index])
                index += 1
        row += 1
    return pools


def _attr(fencer: Fencer, level: str) -> str:
    return getattr(fencer, level)


def separate(pools: list[list[Fencer]], levels: Sequence[str] = ("club", "city")) -> list[list[Fencer]]:
    """Swap fencers between pools to separate clubs, then cities, never moving a pool's top seed.

    For each clashing fencer, from the worst seeded up, the swap partner is the nearest-ranked fencer
    of another pool whose swap lowers the clashes at this level without raising them at an earlier
    level. Repeats until no swap helps. Deterministic.
    """
    pools = [list(p) for p in pools]
    # counts[level][pool][value]: how many fencers of that club (city) the pool holds, kept in step
    # with every swap so a swap's effect is computed from four counts instead of recounting pools.
    counts = {
        level: [Counter(_attr(f, level) for f in pool if _attr(f, level)) for pool in pools]
        for level in levels
    }

    def delta(level: str, pi: int, x: Fencer, qi: int, y: Fencer) -> int:
        a, b = _attr(x, level), _attr(y, level)
        if a == b:
            return 0
        p, q = counts[level][pi], counts[level][qi]
        change = 0
        if a:
            change += -(p[a] - 1) + q[a]
        if b:
            change += -(q[b] - 1) + p[b]
        return change

    def swap(pi: int, fi: int, qi: int, gi: int) -> None:
        x, y = pools[pi][fi], pools[qi][gi]
        for level in levels:
            a, b = _attr(x, level), _attr(y, level)
            if a:
                counts[level][pi][a] -= 1
                counts[level][qi][a] += 1
            if b:
                counts[level][qi][b] -= 1
                counts[level][pi][b] += 1
        pools[pi][fi], pools[qi][gi] = y, x

    done: list[str] = []
    for level in levels:
        improved = True
        while improved:
            improved = False
            candidates = sorted(
                ((pi, fi) for pi, pool in enumerate(pools) for fi in range(1, len(pool))),
                key=lambda c: -pools[c[0]][c[1]].seed,
            )
            for pi, fi in candidates:
                fencer = pools[pi][fi]
                value = _attr(fencer, level)
                if not value or counts[level][pi][value] < 2:
                    continue
                partners = sorted(
                    ((qi, gi) for qi, pool in enumerate(pools) if qi != pi for gi in range(1, len(pool))),
                    key=lambda c: (abs(pools[c[0]][c[1]].seed - fencer.seed), pools[c[0]][c[1]].seed),
                )
                for qi, gi in partners:
                    other = pools[qi][gi]
                    if delta(level, pi, fencer, qi, other) < 0 and all(
                        delta(lvl, pi, fencer, qi, other) <= 0 for lvl in done
                    ):
                        swap(pi, fi, qi, gi)
                        improved = True
                        break
        done.append(level)
    for pool in pools:
        pool[1:] = sorted(pool[1:], key=lambda f: (f.seed, f.key))
    return pools


def _unseparated(pools: list[list[Fencer]], levels: Sequence[str]) -> list[tuple[str, str, int]]:
    found = []
    for number, pool in enumerate(pools, start=1):
        for level in levels:
            counts = Counter(_attr(f, level) for f in pool if _attr(f, level))
            found += [(level, key, number) for key, n in sorted(counts.items()) if n > 1]
    return found


def pools_draw(
    fencers: Sequence[Fencer],
    *,
    max_size: int = 7,
    pools: int | None = None,
    levels: Sequence[str] = ("club", "city"),
    strict: bool = False,
) -> PoolDraw:
    """Draw the pools: sizes, serpentine by seed, separation by club then city, bout orders.

    Teammates left together fence each other first (see bout_orders). With `strict`, a club with more
    fencers than there are pools is refused instead, saying how many pools it would take.
    """
    keys = [f.key for f in fencers]
    if len(set(keys)) != len(keys):
        raise DrawError("duplicate", _("a fencer is entered twice"), _("remove the duplicate entry"))
    sizes = pool_sizes(len(fencers), max_size=max_size, pools=pools)
    if strict and levels:
        club_counts = Counter(_attr(f, levels[0]) for f in fencers if _attr(f, levels[0]))
        for club, n in sorted(club_counts.items()):
            if n > len(sizes):
                raise DrawError(
                    "cannot_separate",
                    _(
                        "%(club)s has %(count)s fencers but there are only %(pools)s pools, "
                        "so two of them would meet in a pool"
                    ),
                    _("use at least %(count)s pools, or allow teammates in the same pool"),
                    club=club,
                    count=n,
                    pools=len(sizes),
                )
    dealt = separate(serpentine(fencers, sizes), levels)
    drawn = []
    for number, pool in enumerate(dealt, start=1):
        # Club clashes decide the teammate variant first; a city clash only where no club clash is.
        teams = [f.club or None for f in pool]
        if not any(n > 1 for n in Counter(t for t in teams if t).values()):
            teams = [f.city or None for f in pool]
        order = bout_order_for([f.key for f in pool], teams)
        drawn.append(Pool(number=number, fencers=tuple(pool), order=order))
    return PoolDraw(pools=tuple(drawn), unseparated=tuple(_unseparated(dealt, levels)))
