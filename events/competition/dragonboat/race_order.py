"""Paddlers who race in several crews (cross-rostering) never in back-to-back races.

`race_order_check` lists each paddler found in two consecutive races; `race_order_adjust` reorders
races so none is, keeping every race after the races of earlier rounds it depends on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from events.competition.dragonboat.progression import Race
from events.competition.errors import DrawError


@dataclass(frozen=True)
class BackToBack:
    paddler: str
    first: str  # race codes
    second: str


def _paddlers(race: Race, rosters: Mapping[str, frozenset[str] | set[str]]) -> set[str]:
    return {p for crew in race.crews for p in rosters.get(crew, ())}


def race_order_check(
    races: Sequence[Race], rosters: Mapping[str, frozenset[str] | set[str]]
) -> list[BackToBack]:
    """Every paddler in two consecutive races of `races` (in running order), with the two races."""
    found = []
    for a, b in pairwise(races):
        for paddler in sorted(_paddlers(a, rosters) & _paddlers(b, rosters)):
            found.append(BackToBack(paddler, a.code, b.code))
    return found


def race_order_adjust(
    races: Sequence[Race],
    rosters: Mapping[str, frozenset[str] | set[str]],
    *,
    rank: Mapping[str, int] | None = None,
) -> list[Race]:
    """A running order with no paddler in back-to-back races, as close to the given order as possible.

    `rank[race.code]` is the race's stage (races of a lower stage must all run first: heats before
    repechages before finals); by default, the order given is kept stage by stage as listed. Depth-first
    search picking the earliest listed race that fits; refuses with the paddlers who make it impossible.
    """
    races = list(races)
    stage = dict(rank) if rank else {}
    if not stage:
        names: list[str] = []
        for r in races:
            if r.round not in names:
                names.append(r.round)
        stage = {r.code: names.index(r.round) for r in races}
    people = [_paddlers(r, rosters) for r in races]
    n = len(races)
    order: list[int] = []
    used = [False] * n
    budget = [20000]

    def search() -> bool:
        if len(order) == n:
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        lowest = min(stage[races[i].code] for i in range(n) if not used[i])
        for i in range(n):
            if used[i] or stage[races[i].code] != lowest:
                continue
            if order and people[order[-1]] & people[i]:
                continue
            used[i] = True
            order.append(i)
            if search():
                return True
            order.pop()
            used[i] = False
        return False

    if search():
        return [races[i] for i in order]
    clash = race_order_check(races, rosters)
    names = sorted({c.paddler for c in clash}) or ["?"]
    raise DrawError(
        "back_to_back",
        _("no running order keeps %(paddlers)s out of back-to-back races"),
        _("add a race break between the rounds, or take the paddler out of one crew"),
        paddlers=pgettext("separator between names in a list", ", ").join(names),
    )
