"""Competition pages: the organiser's draw and result entry, the public pool sheets and tableau, and\nthe PDFs of pools, tableau, start list, standings and bracket.

Organiser pages fetch the event with `events.manage_event` (an organiser of its programme with
two-factor passed): anyone else gets a 404. Public pages show athletes by name and delegation only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import hooks
from events.competition.errors import CompetitionError
from events.enums import CompetitorKind, Discipline, GameRules, MatchSides, StageKind
from events.forms.competition import (
    GamesDrawForm,
    PoolsDrawForm,
    RacesDrawForm,
    RelayResultForm,
    TableauDrawForm,
    TeamDrawForm,
    TeamLineupForm,
)
from events.models import Event, Match
from events.permissions import get_for_user_or_404
from events.rendering import competition_pdf
from events.selectors import catalogue as selectors
from events.selectors import competition as selectors_competition
from events.selectors import results as selectors_results
from events.services import competition as services_competition
from events.services import games as services_games
from events.services import races as services_races
from events.services.referee import referee_link_make
from events.views.results import form_errors_text, live_render, relay_table, result_form, with_result_forms

PERM = "events.manage_event"


def _public_fencing_event(slug: str) -> Event:
    event = selectors.events_public().filter(slug=slug, discipline=Discipline.FENCING).first()
    if event is None:
        raise Http404
    return event


def pools_public(request, slug: str):
    event = _public_fencing_event(slug)
    view = selectors_competition.pools_view(event=event)
    return live_render(
        request, "events/competition_pools.html", "events/_pools_live.html", {"event": event, "view": view}
    )


def tableau_public(request, slug: str):
    event = _public_fencing_event(slug)
    stage, rounds = selectors_competition.tableau_view(event=event)
    return live_render(
        request,
        "events/competition_tableau.html",
        "events/_tableau_live.html",
        {"event": event, "stage": stage, "rounds": rounds},
    )


PDF_LANGUAGES = ("zh-hans", "en")


def _pdf(request, event: Event, kind: str, build) -> HttpResponse:
    """A competition PDF in the language asked for (`?lang=en` or `zh-hans`), else the page's."""
    language = request.GET.get("lang")
    language = language if language in PDF_LANGUAGES else translation.get_language()
    with translation.override(language):
        body = build()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-{kind}-{language}.pdf"'
    return response


def pools_pdf(request, slug: str):
    event = _public_fencing_event(slug)

    def build() -> bytes:
        view = selectors_competition.pools_view(event=event)
        title = _("Pools: %(event)s") % {"event": event.name}
        return competition_pdf.pool_sheets_pdf(view.sheets, title=title, note=_pdf_note(view.stage))

    return _pdf(request, event, "pools", build)


def tableau_pdf(request, slug: str):
    event = _public_fencing_event(slug)

    def build() -> bytes:
        _stage, rounds = selectors_competition.tableau_view(event=event)
        return competition_pdf.tableau_pdf(rounds, title=_("Tableau: %(event)s") % {"event": event.name})

    return _pdf(request, event, "tableau", build)


def start_list_pdf(request, slug: str):
    event = _public_event_any(slug)

    def build() -> bytes:
        rows = selectors_results.start_list(event=event)
        return competition_pdf.start_list_pdf(rows, title=_("Start list: %(event)s") % {"event": event.name})

    return _pdf(request, event, "start-list", build)


def standings_pdf(request, slug: str):
    """The round-robin tables of an event, with the rules and the tie-breakers that decided each place."""
    event = _public_event_any(slug)

    def build() -> bytes:
        stage = selectors_results.stage_for(event=event, kind=StageKind.GROUPS)
        tables = selectors_results.group_tables(stage=stage) if stage else []
        note = (
            _("Tie-breakers: %(source)s") % {"source": stage.settings.get("rules_source", "")}
            if stage
            else ""
        )
        title = _("Standings: %(event)s") % {"event": event.name}
        return competition_pdf.standings_pdf(tables, title=title, note=note)

    return _pdf(request, event, "standings", build)


def bracket_pdf(request, slug: str):
    """The knockout of an event, placement matches included."""
    event = _public_event_any(slug)

    def build() -> bytes:
        stage = selectors_results.stage_for(event=event, kind=StageKind.KNOCKOUT)
        rounds = selectors_results.bracket_rounds(stage=stage) if stage else []
        return competition_pdf.bracket_pdf(rounds, title=_("Bracket: %(event)s") % {"event": event.name})

    return _pdf(request, event, "bracket", build)


def _pdf_note(stage) -> str:
    if stage is None:
        return ""
    return _("Bout order: %(source)s") % {"source": stage.settings.get("source", "")}


def _public_event_any(slug: str) -> Event:
    event = selectors.events_public().filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def _organiser_event(request, slug: str) -> Event:
    return get_for_user_or_404(
        Event.objects.select_related("programme"), user=request.user, perm=PERM, slug=slug
    )


def _organiser_fencing_event(request, slug: str) -> Event:
    """Pools and the tableau are fencing's: any other event is a 404."""
    event = _organiser_event(request, slug)
    if event.discipline != Discipline.FENCING:
        raise Http404
    return event


def _referee_links(request, event: Event) -> list[tuple[str, str, str]]:
    """(label, absolute URL, token) of a signed referee link for each pool or group, each course, and each
    piste or court the event's matches are placed on."""
    links = []
    for stage in selectors_results.stages_of(event=event):
        if (
            stage.kind == StageKind.RACES
            or stage.kind == StageKind.KNOCKOUT
            or stage.kind == StageKind.TABLEAU
        ):
            token = referee_link_make(event_id=event.pk, stage=stage)
            links.append((stage.get_kind_display(), token))
            continue
        for number in selectors_results.stage_pools(stage=stage):
            token = referee_link_make(event_id=event.pk, stage=stage, pool=number)
            name = (
                _("Pool %(number)s") % {"number": number}
                if stage.kind == StageKind.POOLS
                else _("Group %(name)s") % {"name": chr(ord("A") + number - 1)}
            )
            links.append((name, token))
    for resource in selectors_results.resources_used(event=event):
        links.append((resource.name, referee_link_make(event_id=event.pk, resource=resource)))
    return [
        (label, request.build_absolute_uri(reverse("events:referee", args=[token])), token)
        for label, token in links
    ]


def _referee_context(request, event: Event) -> dict:
    """The referee links of the event and the log of the ones revoked (who and when)."""
    return {
        "referee_links": _referee_links(request, event),
        "referee_revocations": selectors_results.referee_revocations(event=event),
    }


@login_required
def organiser_competition(request, slug: str):
    event = _organiser_event(request, slug)
    if event.discipline != Discipline.FENCING:
        return _organiser_other(request, event)
    if _is_team_event(event):
        return _organiser_team(request, event)
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
        **_referee_context(request, event),
    }
    return render(request, "events/competition_organiser.html", context)


def _organiser_other(request, event: Event):
    """Games or races: the draw form, what was drawn with a result form per match, and referee links."""
    matches = with_result_forms(list(selectors_results.matches_for_entry(event=event)))
    races = event.discipline == Discipline.DRAGON_BOAT
    context = {
        "event": event,
        "competitors": selectors_competition.competitors_for(event=event).count(),
        "races": races,
        "draw_form": RacesDrawForm() if races else GamesDrawForm(),
        "matches": matches,
        **_referee_context(request, event),
    }
    return render(request, "events/competition_organiser_other.html", context)


def _is_team_event(event: Event) -> bool:
    """A fencing event whose draw is between teams (the nine-bout relay), not single fencers: marked so,
    or holding team competitors another source added (the demo's)."""
    if event.team_event:
        return True
    competitors = selectors_competition.competitors_for(event=event)
    return competitors.filter(kind=CompetitorKind.TEAM).exists()


def _organiser_team(request, event: Event):
    """A fencing team event: the direct-elimination table between teams, each match opening its relays."""
    stage = selectors_results.stage_for(event=event, kind=StageKind.KNOCKOUT)
    context = {
        "event": event,
        "competitors": selectors_competition.competitors_for(event=event).count(),
        "draw_form": TeamDrawForm(),
        "stage": stage,
        "rounds": selectors_results.bracket_rounds(stage=stage) if stage else [],
        **_referee_context(request, event),
    }
    return render(request, "events/competition_organiser_team.html", context)


@login_required
@require_POST
def organiser_team_generate(request, slug: str):
    """Draw a fencing team event's table between its teams (games with the relay rules)."""
    event = _organiser_fencing_event(request, slug)
    form = TeamDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the draw settings."))
    else:
        try:
            services_games.games_generate(
                event=event, rules=GameRules.FENCING_TEAM, groups=0, places=form.cleaned_data["places"]
            )
            messages.success(request, _("The team table is drawn."))
        except CompetitionError as error:
            _refused(request, error)
    return redirect("events:organiser-competition", slug=event.slug)


def _relay_match(request, pk: int) -> tuple[Event, Match]:
    """A fencing team match between two known teams, for an organiser of its programme; else 404."""
    match = get_object_or_404(Match.objects.select_related("stage__event", "left", "right"), pk=pk)
    event = _organiser_event(request, match.stage.event.slug)
    if not selectors_results.is_relay_match(match):
        raise Http404
    return event, match


def _lineup_forms(match: Match, data=None) -> dict[str, TeamLineupForm]:
    """Both teams' order forms (positions 1-3 home, 4-6 away); `data` binds the one its `side` names."""
    lineups = match.detail.get("lineup") or {}
    return {
        side: TeamLineupForm(
            data if data is not None and data.get("side") == side else None,
            prefix=side,
            members=team.members,
            first=first,
            order=lineups.get(str(team.pk), ()),
        )
        for side, team, first in (("home", match.left, 1), ("away", match.right, 4))
    }


def _relays_page(request, event: Event, match: Match, form: RelayResultForm, lineup_forms: dict):
    rows = relay_table(match, form)
    context = {"event": event, "match": match, "form": form, "rows": rows, "lineup_forms": lineup_forms}
    return render(request, "events/competition_relays.html", context)


@login_required
def organiser_relays(request, pk: int):
    """One team match: each team's order (which fencer holds which position), the nine relays in the
    official order with the fencers' positions and names, and the running score at the end of each
    relay (GET shows, POST records and carries it on)."""
    event, match = _relay_match(request, pk)
    form = RelayResultForm.for_match(match, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _record(match, form.cleaned_data, request.user)
            messages.success(request, _("Result of %(code)s saved.") % {"code": match.code})
            return redirect(reverse("events:organiser-competition", args=[event.slug]) + f"#bout-{match.pk}")
        except CompetitionError as error:
            form.add_error(None, str(error))
    return _relays_page(request, event, match, form, _lineup_forms(match))


@login_required
def organiser_relays_pdf(request, pk: int):
    """The match's relay scoresheet for the piste (the team orders' names, the running scores as far
    as recorded): organisers only, as the orders are set on their page."""
    event, match = _relay_match(request, pk)

    def build():
        title = _("Relays of %(code)s") % {"code": match.code} + f" · {event.name}"
        rows, names = selectors_results.relay_sheet(match), selectors_results.position_names(match)
        return competition_pdf.relay_sheet_pdf(match, rows, names, title=title)

    return _pdf(request, event, f"{match.code.lower()}-relays", build)


@login_required
@require_POST
def organiser_lineup(request, pk: int):
    """Save one team's order for a relay match (the form of the side `side` names), logged as a
    result change; refusals are shown on the relay page in the reader's language."""
    event, match = _relay_match(request, pk)
    side = request.POST.get("side")
    lineup_forms = _lineup_forms(match, request.POST)
    form = lineup_forms.get(side)
    if form is None:
        raise Http404
    team = match.left if side == "home" else match.right
    if form.is_valid():
        try:
            services_games.team_lineup_set(
                match=match, team=team, order=form.cleaned_data["order"], user=request.user
            )
            messages.success(request, _("The order of %(team)s is saved.") % {"team": team.display_name})
            return redirect(reverse("events:organiser-relays", args=[match.pk]) + f"#lineup-{side}")
        except CompetitionError as error:
            form.add_error(None, str(error))
    return _relays_page(request, event, match, RelayResultForm.for_match(match), lineup_forms)


@login_required
@require_POST
def organiser_games_generate(request, slug: str):
    event = _organiser_event(request, slug)
    form = GamesDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the draw settings."))
    else:
        try:
            services_games.games_generate(event=event, **form.cleaned_data)
            messages.success(request, _("The games are drawn."))
        except CompetitionError as error:
            _refused(request, error)
    return redirect("events:organiser-competition", slug=event.slug)


@login_required
@require_POST
def organiser_races_generate(request, slug: str):
    event = _organiser_event(request, slug)
    form = RacesDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services_races.races_generate(
                event=event,
                lanes=form.cleaned_data["lanes"],
                course_record_ms=form.cleaned_data["course_record"],
            )
            messages.success(request, _("The races are drawn."))
        except CompetitionError as error:
            _refused(request, error)
    return redirect("events:organiser-competition", slug=event.slug)


def _refused(request, error: CompetitionError) -> None:
    messages.error(request, str(error))


@login_required
@require_POST
def organiser_pools_generate(request, slug: str):
    event = _organiser_fencing_event(request, slug)
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
    event = _organiser_event(request, slug)  # every sport: crews and squads come from their team entries
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
    event = _organiser_fencing_event(request, slug)
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
    form = result_form(match, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            _record(match, form.cleaned_data, request.user)
            messages.success(request, _("Result of %(code)s saved.") % {"code": match.code})
        except CompetitionError as error:
            _refused(request, error)
    url = redirect("events:organiser-competition", slug=event.slug).url
    suffix = (
        f"?pool={match.pool}#bout-{match.pk}" if match.stage.kind == StageKind.POOLS else f"#bout-{match.pk}"
    )
    return redirect(url + suffix)


def _record(match: Match, data: dict, user) -> None:
    if match.sides == MatchSides.LANES:
        services_races.race_result_record(match=match, finishes=data["finishes"], user=user)
    elif match.stage.kind in (StageKind.POOLS, StageKind.TABLEAU):
        services_competition.bout_result_record(
            match=match,
            left_score=data["left_score"],
            right_score=data["right_score"],
            winner={"left": match.left, "right": match.right}.get(data["priority"]),
            user=user,
        )
    else:
        services_games.game_result_record(
            match=match,
            home_score=data.get("left_score") or 0,
            away_score=data.get("right_score") or 0,
            winner=data.get("winner") or None,
            relays=data.get("relays"),
            user=user,
        )
