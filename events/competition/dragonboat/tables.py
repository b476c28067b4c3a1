"""Progression tables for dragon-boat racing: which rounds, how many races, who goes where.

Stored as data so an organiser's or a federation's table can replace them without code. The shape
follows the IDBF Competition Regulations (IDBF Members Handbook, Part C, "Competition Regulations":
heats, repechages, semi-finals, minor and grand finals by number of crews and lanes) and the ICF
Canoe Sprint Competition Rules' system of progression. The qualifier numbers below are Corridor's
tables for 4, 6 and 9 lanes written in that shape; check them against the regulation in force for a
championship. Every table is checked by tests/events/competition/dragonboat/test_tables.py: no race
has more crews than lanes, every crew of a round is sent somewhere or eliminated, and each final is
filled to at most its lanes.

A round lists its races and where its crews go: `to` a later round by finishing `places` in each race
(1-based, inclusive), then `fastest` more by time among the rest. Crews not sent anywhere are out.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = (
    "After the IDBF Competition Regulations (progression: heats, repechages, semi-finals, finals) and "
    "the ICF Canoe Sprint Competition Rules (system of progression); Corridor's tables"
)


@dataclass(frozen=True)
class Advance:
    to: str
    places: tuple[int, int] = (0, 0)  # (first, last) finishing places in each race; (0, 0) for none
    fastest: int = 0  # then this many more by time among the crews not yet sent


@dataclass(frozen=True)
class Round:
    name: str  # "heat", "repechage", "semi", "final", "minor_final"
    races: int
    advance: tuple[Advance, ...] = ()


@dataclass(frozen=True)
class Progression:
    lanes: int
    crews: tuple[int, int]  # inclusive range of crews the table is for
    rounds: tuple[Round, ...]
    source: str = SOURCE


def _final_only(lanes: int, low: int) -> Progression:
    return Progression(lanes, (low, lanes), (Round("final", 1),))


TABLES: tuple[Progression, ...] = (
    # Four lanes.
    _final_only(4, 2),
    Progression(4, (5, 8), (
        Round("heat", 2, (Advance("final", (1, 1)), Advance("repechage", (2, 4)))),
        Round("repechage", 2, (Advance("final", (1, 1)),)),
        Round("final", 1),
    )),
    Progression(4, (9, 16), (
        Round("heat", 4, (Advance("semi", (1, 2)),)),
        Round("semi", 2, (Advance("final", (1, 2)), Advance("minor_final", (3, 4)))),
        Round("minor_final", 1),
        Round("final", 1),
    )),
    # Six lanes.
    _final_only(6, 2),
    Progression(6, (7, 12), (
        Round("heat", 2, (Advance("final", (1, 1)), Advance("repechage", (2, 6)))),
        Round("repechage", 2, (Advance("final", (1, 2)),)),
        Round("final", 1),
    )),
    Progression(6, (13, 18), (
        Round("heat", 3, (Advance("final", (1, 1)), Advance("repechage", (2, 6)))),
        Round("repechage", 3, (Advance("final", (1, 1)),)),
        Round("final", 1),
    )),
    Progression(6, (19, 24), (
        Round("heat", 4, (Advance("semi", (1, 3)),)),
        Round("semi", 2, (Advance("final", (1, 3)), Advance("minor_final", (4, 6)))),
        Round("minor_final", 1),
        Round("final", 1),
    )),
    Progression(6, (25, 36), (
        Round("heat", 6, (Advance("semi", (1, 2)),)),
        Round("semi", 2, (Advance("final", (1, 3)), Advance("minor_final", (4, 6)))),
        Round("minor_final", 1),
        Round("final", 1),
    )),
    # Nine lanes (ICF-sized courses).
    _final_only(9, 2),
    Progression(9, (10, 18), (
        Round("heat", 2, (Advance("final", (1, 3)), Advance("semi", (4, 7)))),
        Round("semi", 1, (Advance("final", (1, 3)),)),
        Round("final", 1),
    )),
    Progression(9, (19, 27), (
        Round("heat", 3, (Advance("final", (1, 1)), Advance("semi", (2, 7)))),
        Round("semi", 2, (Advance("final", (1, 3)),)),
        Round("final", 1),
    )),
)  # fmt: skip
