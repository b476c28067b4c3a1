"""The standard team instance of issue 11's benchmark, seeded so anyone can rebuild it.

64 teams in 16 groups of 4 (single round robin, 96 games), 8 identical courts, 2 days of 10 slots
of 75 minutes, each team at most one game per slot and never in two consecutive slots of a day, at
most 2 games a day; 40 random pairs of teams from different groups share an athlete, so those two
teams never play in the same or adjacent slots of a day. Objective: the sum of slot indices 0–19.
"""

from __future__ import annotations

import random

from events.scheduling.problem import Competitor, Match, Problem, Resource

SLOT_MINUTES = 75
FIRST_SLOT = 8 * 60  # 08:00
# Berger table for 4 (FIDE handbook C.05 annex): rounds of (home, away) seat numbers.
BERGER_4 = (((1, 4), (2, 3)), ((4, 3), (1, 2)), ((2, 4), (3, 1)))


def standard_instance(
    *,
    seed: int = 11,
    groups: int = 16,
    courts: int = 8,
    days: int = 2,
    slots_per_day: int = 10,
    shared_pairs: int = 40,
    athletes_per_team: int = 8,
) -> Problem:
    rng = random.Random(seed)  # noqa: S311  a reproducible instance, not a secret
    teams = [f"T{index + 1:02d}" for index in range(groups * 4)]
    people = {team: {f"{team}-{n + 1}" for n in range(athletes_per_team)} for team in teams}
    group_of = {team: index // 4 for index, team in enumerate(teams)}
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < shared_pairs:
        a, b = sorted(rng.sample(teams, 2))
        if group_of[a] != group_of[b]:
            pairs.add((a, b))
    for number, (a, b) in enumerate(sorted(pairs)):
        shared = f"X{number + 1:02d}"  # one athlete on both rosters
        people[a].add(shared)
        people[b].add(shared)
    competitors = {team: Competitor(team, frozenset(people[team])) for team in teams}
    matches = []
    for round_number, pairings in enumerate(BERGER_4):
        for group in range(groups):
            seats = teams[group * 4 : group * 4 + 4]
            for home, away in pairings:
                matches.append(
                    Match(
                        id=f"G{group + 1:02d}R{round_number + 1}-{seats[home - 1]}-{seats[away - 1]}",
                        duration=SLOT_MINUTES,
                        competitors=(competitors[seats[home - 1]], competitors[seats[away - 1]]),
                        event="basketball",
                    )
                )
    slot_starts = tuple(
        day * 1440 + FIRST_SLOT + SLOT_MINUTES * slot for day in range(days) for slot in range(slots_per_day)
    )
    windows = tuple(
        (day * 1440 + FIRST_SLOT, day * 1440 + FIRST_SLOT + SLOT_MINUTES * slots_per_day)
        for day in range(days)
    )
    resources = tuple(
        Resource(id=f"court-{n + 1}", venue="arena", city="shanghai", windows=windows, label=f"Court {n + 1}")
        for n in range(courts)
    )
    return Problem(
        matches=tuple(matches),
        resources=resources,
        slot_starts=slot_starts,
        min_rest=60,  # a game ends when the next slot starts: 60 minutes rules out the next slot only
        max_matches_per_day=2,
    )
