"""Dragon-boat racing in the database: every race of the progression drawn from the data tables, later
lanes holding placeholders until the engine can fill them, results validated (faster than half the
course record refused), and a corrected heat carried through to the final."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from events.competition.dragonboat.lanes import lanes_from_centre
from events.competition.errors import DrawError, ResultError
from events.enums import LaneStatus, MatchStatus
from events.models import Lane, ResultChange
from events.selectors.results import event_classification, races_view, source_label
from events.services.races import race_result_record, races_generate
from tests.factories import UserFactory
from tests.factories.competition import DragonBoatEventFactory, entrants

pytestmark = pytest.mark.django_db

RECORD = 120_000  # a two-minute course record


def _race(stage, code):
    return stage.matches.get(code=code)


def _times(match, *, order=None, base=130_000):
    """Finish every crew of a race, in `order` of seeds (default: the better seed faster)."""
    lanes = list(match.lanes.select_related("competitor"))
    ranked = sorted(lanes, key=lambda ln: ln.competitor.seed)
    if order:
        ranked = [next(ln for ln in lanes if ln.competitor.seed == s) for s in order]
    return {ln.lane: (base + 1000 * i, LaneStatus.FINISHED) for i, ln in enumerate(ranked)}


def _draw(crews=10, lanes=6):
    event = DragonBoatEventFactory()
    teams = entrants(event, crews, kind="crew")
    return event, teams, races_generate(event=event, lanes=lanes, course_record_ms=RECORD)


def test_ten_crews_on_six_lanes_race_heats_repechages_and_a_final_from_the_table():
    _event, _teams, stage = _draw()
    assert [m.code for m in stage.matches.order_by("sequence")] == ["H1", "H2", "R1", "R2", "FA"]
    h1 = _race(stage, "H1")
    # Serpentine: heat 1 has seeds 1, 4, 5, 8, 9; seed 1 in the centre lane.
    seeds = {ln.lane: ln.competitor.seed for ln in h1.lanes.select_related("competitor")}
    assert sorted(seeds.values()) == [1, 4, 5, 8, 9]
    assert seeds[lanes_from_centre(6)[0]] == 1
    final = _race(stage, "FA")
    sources = [ln.source for ln in final.lanes.order_by("lane")]
    assert all(ln.competitor_id is None for ln in final.lanes.all())
    assert set(sources) == {"rank:heat:1:1", "rank:heat:1:2", "rank:repechage:1:1", "rank:repechage:1:2",
                            "rank:repechage:2:1", "rank:repechage:2:2"}  # fmt: skip
    with override("en"):
        assert source_label("rank:heat:1:2") == "2nd fastest of the crews placed 1st in the heats"


def test_heats_fill_the_repechages_and_the_repechages_the_final():
    event, _teams, stage = _draw()
    user = UserFactory()
    race_result_record(match=_race(stage, "H1"), finishes=_times(_race(stage, "H1")), user=user)
    assert all(ln.competitor_id is None for ln in _race(stage, "R1").lanes.all())
    race_result_record(match=_race(stage, "H2"), finishes=_times(_race(stage, "H2"), base=129_000), user=user)
    r1, r2 = _race(stage, "R1"), _race(stage, "R2")
    assert all(ln.competitor_id for ln in r1.lanes.all()) and all(ln.competitor_id for ln in r2.lanes.all())
    final = _race(stage, "FA")
    filled = {ln.competitor.seed for ln in final.lanes.select_related("competitor") if ln.competitor_id}
    # The final's lanes follow the ranking of every crew that reaches it: they wait for the repechages.
    assert filled == set()
    race_result_record(match=r1, finishes=_times(r1), user=user)
    race_result_record(match=r2, finishes=_times(r2), user=user)
    final.refresh_from_db()
    assert all(ln.competitor_id for ln in final.lanes.all())
    race_result_record(match=final, finishes=_times(final), user=user)
    places = [(p, c.seed) for p, c in event_classification(event=event)]
    assert [p for p, _s in places] == [1, 2, 3, 4, 5, 6]
    assert places[0][1] == 1


def test_a_time_faster_than_half_the_course_record_is_refused_in_both_languages():
    _event, _teams, stage = _draw()
    heat = _race(stage, "H1")
    finishes = _times(heat)
    lane = next(iter(finishes))
    finishes[lane] = (59_000, LaneStatus.FINISHED)
    with pytest.raises(ResultError) as refused:
        race_result_record(match=heat, finishes=finishes, user=UserFactory())
    assert refused.value.message_in("en") == (
        "59.00 s is faster than half the course record (120.00 s); check the time: a digit may be missing"
    )
    assert "赛道纪录" in refused.value.message_in("zh-hans")
    heat.refresh_from_db()
    assert heat.status == MatchStatus.SCHEDULED
    assert not Lane.objects.filter(match=heat, time_ms__isnull=False).exists()


def test_a_finished_crew_needs_a_time_and_every_lane_a_result():
    _event, _teams, stage = _draw()
    heat = _race(stage, "H1")
    finishes = _times(heat)
    lane = next(iter(finishes))
    with pytest.raises(ResultError) as refused:
        race_result_record(match=heat, finishes={**finishes, lane: (None, LaneStatus.FINISHED)}, user=None)
    assert refused.value.code == "no_time"
    del finishes[lane]
    with pytest.raises(ResultError) as refused:
        race_result_record(match=heat, finishes=finishes, user=None)
    assert refused.value.code == "missing"


def _seeds_in(race):
    race.refresh_from_db()
    return {ln.competitor.seed for ln in race.lanes.select_related("competitor") if ln.competitor_id}


def test_a_corrected_heat_flows_through_the_repechage_and_final():
    _event, _teams, stage = _draw()
    user, judge = UserFactory(), UserFactory()
    h1, h2 = _race(stage, "H1"), _race(stage, "H2")
    race_result_record(match=h1, finishes=_times(h1), user=user)
    race_result_record(match=h2, finishes=_times(h2, base=129_000), user=user)
    r1, r2, final = _race(stage, "R1"), _race(stage, "R2"), _race(stage, "FA")
    race_result_record(match=r1, finishes=_times(r1), user=user)
    race_result_record(match=r2, finishes=_times(r2), user=user)
    assert {1, 2} <= _seeds_in(final)
    repechage_of_4 = r1 if 4 in _seeds_in(r1) else r2
    # The photo finish shows seed 4 won heat 1, not seed 1: seed 1 goes to the repechage instead.
    race_result_record(match=h1, finishes=_times(h1, order=[4, 1, 5, 8, 9]), user=judge)
    assert 1 in _seeds_in(r1) | _seeds_in(r2)
    assert repechage_of_4.status == MatchStatus.SCHEDULED
    assert not repechage_of_4.lanes.filter(time_ms__isnull=False).exists()
    cleared = ResultChange.objects.filter(match=repechage_of_4).order_by("pk").last()
    assert cleared.changed_by == judge and cleared.before["status"] == "done"
    # The final waits for the repechages again, then takes seed 4 as a heat winner.
    assert _seeds_in(final) == set()
    for race in (r1, r2):
        race.refresh_from_db()
        if race.status != MatchStatus.DONE:
            race_result_record(match=race, finishes=_times(race), user=user)
    assert 4 in _seeds_in(final)


def test_a_race_with_unknown_crews_cannot_have_a_result():
    _event, _teams, stage = _draw()
    with pytest.raises(ResultError) as refused:
        race_result_record(match=_race(stage, "FA"), finishes={}, user=None)
    assert refused.value.code == "not_ready"


def test_too_few_crews_or_no_table_says_what_would_fix_it():
    event = DragonBoatEventFactory()
    entrants(event, 1, kind="crew")
    with pytest.raises(DrawError) as refused:
        races_generate(event=event, lanes=6)
    assert refused.value.message_in("en").startswith("too few entries: 1 crews")
    entrants(event, 40, kind="crew")
    with pytest.raises(DrawError) as refused:
        races_generate(event=event, lanes=6)
    assert refused.value.message_in("en") == (
        "no progression table for 41 crews on 6 lanes; split the event into two categories or add a table for it"
    )


def test_races_view_lists_placeholders_and_times():
    _event, _teams, stage = _draw(crews=5, lanes=6)
    [final] = races_view(stage=stage)
    assert final.match.code == "FA" and len(final.lanes) == 5
    race_result_record(match=final.match, finishes=_times(final.match), user=None)
    [final] = races_view(stage=stage)
    assert sorted(ln.time_text for ln in final.lanes)[0] == "130.00"


def test_the_draw_names_its_source_on_the_stage():
    _event, _teams, stage = _draw()
    assert stage.settings["source"].startswith("Corridor's table, in the shape of IDBF Members Handbook")
    event = DragonBoatEventFactory()
    entrants(event, 18, kind="crew")
    stage = races_generate(event=event, lanes=9)
    assert stage.settings["source"].startswith("Cross-checked against NBC Olympics")


def test_the_faster_eighth_placed_crew_holds_the_last_semi_final_lane_until_the_heats_are_raced():
    event = DragonBoatEventFactory()
    entrants(event, 18, kind="crew")
    stage = races_generate(event=event, lanes=9, course_record_ms=RECORD)
    assert [m.code for m in stage.matches.order_by("sequence")] == ["H1", "H2", "SF", "FA"]
    semi = _race(stage, "SF")
    sources = [ln.source for ln in semi.lanes.order_by("lane")]
    assert len(sources) == 9 and "rank:heat:8:1" in sources
    with override("en"):
        assert source_label("rank:heat:8:1") == "1st fastest of the crews placed 8th in the heats"
    # Heat 2 is far faster: its 8th goes through; heat 1's 8th, slower, is out.
    h1, h2 = _race(stage, "H1"), _race(stage, "H2")
    race_result_record(match=h1, finishes=_times(h1, base=140_000), user=None)
    race_result_record(match=h2, finishes=_times(h2, base=125_000), user=None)
    eighth = {
        m.code: sorted(m.lanes.select_related("competitor"), key=lambda ln: ln.place)[7] for m in (h1, h2)
    }
    crews = {ln.competitor_id for ln in semi.lanes.all()}
    assert eighth["H2"].competitor_id in crews and eighth["H1"].competitor_id not in crews


def test_the_best_second_place_of_the_repechages_reaches_the_semi_finals():
    """Four lanes, 16 crews (中华龙舟大赛 2011): heat winners and repechage winners plus the best 2nd."""
    event = DragonBoatEventFactory()
    entrants(event, 16, kind="crew")
    stage = races_generate(event=event, lanes=4, course_record_ms=RECORD)
    codes = [m.code for m in stage.matches.order_by("sequence")]
    assert codes == ["H1", "H2", "H3", "H4", "R1", "R2", "R3", "SF1", "SF2", "FB", "FA"]
    semi_sources = {ln.source for code in ("SF1", "SF2") for ln in _race(stage, code).lanes.all()}
    assert {"rank:repechage:1:3", "rank:repechage:2:1"} <= semi_sources
    for code in ("H1", "H2", "H3", "H4"):
        race_result_record(match=_race(stage, code), finishes=_times(_race(stage, code)), user=None)
    reps = [_race(stage, code) for code in ("R1", "R2", "R3")]
    for race, base in zip(reps, (130_000, 131_000, 125_000), strict=True):
        race_result_record(match=race, finishes=_times(race, base=base), user=None)
    second = {
        r.code: next(ln for ln in r.lanes.select_related("competitor") if ln.place == 2).competitor_id
        for r in reps
    }
    in_semis = {ln.competitor_id for code in ("SF1", "SF2") for ln in _race(stage, code).lanes.all()}
    assert second["R3"] in in_semis  # the fastest of the three seconds
    assert second["R1"] not in in_semis and second["R2"] not in in_semis
    assert len(in_semis) == 8
