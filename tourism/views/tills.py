"""The merchant owner's tills: issue a bearer token for one store (shown once), revoke one (after a
confirmation). A till redeems through the counter API as the owner who issued it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from events.permissions import get_for_user_or_404
from tourism.errors import MerchantError
from tourism.forms import TillForm
from tourism.models import Merchant, Till
from tourism.selectors.merchants import tills_for_merchant
from tourism.services.tills import till_issue, till_revoke


def _merchant(request, pk: int) -> Merchant:
    return get_for_user_or_404(
        Merchant.objects.all(), user=request.user, perm="tourism.manage_merchant", pk=pk
    )


@never_cache  # the page that shows a new token must not be kept by any cache
@login_required
def till_list(request, pk: int):
    merchant = _merchant(request, pk)
    form = TillForm(request.POST or None, merchant=merchant)
    token = issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued, token = till_issue(
                store=form.cleaned_data["store"], name=form.cleaned_data["name"], by=request.user
            )
        except MerchantError as exc:
            form.add_error(None, str(exc))
        else:
            form = TillForm(merchant=merchant)
    context = {
        "merchant": merchant,
        "form": form,
        "tills": tills_for_merchant(merchant=merchant),
        "issued": issued,
        "token": token,
    }
    return render(request, "tourism/till_list.html", context)


@login_required
def till_revoke_confirm(request, pk: int, till_pk: int):
    merchant = _merchant(request, pk)
    till = get_object_or_404(Till.objects.select_related("store"), pk=till_pk, store__merchant=merchant)
    if request.method == "POST":
        try:
            till_revoke(till=till, by=request.user)
        except MerchantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Till revoked: its token no longer works."))
        return redirect("tourism:tills", pk=merchant.pk)
    return render(request, "tourism/till_revoke.html", {"merchant": merchant, "till": till})
