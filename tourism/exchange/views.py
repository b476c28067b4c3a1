"""Pages and JSON endpoints of the exchange programme. Thin: parse, call one service or selector,
map domain errors to messages or status codes. Who may reach each is in config/routes.py."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registration.enums import AthleteAccessKind
from registration.models import Guardian
from registration.services.athletes import roster_read_log
from tourism.exchange import exports, selectors
from tourism.exchange.enums import BookingStatus, SegmentKind
from tourism.exchange.errors import ExchangeError
from tourism.exchange.forms import (
    BookingForm,
    CredentialForm,
    HandoverForm,
    RollCallOpenForm,
    ScanForm,
    SegmentForm,
)
from tourism.exchange.services import experiences, guardians, itineraries, rollcalls

MANAGE = selectors.MANAGE


def _render(request, template: str, context: dict, status: int = 200):
    """Every exchange page shows the open roll-call alerts of the person reading it."""
    context["alerts"] = selectors.alerts_for_user(request.user)
    return render(request, f"exchange/{template}", context, status=status)


def alerts_panel(*, programme_ids: list[int], today) -> dict | None:
    """The organiser home's open roll-call alerts (registered in apps.py with events.hooks); nothing
    when every roll-call is clear."""
    alerts = list(selectors.alerts_for_programmes(programme_ids))
    if not alerts:
        return None
    return {"template": "exchange/_organiser_alerts.html", "order": 0, "alerts": alerts}


def _json(request) -> dict:
    if request.content_type != "application/json":
        return request.POST.dict()
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError from exc
    if not isinstance(body, dict):
        raise ValueError
    return body


# ---- itinerary -----------------------------------------------------------------------------------


@login_required
def itinerary(request, pk):
    delegation = selectors.delegation_get(request.user, pk)
    segments = list(selectors.itinerary_for_delegation(delegation))
    conflicts = selectors.itinerary_conflicts(segments)
    rows = [(segment, conflicts.get(segment.pk, [])) for segment in segments]
    days = sorted({timezone.localtime(s.starts_at).date() for s in segments})
    context = {
        "delegation": delegation,
        "rows": rows,
        "days": days,
        "can_manage": request.user.has_perm(MANAGE, delegation),
    }
    return _render(request, "itinerary.html", context)


@login_required
def itinerary_pdf(request, pk):
    delegation = selectors.delegation_get(request.user, pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    segments = [
        s
        for s in selectors.itinerary_for_delegation(delegation)
        if timezone.localtime(s.starts_at).date() == day
    ]
    response = HttpResponse(exports.day_sheet_pdf(delegation, day, segments), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="itinerary-{day:%Y%m%d}.pdf"'
    return response


@login_required
def itinerary_ics(request, pk):
    delegation = selectors.delegation_get(request.user, pk)
    body = exports.itinerary_ics(delegation, list(selectors.itinerary_for_delegation(delegation)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="itinerary-{delegation.pk}.ics"'
    return response


@login_required
def segment_create(request, pk):
    delegation = selectors.delegation_get(request.user, pk, perm=MANAGE)
    form = SegmentForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            segment = itineraries.segment_create(
                delegation=delegation,
                kind=data["kind"],
                title_zh=data["title_zh"],
                title_en=data["title_en"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                origin=data["origin"],
                vehicle=data["vehicle"],
                driver_name=data["driver_name"],
                driver_phone=data["driver_phone"],
                athletes=list(data["athletes"]),
                chaperones=list(data["memberships"]),
                lead=data["lead"],
            )
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            return redirect(segment.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _render(request, "segment_form.html", {"delegation": delegation, "form": form}, status=status)


@login_required
@require_POST
def schedule_import(request, pk):
    delegation = selectors.delegation_get(request.user, pk, perm=MANAGE)
    added = itineraries.schedule_import(delegation=delegation)
    messages.success(request, _("Matches added from the schedule: %(count)d.") % {"count": added})
    return redirect("exchange:itinerary", pk=delegation.pk)


@login_required
def segment_detail(request, pk):
    segment = selectors.segment_get(request.user, pk)
    context = {
        "segment": segment,
        "delegation": segment.delegation,
        "coverage": selectors.segment_coverage(segment),
        "rollcalls": segment.rollcalls.all(),
        "can_manage": request.user.has_perm(MANAGE, segment.delegation),
        "is_transfer": segment.kind == SegmentKind.TRANSFER,
        "open_form": RollCallOpenForm(),
    }
    return _render(request, "segment_detail.html", context)


@login_required
@require_POST
def segment_confirm(request, pk):
    segment = selectors.segment_get(request.user, pk, perm=MANAGE)
    try:
        itineraries.segment_confirm(segment=segment, user=request.user)
    except ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Segment confirmed."))
    return redirect(segment.get_absolute_url())


# ---- experiences -------------------------------------------------------------------------------


@login_required
def experience_list(request, pk):
    delegation = selectors.delegation_get(request.user, pk)
    bookings = list(selectors.bookings_for_delegation(delegation))
    # The bookings name the children: an organiser's read leaves a trace, as on the roster.
    roster_read_log(
        delegation=delegation,
        athletes=list({booking.athlete for booking in bookings if booking.athlete_id}),
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )
    context = {
        "delegation": delegation,
        "experiences": selectors.experiences_for_programme(delegation.programme_id),
        "bookings": bookings,
        "can_manage": request.user.has_perm(MANAGE, delegation),
        "offered": BookingStatus.OFFERED,
    }
    return _render(request, "experience_list.html", context)


@login_required
def slot_book(request, pk, slot_pk):
    delegation = selectors.delegation_get(request.user, pk, perm=MANAGE)
    slot = selectors.slot_get_for_delegation(delegation, slot_pk)
    form = BookingForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            made = experiences.slot_book(
                slot=slot,
                delegation=delegation,
                athletes=list(form.cleaned_data["athletes"]),
                memberships=list(form.cleaned_data["memberships"]),
                user=request.user,
            )
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            confirmed = sum(1 for b in made if b.status == BookingStatus.CONFIRMED)
            messages.success(
                request,
                _("Places confirmed: %(confirmed)d; on the waiting list: %(waiting)d.")
                % {"confirmed": confirmed, "waiting": len(made) - confirmed},
            )
            return redirect("exchange:experiences", pk=delegation.pk)
    context = {"delegation": delegation, "slot": slot, "form": form, "taken": selectors.slot_taken(slot)}
    return _render(request, "slot_book.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = selectors.booking_get(request.user, pk)
    experiences.booking_cancel(booking=booking, user=request.user)
    messages.success(request, _("Booking cancelled."))
    return redirect("exchange:experiences", pk=booking.delegation_id)


@login_required
@require_POST
def booking_accept(request, pk):
    booking = selectors.booking_get(request.user, pk)
    try:
        experiences.booking_accept(booking=booking, user=request.user)
    except ExchangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Place accepted."))
    return redirect("exchange:experiences", pk=booking.delegation_id)


# ---- chaperones ----------------------------------------------------------------------------------


@login_required
def chaperones(request, pk):
    delegation = selectors.delegation_get(request.user, pk, perm=MANAGE)
    adults = selectors.adults_for_delegation(delegation)
    form = CredentialForm(request.POST or None, memberships=adults)
    if request.method == "POST" and form.is_valid():
        try:
            itineraries.credential_record(**form.cleaned_data, user=request.user)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Credential recorded."))
            return redirect("exchange:chaperones", pk=delegation.pk)
    context = {"delegation": delegation, "adults": adults, "form": form}
    return _render(request, "chaperones.html", context, status=400 if request.method == "POST" else 200)


# ---- roll-calls ------------------------------------------------------------------------------------


@login_required
@require_POST
def rollcall_open(request, pk):
    segment = selectors.segment_get(request.user, pk)
    form = RollCallOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the minutes within which everyone must be present (0 to 240)."))
        return redirect(segment.get_absolute_url())
    due = timezone.now() + dt.timedelta(minutes=form.cleaned_data["minutes"])
    try:
        rollcall = rollcalls.rollcall_open(segment=segment, due_at=due, user=request.user)
    except ExchangeError as error:
        messages.error(request, str(error))
        return redirect(segment.get_absolute_url())
    return redirect(rollcall.get_absolute_url())


@login_required
@never_cache
def rollcall_detail(request, pk):
    rollcall = selectors.rollcall_get(request.user, pk)
    status = selectors.rollcall_status(rollcall)
    # An organiser reading the children's names leaves a trace, as on the roster (members do not).
    roster_read_log(
        delegation=rollcall.segment.delegation,
        athletes=[athlete for athlete, _mark in status.present] + status.missing,
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )
    context = {"rollcall": rollcall, "segment": rollcall.segment, "status": status}
    return _render(request, "rollcall_detail.html", context)


@login_required
@never_cache
def rollcall_scanner(request, pk):
    rollcall = selectors.rollcall_get(request.user, pk)
    return _render(request, "rollcall_scanner.html", {"rollcall": rollcall, "segment": rollcall.segment})


@login_required
@require_POST
def rollcall_scan(request, pk):
    """JSON for the gate scanner (ticketing/static/ticketing/gate.js): the same request and answer."""
    rollcall = selectors.rollcall_get(request.user, pk)
    try:
        form = ScanForm(_json(request))
    except ValueError:
        return JsonResponse({"detail": _("Send a JSON object.")}, status=400)
    if not form.is_valid():
        return JsonResponse({"detail": _("Invalid scan."), "errors": form.errors}, status=422)
    try:
        outcome = rollcalls.rollcall_scan(rollcall=rollcall, user=request.user, **form.cleaned_data)
    except ExchangeError as error:
        return JsonResponse({"result": "refused", "message": str(error), "nonce": form.cleaned_data["nonce"]})
    # The answer names the child: an organiser's scan leaves a trace, as the roll-call page does.
    roster_read_log(
        delegation=rollcall.segment.delegation,
        athletes=[outcome.athlete],
        user=request.user,
        kind=AthleteAccessKind.ROSTER,
    )
    return JsonResponse(
        {
            "result": "admitted",
            "direction": "entry",
            "message": outcome.message,
            "nonce": outcome.mark.nonce,
            "credential": {"kind_label": _("Present"), "holder": outcome.athlete.display_name},
        }
    )


@login_required
@require_POST
def rollcall_annul(request, pk):
    rollcall = selectors.rollcall_get(request.user, pk)
    try:
        nonce = str(_json(request).get("nonce", ""))
    except ValueError:
        return JsonResponse({"detail": _("Send a JSON object.")}, status=400)
    undone = rollcalls.rollcall_unmark(rollcall=rollcall, nonce=nonce, user=request.user)
    return JsonResponse({"message": _("Mark undone.") if undone else _("Nothing to undo.")})


@login_required
@require_POST
def rollcall_upload(request, pk):
    """Ticks: JSON `{"ticks": [...]}` from the phone's queue, or one form tick (no JavaScript)."""
    rollcall = selectors.rollcall_get(request.user, pk)
    try:
        body = _json(request)
    except ValueError:
        return JsonResponse({"detail": _("Send a JSON object.")}, status=400)
    if request.content_type == "application/json":
        ticks = body.get("ticks")
        if not isinstance(ticks, list) or not all(isinstance(t, dict) for t in ticks):
            return JsonResponse({"detail": _("Send a list of ticks.")}, status=422)
        return JsonResponse(
            {"results": rollcalls.rollcall_upload(rollcall=rollcall, ticks=ticks, user=request.user)}
        )
    results = rollcalls.rollcall_upload(rollcall=rollcall, ticks=[body], user=request.user)
    if not results[0]["ok"]:
        messages.error(request, results[0]["message"])
    return redirect(rollcall.get_absolute_url())


@login_required
@require_POST
def rollcall_close(request, pk):
    rollcall = selectors.rollcall_get(request.user, pk)
    rollcall = rollcalls.rollcall_close(rollcall=rollcall, user=request.user)
    if rollcall.alert_open:
        messages.error(
            request, _("Someone is missing: the lead chaperone and the organisers have been alerted.")
        )
    else:
        messages.success(request, _("Everyone is present."))
    return redirect(rollcall.get_absolute_url())


# ---- handover and guardians -----------------------------------------------------------------------


@login_required
@never_cache
def handover(request, pk):
    delegation = selectors.delegation_get(request.user, pk)
    form = HandoverForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            guardians.handover_record(delegation=delegation, user=request.user, **form.cleaned_data)
        except ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Handover recorded."))
            return redirect("exchange:handover", pk=delegation.pk)
    athletes = list(delegation.athletes.prefetch_related("guardians"))
    roster_read_log(
        delegation=delegation, athletes=athletes, user=request.user, kind=AthleteAccessKind.ROSTER
    )
    context = {
        "delegation": delegation,
        "form": form,
        "handovers": selectors.handovers_for_delegation(delegation),
        "athletes": athletes,
    }
    return _render(request, "handover.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
@never_cache
def guardian_link_send(request, pk, guardian_pk):
    delegation_guardian = (
        Guardian.objects.select_related("athlete__delegation").filter(pk=guardian_pk, athlete_id=pk).first()
    )
    if delegation_guardian is None:
        raise Http404
    selectors.delegation_get(request.user, delegation_guardian.athlete.delegation_id, perm=MANAGE)
    guardians.guardian_link_create(guardian=delegation_guardian, user=request.user)
    if delegation_guardian.email:
        messages.success(request, _("The guardian's private link and PIN have been emailed."))
    else:
        messages.error(request, _("This guardian has no email address: add one to send the link."))
    return redirect("exchange:handover", pk=delegation_guardian.athlete.delegation_id)


@never_cache
def guardian(request, token):
    """Public (the link is the key): one guardian sees their own child's itinerary, roll-calls and
    handover, nothing of other children."""
    try:
        link = guardians.guardian_link_resolve(token=token)
    except ExchangeError as error:
        return render(request, "exchange/guardian.html", {"error": str(error)}, status=404)
    child = link.guardian.athlete
    return render(request, "exchange/guardian.html", {"child": child, **selectors.guardian_view(child)})


# ---- organisers ------------------------------------------------------------------------------------


@login_required
def organiser(request, pk):
    programme = selectors.programme_get_for_organiser(request.user, pk)
    context = {
        "programme": programme,
        "delegations": selectors.organiser_delegations(programme),
        "experiences": selectors.experiences_for_programme(programme.pk),
    }
    return _render(request, "organiser.html", context)
