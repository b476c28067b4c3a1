"""The gate page (phones, keyboard-wedge scanners, camera) and the organiser's gate flow pages.

Gate staff reach only the events they are assigned to (rule `ticketing.scan_event`); organisers see
the flow of their events (`events.manage_event`). Anything else is a 404.
"""

from __future__ import annotations

import csv
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from events.permissions import get_for_user_or_404
from ticketing.enums import ScanDirection
from ticketing.errors import CheckInError
from ticketing.selectors import checkin as selectors
from ticketing.services.scans import credential_scan, scan_annul

MAX_JSON_BYTES = 4096


class GateChoiceForm(forms.Form):
    gate = forms.CharField(label=gettext_lazy("Gate"), max_length=50)
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"), choices=ScanDirection.choices, initial=ScanDirection.ENTRY
    )

    def __init__(self, *args, gates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"] = forms.ChoiceField(
            label=gettext_lazy("Gate"),
            choices=[(gate.code, f"{gate.name} · {gate.venue.name}") for gate in gates],
        )


class GateScanForm(forms.Form):
    event = forms.SlugField()
    gate = forms.SlugField(max_length=50)
    direction = forms.ChoiceField(choices=ScanDirection.choices)
    code = forms.CharField(max_length=400, strip=True)
    nonce = forms.RegexField(regex=r"^[A-Za-z0-9._:-]{8,64}$")


class GateAnnulForm(forms.Form):
    event = forms.SlugField()
    nonce = forms.RegexField(regex=r"^[A-Za-z0-9._:-]{8,64}$")


def _scan_event(request, slug: str) -> Event:
    return get_for_user_or_404(
        Event.objects.select_related("venue"), user=request.user, perm="ticketing.scan_event", slug=slug
    )


def _manage_event(request, slug: str) -> Event:
    return get_for_user_or_404(
        Event.objects.select_related("venue"), user=request.user, perm="events.manage_event", slug=slug
    )


def _json_body(request) -> dict:
    if len(request.body) > MAX_JSON_BYTES:
        raise ValueError
    try:
        data = json.loads(request.body or b"{}")
    except RecursionError as exc:  # "[[[[..." a few thousand deep: bad input, not a crash
        raise ValueError from exc
    if not isinstance(data, dict):
        raise ValueError
    return data


@login_required
def gate(request):
    """Choose event, gate and direction; then the scanning screen for that choice."""
    events = list(selectors.events_for_gate_user(request.user))
    slug = request.GET.get("event")
    if not slug:
        return render(request, "ticketing/gate_choose.html", {"events": events})
    event = _scan_event(request, slug)
    gates = selectors.gates_for_user(request.user, event)
    form = GateChoiceForm(request.GET if "gate" in request.GET else None, gates=gates)
    if not form.is_valid():
        return render(request, "ticketing/gate_choose.html", {"events": events, "event": event, "form": form})
    context = {
        "event": event,
        "gate": next(gate for gate in gates if gate.code == form.cleaned_data["gate"]),
        "direction": form.cleaned_data["direction"],
        "direction_label": ScanDirection(form.cleaned_data["direction"]).label,
    }
    return render(request, "ticketing/gate_scan.html", context)


@login_required
@require_POST
def gate_scan(request):
    """JSON: scan one code for the gate page (session auth, CSRF-protected)."""
    try:
        form = GateScanForm(_json_body(request))
    except ValueError:
        return JsonResponse({"detail": _("Send a JSON object.")}, status=400)
    if not form.is_valid():
        return JsonResponse({"detail": _("Invalid scan."), "errors": form.errors}, status=422)
    try:
        event = _scan_event(request, form.cleaned_data["event"])
    except Http404:
        return JsonResponse({"detail": _("Not found.")}, status=404)
    data = form.cleaned_data
    if data["gate"] not in {gate.code for gate in selectors.gates_for_user(request.user, event)}:
        return JsonResponse({"detail": _("You are not assigned to that gate.")}, status=403)
    try:
        outcome = credential_scan(
            code=data["code"],
            gate_code=data["gate"],
            direction=data["direction"],
            nonce=data["nonce"],
            event=event,
            user=request.user,
        )
    except CheckInError as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    return JsonResponse(outcome.as_dict())


@login_required
@require_POST
def gate_annul(request):
    """JSON: annul this person's own scan within the window."""
    try:
        form = GateAnnulForm(_json_body(request))
    except ValueError:
        return JsonResponse({"detail": _("Send a JSON object.")}, status=400)
    if not form.is_valid():
        return JsonResponse({"detail": _("Invalid request."), "errors": form.errors}, status=422)
    try:
        _scan_event(request, form.cleaned_data["event"])
        scan = scan_annul(nonce=form.cleaned_data["nonce"], user=request.user)
    except Http404:
        return JsonResponse({"detail": _("Not found.")}, status=404)
    except CheckInError as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    return JsonResponse({"nonce": scan.nonce, "annulled": True, "message": _("Scan annulled.")})


@login_required
def gate_flow(request, slug: str):
    event = _manage_event(request, slug)
    context = {
        "event": event,
        "flow": selectors.gate_flow(event=event),
        "counts": selectors.scan_counts(event=event),
        "devices": event.gate_devices.order_by("name"),
    }
    return render(request, "ticketing/gate_flow.html", context)


@login_required
@require_GET
def gate_flow_data(request, slug: str):
    event = _manage_event(request, slug)
    flow = selectors.gate_flow(event=event)
    flow["generated_at"] = timezone.localtime(flow["generated_at"]).isoformat()
    return JsonResponse(flow)


@login_required
def gate_conflicts(request, slug: str):
    event = _manage_event(request, slug)
    return render(
        request,
        "ticketing/gate_conflicts.html",
        {"event": event, "conflicts": selectors.scan_conflicts(event=event)[:500]},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def gate_export(request, slug: str):
    """CSV of every scan of the event (admitted and refused), oldest first, streamed."""
    event = _manage_event(request, slug)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(selectors.EXPORT_HEADER)
        for row in selectors.scan_export_rows(event=event):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="checkins-{event.slug}.csv"'
    return response
