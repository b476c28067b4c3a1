"""The gate page (phones, keyboard-wedge scanners, camera) and the organiser's gate flow pages.

Gate staff work a venue's gate, not an event: they choose one of the gates they may work
(`selectors.checkin.gates_for_staff`: their venues, their events' venues, their programmes' venues)
and every ticket valid for that gate now is admitted. Organisers see the flow of their events
(`events.manage_event`). Anything else is a 404.
"""

from __future__ import annotations

import csv
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.i18n import join_names
from events.models import Event
from events.permissions import get_for_user_or_404
from ticketing.enums import CredentialKind, ScanDirection
from ticketing.errors import CheckInError
from ticketing.hooks import holders_read
from ticketing.selectors import checkin as selectors
from ticketing.selectors.labels import ticket_type_label
from ticketing.services.scans import credential_scan, scan_annul

MAX_JSON_BYTES = 4096


class GateChoiceForm(forms.Form):
    gate = forms.TypedChoiceField(label=gettext_lazy("Gate"), coerce=int)
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"), choices=ScanDirection.choices, initial=ScanDirection.ENTRY
    )

    def __init__(self, *args, gates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].choices = [(gate.pk, f"{gate.venue.name} · {gate.name}") for gate in gates]


class GateScanForm(forms.Form):
    gate = forms.IntegerField(min_value=1)
    direction = forms.ChoiceField(choices=ScanDirection.choices)
    code = forms.CharField(max_length=400, strip=True)
    nonce = forms.RegexField(regex=r"^[A-Za-z0-9._:-]{8,64}$")


class GateAnnulForm(forms.Form):
    nonce = forms.RegexField(regex=r"^[A-Za-z0-9._:-]{8,64}$")


def remember_gate_staff(sender, request, user, **kwargs) -> None:
    """On login (`user_logged_in`): whether the header offers this person the gate page, kept in the
    session so that no page pays a query for it (a later assignment shows from the next login)."""
    if request is not None and hasattr(request, "session"):
        request.session[selectors.GATE_STAFF_SESSION_KEY] = selectors.has_gate_assignment(user)


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
    """Choose a venue's gate and the direction; then the scanning screen for that gate."""
    gates = selectors.gates_for_staff(request.user)
    form = GateChoiceForm(request.GET if "gate" in request.GET else None, gates=gates)
    if not form.is_valid():
        return render(request, "ticketing/gate_choose.html", {"gates": gates, "form": form})
    context = {
        "gate": next(gate for gate in gates if gate.pk == form.cleaned_data["gate"]),
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
    data = form.cleaned_data
    gate = next((gate for gate in selectors.gates_for_staff(request.user) if gate.pk == data["gate"]), None)
    if gate is None:
        return JsonResponse({"detail": _("You are not assigned to that gate.")}, status=403)
    try:
        outcome = credential_scan(
            code=data["code"],
            gate_code=gate.code,
            direction=data["direction"],
            nonce=data["nonce"],
            gate=gate,
            user=request.user,
        )
    except CheckInError as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    answer = outcome.as_dict()
    if answer["credential"] and answer["credential"]["kind"] == CredentialKind.TICKET:
        # The steward reads the ticket's type in their language (the credential keeps the Chinese name).
        answer["credential"]["holder"] = ticket_type_label(answer["credential"]["holder"])
    return JsonResponse(answer)


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
        # Only the person who scanned may annul (checked by the service), whatever gate they work now.
        scan = scan_annul(nonce=form.cleaned_data["nonce"], user=request.user)
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
        "devices": list(event.gate_devices.select_related("venue").order_by("name")),
        # Gate codes repeat across venues: a device of such an event needs its venue (`GateDevice.venue`).
        "several_venues": len(selectors.event_venue_ids(event)) > 1,
    }
    for device in context["devices"]:
        device.gate_names = join_names(selectors.gate_name(event, code) for code in device.gates)
    return render(request, "ticketing/gate_flow.html", context)


@login_required
@require_GET
def gate_flow_data(request, slug: str):
    event = _manage_event(request, slug)
    flow = selectors.gate_flow(event=event)
    flow["generated_at"] = timezone.localtime(flow["generated_at"]).isoformat()
    return JsonResponse(flow)


@login_required
@never_cache
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
@never_cache
def gate_export(request, slug: str):
    """CSV of every scan of the event (admitted and refused), oldest first, streamed. Holders' names
    (badge holders are often children): never kept by a browser's or a proxy's cache."""
    event = _manage_event(request, slug)
    # Badge holders are named: the apps that issued the badges record who read them.
    holders_read(credential_ids=selectors.scan_export_badge_ids(event=event), user=request.user)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(selectors.EXPORT_HEADER)
        for row in selectors.scan_export_rows(event=event):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="checkins-{event.slug}.csv"'
    return response
