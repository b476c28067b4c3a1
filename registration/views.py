"""Pages for delegation managers, coaches, chaperones and (for reveals) organisers. Thin: forms parse,
selectors read, services write. Anything out of the user's reach is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from registration import imports, selectors, services
from registration.eligibility import roster_checklist
from registration.enums import AthleteAccessKind
from registration.errors import EntryRefused, ImportFileError, RegistrationError
from registration.forms import (
    AthleteForm,
    DelegationForm,
    EntryForm,
    ImportConfirmForm,
    ImportUploadForm,
    InvitationForm,
    RevealForm,
    TeamForm,
)

MANAGE = "registration.manage_delegation"
IMPORT_SESSION_KEY = "registration_import"


def _can(user, perm, obj) -> bool:
    return user.has_perm(perm, obj)


@login_required
def delegation_list(request):
    delegations = selectors.delegation_list_for_user(request.user)
    return render(request, "registration/delegation_list.html", {"delegations": delegations})


@login_required
def delegation_create(request):
    form = DelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.delegation_create(user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            return redirect(delegation)
    return render(request, "registration/delegation_form.html", {"form": form})


@login_required
def delegation_detail(request, pk):
    delegation = selectors.delegation_get_for_user(request.user, pk)
    context = {
        "delegation": delegation,
        "teams": selectors.teams_for_delegation(delegation),
        "memberships": selectors.memberships_for_delegation(delegation),
        "can_manage": _can(request.user, MANAGE, delegation),
        "athlete_count": delegation.athletes.count(),
    }
    return render(request, "registration/delegation_detail.html", context)


@login_required
def membership_invite(request, pk):
    delegation = selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = InvitationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(
                delegation=delegation,
                invited_by=request.user,
                build_accept_url=lambda token: request.build_absolute_uri(
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
        membership = services.invitation_get(token=token, user=request.user)
    except RegistrationError as error:
        return render(request, "registration/invitation_accept.html", {"error": str(error)}, status=404)
    if request.method == "POST":
        try:
            membership = services.membership_accept(token=token, user=request.user)
        except RegistrationError as error:
            return render(request, "registration/invitation_accept.html", {"error": str(error)}, status=400)
        messages.success(request, _("You joined %(delegation)s.") % {"delegation": membership.delegation})
        return redirect(membership.delegation)
    return render(request, "registration/invitation_accept.html", {"membership": membership})


@login_required
def team_create(request, pk):
    delegation = selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = TeamForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(delegation=delegation, user=request.user, **form.cleaned_data)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            return redirect(team)
    return render(request, "registration/team_form.html", {"delegation": delegation, "form": form})


@login_required
def team_detail(request, pk):
    team = selectors.team_get_for_user(request.user, pk)
    can_manage = _can(request.user, MANAGE, team)
    form = EntryForm(team=team) if can_manage else None
    context = {
        "team": team,
        "entries": selectors.entries_for_team(team),
        "checklist": roster_checklist(team),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "registration/team_detail.html", context)


@login_required
@require_POST
def entry_create(request, pk):
    team = selectors.team_get_for_user(request.user, pk, perm=MANAGE)
    form = EntryForm(request.POST, team=team)
    refusals = []
    if form.is_valid():
        try:
            services.entry_create(team=team, athlete=form.cleaned_data["athlete"], user=request.user)
        except EntryRefused as refused:
            refusals = refused.refusals
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Entry added as a draft."))
            return redirect(team)
    context = {
        "team": team,
        "entries": selectors.entries_for_team(team),
        "checklist": roster_checklist(team),
        "form": form,
        "refusals": refusals,
        "can_manage": True,
    }
    return render(request, "registration/team_detail.html", context, status=400)


@login_required
def athlete_list(request, pk):
    delegation = selectors.delegation_get_for_user(request.user, pk)
    athletes = selectors.athletes_for_delegation(delegation)
    services.roster_read_log(
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
    delegation = selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    form = AthleteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            athlete = services.athlete_create(
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
    athlete = selectors.athlete_get_for_user(request.user, pk)
    services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.DETAIL)
    context = {
        "athlete": athlete,
        "guardians": athlete.guardians.all(),
        "entries": athlete.entries.select_related("team", "event"),
        "show_documents": _can(request.user, "registration.view_documents", athlete),
        "can_manage": _can(request.user, MANAGE, athlete),
        "can_reveal": _can(request.user, "registration.reveal_document", athlete),
        "attestation": selectors.attestation_current(athlete),
    }
    return render(request, "registration/athlete_detail.html", context)


@login_required
@never_cache
def athlete_photo(request, pk):
    """The athlete's photo, from private storage, to the roles that may see the roster (never cached)."""
    athlete = selectors.athlete_get_for_user(request.user, pk)
    if not athlete.photo:
        raise Http404
    services.athlete_access_log(athlete=athlete, user=request.user, kind=AthleteAccessKind.PHOTO)
    return FileResponse(athlete.photo.open("rb"), content_type="image/jpeg")


@sensitive_post_parameters()
@login_required
@never_cache
def athlete_edit(request, pk):
    athlete = selectors.athlete_get_for_user(request.user, pk, perm=MANAGE)
    form = AthleteForm(
        request.POST or None, request.FILES or None, editing=True, initial=AthleteForm.initial_for(athlete)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.athlete_update(
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
    athlete = selectors.athlete_get_for_user(request.user, pk, perm="registration.reveal_document")
    form = RevealForm(request.POST or None)
    number = None
    if request.method == "POST" and form.is_valid():
        try:
            number = services.document_reveal(
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


@login_required
def import_template(request, pk, fmt):
    delegation = selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    if fmt == "csv":
        content, content_type = imports.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = imports.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="athletes-template-{delegation.pk}.{fmt}"'
    return response


@csrf_exempt  # only so the upload handlers can be swapped before anything reads the body
@login_required
@never_cache
def athlete_import(request, pk):
    """Upload -> preview (nothing saved) -> confirm. The staged rows are encrypted in the cache.
    The upload stays in memory (never a temporary file) and reading stops past the size limit."""
    request.upload_handlers = [imports.BoundedMemoryUploadHandler(request)]
    return _athlete_import(request, pk)


@sensitive_variables()
@csrf_protect
def _athlete_import(request, pk):
    delegation = selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    upload_form = ImportUploadForm()
    preview = None
    too_large = request.method == "POST" and not request.FILES and request.upload_handlers[0].exceeded
    if request.method == "POST" and ("file" in request.FILES or too_large):
        upload_form = ImportUploadForm(request.POST, request.FILES, too_large=too_large)
        if upload_form.is_valid():
            try:
                rows = imports.read_rows(upload_form.cleaned_data["file"])
            except ImportFileError as error:
                upload_form.add_error("file", str(error))
            else:
                preview = imports.validate_rows(delegation=delegation, rows=rows)
                request.session[IMPORT_SESSION_KEY] = {
                    "delegation": delegation.pk,
                    "key": imports.import_stage(delegation=delegation, preview=preview),
                }
    elif request.method == "POST":
        confirm = ImportConfirmForm(request.POST)
        staged = request.session.get(IMPORT_SESSION_KEY) or {}
        if confirm.is_valid() and staged.get("delegation") == delegation.pk:
            try:
                result = imports.import_commit(
                    delegation=delegation,
                    key=staged.get("key", ""),
                    valid_only=confirm.cleaned_data["import_valid_only"],
                    user=request.user,
                )
            except RegistrationError as error:
                messages.error(request, str(error))
                return redirect("registration:athlete-import", pk=delegation.pk)
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.success(
                request,
                _("%(created)s athletes imported; %(skipped)s rows left out.")
                % {"created": result.created, "skipped": result.skipped},
            )
            return redirect("registration:athlete-list", pk=delegation.pk)
        messages.error(request, _("The preview has expired; upload the file again."))
    context = {
        "delegation": delegation,
        "upload_form": upload_form,
        "preview": preview,
        "confirm_form": ImportConfirmForm(),
    }
    # A file that cannot be read is the client's error: 400, with the reason on the form.
    status = 400 if upload_form.is_bound and upload_form.errors else 200
    return render(request, "registration/athlete_import.html", context, status=status)
