"""Schedules in the database: the problem built from the rows, the draft, moves checked at once,
numbered immutable versions, diffs, notices to only those affected, delays and contingency plans."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation

from events import hooks
from events import scheduling as sched
from events.enums import MatchStatus, ScheduleVersionReason, SolveBuilder, SolveJobState
from events.errors import ScheduleError
from events.models import AgeBandLimit, Match, Placement, ScheduleVersion, TravelTime
from events.selectors.schedule import versions_diff
from events.selectors.schedule_world import schedule_grid, schedule_world
from events.services import schedule as services
from events.services import schedule_solve
from tests.factories.competition import CompetitorFactory, FencingEventFactory
from tests.factories.events import SessionFactory
from tests.factories.schedule import drawn_event, local, pistes

pytestmark = pytest.mark.django_db


def _placed(event) -> dict[int, Placement]:
    return {p.match_id: p for p in Placement.objects.filter(match__stage__event=event)}


def test_greedy_places_every_pool_bout_inside_the_session_with_no_fencer_twice_at_once():
    event = drawn_event(count=10, piste_count=2)
    result = services.schedule_build_greedy(programme=event.programme)
    placements = _placed(event)
    bouts = Match.objects.filter(stage__event=event)
    assert result.unplaced == [] and len(placements) == bouts.count() == 20
    opening, closing = local(event.start_date, 9), local(event.start_date, 18)
    assert all(opening <= p.starts_at and p.ends_at <= closing for p in placements.values())
    busy: dict[int, list[tuple]] = {}
    for bout in bouts.select_related("left", "right"):
        for side in (bout.left, bout.right):
            busy.setdefault(side.pk, []).append((placements[bout.pk].starts_at, placements[bout.pk].ends_at))
    for spans in busy.values():
        spans.sort()
        assert all(first[1] <= second[0] for first, second in itertools.pairwise(spans))


def test_the_problem_sees_one_athlete_across_two_events_by_person_key():
    event = drawn_event(count=6, piste_count=1)
    other = FencingEventFactory(programme=event.programme, venue=event.venue, host_city=event.host_city)
    shared = event.competitors.first()
    CompetitorFactory(event=other, key="other", person_keys=shared.person_keys)
    world = schedule_world(event.programme)
    people = [m.people for m in world.problem.matches]
    assert sum(1 for found in people if shared.person_keys[0] in found) == 5  # pool of 6: five bouts each
    assert world.problem.min_rest == 10 and world.problem.resources[0].windows


def test_a_child_is_named_in_a_clash_by_their_own_name_not_their_teams():
    """A fencer who also plays in a team is named as themself wherever the builder finds them; a team
    member known only by their team (no names synced) keeps the team's name."""
    from events.services.games import games_generate
    from tests.factories.competition import BasketballEventFactory, entrants

    event = drawn_event(count=6, piste_count=1)
    fencer = event.competitors.first()
    camp = BasketballEventFactory(programme=event.programme, venue=event.venue, host_city=event.host_city)
    first, second = entrants(camp, 2)
    first.person_keys = [*fencer.person_keys, "p-teammate"]
    first.members = {fencer.person_keys[0]: "李华 (LI Hua)", "p-teammate": "王强 (WANG Qiang)"}
    first.save(update_fields=["person_keys", "members"])
    second.person_keys = ["p-unnamed"]  # a team whose members registration has not named
    second.save(update_fields=["person_keys"])
    games_generate(event=camp, rules="fiba", places=2)

    world = schedule_world(event.programme)
    names = world.names
    assert names[fencer.person_keys[0]] in ("李华 (LI Hua)", fencer.display_name)  # never the team's
    assert names["p-teammate"] == "王强 (WANG Qiang)"
    assert names["p-unnamed"] == second.display_name
    assert names[str(first.pk)] == first.display_name
    clashes = [
        sched.Violation(sched.Rule.ATHLETE_OVERLAP, people=(who,), params={"who": who})
        for who in ("p-teammate", "p-unnamed")
    ]
    with translation.override("en"):
        assert [v.reason for v in world.readable(clashes)] == [
            "王强 (WANG Qiang) would be in two matches at once.",
            f"{second.display_name} would be in two matches at once.",
        ]


def test_a_move_onto_a_fencer_already_fencing_is_refused_with_the_reason_and_changes_nothing():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    first = Match.objects.filter(stage__event=event).order_by("sequence").first()
    clash = Match.objects.filter(stage__event=event).exclude(pk=first.pk).filter(left=first.left).first()
    target = _placed(event)[first.pk]
    before = _placed(event)[clash.pk]
    other_piste = next(r for r in event.venue.resources.filter(kind="piste") if r.pk != target.resource_id)
    with pytest.raises(ScheduleError) as refused, translation.override("en"):
        services.placement_move(
            programme=event.programme, match=clash, resource=other_piste, starts_at=target.starts_at
        )
    assert "athlete_overlap" in refused.value.codes
    assert f"{first.left.display_name} would be in two matches at once." in refused.value.reasons
    assert _placed(event)[clash.pk].starts_at == before.starts_at


def test_a_move_outside_the_opening_hours_is_refused_and_a_free_one_is_saved_and_pinned():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    piste = event.venue.resources.filter(kind="piste").first()
    with pytest.raises(ScheduleError) as refused:
        services.placement_move(
            programme=event.programme, match=bout, resource=piste, starts_at=local(event.start_date, 20)
        )
    assert refused.value.codes == ["venue_hours"]
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=piste,
        starts_at=local(event.start_date, 17, 30),
        pin=True,
    )
    moved = Placement.objects.get(match=bout)
    assert moved.starts_at == local(event.start_date, 17, 30) and moved.pinned
    # A new solve keeps the pinned bout where the organiser put it.
    services.schedule_build_greedy(programme=event.programme)
    assert Placement.objects.get(match=bout).starts_at == local(event.start_date, 17, 30)


def test_children_limits_and_travel_come_from_the_organisers_rows():
    event = drawn_event(count=6, piste_count=2)
    AgeBandLimit.objects.create(
        programme=event.programme, band="U12", max_matches_per_day=4, earliest_start=dt.time(9, 30)
    )
    TravelTime.objects.create(
        programme=event.programme, from_city=event.host_city, to_city=event.host_city, minutes=5
    )
    world = schedule_world(event.programme)
    limit = world.problem.age_limits["U12"]
    assert (limit.max_matches_per_day, limit.earliest_start) == (4, 570)
    assert world.problem.travel.cities == {(str(event.host_city_id), str(event.host_city_id)): 5}
    result = services.schedule_build_greedy(programme=event.programme)
    # Pool of 6, five bouts each, at most four a day: the builder names the rule rather than cheat.
    assert result.unplaced and all(
        p.starts_at.astimezone(local(event.start_date, 0).tzinfo).time() >= dt.time(9, 30)
        for p in _placed(event).values()
    )


def test_publish_numbers_versions_and_shows_the_draft_on_the_matches():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    first = services.schedule_publish(programme=event.programme, note="first")
    second = services.schedule_publish(programme=event.programme)
    assert (first.number, second.number) == (1, 2)
    assert len(first.placements) == 15 and first.notified == 0
    bout = Match.objects.filter(stage__event=event).first()
    assert (bout.resource_id, bout.starts_at) == (bout.placement.resource_id, bout.placement.starts_at)


def test_a_published_version_cannot_be_changed():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    version = services.schedule_publish(programme=event.programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleVersion.objects.filter(pk=version.pk).update(note="rewritten")
    version.refresh_from_db()
    assert version.note == "" and len(version.placements) == 15


def test_publishing_a_draft_with_unplaced_matches_is_refused():
    event = drawn_event(count=6, piste_count=1, hours=(9, 10))
    services.schedule_build_greedy(programme=event.programme)
    with pytest.raises(ScheduleError) as refused:
        services.schedule_publish(programme=event.programme)
    assert "unplaced" in refused.value.codes
    assert not ScheduleVersion.objects.exists()


def test_diff_lists_only_the_moved_match_with_both_places():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    older = services.schedule_publish(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=bout.placement.resource,
        starts_at=local(event.start_date, 17),
    )
    newer = services.schedule_publish(programme=event.programme)
    rows = versions_diff(older, newer)
    assert [row.match.pk for row in rows] == [bout.pk]
    assert rows[0].after[1] == local(event.start_date, 17) and rows[0].before[1] != rows[0].after[1]


def test_publish_tells_the_schedule_moved_hook_which_matches_moved(monkeypatch):
    heard: list[tuple] = []
    monkeypatch.setattr(hooks, "_schedule_moved", [lambda **kw: heard.append(kw["matches"])])
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    assert len(heard) == 1 and len(heard[0]) == 15  # the first version gives every bout its time
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=bout.placement.resource,
        starts_at=local(event.start_date, 17),
    )
    services.schedule_publish(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    assert heard[1:] == [(bout.pk,)]  # only the moved bout; an unchanged version calls nobody


def test_grid_puts_each_placed_match_in_its_row_and_column():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    grid = schedule_grid(schedule_world(event.programme))
    chips = [chip for row in grid.rows for cell in row.cells for chip in cell]
    assert grid.day == event.start_date and len(chips) == 15 and grid.unplaced == []
    assert grid.rows[0].time == local(event.start_date, 9)


def test_solve_job_runs_cpsat_reports_progress_and_stores_the_draft(django_capture_on_commit_callbacks):
    event = drawn_event(count=6, piste_count=2)
    greedy = sched.build_greedy(schedule_world(event.programme).problem).objective
    with django_capture_on_commit_callbacks(execute=True):
        job = schedule_solve.solve_job_create(
            programme=event.programme, user=None, builder=SolveBuilder.CPSAT, time_limit=2
        )
    job.refresh_from_db()
    assert job.state == SolveJobState.DONE and job.placed == job.total == 15
    # Never worse than the greedy warm start; the bound, when proven in the time, is below it.
    assert job.objective <= greedy and job.objective >= (job.bound or 0) and job.progress
    assert len(_placed(event)) == 15
    status = schedule_solve.solve_job_status(job)
    assert status["percent"] == 100 and status["objective"] == job.objective


def test_solve_job_refuses_a_silly_time_limit():
    event = drawn_event(count=6, piste_count=2)
    with pytest.raises(ScheduleError):
        schedule_solve.solve_job_create(programme=event.programme, user=None, builder="cpsat", time_limit=0)


def test_delay_moves_only_what_had_not_started_and_keeps_the_rest():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    before = {k: v.starts_at for k, v in _placed(event).items()}
    now = local(event.start_date, 9, 20)
    diff = schedule_solve.schedule_delay(programme=event.programme, now=now, delay_minutes=60, time_limit=2)
    after = {k: v.starts_at for k, v in _placed(event).items()}
    assert len(after) == 15 and diff.moved
    assert all(after[k] == start for k, start in before.items() if start < now)
    assert all(start >= local(event.start_date, 10, 20) for k, start in after.items() if before[k] >= now)


def test_contingency_switch_publishes_a_new_version_in_one_step():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    services.schedule_publish(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).order_by("-sequence").first()
    services.placement_move(
        programme=event.programme,
        match=bout,
        resource=bout.placement.resource,
        starts_at=local(event.start_date, 17),
    )
    plan = schedule_solve.contingency_plan_create(
        programme=event.programme, name_zh="雨天方案", name_en="Wet weather"
    )
    services.schedule_build_greedy(programme=event.programme)  # the draft moves on after the plan was saved
    version = schedule_solve.contingency_switch(plan=plan)
    plan.refresh_from_db()
    bout.refresh_from_db()
    assert version.number == 2 and version.reason == ScheduleVersionReason.CONTINGENCY
    assert plan.switched_to == version and bout.starts_at == local(event.start_date, 17)


def test_a_played_match_cannot_be_moved():
    event = drawn_event(count=6, piste_count=2)
    services.schedule_build_greedy(programme=event.programme)
    bout = Match.objects.filter(stage__event=event).first()
    Match.objects.filter(pk=bout.pk).update(status=MatchStatus.RUNNING)
    with pytest.raises(ScheduleError):
        services.placement_move(
            programme=event.programme,
            match=bout,
            resource=bout.placement.resource,
            starts_at=local(event.start_date, 17),
        )


def test_sessions_elsewhere_do_not_open_this_venue():
    event = drawn_event(count=6, piste_count=1)
    elsewhere = SessionFactory(event=FencingEventFactory(programme=event.programme))
    pistes(elsewhere.venue, 1)
    world = schedule_world(event.programme)
    mine = {str(r.pk) for r in event.venue.resources.filter(kind="piste")}
    assert all(m.resources == frozenset(mine) for m in world.problem.matches)
    assert mail.outbox == []
