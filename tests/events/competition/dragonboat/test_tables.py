"""The stored progression tables: coherent, each with its source, and equal to the published formats
they name (races per round, crews advancing by place and by time) for the crew counts those state."""

from collections import Counter

import pytest

from events.competition.dragonboat import tables as t
from events.competition.dragonboat.lanes import lanes_from_centre
from events.competition.dragonboat.progression import Finish, progression_for, progression_run
from events.competition.dragonboat.tables import TABLES
from events.competition.errors import DrawError


def _strength_times(crews):
    """Crew i's time: c1 fastest, then each slower, so the engine's choices are easy to predict."""
    return {f"c{i}": 60_000 + i * 100 for i in range(1, crews + 1)}


def _play(progression, crews, times=None):
    """Run a whole progression: every race drawn so far gets its result, until nothing is left."""
    seeds = [f"c{i}" for i in range(1, crews + 1)]
    times = times or _strength_times(crews)
    finishes: list[Finish] = []
    while True:
        races = progression_run(progression, seeds, finishes)
        done = {f.race for f in finishes}
        todo = [r for r in races if r.code not in done]
        if not todo:
            return races, finishes
        for race in todo:
            finishes += [Finish(race.code, c, times[c]) for c in race.crews]


def _places(races, finishes):
    """(round, crew) -> finishing place in its race of that round."""
    by_race = {}
    for f in finishes:
        by_race.setdefault(f.race, []).append(f)
    out = {}
    for race in races:
        order = sorted(by_race[race.code], key=lambda f: f.time_ms)
        out.update({(race.round, f.crew): place for place, f in enumerate(order, start=1)})
    return out


def _moves(progression, races, finishes):
    """(from round, to round) -> Counter of the places the movers finished in, in the round they came
    through (the last round feeding the target that they raced in)."""
    places = _places(races, finishes)
    feeders: dict[str, list[str]] = {}
    for spec in progression.rounds:
        for adv in spec.advance:
            feeders.setdefault(adv.to, []).append(spec.name)
    order = [spec.name for spec in progression.rounds]
    moves: dict[tuple[str, str], Counter] = {}
    for race in races:
        for crew in race.crews:
            came = [f for f in feeders.get(race.round, []) if (f, crew) in places]
            if came:
                via = max(came, key=order.index)
                moves.setdefault((via, race.round), Counter())[places[(via, crew)]] += 1
    return {key: dict(counter) for key, counter in moves.items()}


def _shape(races):
    """round -> crews in each of its races."""
    out: dict[str, list[int]] = {}
    for race in races:
        out.setdefault(race.round, []).append(len(race.crews))
    return out


@pytest.mark.parametrize("table", TABLES, ids=lambda t: f"{t.lanes}lanes-{t.crews[0]}-{t.crews[1]}")
@pytest.mark.parametrize("end", ["low", "high"])
def test_every_table_runs_to_a_full_final_within_its_lanes(table, end):
    crews = table.crews[0] if end == "low" else table.crews[1]
    races, _finishes = _play(table, crews)
    assert all(2 <= len(r.crews) <= table.lanes for r in races)
    final = next(r for r in races if r.round == "final")
    assert 2 <= len(final.crews) <= table.lanes
    # The fastest crews reach the final.
    assert "c1" in final.crews and "c2" in final.crews


@pytest.mark.parametrize("lanes", [4, 6, 8, 9])
def test_tables_cover_every_count_without_overlap(lanes):
    rows = sorted((t for t in TABLES if t.lanes == lanes), key=lambda t: t.crews)
    covered = [n for t in rows for n in range(t.crews[0], t.crews[1] + 1)]
    assert covered == list(range(2, rows[-1].crews[1] + 1))


@pytest.mark.parametrize("table", TABLES, ids=lambda t: f"{t.lanes}lanes-{t.crews[0]}-{t.crews[1]}")
def test_every_table_names_its_source_and_how_far_it_was_checked(table):
    source = table.source
    assert source.document and source.status in {t.VERIFIED, t.CROSS_CHECKED, t.CORRIDOR}
    if source.status == t.CORRIDOR:
        assert source.citation().startswith("Corridor's table, in the shape of IDBF Members Handbook")
    else:
        assert source.citation().lower().startswith(source.status)
    if source.checked:
        assert source.url.startswith("http")
        assert all(table.crews[0] <= n <= table.crews[1] for n in source.checked)


def test_a_citation_says_what_it_was_checked_against_and_where_to_read_it():
    assert t.ICF_LONDON_2012.citation() == (
        "Verified against ICF, London 2012 Canoe Sprint: Competition Format and Rules & Regulations "
        "(eight lanes) (London 2012, Olympic Competition Format, 9-10 boats) for 9, 10 crews; "
        "http://www.canoeicf.com/icf/London2012/Canoe-Sprint-Section/Competition-Formats-Rules-and-Regulations.html"
    )


# What each published format says, written out from its text (see the Source of each table):
# crews in each race of each round, and where the movers finished in the round they came through.
PUBLISHED = {
    # ICF nine lanes, 10 to 18: two heats; 1st-3rd to the final; 4th-7th and the faster of the two
    # eighth-placed boats to one semi-final; its 1st-3rd fill the final.
    (9, 18): (
        {"heat": [9, 9], "semi": [9], "final": [9]},
        {
            ("heat", "final"): {1: 2, 2: 2, 3: 2},
            ("heat", "semi"): {4: 2, 5: 2, 6: 2, 7: 2, 8: 1},
            ("semi", "final"): {1: 1, 2: 1, 3: 1},
        },
    ),
    (9, 10): (
        {"heat": [5, 5], "semi": [4], "final": [9]},
        {
            ("heat", "final"): {1: 2, 2: 2, 3: 2},
            ("heat", "semi"): {4: 2, 5: 2},
            ("semi", "final"): {1: 1, 2: 1, 3: 1},
        },
    ),
    # ICF London 2012, eight lanes, 9-10 boats: heat winners to the final, the rest to the semi-final,
    # its 1st-6th to the final.
    (8, 9): (
        {"heat": [5, 4], "semi": [7], "final": [8]},
        {
            ("heat", "final"): {1: 2},
            ("heat", "semi"): {2: 2, 3: 2, 4: 2, 5: 1},
            ("semi", "final"): dict.fromkeys(range(1, 7), 1),
        },
    ),
    (8, 10): (
        {"heat": [5, 5], "semi": [8], "final": [8]},
        {
            ("heat", "final"): {1: 2},
            ("heat", "semi"): {2: 2, 3: 2, 4: 2, 5: 2},
            ("semi", "final"): dict.fromkeys(range(1, 7), 1),
        },
    ),
    # Hong Kong 2009, 19 crews, nine lanes: three heats, winners to the final, the rest to two
    # repechages, their 1st-3rd to the final.
    (9, 19): (
        {"heat": [7, 6, 6], "semi": [8, 8], "final": [9]},
        {
            ("heat", "final"): {1: 3},
            ("heat", "semi"): {2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 1},
            ("semi", "final"): {1: 2, 2: 2, 3: 2},
        },
    ),
    # Guangzhou 2012, 18 crews, six lanes: three heats, 1st-4th to two semi-finals, their 1st-3rd to the
    # final (places 1-6) and 4th-6th to the race for places 7-12.
    (6, 18): (
        {"heat": [6, 6, 6], "semi": [6, 6], "minor_final": [6], "final": [6]},
        {
            ("heat", "semi"): {1: 3, 2: 3, 3: 3, 4: 3},
            ("semi", "final"): {1: 2, 2: 2, 3: 2},
            ("semi", "minor_final"): {4: 2, 5: 2, 6: 2},
        },
    ),
    # 中华龙舟大赛 Zhangzhou 2011, 16 crews, four lanes: four heats, winners to the semi-finals, the rest to
    # three repechages, whose winners and the best second place go to the semi-finals.
    (4, 16): (
        {"heat": [4, 4, 4, 4], "repechage": [4, 4, 4], "semi": [4, 4], "minor_final": [4], "final": [4]},
        {
            ("heat", "semi"): {1: 4},
            ("heat", "repechage"): {2: 4, 3: 4, 4: 4},
            ("repechage", "semi"): {1: 3, 2: 1},
            ("semi", "final"): {1: 2, 2: 2},
            ("semi", "minor_final"): {3: 2, 4: 2},
        },
    ),
}


@pytest.mark.parametrize(("lanes", "crews"), sorted(PUBLISHED))
def test_the_tables_equal_the_published_formats(lanes, crews):
    table = progression_for(crews, lanes)
    assert crews in table.source.checked
    races, finishes = _play(table, crews)
    shape, moves = PUBLISHED[(lanes, crews)]
    assert _shape(races) == shape
    assert _moves(table, races, finishes) == moves


def test_four_lanes_eight_crews_go_to_the_finals_on_heat_times_alone():
    """Taiyuan 2025 (大众组): heat times ranked together, 1st-4th to the final, 5th-8th to the minor final."""
    table = progression_for(8, 4)
    assert table.source is t.TAIYUAN_2025
    # Heat 1 holds seeds 1, 4, 5, 8; make heat 1 much faster, so its last crew beats heat 2's winner.
    times = {f"c{i}": 60_000 + i * 100 for i in range(1, 9)}
    times.update({"c1": 50_000, "c4": 50_100, "c5": 50_200, "c8": 50_300})
    races, _finishes = _play(table, 8, times)
    final = next(r for r in races if r.round == "final")
    minor = next(r for r in races if r.round == "minor_final")
    assert set(final.crews) == {"c1", "c4", "c5", "c8"}
    assert set(minor.crews) == {"c2", "c3", "c6", "c7"}
    assert dict(final.lanes)[2] == "c1"  # the fastest heat time in the centre lane


def test_the_nine_lane_semi_final_takes_the_faster_eighth_placed_boat():
    """ICF nine lanes, 10-18: 4th-7th of each heat and the faster of the two eighth-placed boats."""
    table = progression_for(18, 9)
    seeds = [f"c{i}" for i in range(1, 19)]
    heats = progression_run(table, seeds)
    times = {}
    for race, base in zip(heats, (60_000, 50_000), strict=True):  # heat 2 is far faster
        for place, crew in enumerate(sorted(race.crews, key=lambda c: int(c[1:])), start=1):
            times[crew] = base + place * 100
    finishes = [Finish(r.code, c, times[c]) for r in heats for c in r.crews]
    semi = next(r for r in progression_run(table, seeds, finishes) if r.round == "semi")
    ranked = {race.code: sorted(race.crews, key=times.get) for race in heats}
    assert set(semi.crews) == set(ranked["H1"][3:7] + ranked["H2"][3:8])


def test_best_third_places_by_time_never_take_a_faster_fourth():
    """ "1st and 2nd plus the two best 3rd place times" (ICF canoe sprint semi-finals, Rio 2016): a 4th
    from a fast semi-final, faster than a 3rd from a slow one, stays out; officials at Rio sent such a
    4th through by mistake (AP, 2016)."""
    table = t.Progression(8, (24, 24), (
        t.Round("heat", 3, (t.Advance("semi", (1, 8)),)),
        t.Round("semi", 3, (t.Advance("final", (1, 2), fastest=2, fastest_place=3),)),
        t.Round("final", 1),
    ), t.CORRIDOR_OWN)  # fmt: skip
    seeds = [f"c{i}" for i in range(1, 25)]
    finishes = [Finish(r.code, c, 60_000) for r in progression_run(table, seeds) for c in r.crews]
    semis = [r for r in progression_run(table, seeds, finishes) if r.round == "semi"]
    times = {}
    for race, base in zip(semis, (50_000, 60_000, 70_000), strict=True):  # SF1 fast, SF3 slow
        for place, crew in enumerate(race.crews, start=1):
            times[crew] = base + place * 100
    finishes += [Finish(r.code, c, times[c]) for r in semis for c in r.crews]
    final = next(r for r in progression_run(table, seeds, finishes) if r.round == "final")
    third = [r.crews[2] for r in semis]
    fourth_sf1 = semis[0].crews[3]
    assert times[fourth_sf1] < times[third[2]]  # SF1's 4th beat SF3's 3rd on time...
    assert fourth_sf1 not in final.crews  # ...and still stays out
    assert set(final.crews) == {c for r in semis for c in r.crews[:2]} | {third[0], third[1]}


def test_lanes_fill_from_the_centre_as_the_published_allocations_do():
    # Nine lanes (ICF; Hong Kong 2009 final), eight lanes (Hong Kong 2009 repechages: the race's
    # ranks 1..8 in lanes 4, 5, 3, 6, 2, 7, 1, 8).
    assert lanes_from_centre(9) == [5, 4, 6, 3, 7, 2, 8, 1, 9]
    assert lanes_from_centre(8) == [4, 5, 3, 6, 2, 7, 1, 8]


def test_the_final_puts_heat_winners_in_the_centre_then_the_repechage_places_outwards():
    """Hong Kong 2009, 19 crews: the three heat winners by time in lanes 5, 4, 6; the repechages'
    winners in 3 and 7, their seconds in 2 and 8, their thirds in 1 and 9."""
    table = progression_for(19, 9)
    races, finishes = _play(table, 19)
    places = _places(races, finishes)
    final = dict(next(r for r in races if r.round == "final").lanes)
    times = _strength_times(19)
    winners = sorted((c for (rnd, c), p in places.items() if rnd == "heat" and p == 1), key=times.get)
    assert [final[5], final[4], final[6]] == winners
    for lanes, place in (((3, 7), 1), ((2, 8), 2), ((1, 9), 3)):
        assert {places[("semi", final[lane])] for lane in lanes} == {place}


def test_more_crews_than_any_table_says_how_to_fix_it():
    with pytest.raises(DrawError) as error:
        progression_for(40, 6)
    assert error.value.code == "no_table"
    assert error.value.message_in("en") == (
        "no progression table for 40 crews on 6 lanes; split the event into two categories or add a table for it"
    )
