"""The roster import for delegation managers: templates, upload and preview (nothing saved), confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_variables

from registration.errors import ImportFileError, RegistrationError
from registration.forms import roster_import as roster_import_forms
from registration.forms.roster_import import ImportConfirmForm, ImportUploadForm
from registration.selectors import delegations as delegation_selectors
from registration.services import roster_import as roster_import_services

MANAGE = "registration.manage_delegation"
IMPORT_SESSION_KEY = "registration_import"


@login_required
def import_template(request, pk, fmt):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    if fmt == "csv":
        content, content_type = roster_import_forms.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = roster_import_forms.template_xlsx()
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
    request.upload_handlers = [roster_import_forms.BoundedMemoryUploadHandler(request)]
    return _athlete_import(request, pk)


@sensitive_variables()
@csrf_protect
def _athlete_import(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    upload_form = ImportUploadForm()
    preview = None
    too_large = request.method == "POST" and not request.FILES and request.upload_handlers[0].exceeded
    if request.method == "POST" and ("file" in request.FILES or too_large):
        upload_form = ImportUploadForm(request.POST, request.FILES, too_large=too_large)
        if upload_form.is_valid():
            try:
                rows = roster_import_forms.read_rows(upload_form.cleaned_data["file"])
            except ImportFileError as error:
                upload_form.add_error("file", str(error))
            else:
                preview = roster_import_forms.validate_rows(delegation=delegation, rows=rows)
                request.session[IMPORT_SESSION_KEY] = {
                    "delegation": delegation.pk,
                    "key": roster_import_services.import_stage(delegation=delegation, preview=preview),
                }
    elif request.method == "POST":
        confirm = ImportConfirmForm(request.POST)
        staged = request.session.get(IMPORT_SESSION_KEY) or {}
        if confirm.is_valid() and staged.get("delegation") == delegation.pk:
            try:
                result = roster_import_services.import_commit(
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
