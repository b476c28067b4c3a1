"""Fraud flags for organisers: check now, work through the list, dismiss a flag with a note or
suspend the store it is about."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Programme
from tourism.enums import FraudFlagKind, FraudFlagStatus
from tourism.models import FraudFlag
from tourism.selectors.report import fraud_flag_for_organiser, fraud_flags_for, is_organiser_of
from tourism.services.fraud import (
    FraudFlagError,
    fraud_flag_dismiss,
    fraud_flag_suspend_store,
    fraud_flags_refresh,
)


def _programme(request, pk: int) -> Programme:
    programme = get_object_or_404(Programme, pk=pk)
    if not is_organiser_of(request.user, programme):
        raise Http404
    return programme


def flag_evidence(flag: FraudFlag) -> str:
    """What the rule saw, in words, from the numbers it kept."""
    detail = flag.detail or {}
    if flag.kind == FraudFlagKind.TRAVEL:
        return _("Stores %(km).1f km apart, %(minutes)s min between the two redemptions.") % {
            "km": detail.get("distance_m", 0) / 1000,
            "minutes": round(detail.get("seconds", 0) / 60),
        }
    if flag.kind in {FraudFlagKind.REVERSALS_STORE, FraudFlagKind.REVERSALS_STAFF}:
        return _("%(reversals)s of %(redemptions)s redemptions reversed (%(percent)s%%).") % {
            "reversals": detail.get("reversals", 0),
            "redemptions": detail.get("redemptions", 0),
            "percent": detail.get("percent", 0),
        }
    if flag.kind == FraudFlagKind.OUTSIDE_HOURS:
        minute = detail.get("minute_of_day", 0)
        return _("Redeemed at %(time)s, when the store's opening hours say it is closed.") % {
            "time": f"{minute // 60:02d}:{minute % 60:02d}"
        }
    if flag.kind == FraudFlagKind.BURST:
        return _("%(stubs)s different stubs within %(seconds)s seconds.") % {
            "stubs": detail.get("stubs", 0),
            "seconds": detail.get("seconds", 0),
        }
    return ""


@login_required
def fraud_flags(request, pk: int):
    programme = _programme(request, pk)
    status = request.GET.get("status", FraudFlagStatus.OPEN)
    if status not in FraudFlagStatus.values and status != "all":
        status = FraudFlagStatus.OPEN
    flags = fraud_flags_for(programme, status=None if status == "all" else status)
    return render(
        request,
        "tourism/fraud_flags.html",
        {
            "programme": programme,
            "flags": [(flag, flag_evidence(flag)) for flag in flags],
            "status": status,
            "statuses": FraudFlagStatus.choices,
        },
    )


@login_required
@require_POST
def fraud_refresh(request, pk: int):
    programme = _programme(request, pk)
    created = fraud_flags_refresh(programme=programme)
    messages.success(request, _("Checked. New flags: %(count)s.") % {"count": created})
    return redirect("tourism:fraud-flags", pk=programme.pk)


def _flag(request, pk: int) -> FraudFlag:
    try:
        return fraud_flag_for_organiser(request.user, pk)
    except FraudFlag.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def fraud_flag_act(request, pk: int, action: str):
    flag = _flag(request, pk)
    act = {"dismiss": fraud_flag_dismiss, "suspend": fraud_flag_suspend_store}.get(action)
    if act is None:
        raise Http404
    try:
        act(flag=flag, user=request.user, note=request.POST.get("note", ""))
    except FraudFlagError as error:
        messages.error(request, str(error))
    else:
        done = (
            _("Flag dismissed.")
            if action == "dismiss"
            else _("Store suspended: it can no longer redeem stubs.")
        )
        messages.success(request, done)
    return redirect("tourism:fraud-flags", pk=flag.merchant.programme_id)
