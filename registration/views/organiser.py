"""Organiser pages (under /organiser/, so two-factor is enforced): the review queue with filters and
bulk approval, one entry's review, substitutions, the per-city delegation overview and the insurance
roster export. Everything is scoped to programmes the user organises (events.manage_*): else 404."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from events.i18n import join_clauses
from events.models import City, Event, Programme
from events.permissions import get_for_user_or_404, require_perm_or_404
from registration.enums import AthleteAccessKind, EntryStatus
from registration.errors import EntryNotReadyError, RegistrationError
from registration.forms.attestation import AttestationForm
from registration.forms.organiser import BulkApproveForm, InsuranceExportForm, QueueFilterForm
from registration.forms.workflow import DecisionForm, ReasonForm
from registration.models import Entry, SubstitutionRequest
from registration.selectors import athletes as athlete_selectors
from registration.selectors import organiser as organiser_selectors
from registration.selectors import workflow as workflow_selectors
from registration.services import athletes as athlete_services
from registration.services import documents as document_services
from registration.services import exports as export_services
from registration.services import workflow as workflow_services

PROGRAMME_PERM = "events.manage_programme"
EVENT_PERM = "events.manage_event"


def _programme(request, pk) -> Programme:
    return get_for_user_or_404(Programme.objects.all(), user=request.user, perm=PROGRAMME_PERM, pk=pk)


def _entry(request, pk) -> Entry:
    queryset = Entry.objects.select_related("athlete", "event", "team__delegation__city")
    entry = get_for_user_or_404(queryset, user=request.user, perm="registration.view_delegation", pk=pk)
    require_perm_or_404(request.user, EVENT_PERM, entry.event)
    return entry


@login_required
def registration_home(request):
    require_perm_or_404(request.user, "events.organiser_area")
    programmes = organiser_selectors.programmes_for_organiser(request.user)
    return render(request, "registration/organiser_registration.html", {"programmes": programmes})


@login_required
def review_queue(request, pk):
    programme = _programme(request, pk)
    # The queue opens on what needs the organiser: entries submitted and waiting for review.
    form = QueueFilterForm(
        request.GET or {"status": EntryStatus.SUBMITTED},
        events=Event.objects.filter(programme=programme),
        cities=City.objects.filter(delegations__programme=programme).distinct(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = organiser_selectors.review_rows(programme, **filters)
    for row in rows:
        row["approve_why"] = workflow_selectors.entry_approve_refusal(row["entry"], blockers=row["missing"])
    athlete_services.athletes_access_log(
        athletes=[row["entry"].athlete for row in rows], user=request.user, kind=AthleteAccessKind.ROSTER
    )
    bulk = BulkApproveForm(queryset=organiser_selectors.queue_entries(programme))
    selectable = any(row["entry"].status == EntryStatus.SUBMITTED and not row["approve_why"] for row in rows)
    context = {"programme": programme, "form": form, "rows": rows, "bulk": bulk, "selectable": selectable}
    return render(request, "registration/review_queue.html", context)


@login_required
@require_POST
def review_bulk_approve(request, pk):
    """Step one shows what will be approved (and what cannot be); step two (confirmed) approves."""
    programme = _programme(request, pk)
    form = BulkApproveForm(request.POST, queryset=organiser_selectors.queue_entries(programme))
    if not form.is_valid():
        messages.error(request, _("Choose at least one entry."))
        return redirect("registration:review-queue", pk=programme.pk)
    entries = list(form.cleaned_data["entries"])
    if not form.cleaned_data["confirmed"]:
        rows = organiser_selectors.rows_for_entries(entries)
        return render(
            request, "registration/review_bulk_confirm.html", {"programme": programme, "rows": rows}
        )
    approved, refused = workflow_services.entries_approve_bulk(entries=entries, user=request.user)
    messages.success(request, _("%(count)s entries approved.") % {"count": len(approved)})
    if refused:
        messages.error(request, _("%(count)s entries could not be approved yet.") % {"count": len(refused)})
    return redirect("registration:review-queue", pk=programme.pk)


@login_required
def entry_review(request, pk):
    entry = _entry(request, pk)
    athlete_services.athlete_access_log(
        athlete=entry.athlete, user=request.user, kind=AthleteAccessKind.DETAIL
    )
    blockers = workflow_selectors.entry_blockers(entry)
    context = {
        "entry": entry,
        "guardians": list(entry.athlete.guardians.order_by("pk")),
        "blockers": blockers,
        "approve_why": workflow_selectors.entry_approve_refusal(entry, blockers=blockers),
        "transitions": workflow_selectors.transitions_for_entry(entry),
        "reason_form": ReasonForm(),
        "attestation": athlete_selectors.attestation_current(entry.athlete),
        "superseded": athlete_selectors.attestation_last_superseded(entry.athlete),
        "attestation_form": AttestationForm(),
    }
    return render(request, "registration/entry_review.html", context)


@login_required
@require_POST
def entry_attest(request, pk):
    """Record that the organiser checked the athlete's document (type and last four kept, no image)."""
    entry = _entry(request, pk)
    form = AttestationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you checked the document and confirm that you saw it."))
        return redirect("registration:entry-review", pk=entry.pk)
    try:
        document_services.document_attest(
            athlete=entry.athlete,
            user=request.user,
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
        )
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Document verified."))
    return redirect("registration:entry-review", pk=entry.pk)


@login_required
@require_POST
def entry_approve(request, pk):
    entry = _entry(request, pk)
    try:
        workflow_services.entry_approve(entry=entry, user=request.user)
    except EntryNotReadyError as error:
        messages.error(request, _("Not ready: %(reasons)s") % {"reasons": join_clauses(error.reasons)})
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry approved."))
    return redirect("registration:entry-review", pk=entry.pk)


@login_required
@require_POST
def entry_request_changes(request, pk):
    entry = _entry(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs to change."))
        return redirect("registration:entry-review", pk=entry.pk)
    try:
        workflow_services.entry_request_changes(
            entry=entry, user=request.user, reason=form.cleaned_data["reason"]
        )
    except RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Changes requested; the team managers were told why."))
    return redirect("registration:entry-review", pk=entry.pk)


@login_required
def substitution_list(request, pk):
    programme = _programme(request, pk)
    context = {
        "programme": programme,
        "requests": workflow_selectors.substitutions_pending(programme),
        "form": DecisionForm(),
    }
    return render(request, "registration/substitution_list.html", context)


@login_required
@require_POST
def substitution_decide(request, pk):
    queryset = SubstitutionRequest.objects.select_related("entry__event")
    substitution = queryset.filter(pk=pk).first()
    if substitution is None:
        raise Http404
    require_perm_or_404(request.user, EVENT_PERM, substitution.entry.event)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            workflow_services.substitution_decide(
                request=substitution, user=request.user, **form.cleaned_data
            )
        except RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("registration:substitution-list", pk=substitution.entry.event.programme_id)


@login_required
def delegation_overview(request, pk):
    programme = _programme(request, pk)
    context = {"programme": programme, "cities": organiser_selectors.delegation_overview(programme)}
    return render(request, "registration/delegation_overview.html", context)


@sensitive_variables()
@login_required
@never_cache
def insurance_export(request, pk):
    """The insurance roster as CSV: name, sex, birth date, document (masked unless the organiser asks
    and gives a reason; each athlete revealed writes a DocumentReveal row), event, delegation."""
    programme = _programme(request, pk)
    form = InsuranceExportForm(
        request.POST if request.method == "POST" else None, events=Event.objects.filter(programme=programme)
    )
    if request.method == "POST" and form.is_valid():
        rows = export_services.insurance_rows(
            programme,
            event=form.cleaned_data["event"],
            reveal_by=request.user if form.cleaned_data["reveal"] else None,
            reason=form.cleaned_data["reason"],
            read_by=request.user,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(export_services.INSURANCE_HEADER)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="insurance-roster-{programme.slug}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "registration/insurance_export.html", {"programme": programme, "form": form})


def today_panel(*, programme_ids: list[int], today) -> dict:
    """The organiser home's registration figure (registered in apps.py with events.hooks)."""
    rows = organiser_selectors.waiting_by_programme(programme_ids)
    return {
        "template": "registration/_organiser_today.html",
        "order": 20,
        "waiting": sum(row["waiting"] for row in rows),
        "programmes": rows,
    }
