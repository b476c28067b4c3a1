"""Competition pages: the organiser's draw and result entry, and the public pool sheets and tableau.

Organiser pages fetch the event with `events.manage_event` (an organiser of its programme with
two-factor passed): anyone else gets a 404. Public pages show athletes by name and delegation only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import hooks
from events.competition.errors import CompetitionError
from events.enums import Discipline
from events.forms.competition import BoutResultForm, PoolsDrawForm, TableauDrawForm
from events.models import Event, Match
from events.permissions import get_for_user_or_404
from events.selectors import catalogue as selectors
from events.selectors import competition as selectors_competition
from events.services import competition as services_competition

PERM = "events.manage_event"


def _public_fencing_event(slug: str) -> Event:
    event = selectors.events_public().filter(slug=slug, discipline=Discipline.FENCING).first()
    if event is None:
        raise Http404
    return event


def pools_public(request, slug: str):
    event = _public_fencing_event(slug)
    view = selectors_competition.pools_view(event=event)
    return render(request, "events/competition_pools.html", {"event": event, "view": view})


def tableau_public(request, slug: str):
    event = _public_fencing_event(slug)
    stage, rounds = selectors_competition.tableau_view(event=event)
    return render(
        request, "events/competition_tableau.html", {"event": event, "stage": stage, "rounds": rounds}
    )


def _organiser_event(request, slug: str) -> Event:
    event = get_for_user_or_404(
        Event.objects.select_related("programme"), user=request.user, perm=PERM, slug=slug
    )
    if event.discipline != Discipline.FENCING:
        raise Http404
    return event


@login_required
def organiser_competition(request, slug: str):
    event = _organiser_event(request, slug)
    pools = selectors_competition.pools_view(event=event)
    numbers = [sheet.number for sheet in pools.sheets]
    chosen = request.GET.get("pool", "")
    pool = int(chosen) if chosen.isdigit() and int(chosen) in numbers else (numbers[0] if numbers else None)
    context = {
        "event": event,
        "competitors": selectors_competition.competitors_for(event=event).count(),
        "pools": pools,
        "pool": pool,
        "bouts": selectors_competition.pool_matches_for_entry(stage=pools.stage).filter(pool=pool)
        if pools.stage
        else [],
        "tableau": selectors_competition.tableau_view(event=event)[1],
        "pools_form": PoolsDrawForm(),
        "tableau_form": TableauDrawForm(),
    }
    return render(request, "events/competition_organiser.html", context)


def _refused(request, error: CompetitionError) -> None:
    messages.error(request, str(error))


@login_required
@require_POST
def organiser_pools_generate(request, slug: str):
    event = _organiser_event(request, slug)
    form = PoolsDrawForm(request.POST)
    if form.is_valid():
        try:
            stage = services_competition.pools_generate(event=event, max_size=form.cleaned_data["max_size"])
            messages.success(request, _("%(count)s pools drawn.") % {"count": len(stage.settings["pools"])})
        except CompetitionError as error:
            _refused(request, error)
    return redirect("events:organiser-competition", slug=event.slug)


@login_required
@require_POST
def organiser_competitors_refresh(request, slug: str):
    event = _organiser_event(request, slug)
    reports = hooks.competitors_refresh(event=event)
    created = sum(r.get("created", 0) for r in reports)
    updated = sum(r.get("updated", 0) for r in reports)
    removed = sum(r.get("removed", 0) for r in reports)
    messages.success(
        request,
        _(
            "Competitors updated from the approved entries: %(created)s new, %(updated)s changed, %(removed)s removed."
        )
        % {"created": created, "updated": updated, "removed": removed},
    )
    return redirect("events:organiser-competition", slug=event.slug)


@login_required
@require_POST
def organiser_tableau_generate(request, slug: str):
    event = _organiser_event(request, slug)
    form = TableauDrawForm(request.POST)
    if form.is_valid():
        try:
            services_competition.tableau_generate(event=event, cut_percent=form.cleaned_data["cut_percent"])
            messages.success(request, _("The tableau is drawn."))
        except CompetitionError as error:
            _refused(request, error)
    else:
        messages.error(request, _("The cut must be a percentage from 1 to 100."))
    return redirect("events:organiser-competition", slug=event.slug)


@login_required
@require_POST
def organiser_result(request, pk: int):
    match = get_object_or_404(Match.objects.select_related("stage__event", "left", "right"), pk=pk)
    event = _organiser_event(request, match.stage.event.slug)
    form = BoutResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter both scores as whole numbers."))
    else:
        data = form.cleaned_data
        winner = {"left": match.left, "right": match.right}.get(data["priority"])
        try:
            services_competition.bout_result_record(
                match=match,
                left_score=data["left_score"],
                right_score=data["right_score"],
                winner=winner,
                user=request.user,
            )
            messages.success(request, _("Result of %(code)s saved.") % {"code": match.code})
        except CompetitionError as error:
            _refused(request, error)
    url = redirect("events:organiser-competition", slug=event.slug).url
    suffix = f"?pool={match.pool}#bout-{match.pk}" if match.pool else f"#bout-{match.pk}"
    return redirect(url + suffix)
