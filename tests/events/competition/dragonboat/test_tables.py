"""Every stored progression table is coherent: races fit the lanes, every crew goes somewhere."""

import pytest

from events.competition.dragonboat.progression import Finish, progression_for, progression_run
from events.competition.dragonboat.tables import TABLES
from events.competition.errors import DrawError


def _play(progression, crews):
    """Run a whole progression with crew i finishing in i's order of strength (c1 fastest)."""
    seeds = [f"c{i}" for i in range(1, crews + 1)]
    finishes: list[Finish] = []
    while True:
        races = progression_run(progression, seeds, finishes)
        done = {f.race for f in finishes}
        todo = [r for r in races if r.code not in done]
        if not todo:
            return races, finishes
        for race in todo:
            finishes += [Finish(race.code, c, 60_000 + int(c[1:]) * 100) for c in race.crews]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: f"{t.lanes}lanes-{t.crews[0]}-{t.crews[1]}")
@pytest.mark.parametrize("end", ["low", "high"])
def test_every_table_runs_to_a_full_final_within_its_lanes(table, end):
    crews = table.crews[0] if end == "low" else table.crews[1]
    races, _finishes = _play(table, crews)
    assert all(len(r.crews) <= table.lanes for r in races)
    final = next(r for r in races if r.round == "final")
    assert 2 <= len(final.crews) <= table.lanes
    # The fastest crews reach the final.
    assert "c1" in final.crews and "c2" in final.crews


@pytest.mark.parametrize("lanes", [4, 6, 9])
def test_tables_cover_every_count_without_overlap(lanes):
    rows = sorted((t for t in TABLES if t.lanes == lanes), key=lambda t: t.crews)
    covered = [n for t in rows for n in range(t.crews[0], t.crews[1] + 1)]
    assert covered == list(range(2, rows[-1].crews[1] + 1))


def test_more_crews_than_any_table_says_how_to_fix_it():
    with pytest.raises(DrawError) as error:
        progression_for(40, 6)
    assert error.value.code == "no_table"
    assert error.value.message_in("en") == (
        "no progression table for 40 crews on 6 lanes; split the event into two categories or add a table for it"
    )
