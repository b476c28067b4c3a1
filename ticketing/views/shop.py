"""Buyer pages: ticket types of an event, the cart with its holds, checkout, ballots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from events.models import Event
from ticketing.errors import TicketingError
from ticketing.forms import AddToCartForm, BallotApplyForm, CheckoutForm
from ticketing.models import Ballot, TicketType
from ticketing.selectors import sales as selectors
from ticketing.services import ballots as ballot_services
from ticketing.services import carts as cart_services
from ticketing.services import orders as order_services
from ticketing.services import payments as payment_services


def event_tickets(request, slug: str):
    try:
        event = selectors.event_get_for_tickets(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    context = {"event": event, "sessions": selectors.offers_for_event(event)}
    return render(request, "ticketing/event_tickets.html", context)


@login_required
@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("ticketing:cart")
    type_id = form.cleaned_data["ticket_type"]
    try:
        # The service reads the type afresh by its key (with session, event and ballot): none here.
        cart_services.cart_add(
            user=request.user, ticket_type=TicketType(pk=type_id), quantity=form.cleaned_data["quantity"]
        )
    except TicketType.DoesNotExist as exc:
        raise Http404 from exc
    except TicketingError as exc:
        messages.error(request, str(exc))
        return redirect("ticketing:event-tickets", slug=selectors.ticket_type_event_slug(type_id))
    return redirect("ticketing:cart")


@login_required
def cart(request):
    lines = selectors.cart_lines_for_user(request.user)
    total = sum(line.amount_fen for line in lines)
    context = {
        "lines": lines,
        "total_fen": total,
        "expires_at": min((line.hold_expires_at for line in lines), default=None),
    }
    return render(request, "ticketing/cart_detail.html", context)


@login_required
@require_POST
def cart_remove(request, pk: int):
    try:
        cart_services.cart_remove(user=request.user, line_id=pk)
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:cart")


@login_required
@sensitive_post_parameters()
def checkout(request):
    """The payment method is chosen here, once: the order is placed and its payment started with that
    method, so the pay page shows that method's next step (demo button, card form, bank details)."""
    lines = selectors.cart_lines_for_user(request.user)
    if not lines:
        return redirect("ticketing:cart")
    needs_payment = sum(line.amount_fen for line in lines) > 0
    form = CheckoutForm(request.POST or None, lines=lines, needs_payment=needs_payment)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.order_place(
                user=request.user, provider=form.cleaned_data.get("provider", "free"), holders=form.holders()
            )
        except TicketingError as exc:
            messages.error(request, str(exc))
        else:
            if order.is_paid:
                return redirect("ticketing:order-detail", code=order.code)
            try:
                # A second transaction, after the order's commit: the provider is called without a lock.
                payment_services.payment_start(order=order, provider=order.provider)
            except TicketingError as exc:
                messages.error(request, str(exc))  # the pay page offers the methods again
            return redirect("ticketing:order-pay", code=order.code)
    context = {"form": form, "lines": lines, "total_fen": sum(line.amount_fen for line in lines)}
    return render(request, "ticketing/checkout.html", context)


def ballot_detail(request, pk: int):
    try:
        ballot = selectors.ballot_get_public(pk=pk)
    except Ballot.DoesNotExist as exc:
        raise Http404 from exc
    form = BallotApplyForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                ballot_services.ballot_apply(
                    ballot=ballot, user=request.user, quantity=form.cleaned_data["quantity"]
                )
                messages.success(
                    request,
                    _(
                        "Your application is in. The draw happens after applications close; we will email you."
                    ),
                )
                return redirect("ticketing:ballot-detail", pk=ballot.pk)
            except TicketingError as exc:
                messages.error(request, str(exc))
    mine = ballot.applications.filter(user=request.user).first() if request.user.is_authenticated else None
    context = {"ballot": ballot, "form": form, "mine": mine, "results": selectors.ballot_results(ballot)}
    return render(request, "ticketing/ballot_detail.html", context)
