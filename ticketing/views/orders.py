"""The buyer's orders: list, status page, paying (provider choice, Stripe Payment Element, demo), cancel."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ticketing.enums import TicketState
from ticketing.errors import TicketingError
from ticketing.forms import PayForm
from ticketing.models import Order
from ticketing.selectors import credentials as credential_selectors
from ticketing.selectors import sales as selectors
from ticketing.services import orders as order_services
from ticketing.services import payments as payment_services


def _own_order(request, code: str) -> Order:
    try:
        return selectors.order_get_for_user(user=request.user, code=code)
    except Order.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def order_list(request):
    return render(request, "ticketing/order_list.html", {"orders": selectors.orders_for_user(request.user)})


@login_required
def order_detail(request, code: str):
    order = _own_order(request, code)
    # Coming back from Stripe shows the state only; the webhook is what marks the order paid.
    returning = "payment_intent" in request.GET and order.is_pending
    context = {
        "order": order,
        "returning": returning,
        "sessions": credential_selectors.tickets_by_session(order.tickets.all()),
        "printable": any(ticket.state == TicketState.VALID for ticket in order.tickets.all()),
    }
    return render(request, "ticketing/order_detail.html", context)


@login_required
def order_pay(request, code: str):
    """GET shows the chosen method's next step without starting anything; POST starts (or switches)."""
    order = _own_order(request, code)
    if not order.is_pending:
        return redirect("ticketing:order-detail", code=order.code)
    form = PayForm(request.POST or None, order=order, initial={"provider": order.provider or None})
    step = payment = None
    try:
        if request.method == "POST" and form.is_valid():
            payment, step = payment_services.payment_start(
                order=order, provider=form.cleaned_data["provider"]
            )
            order.refresh_from_db()
        elif request.method != "POST":
            step = payment_services.payment_next_step(order=order)
    except TicketingError as exc:
        messages.error(request, str(exc))
    context = {"order": order, "form": form, "step": step, "payment": payment, "stripe_js": _stripe_js_url()}
    return render(request, "ticketing/order_pay.html", context)


def _stripe_js_url() -> str:
    # Stripe.js is loaded only when Stripe is configured; localstripe serves a compatible copy in tests.
    if not settings.STRIPE_SECRET_KEY:
        return ""
    return (
        f"{settings.STRIPE_API_BASE}/js.stripe.com/v3/"
        if settings.STRIPE_API_BASE
        else "https://js.stripe.com/v3/"
    )


@login_required
@require_POST
def order_pay_demo(request, code: str):
    order = _own_order(request, code)
    try:
        payment_services.payment_confirm_demo(order=order)
        messages.success(request, _("Paid (demo: no money moved). Your tickets are ready."))
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:order-detail", code=order.code)


@login_required
@require_POST
def order_cancel(request, code: str):
    order = _own_order(request, code)
    try:
        order_services.order_cancel(order=order, reason=_("Cancelled by the buyer"))
        messages.success(request, _("The order is cancelled and its places are back on sale."))
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:order-detail", code=order.code)
