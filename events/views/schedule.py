"""The organiser's schedule pages: the grid of resources against time, moves checked at once, solving
with progress, publishing numbered versions, the difference between two, delays and contingency plans.

Every page fetches the programme with `events.manage_programme` (an organiser of it with two-factor
passed): anyone else gets a 404. The move endpoint answers JSON for the grid's script (409 with every
reason when a rule refuses it) and redirects with a message for a plain form post.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events.enums import SolveBuilder
from events.errors import ScheduleError
from events.forms.schedule import DelayForm, DiffForm, MoveForm, PlanForm, PublishForm, SolveForm
from events.models import ContingencyPlan, Match, Programme, VenueResource
from events.permissions import get_for_user_or_404
from events.selectors import schedule as selectors
from events.selectors.schedule_world import schedule_grid, schedule_world
from events.services import schedule as services
from events.services import schedule_solve

PERM = "events.manage_programme"


def _programme(request, slug: str) -> Programme:
    return get_for_user_or_404(Programme.objects.all(), user=request.user, perm=PERM, slug=slug)


def _grid_url(programme: Programme, day: str = "") -> str:
    url = reverse("events:schedule-grid", kwargs={"slug": programme.slug})
    return f"{url}?day={day}" if day else url


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@login_required
@never_cache
def grid(request, slug: str):
    programme = _programme(request, slug)
    world = schedule_world(programme)
    grid = schedule_grid(world, day=_day(request.GET.get("day", "")))
    context = {
        "programme": programme,
        "grid": grid,
        "events": programme.events.filter(stages__isnull=False).distinct().order_by("start_date", "slug"),
        "unstaged": programme.events.filter(stages__isnull=True, discipline="fencing").order_by("start_date"),
        "solve_form": SolveForm(),
        "publish_form": PublishForm(),
        "delay_form": DelayForm(resources=[(str(r.pk), str(r)) for r in grid.resources]),
        "plan_form": PlanForm(),
        "plans": programme.contingency_plans.all(),
        "versions": selectors.versions_for(programme)[:5],
    }
    return render(request, "events/schedule_grid.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def move(request, slug: str):
    programme = _programme(request, slug)
    form = MoveForm(request.POST)
    if not form.is_valid():
        reasons = [str(error) for errors in form.errors.values() for error in errors]
        if _wants_json(request):
            return JsonResponse({"ok": False, "reasons": reasons}, status=400)
        messages.error(request, " ".join(reasons))
        return redirect(_grid_url(programme))
    data = form.cleaned_data
    match = Match.objects.filter(pk=data["match"], stage__event__programme=programme).first()
    resource = VenueResource.objects.filter(pk=data["resource"]).first()
    if match is None or resource is None:
        raise Http404
    try:
        _placement, warnings = services.placement_move(
            programme=programme,
            match=match,
            resource=resource,
            starts_at=data["starts_at"],
            # The "Move to…" form says whether to pin; a drag on the grid keeps the pin as it was.
            pin=data["pin"] if "pin_shown" in request.POST else None,
        )
    except ScheduleError as error:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "reasons": error.reasons or [str(error)], "codes": error.codes}, status=409
            )
        messages.error(request, str(error))
        return redirect(_grid_url(programme, timezone.localtime(data["starts_at"]).date().isoformat()))
    notes = [w.reason for w in warnings]
    if _wants_json(request):
        return JsonResponse({"ok": True, "warnings": notes})
    messages.success(request, " ".join([_("Moved."), *notes]))
    return redirect(_grid_url(programme, timezone.localtime(data["starts_at"]).date().isoformat()))


@login_required
@require_POST
def solve(request, slug: str):
    programme = _programme(request, slug)
    form = SolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a builder and a time limit of 1 to 120 seconds."))
        return redirect(_grid_url(programme))
    if form.cleaned_data["builder"] == SolveBuilder.GREEDY:
        result = services.schedule_build_greedy(programme=programme)
        messages.success(
            request,
            _("Draft built: %(placed)s of %(total)s matches placed.")
            % {"placed": result.placed, "total": result.placed + len(result.unplaced)},
        )
        return redirect(_grid_url(programme))
    job = schedule_solve.solve_job_create(
        programme=programme,
        user=request.user,
        builder=form.cleaned_data["builder"],
        time_limit=form.cleaned_data["time_limit"],
    )
    return redirect("events:schedule-job", slug=programme.slug, pk=job.pk)


@login_required
@never_cache
def job(request, slug: str, pk: int):
    programme = _programme(request, slug)
    found = selectors.solve_job_for(programme, pk) or _not_found()
    status = schedule_solve.solve_job_status(found)
    return render(
        request, "events/schedule_job.html", {"programme": programme, "job": found, "status": status}
    )


def _not_found():
    raise Http404


@login_required
@never_cache
def job_status(request, slug: str, pk: int):
    programme = _programme(request, slug)
    found = selectors.solve_job_for(programme, pk) or _not_found()
    return JsonResponse(schedule_solve.solve_job_status(found))


@login_required
@require_POST
def publish(request, slug: str):
    programme = _programme(request, slug)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        version = services.schedule_publish(programme=programme, user=request.user, note=note)
    except ScheduleError as error:
        messages.error(request, " ".join([str(error), *error.reasons[:5]]))
        return redirect(_grid_url(programme))
    messages.success(
        request,
        _("Version %(number)s published; %(count)s people told of their changes.")
        % {"number": version.number, "count": version.notified},
    )
    return redirect("events:schedule-versions", slug=programme.slug)


@login_required
@never_cache
def versions(request, slug: str):
    programme = _programme(request, slug)
    rows = list(selectors.versions_for(programme))
    return render(request, "events/schedule_versions.html", {"programme": programme, "versions": rows})


@login_required
@never_cache
def diff(request, slug: str):
    programme = _programme(request, slug)
    form = DiffForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose two versions to compare."))
        return redirect("events:schedule-versions", slug=programme.slug)
    found = {
        v.number: v for v in selectors.versions_for(programme).filter(number__in=form.cleaned_data.values())
    }
    older, newer = found.get(form.cleaned_data["a"]), found.get(form.cleaned_data["b"])
    if older is None or newer is None:
        raise Http404
    rows = selectors.versions_diff(older, newer)
    context = {"programme": programme, "older": older, "newer": newer, "rows": rows}
    return render(request, "events/schedule_diff.html", context)


@login_required
@require_POST
def delay(request, slug: str):
    programme = _programme(request, slug)
    world_resources = [
        (str(r.pk), str(r))
        for r in VenueResource.objects.filter(placements__match__stage__event__programme=programme).distinct()
    ]
    form = DelayForm(request.POST, resources=world_resources)
    if not form.is_valid():
        messages.error(request, _("Give the delay in minutes (1 to 1440)."))
        return redirect(_grid_url(programme))
    try:
        moved = schedule_solve.schedule_delay(
            programme=programme,
            now=timezone.now(),
            delay_minutes=form.cleaned_data["delay_minutes"],
            resources=form.cleaned_data["resources"] or None,
        )
    except ScheduleError as error:
        messages.error(request, str(error))
        return redirect(_grid_url(programme))
    messages.success(
        request,
        _("Rescheduled: %(count)s matches moved. Publish to tell those affected.")
        % {"count": len(moved.moved)},
    )
    return redirect(_grid_url(programme))


@login_required
@require_POST
def plan_create(request, slug: str):
    programme = _programme(request, slug)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the plan in both languages."))
        return redirect(_grid_url(programme))
    try:
        plan = schedule_solve.contingency_plan_create(programme=programme, **form.cleaned_data)
    except ScheduleError as error:
        messages.error(request, str(error))
        return redirect(_grid_url(programme))
    messages.success(request, _("Contingency plan “%(name)s” saved from the draft.") % {"name": plan.name})
    return redirect(_grid_url(programme))


@login_required
@never_cache
def plan_switch(request, slug: str, pk: int):
    programme = _programme(request, slug)
    plan = get_object_or_404(ContingencyPlan, programme=programme, pk=pk)
    if request.method != "POST":
        return render(request, "events/schedule_plan_switch.html", {"programme": programme, "plan": plan})
    try:
        version = schedule_solve.contingency_switch(plan=plan, user=request.user)
    except ScheduleError as error:
        messages.error(request, " ".join([str(error), *error.reasons[:5]]))
        return redirect(_grid_url(programme))
    messages.success(
        request,
        _("Switched to “%(name)s”: version %(number)s published; %(count)s people told.")
        % {"name": plan.name, "number": version.number, "count": version.notified},
    )
    return redirect("events:schedule-versions", slug=programme.slug)
