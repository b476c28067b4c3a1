"""Result pages: the public standings, brackets, races and the season's medal table (each refreshing
itself: `?fragment=1` answers the live part alone, polled by `events/live.js`), and the referee's phone
page reached through a signed link (no account).

Public pages show athletes by name and delegation only. The referee page answers 404 for a link that
was not signed here and for a match outside the link's scope, and 410 for an expired or revoked link:
in every one of those cases nothing is changed. Organisers revoke a link from the competition page
(`referee_revoke`: a confirmation, then the revocation; the page then shows the scope's new link).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events.competition.errors import CompetitionError
from events.enums import Discipline, MatchSides, StageKind
from events.forms.competition import BoutResultForm, GameResultForm, RaceResultForm, RelayResultForm
from events.models import Event, Programme
from events.permissions import get_for_user_or_404
from events.selectors import catalogue as selectors
from events.selectors import results as selectors_results
from events.services.referee import (
    RefereeLinkError,
    referee_link_revoke,
    referee_link_scope_for_event,
    referee_result_record,
    referee_scope_read,
)

LIVE_SECONDS = 15  # how often result pages poll; journeys set it lower


def live_render(request, template: str, fragment: str, context: dict):
    """The page, or with `?fragment=1` only its live part (what `live.js` swaps in)."""
    context = {**context, "fragment_template": fragment, "live_seconds": LIVE_SECONDS}
    if request.GET.get("fragment") == "1":
        response = render(request, fragment, context)
    else:
        response = render(request, template, context)
    response["Cache-Control"] = "no-cache"
    return response


def _public_event(slug: str, *disciplines: str) -> Event:
    events = selectors.events_public().filter(slug=slug)
    if disciplines:
        events = events.filter(discipline__in=disciplines)
    event = events.first()
    if event is None:
        raise Http404
    return event


def standings_public(request, slug: str):
    event = _public_event(slug)
    stage = selectors_results.stage_for(event=event, kind=StageKind.GROUPS)
    tables = selectors_results.group_tables(stage=stage) if stage else []
    return live_render(
        request,
        "events/results_standings.html",
        "events/_standings_live.html",
        {"event": event, "stage": stage, "tables": tables},
    )


def bracket_public(request, slug: str):
    event = _public_event(slug)
    stage = selectors_results.stage_for(event=event, kind=StageKind.KNOCKOUT)
    rounds = selectors_results.bracket_rounds(stage=stage) if stage else []
    return live_render(
        request,
        "events/results_bracket.html",
        "events/_bracket_live.html",
        {"event": event, "stage": stage, "rounds": rounds},
    )


def races_public(request, slug: str):
    event = _public_event(slug, Discipline.DRAGON_BOAT)
    stage = selectors_results.stage_for(event=event, kind=StageKind.RACES)
    races = selectors_results.races_view(stage=stage) if stage else []
    return live_render(
        request,
        "events/results_races.html",
        "events/_races_live.html",
        {"event": event, "stage": stage, "races": races},
    )


def medals_public(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    rows, counted = selectors_results.medal_table(programme=programme)
    if not counted and not selectors.events_public().filter(programme=programme).exists():
        raise Http404
    return live_render(
        request,
        "events/results_medals.html",
        "events/_medals_live.html",
        {
            "programme": programme,
            "rows": rows,
            "counted": counted,
            "points": sorted(selectors_results.PLACE_POINTS.items()),
        },
    )


def result_form(match, data=None):
    """The form that parses a result for this match: lanes for a race, a bout, a fencing team match
    relay by relay (prefixed by the match, as a page may hold several), or a game."""
    if match.sides == MatchSides.LANES:
        return RaceResultForm(data, lanes=list(match.lanes.all()))
    if match.stage.kind in (StageKind.POOLS, StageKind.TABLEAU):
        return BoutResultForm(data)
    if selectors_results.is_relay_match(match):
        return RelayResultForm.for_match(match, data, prefix=f"match-{match.pk}")
    return GameResultForm(data)


def relay_table(match, form: RelayResultForm) -> list[tuple]:
    """The relay table's rows: each relay in the official order with its fencers' positions and names,
    and `form`'s two running-score fields (the organiser's relay page and every result form)."""
    return [
        (row.relay, home, away, row.a_name, row.b_name)
        for row, (_n, home, away) in zip(selectors_results.relay_sheet(match), form.relay_rows(), strict=True)
    ]


def with_result_forms(matches: list, bound: dict | None = None) -> list:
    """Each match with a result form and what its fields show: the lanes of a race, the relay table of
    a fencing team match. The form is empty, or the one in `bound` by match id (a refused entry shown
    again as typed, with its errors)."""
    bound = bound or {}
    for match in matches:
        match.form = bound.get(match.pk) or result_form(match)
        match.lane_rows = list(match.lanes.all()) if match.sides == MatchSides.LANES else []
        match.relay_rows = relay_table(match, match.form) if isinstance(match.form, RelayResultForm) else []
    return matches


def form_errors_text(form) -> str:
    """A bound form's errors as one message, each field's prefixed by its label (a relay's says which)."""
    return " ".join(
        str(error)
        if name == "__all__"
        else _("%(field)s: %(error)s") % {"field": form.fields[name].label, "error": error}
        for name, errors in form.errors.items()
        for error in errors
    )


@never_cache
def referee_page(request, token: str):
    try:
        scope = referee_scope_read(token)
    except RefereeLinkError as error:
        if not error.gone:
            raise Http404 from error
        title = _("Referee link revoked") if error.revoked else _("Referee link expired")
        return render(
            request, "events/referee_expired.html", {"title": title, "message": str(error)}, status=410
        )
    event = get_object_or_404(Event, pk=scope.event_id)
    matches = list(scope.matches())
    bound = {}
    if request.method == "POST":
        chosen = request.POST.get("match", "")
        match = next((m for m in matches if str(m.pk) == chosen), None)
        if match is None:
            raise Http404
        form = result_form(match, request.POST)
        if form.is_valid():
            try:
                referee_result_record(scope=scope, match=match, data=form.cleaned_data)
                messages.success(request, _("Result of %(code)s saved.") % {"code": match.code})
                return redirect(f"{request.path}#match-{match.pk}")
            except CompetitionError as error:
                messages.error(request, str(error))
                form.add_error(None, str(error))  # also beside the match (a relay table shows it there)
        else:
            messages.error(request, form_errors_text(form))
        if not isinstance(form, RelayResultForm):  # its fields are drawn from the match, not the form
            return redirect(f"{request.path}#match-{match.pk}")
        bound[match.pk] = form  # shown again as typed: a referee does not enter nine relays twice
    with_result_forms(matches, bound)
    return render(
        request,
        "events/referee_page.html",
        {"event": event, "scope": scope, "label": scope.label, "matches": matches},
    )


@login_required
@require_POST
def referee_revoke(request, slug: str):
    """Revoke a referee link of the event (posted, never in a URL): first a confirmation page naming
    the link, then, with `confirm`, the revocation; back on the competition page the new link shows."""
    event = get_for_user_or_404(Event.objects.all(), user=request.user, perm="events.manage_event", slug=slug)
    token = request.POST.get("token", "")
    try:
        scope = referee_link_scope_for_event(event=event, token=token)
    except RefereeLinkError as error:
        raise Http404 from error
    if request.POST.get("confirm") != "1":
        context = {"event": event, "token": token, "label": scope.label}
        return render(request, "events/referee_revoke.html", context)
    revocation = referee_link_revoke(event=event, token=token, user=request.user)
    messages.success(
        request,
        _("The referee link “%(label)s” is revoked: it no longer opens. Give the referee the new link below.")
        % {"label": revocation.label},
    )
    return redirect("events:organiser-competition", slug=event.slug)
