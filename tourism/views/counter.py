"""The counter on a phone: scan (camera or keyboard wedge, ticketing's scanner code) or type a code,
see what it can take, redeem, and the day's receipts with reversal. The page talks to the counter
API (tourism/api.py) with the staff member's session."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.permissions import get_for_user_or_404
from tourism.errors import TourismError
from tourism.forms import ReverseForm
from tourism.models import Store
from tourism.selectors.redemptions import redemptions_for_store_day
from tourism.services.redemptions import redemption_reverse


def _store(request, pk: int) -> Store:
    queryset = Store.objects.select_related("merchant", "city")
    return get_for_user_or_404(queryset, user=request.user, perm="tourism.work_counter", pk=pk)


@login_required
def counter(request, pk: int):
    return render(request, "tourism/counter.html", {"store": _store(request, pk)})


@login_required
def counter_redemptions(request, pk: int):
    store = _store(request, pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    context = {
        "store": store,
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "redemptions": redemptions_for_store_day(store=store, day=day),
        "now": timezone.now(),
    }
    return render(request, "tourism/counter_redemptions.html", context)


@login_required
@require_POST
def counter_reverse(request, pk: int):
    store = _store(request, pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the receipt number and a reason."))
    else:
        try:
            redemption_reverse(
                receipt_number=form.cleaned_data["receipt_number"],
                store=store,
                staff=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TourismError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Redemption reversed."))
    return redirect("tourism:counter-redemptions", pk=store.pk)
