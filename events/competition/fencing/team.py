"""Fencing team matches: the nine-bout relay to 45 touches.

FIE Organisation Rules (team events): teams of three (and a reserve); each fencer meets each of the
other team's three; the relays end at 5, 10, 15 ... 45 touches (or time). Order of relays, team A
numbered 1-2-3 and team B 4-5-6: 3-6, 1-5, 2-4, 1-6, 3-4, 2-5, 1-4, 2-6, 3-5. Before the match each
captain gives the team's order: which three of its fencers hold positions 1, 2 and 3 (4, 5 and 6).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from events.competition.errors import ResultError

RELAY_ORDER: tuple[tuple[int, int], ...] = (
    (3, 6),
    (1, 5),
    (2, 4),
    (1, 6),
    (3, 4),
    (2, 5),
    (1, 4),
    (2, 6),
    (3, 5),
)
RELAY_TOUCHES = 5
TEAM_FENCERS = 3  # on the piste; a fourth is the reserve
MATCH_TOUCHES = 45
SOURCE = "FIE Organisation Rules, team events: order of relays"


@dataclass(frozen=True)
class Relay:
    number: int
    a_fencer: int
    b_fencer: int
    target: int


@dataclass(frozen=True)
class TeamMatchResult:
    """Running scores after each relay fenced (cumulative), and the winning side "a" or "b"."""

    a_scores: tuple[int, ...]
    b_scores: tuple[int, ...]
    winner: str | None = None


def relay_order() -> list[Relay]:
    """The nine relays: which fencer of each team, and the running score that ends each one."""
    return [Relay(i + 1, a, b, RELAY_TOUCHES * (i + 1)) for i, (a, b) in enumerate(RELAY_ORDER)]


def team_match_check(result: TeamMatchResult) -> str:
    """Check the running scores of a relay match and return the winning side ("a" or "b").

    Refuses a relay that passes its target (e.g. 11 at the end of relay 2, whose target is 10), a
    running score that goes down, a match that goes on after 45, and a finished match without a
    winner."""
    a, b = result.a_scores, result.b_scores
    if len(a) != len(b) or not a or len(a) > len(RELAY_ORDER):
        raise ResultError(
            "relays",
            _("a team match has one to nine relays, both teams scored"),
            _("enter both scores for each relay"),
        )
    previous = (0, 0)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        target = RELAY_TOUCHES * (i + 1)
        if x < previous[0] or y < previous[1]:
            raise ResultError(
                "goes_down",
                _("a running score cannot go down from one relay to the next"),
                _("enter running totals"),
            )
        if max(x, y) > target:
            raise ResultError(
                "over_target",
                _("relay %(number)s ends at %(target)s touches, so %(high)s cannot be"),
                _("enter at most %(target)s for the leading team"),
                number=i + 1,
                target=target,
                high=max(x, y),
            )
        previous = (x, y)
    last_a, last_b = a[-1], b[-1]
    if len(a) < len(RELAY_ORDER):
        raise ResultError(
            "unfinished",
            _("the match is not finished: a team match has nine relays"),
            _("enter the remaining relays"),
        )
    if last_a != last_b:
        winner = "a" if last_a > last_b else "b"
        if result.winner not in (None, winner):
            raise ResultError(
                "winner_behind",
                _("the winner cannot have fewer touches than the loser"),
                _("swap the scores or the winner"),
            )
        return winner
    if result.winner not in ("a", "b"):
        raise ResultError(
            "draw",
            _("a fencing match has a winner even at equal touches (priority)"),
            _("mark the team that won on priority"),
        )
    return result.winner


def lineup_check(order: Sequence[str], members: Collection[str]) -> tuple[str, ...]:
    """A team's order for one match: three different fencers of the team, the first holding position 1
    (4 for team B), the second 2 (5), the third 3 (6). Returns the order as a tuple."""
    if len(order) != TEAM_FENCERS or not all(order):
        raise ResultError(
            "lineup_size",
            _("a team fences with three fencers, one in each position"),
            _("choose a fencer for each of the three positions"),
        )
    if len(set(order)) != TEAM_FENCERS:
        raise ResultError(
            "lineup_twice",
            _("a fencer can hold only one position in the team's order"),
            _("choose three different fencers"),
        )
    if any(key not in members for key in order):
        raise ResultError(
            "lineup_member",
            _("only the team's own fencers can be in its order"),
            _("choose from the team's fencers"),
        )
    return tuple(order)
