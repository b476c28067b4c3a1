"""The official order of bouts in a fencing pool of 4 to 9, with the variants that let teammates meet first.

Source: USA Fencing, "Pool Bout Orders" sheet (https://cdn1.sportngin.com/attachments/document/0034/5494/
bout_order.pdf), which reproduces the FIE tables (FIE Organisation Rules, the order of bouts in
pools). Positions are the fencers' numbers on the pool sheet, 1-based; the left-hand fencer of a bout
is named first. tests/events/competition/fencing/test_bout_orders.py checks every table: each pair once,
and for pools of 5 or more no fencer fences two bouts in a row.

Teammates (same club, then same city) fence each other first: `bout_order_for` picks, among the standard
table and the published variants, the one and the sheet positions that bring every teammate bout
earliest, as the USA Fencing sheet instructs ("place them 1-4", "place them 1-2-3").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext_lazy as _

from events.competition.errors import DrawError

SOURCE = 'USA Fencing, "Pool Bout Orders" (reproducing the FIE tables of bout order in pools)'

Table = tuple[tuple[int, int], ...]


def _parse(text: str) -> Table:
    return tuple(tuple(int(p) for p in bout.split("-")) for bout in text.split())  # type: ignore[misc]


STANDARD: dict[int, Table] = {
    4: _parse("1-4 2-3 1-3 2-4 3-4 1-2"),
    5: _parse("1-2 3-4 5-1 2-3 5-4 1-3 2-5 4-1 3-5 4-2"),
    6: _parse("1-2 4-5 2-3 5-6 3-1 6-4 2-5 1-4 5-3 1-6 4-2 3-6 5-1 3-4 6-2"),
    7: _parse("1-4 2-5 3-6 7-1 5-4 2-3 6-7 5-1 4-3 6-2 5-7 3-1 4-6 7-2 3-5 1-6 2-4 7-3 6-5 1-2 4-7"),
    8: _parse(
        "2-3 1-5 7-4 6-8 1-2 3-4 5-6 8-7 4-1 5-2 8-3 6-7 4-2 8-1 7-5 3-6 2-8 5-4 6-1 3-7 4-8 2-6 3-5 "
        "1-7 4-6 8-5 7-2 1-3"
    ),
    9: _parse(
        "1-9 2-8 3-7 4-6 1-5 2-9 8-3 7-4 6-5 1-2 9-3 8-4 7-5 6-1 3-2 9-4 5-8 7-6 3-1 2-4 5-9 8-6 7-1 "
        "4-3 5-2 6-9 8-7 4-1 5-3 6-2 9-7 1-8 4-5 3-6 2-7 9-8"
    ),
}

# Published teammate variants: (pool size, name) -> table. The name says where the sheet puts teammates.
VARIANTS: dict[int, dict[str, Table]] = {
    6: {
        "pairs 1-4, 2-5, 3-6": _parse("1-4 2-5 3-6 5-1 4-2 3-1 6-2 5-3 6-4 1-2 3-4 5-6 2-3 1-6 4-5"),
    },
    7: {
        "three teammates 1-2-3": _parse(
            "1-2 4-5 6-7 3-1 4-7 2-3 5-1 6-2 3-4 7-5 1-6 4-2 7-3 5-6 1-4 2-7 5-3 6-4 7-1 2-5 3-6"
        ),
    },
}


@dataclass(frozen=True)
class BoutOrder:
    """A pool's order of bouts: `positions[i]` is the entry on sheet number i+1; bouts are entry pairs."""

    table: str
    source: str
    positions: tuple[str, ...]
    bouts: tuple[tuple[str, str], ...]


def tables_for(size: int) -> dict[str, Table]:
    """Every published table for a pool of `size`: "standard" first, then the teammate variants."""
    if size not in STANDARD:
        raise DrawError(
            "pool_size",
            _("a pool of %(size)s has no official order of bouts (pools of 4 to 9 have one)"),
            _("use pools of 4 to 9 fencers"),
            size=size,
        )
    return {"standard": STANDARD[size], **VARIANTS.get(size, {})}


def _place(table: Table, size: int, groups: list[list[int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sheet positions for each teammate group, chosen so their mutual bouts come earliest in `table`.

    Returns (positions by entry index, score): the score lists, group by group, the index of the last
    teammate bout, so comparing scores compares how early teammates are done.
    """
    bout_index = {frozenset(pair): i for i, pair in enumerate(table)}
    free = set(range(1, size + 1))
    placed: dict[int, int] = {}
    score: list[int] = []
    for group in groups:
        options = []
        for chosen in combinations(sorted(free), len(group)):
            indices = [bout_index[frozenset(p)] for p in combinations(chosen, 2)]
            options.append(((max(indices), sum(indices)), chosen))
        best = min(options)
        score.append(best[0][0])
        for entry, position in zip(group, best[1], strict=True):
            placed[entry] = position
            free.discard(position)
    return tuple(placed.get(i, 0) for i in range(size)), tuple(score)


def bout_order_for(entries: Sequence[str], teams: Sequence[str | None] | None = None) -> BoutOrder:
    """The order of bouts for a pool whose entries are listed in seed order.

    `teams[i]` is the key (club, or city) that makes entry i a teammate of others; teammates get the
    sheet positions and the table that let them fence each other first; everybody else keeps seed order
    on the remaining numbers. Deterministic.
    """
    size = len(entries)
    tables = tables_for(size)
    keys = list(teams) if teams is not None else [None] * size
    by_key: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            by_key.setdefault(key, []).append(index)
    groups = sorted((g for g in by_key.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
    best_name, best_positions, best_score = "standard", tuple(range(1, size + 1)), None
    if groups:
        for name, table in tables.items():
            positions, score = _place(table, size, groups)
            if best_score is None or score < best_score:
                best_name, best_positions, best_score = name, positions, score
        free = iter(p for p in range(1, size + 1) if p not in best_positions)
        best_positions = tuple(p if p else next(free) for p in best_positions)
    sheet = [""] * size
    for index, position in enumerate(best_positions):
        sheet[position - 1] = entries[index]
    table = tables[best_name]
    return BoutOrder(
        table=best_name,
        source=SOURCE,
        positions=tuple(sheet),
        bouts=tuple((sheet[a - 1], sheet[b - 1]) for a, b in table),
    )
