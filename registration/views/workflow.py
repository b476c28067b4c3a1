"""Manager pages for a team's checklist and submission, substitutions, the waitlist, withdrawals and
entry fees. Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registration.enums import AthleteAccessKind, EntryStatus
from registration.errors import RegistrationError
from registration.forms.workflow import FeePayForm, SubstitutionForm
from registration.models import (
    Athlete,
    Entry,
    WaitlistPlace,
)
from registration.selectors import delegations as delegation_selectors
from registration.selectors import eligibility as eligibility_selectors
from registration.selectors import fees as fee_selectors
from registration.selectors import paperwork as paperwork_selectors
from registration.selectors import workflow as workflow_selectors
from registration.services import athletes as athlete_services
from registration.services import fees as fee_services
from registration.services import workflow as workflow_services
from ticketing.payments.registry import available_providers

MANAGE = "registration.manage_delegation"


def _team_rows(team):
    """Each entry with its athlete's missing items (fixed number of queries for any roster size)."""
    entries = list(
        Entry.objects.filter(team=team)
        .exclude(status="withdrawn")
        .select_related("event", "waitlist_place")
        .order_by("pk")
    )
    athletes = {
        athlete.pk: athlete
        for athlete in paperwork_selectors.with_paperwork(
            Athlete.objects.filter(pk__in=[entry.athlete_id for entry in entries]).defer(
                "document_number_encrypted"
            )
        )
    }
    for entry in entries:
        entry.athlete = athletes[entry.athlete_id]
        entry.team = team
    refused = eligibility_selectors.entries_refusals(entries)
    return [
        {
            "entry": entry,
            "missing": [
                *paperwork_selectors.paperwork_missing(entry.athlete, team.event),
                *refused.get(entry.pk, []),
            ],
        }
        for entry in entries
    ]


@login_required
def team_workflow(request, pk):
    """The team's checklist: per athlete what is missing, the submit button, fees, waitlist offers."""
    team = delegation_selectors.team_get_for_user(request.user, pk)
    can_manage = request.user.has_perm(MANAGE, team)
    fee = fee_selectors.fee_for_event(team.event)
    rows = _team_rows(team)
    athlete_services.roster_read_log(
        delegation=team.delegation,
        athletes=[row["entry"].athlete for row in rows],
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )
    context = {
        "team": team,
        "rows": rows,
        "can_manage": can_manage,
        # The paperwork page is the managers' and organisers' (a coach sees what is missing, not the consents).
        "can_see_paperwork": request.user.has_perm("registration.view_documents", team),
        "locked": workflow_selectors.roster_is_locked(team.event),
        "fee": fee,
        "charges": fee_selectors.charges_for_team(team) if fee else [],
        "pay_form": _pay_form() if fee and can_manage else None,
        "breakdown": fee_selectors.fee_breakdown(team, fee) if fee and can_manage else [],
    }
    return render(request, "registration/team_workflow.html", context)


def _pay_form(data=None):

    providers = [(p.identifier, p.label) for p in available_providers()]
    return FeePayForm(data, providers=providers)


@login_required
@require_POST
def team_submit(request, pk):
    team = delegation_selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    try:
        submitted = workflow_services.team_submit(team=team, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(count)s entries submitted to the organiser.") % {"count": len(submitted)}
        )
    return redirect("registration:team-workflow", pk=team.pk)


@login_required
@require_POST
def team_fee_pay(request, pk):
    team = delegation_selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    form = _pay_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to pay and how."))
        return redirect("registration:team-workflow", pk=team.pk)
    try:
        order = fee_services.fee_order_create(
            team=team,
            user=request.user,
            provider=form.cleaned_data["provider"],
            part=form.cleaned_data["part"],
        )
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect("registration:team-workflow", pk=team.pk)
    return redirect("ticketing:order-pay", code=order.code)


@login_required
def substitution_create(request, pk):
    entry = delegation_selectors.entry_get_for_user(request.user, pk)
    athletes = Athlete.objects.filter(delegation_id=entry.team.delegation_id).exclude(pk=entry.athlete_id)
    form = SubstitutionForm(request.POST or None, athletes=athletes)
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.substitution_request(entry=entry, user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Substitution requested; the organiser will decide."))
            return redirect("registration:team-workflow", pk=entry.team_id)
    return render(request, "registration/substitution_form.html", {"entry": entry, "form": form})


@login_required
@require_POST
def waitlist_answer(request, pk, answer):
    entry = delegation_selectors.entry_get_for_user(request.user, pk)
    place = WaitlistPlace.objects.filter(entry=entry).first()
    if place is None or answer not in ("accept", "release"):
        raise Http404
    try:
        if answer == "accept":
            workflow_services.waitlist_accept(place=place, user=request.user)
        else:
            workflow_services.waitlist_release(place=place, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    return redirect("registration:team-workflow", pk=entry.team_id)


@login_required
@require_POST
def entry_withdraw(request, pk):
    """Withdraw through the workflow (ledger row, badge revoked, the place offered to the waitlist).
    An approved entry gives up a place it may not get back: a confirmation page comes first."""
    entry = delegation_selectors.entry_get_for_user(request.user, pk)
    if entry.status == EntryStatus.APPROVED and request.POST.get("confirmed") != "yes":
        return render(request, "registration/entry_withdraw_confirm.html", {"entry": entry})
    try:
        workflow_services.entry_withdraw(entry=entry, user=request.user)
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry withdrawn."))
    return redirect("registration:team-workflow", pk=entry.team_id)
