"""Merchants' own pages: apply, their merchants, one merchant (stores, offers, staff), add a store,
invite counter staff, accept an invitation, create or edit an offer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Programme
from events.permissions import get_for_user_or_404
from tourism.enums import OfferStatus
from tourism.errors import InvitationError, MerchantError, OfferError
from tourism.forms import MerchantApplyForm, OfferForm, StaffInviteForm, StoreForm
from tourism.models import Merchant, Offer
from tourism.selectors.merchants import merchant_role, merchants_for_user, stores_for_staff, terms_current
from tourism.services import merchants as services
from tourism.services.offers import offer_create, offer_update


def _merchant(request, pk: int, perm: str = "tourism.view_merchant") -> Merchant:
    queryset = Merchant.objects.select_related("city", "programme", "terms")
    return get_for_user_or_404(queryset, user=request.user, perm=perm, pk=pk)


@login_required
def merchant_list(request):
    context = {
        "merchants": merchants_for_user(user=request.user),
        "stores": stores_for_staff(user=request.user),
    }
    return render(request, "tourism/merchant_list.html", context)


@login_required
def merchant_apply(request):
    terms = terms_current()
    programme = Programme.objects.order_by("-start_date").first()
    form = MerchantApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and terms and programme:
        data = form.cleaned_data
        try:
            merchant = services.merchant_apply(
                user=request.user,
                programme=programme,
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                credit_code=data["credit_code"],
                category=data["category"],
                city=data["city"],
                contact_phone=data["contact_phone"],
                terms=terms,
                store=form.store_data(),
            )
        except MerchantError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Application sent: an organiser will review it."))
            return redirect("tourism:merchant-detail", pk=merchant.pk)
    context = {"form": form, "terms": terms, "programme": programme}
    return render(request, "tourism/merchant_apply.html", context, status=400 if form.errors else 200)


@login_required
def merchant_detail(request, pk: int):
    merchant = _merchant(request, pk)
    role = merchant_role(user=request.user, merchant=merchant)
    context = {
        "merchant": merchant,
        "is_owner": role == "owner",
        # Counter staff bound to one store see that store (the route table's "that store only").
        "stores": stores_for_staff(user=request.user).filter(merchant=merchant),
        "offers": merchant.offers.order_by("pk"),
        "staff": merchant.memberships.select_related("user", "store").order_by("role", "pk")
        if role == "owner"
        else [],
    }
    return render(request, "tourism/merchant_detail.html", context)


@login_required
def store_create(request, pk: int):
    merchant = _merchant(request, pk, "tourism.manage_merchant")
    form = StoreForm(request.POST or None, initial={"store_city": merchant.city_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.store_create(merchant=merchant, data=form.store_data())
        except MerchantError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Store added."))
            return redirect("tourism:merchant-detail", pk=merchant.pk)
    return render(request, "tourism/store_form.html", {"merchant": merchant, "form": form})


@login_required
def staff_invite(request, pk: int):
    merchant = _merchant(request, pk, "tourism.manage_merchant")
    form = StaffInviteForm(request.POST or None, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_invite(
                merchant=merchant,
                email=form.cleaned_data["email"],
                store=form.cleaned_data["store"],
                invited_by=request.user,
                language=get_language(),
                build_accept_url=lambda token: request.build_absolute_uri(
                    reverse("tourism:staff-accept", kwargs={"token": token})
                ),
            )
        except InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("tourism:merchant-detail", pk=merchant.pk)
    return render(request, "tourism/staff_invite.html", {"merchant": merchant, "form": form})


@login_required
def staff_accept(request, token: str):
    try:
        invitation = services.staff_invitation_get(token=token)
    except InvitationError as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            membership = services.staff_accept(token=token, user=request.user)
        except InvitationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("You can now redeem stubs at this merchant."))
            return redirect("tourism:merchant-detail", pk=membership.merchant_id)
    return render(request, "tourism/staff_accept.html", {"invitation": invitation})


@login_required
def offer_new(request, pk: int):
    merchant = _merchant(request, pk, "tourism.manage_merchant")
    form = OfferForm(request.POST or None, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_create(
                merchant=merchant, created_by=request.user, fields=form.service_fields(), **form.relations()
            )
        except OfferError as exc:
            form.add_error(None, str(exc))
        else:
            return _offer_saved(request, offer)
    return render(request, "tourism/offer_form.html", {"merchant": merchant, "form": form})


@login_required
def offer_edit(request, pk: int):
    offer = get_object_or_404(Offer.objects.exclude(status=OfferStatus.WITHDRAWN), pk=pk)
    merchant = _merchant(request, offer.merchant_id, "tourism.manage_merchant")
    form = OfferForm(request.POST or None, instance=offer, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_update(offer=offer, fields=form.service_fields(), relations=form.relations())
        except OfferError as exc:
            form.add_error(None, str(exc))
        else:
            return _offer_saved(request, offer)
    context = {"merchant": merchant, "form": form, "offer": offer}
    return render(request, "tourism/offer_form.html", context)


def _offer_saved(request, offer):
    if offer.is_live:
        messages.success(request, _("Offer live."))
    else:
        messages.success(request, _("Offer saved: a subsidised offer waits for an organiser."))
    return redirect("tourism:merchant-detail", pk=offer.merchant_id)


@login_required
@require_POST
def staff_remove(request, pk: int, membership_pk: int):
    merchant = _merchant(request, pk, "tourism.manage_merchant")
    membership = merchant.memberships.filter(pk=membership_pk).first()
    if membership is None:
        raise Http404
    try:
        services.staff_remove(membership=membership)
    except MerchantError as exc:
        messages.error(request, str(exc))
    return redirect("tourism:merchant-detail", pk=merchant.pk)
