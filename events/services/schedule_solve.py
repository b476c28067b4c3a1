"""Solving in the background, rescheduling after a delay, and contingency plans.

`solve_job_create` records a `SolveJob` and queues the `events.schedule_solve` task after commit (by
name: tasks are leaves); the task calls `solve_job_run`, which runs the CP-SAT builder warm-started
from the greedy answer. The solver reports from its own thread, so progress (objective, bound,
elapsed) goes to the cache, which the polling page reads; the row gets the final figures and the
answer becomes the draft. Locks: the job row is only updated by its own run; the draft is written
through `placements_apply` (programme row locked).
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import scheduling as sched
from events.enums import ScheduleVersionReason, SolveBuilder, SolveJobState
from events.errors import ScheduleError
from events.jobs import job_queue_after_commit
from events.models import (
    ContingencyPlacement,
    ContingencyPlan,
    Placement,
    Programme,
    ScheduleVersion,
    SolveJob,
)
from events.services.schedule import placements_apply, schedule_lock, schedule_publish, schedule_world

SOLVE_TASK = "events.schedule_solve"
PROGRESS_TTL = 3600


def _progress_key(job_id: int) -> str:
    return f"events:solve-progress:{job_id}"


def solve_job_create(*, programme: Programme, user, builder: str, time_limit: int = 10) -> SolveJob:
    """Record a solve and queue it after commit; the organiser's page polls `solve_job_status`."""
    if builder not in SolveBuilder.values:
        raise ScheduleError(_("Choose a builder."))
    if not 1 <= time_limit <= 120:
        raise ScheduleError(_("The time limit must be between 1 and 120 seconds."))
    with transaction.atomic():
        job = SolveJob.objects.create(
            programme=programme,
            requested_by=user if user is not None and user.is_authenticated else None,
            builder=builder,
            time_limit=time_limit,
        )
        job_queue_after_commit(SOLVE_TASK, job.pk)
    return job


def solve_job_status(job: SolveJob) -> dict:
    """What the page shows: state, percent of the time used, the objective and bound so far."""
    live = cache.get(_progress_key(job.pk)) if job.state == SolveJobState.RUNNING else None
    objective, bound, elapsed, placed = job.objective, job.bound, job.elapsed, job.placed
    if live:
        objective, bound, elapsed, placed = live["objective"], live["bound"], live["elapsed"], live["placed"]
    percent = (
        100
        if job.state in (SolveJobState.DONE, SolveJobState.FAILED)
        else min(99, int(elapsed * 100 / job.time_limit))
    )
    return {
        "state": job.state,
        "state_label": str(SolveJobState(job.state).label),
        "objective": objective,
        "bound": bound,
        "elapsed": round(elapsed, 1),
        "placed": placed,
        "total": job.total,
        "percent": percent,
        "error": job.error,
    }


def solve_job_run(*, job_id: int) -> SolveJob:
    """Solve the job's programme and store the answer as the draft; progress goes to the cache."""
    job = SolveJob.objects.select_related("programme").get(pk=job_id)
    if job.state != SolveJobState.PENDING:
        return job  # a re-delivered task does not solve twice
    world = schedule_world(job.programme)
    SolveJob.objects.filter(pk=job.pk).update(state=SolveJobState.RUNNING, total=len(world.problem.matches))
    job.state = SolveJobState.RUNNING
    history: list[dict] = []

    def report(progress: sched.Progress) -> None:
        point = {
            "objective": progress.objective,
            "bound": progress.bound,
            "elapsed": round(progress.elapsed, 2),
            "placed": progress.placed,
        }
        history.append(point)
        cache.set(_progress_key(job.pk), point, PROGRESS_TTL)

    try:
        greedy = sched.build_greedy(world.problem)
        report(sched.Progress(greedy.objective, None, greedy.elapsed, greedy.placed))
        if job.builder == SolveBuilder.CPSAT and world.problem.matches:
            result = sched.build_cpsat(
                world.problem, time_limit=job.time_limit, workers=2, warm_start=greedy, on_progress=report
            )
        else:
            result = greedy
        placements_apply(programme=job.programme, placements=result.placements)
    except Exception as error:
        SolveJob.objects.filter(pk=job.pk).update(
            state=SolveJobState.FAILED, error=type(error).__name__, finished_at=timezone.now()
        )
        raise
    SolveJob.objects.filter(pk=job.pk).update(
        state=SolveJobState.DONE,
        placed=result.placed,
        objective=result.objective,
        bound=result.bound,
        elapsed=result.elapsed,
        progress=history[-50:],
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job.pk))
    job.refresh_from_db()
    return job


def schedule_delay(
    *,
    programme: Programme,
    now: dt.datetime,
    delay_minutes: int,
    resources: list[str] | None = None,
    time_limit: float = 3.0,
) -> sched.ScheduleDiff:
    """After a delay of `delay_minutes` from `now` on `resources` (every resource when None), re-solve
    the draft with the fewest moves: what started before `now` stays (the freeze horizon), and the
    delayed resources take nothing new until the delay is over. The answer becomes the draft, to be
    published (which tells only those whose matches moved). Locks the programme row when storing."""
    if not 0 < delay_minutes <= 24 * 60:
        raise ScheduleError(_("The delay must be between 1 minute and 24 hours."))
    world = schedule_world(programme)
    if not world.draft:
        raise ScheduleError(_("There is no schedule to reschedule yet."))
    result, diff = sched.reschedule(
        world.problem,
        world.draft,
        now=world.minute(now),
        delay=delay_minutes,
        resources=resources,
        time_limit=time_limit,
        workers=2,
    )
    placements_apply(programme=programme, placements=result.placements)
    return diff


def contingency_plan_create(*, programme: Programme, name_zh: str, name_en: str) -> ContingencyPlan:
    """Keep the current draft as a contingency plan (build the wet-weather draft, then save it here)."""
    with transaction.atomic():
        schedule_lock(programme)
        rows = list(Placement.objects.filter(match__stage__event__programme=programme))
        if not rows:
            raise ScheduleError(_("The draft is empty: place the matches first."))
        plan = ContingencyPlan.objects.create(programme=programme, name_zh=name_zh, name_en=name_en)
        ContingencyPlacement.objects.bulk_create(
            [
                ContingencyPlacement(
                    plan=plan,
                    match_id=row.match_id,
                    resource_id=row.resource_id,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                )
                for row in rows
            ]
        )
        return plan


def contingency_switch(*, plan: ContingencyPlan, user=None) -> ScheduleVersion:
    """Switch to a prepared plan in one step: its placements become the draft and are published as a
    new version, which tells only those whose matches moved. Refused, with nothing changed, when the
    plan breaks a rule (a result since then, a match added). Locks the programme row."""
    with transaction.atomic():
        programme = schedule_lock(plan.programme)
        rows = list(plan.placements.all())
        Placement.objects.filter(match__stage__event__programme=programme).delete()
        Placement.objects.bulk_create(
            [
                Placement(
                    match_id=r.match_id, resource_id=r.resource_id, starts_at=r.starts_at, ends_at=r.ends_at
                )
                for r in rows
            ]
        )
        version = schedule_publish(
            programme=programme, user=user, note=plan.name, reason=ScheduleVersionReason.CONTINGENCY
        )
        ContingencyPlan.objects.filter(pk=plan.pk).update(switched_to=version)
        return version
