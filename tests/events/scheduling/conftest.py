"""Small schedule problems built by hand: two venues in two cities, a handful of matches."""

from __future__ import annotations

import pytest

from events.scheduling import Competitor, Match, Problem, Resource, TravelMatrix

DAY = 1440


def hours(day: int, start: float, end: float) -> tuple[int, int]:
    return (day * DAY + int(start * 60), day * DAY + int(end * 60))


def at(day: int, hour: float) -> int:
    return day * DAY + int(hour * 60)


@pytest.fixture
def venues() -> tuple[Resource, ...]:
    windows = (hours(0, 8, 20), hours(1, 8, 20))
    return (
        Resource("piste-1", "fencing-hall", "shanghai", windows, "Piste 1"),
        Resource("piste-2", "fencing-hall", "shanghai", windows, "Piste 2"),
        Resource("court-1", "arena", "nanjing", windows, "Court 1"),
    )


def team(key: str, *people: str) -> Competitor:
    return Competitor(key, frozenset(people or (f"{key}-1", f"{key}-2")))


def make_problem(matches, resources, **kwargs) -> Problem:
    kwargs.setdefault("travel", TravelMatrix(cities={("shanghai", "nanjing"): 150}))
    return Problem(matches=tuple(matches), resources=tuple(resources), **kwargs)


def bout(match_id: str, *competitors: Competitor, duration: int = 60, **kwargs) -> Match:
    return Match(match_id, duration, tuple(competitors), **kwargs)
