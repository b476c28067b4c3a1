"""Badge sheets for a delegation's managers: start the job, watch its progress, download the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registration.errors import RegistrationError
from registration.models import BadgeSheetState
from registration.selectors import accreditation as accreditation_selectors
from registration.selectors import delegations as delegation_selectors
from registration.services import accreditation as accreditation_services

MANAGE = "registration.manage_delegation"


@login_required
def badge_list(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    context = {"delegation": delegation, "badges": accreditation_selectors.badges_for_delegation(delegation)}
    return render(request, "registration/badge_list.html", context)


@login_required
@require_POST
def badge_sheet_create(request, pk):
    delegation = delegation_selectors.delegation_get_for_user(request.user, pk, perm=MANAGE)
    try:
        job = accreditation_services.badge_sheet_job_create(user=request.user, delegation=delegation)
    except RegistrationError as error:
        messages.error(request, str(error))
        return redirect("registration:badge-list", pk=delegation.pk)
    return redirect("registration:badge-sheet", pk=job.pk)


@login_required
@never_cache
def badge_sheet_detail(request, pk):
    job = accreditation_selectors.badge_sheet_job_get(user=request.user, pk=pk)
    return render(request, "registration/badge_sheet.html", {"job": job})


@login_required
@never_cache
def badge_sheet_status(request, pk):
    job = accreditation_selectors.badge_sheet_job_get(user=request.user, pk=pk)
    done = job.state == BadgeSheetState.DONE
    return JsonResponse(
        {
            "state": job.state,
            "total": job.total,
            "done": job.done,
            "percent": job.percent,
            "download": reverse("registration:badge-sheet-download", kwargs={"pk": job.pk}) if done else None,
        }
    )


@login_required
@never_cache
def badge_sheet_download(request, pk):
    job = accreditation_selectors.badge_sheet_job_get(user=request.user, pk=pk)
    if job.state != BadgeSheetState.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"badges-{job.pk}.pdf")
