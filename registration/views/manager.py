"""Pages for delegation managers, coaches, chaperones and (for reveals) organisers. Thin: forms parse,
selectors read, services write. Anything out of the user's reach is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from events.mail import site_url
from registration.enums import AthleteAccessKind
from registration.errors import EntryRefusedError, RegistrationError
from registration.forms.athletes import AthleteForm, RevealForm
from registration.forms.delegations import DelegationForm, EntryForm, InvitationForm, TeamForm
from registration.selectors import athletes as athlete_selectors
from registration.selectors import delegations as delegation_selectors
from registration.selectors.eligibility import roster_checklist
from registration.services import athletes as athlete_services
from registration.services import delegations as delegation_services
from registration.services import documents as document_services
from registration.services import entries as entry_services

MANAGE = "registration.manage_delegation"


def _can(user, perm, obj) -> bool:
    return user.has_perm(perm, obj)


@login_required
def delegation_list(request):
    delegations = delegation_selectors.delegation_list_for_user(request.user)
    return render(request, "registration/delegation_list.html", {"delegations": delegations})


@login_required
def delegation_create(request):
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = delegation_services.delegation_create(user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            return redirect(delegation)
    return render(request, "registration/delegation_form.html", {"form": form})


@login_required
def delegation_detail(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk)
    context = {
        "delegation": delegation,
        "teams": delegation_selectors.teams_for_delegation(delegation),
        "memberships": delegation_selectors.memberships_for_delegation(delegation),
        "can_manage": _can(request.user, MANAGE, delegation),
        "athlete_count": delegation.athletes.count(),
    }
    return render(request, "registration/delegation_detail.html", context)


@login_required
def membership_invite(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = InvitationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            delegation_services.membership_invite(
                delegation=delegation,
                invited_by=request.user,
                build_accept_url=lambda token: site_url(
                    reverse("registration:invitation-accept", kwargs={"token": token})
                ),
                **form.cleaned_data,
            )
        except RegistrationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent."))
            return redirect(delegation)
    return render(request, "registration/membership_invite.html", {"delegation": delegation, "form": form})


@login_required
@never_cache
def invitation_accept(request, token):
    try:
        membership = delegation_services.invitation_get(token=token, user=request.user)
    except RegistrationError as error:
        return render(request, "registration/invitation_accept.html", {"error": str(error)}, status=404)
    if request.method == "POST":
        try:
            membership = delegation_services.membership_accept(token=token, user=request.user)
        except RegistrationError as error:
            return render(request, "registration/invitation_accept.html", {"error": str(error)}, status=400)
        messages.success(request, _("You joined %(delegation)s.") % {"delegation": membership.delegation})
        return redirect(membership.delegation)
    return render(request, "registration/invitation_accept.html", {"membership": membership})


@login_required
def team_create(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = TeamForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            team = delegation_services.team_create(
                delegation=delegation, user=request.user, **form.cleaned_data
            )
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            return redirect(team)
    return render(request, "registration/team_form.html", {"delegation": delegation, "form": form})


@login_required
def team_detail(request, pk):
    team = delegation_selectors.team_get_for_user(request.user, pk)
    can_manage = _can(request.user, MANAGE, team)
    form = EntryForm(team=team) if can_manage else None
    context = {
        "team": team,
        "entries": delegation_selectors.entries_for_team(team),
        "checklist": roster_checklist(team),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "registration/team_detail.html", context)


@login_required
@require_POST
def entry_create(request, pk):
    team = delegation_selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    form = EntryForm(request.POST, team=team)
    refusals = []
    if form.is_valid():
        try:
            entry_services.entry_create(team=team, athlete=form.cleaned_data["athlete"], user=request.user)
        except EntryRefusedError as refused:
            refusals = refused.refusals
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Entry added as a draft."))
            return redirect(team)
    context = {
        "team": team,
        "entries": delegation_selectors.entries_for_team(team),
        "checklist": roster_checklist(team),
        "form": form,
        "refusals": refusals,
        "can_manage": True,
    }
    return render(request, "registration/team_detail.html", context, status=400)


@login_required
def athlete_list(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk)
    athletes = athlete_selectors.athletes_for_delegation(delegation)
    athlete_services.roster_read_log(
        delegation=delegation, athletes=athletes, user=request.user, kind=AthleteAccessKind.ROSTER
    )
    context = {
        "delegation": delegation,
        "athletes": athletes,
        "show_documents": _can(request.user, "registration.view_documents", delegation),
        "can_manage": _can(request.user, MANAGE, delegation),
    }
    return render(request, "registration/athlete_list.html", context)


# Every field of a child's record (birth date, guardians' phones) stays out of error reports, and a
# re-rendered form (which echoes the document number back) is never cached.
@sensitive_post_parameters()
@login_required
@never_cache
def athlete_create(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = AthleteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            athlete = athlete_services.athlete_create(
                delegation=delegation,
                data=form.athlete_data(),
                user=request.user,
                photo=form.cleaned_data.get("photo"),
            )
        except RegistrationError as error:
            form.add_error("document_number", str(error))
        else:
            messages.success(request, _("Athlete added."))
            return redirect(athlete)
    return render(request, "registration/athlete_form.html", {"delegation": delegation, "form": form})


@login_required
def athlete_detail(request, pk):
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk)
    athlete_services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.DETAIL)
    context = {
        "athlete": athlete,
        "guardians": athlete.guardians.all(),
        "entries": athlete.entries.select_related("team", "event"),
        "show_documents": _can(request.user, "registration.view_documents", athlete),
        "can_manage": _can(request.user, MANAGE, athlete),
        "can_reveal": _can(request.user, "registration.reveal_document", athlete),
        "attestation": athlete_selectors.attestation_current(athlete),
    }
    return render(request, "registration/athlete_detail.html", context)


@login_required
@never_cache
def athlete_photo(request, pk):
    """The athlete's photo, from private storage, to the roles that may see the roster (never cached)."""
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk)
    if not athlete.photo:
        raise Http404
    athlete_services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.PHOTO)
    return FileResponse(athlete.photo.open("rb"), content_type="image/jpeg")


@sensitive_post_parameters()
@login_required
@never_cache
def athlete_edit(request, pk):
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    form = AthleteForm(
        request.POST or None, request.FILES or None, editing=True, initial=AthleteForm.initial_for(athlete)
    )
    if request.method == "POST" and form.is_valid():
        try:
            athlete_services.athlete_update(
                athlete=athlete, data=form.athlete_data(), photo=form.cleaned_data.get("photo")
            )
        except RegistrationError as error:
            form.add_error("document_number", str(error))
        else:
            messages.success(request, _("Athlete updated."))
            return redirect(athlete)
    context = {"delegation": athlete.delegation, "athlete": athlete, "form": form}
    return render(request, "registration/athlete_form.html", context)


@sensitive_variables()
@sensitive_post_parameters()
@login_required
@never_cache
def document_reveal(request, pk):
    """Organisers only (under /organiser/, so two-factor is enforced). The number is in the POST
    response body once, never in a URL, a redirect or the log."""
    athlete = athlete_selectors.athlete_get_for_user(request.user, pk, perm="registration.reveal_document")
    form = RevealForm(request.POST or None)
    number = None
    if request.method == "POST" and form.is_valid():
        try:
            number = document_services.document_reveal(
                athlete=athlete,
                user=request.user,
                purpose=form.cleaned_data["purpose"],
                reason=form.cleaned_data["reason"],
            )
        except RegistrationError as error:
            form.add_error(None, str(error))
    response = render(
        request, "registration/document_reveal.html", {"athlete": athlete, "form": form, "number": number}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- bulk import --------------------------------------------------------------------------------
