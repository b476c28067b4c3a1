"""Organisers' approvals (under /organiser/, so two-factor is enforced): merchant applications and
subsidised offers of a programme, each approved or refused with a reason; stores suspended."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from events.models import Programme
from events.permissions import get_for_user_or_404
from tourism.enums import OfferStatus
from tourism.errors import TourismError
from tourism.forms import DecisionForm
from tourism.models import Merchant, Offer
from tourism.selectors.merchants import merchants_for_review
from tourism.services.merchants import merchant_decide
from tourism.services.offers import offer_decide

MANAGE = "events.manage_programme"


@login_required
def merchants_review(request, pk: int):
    programme = get_for_user_or_404(Programme.objects.all(), user=request.user, perm=MANAGE, pk=pk)
    context = {
        "programme": programme,
        "merchants": merchants_for_review(programme=programme),
        "offers": Offer.objects.filter(programme=programme, status=OfferStatus.PENDING).select_related(
            "merchant"
        ),
        "form": DecisionForm(),
    }
    return render(request, "tourism/organiser_merchants.html", context)


def _decide(request, obj, service) -> None:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose approve or refuse."))
        return
    try:
        service(by=request.user, approve=form.approve, reason=form.cleaned_data["reason"])
    except TourismError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, pgettext("approval", "Decision recorded."))


@login_required
@require_POST
def merchant_decision(request, pk: int):
    merchant = get_for_user_or_404(Merchant.objects.all(), user=request.user, perm=MANAGE, pk=pk)
    _decide(request, merchant, lambda **kw: merchant_decide(merchant=merchant, **kw))
    return redirect("tourism:organiser-merchants", pk=merchant.programme_id)


@login_required
@require_POST
def offer_decision(request, pk: int):
    offer = get_for_user_or_404(Offer.objects.all(), user=request.user, perm=MANAGE, pk=pk)
    _decide(request, offer, lambda **kw: offer_decide(offer=offer, **kw))
    return redirect("tourism:organiser-merchants", pk=offer.programme_id)
