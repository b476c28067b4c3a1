"""Organiser pages under /organiser/ticketing/: sales, orders (search, CSV), mark paid, refund, cancel a session.

Objects are fetched with get_for_user_or_404 (a missing permission is a 404). Destructive actions
(refund, cancel a session) show a confirmation page first and need a ticked confirmation box.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from events.exports import spreadsheet_cell
from events.models import Event, Programme, Session
from events.permissions import get_for_user_or_404, require_perm_or_404
from ticketing.errors import TicketingError
from ticketing.forms import OrderSearchForm, RefundForm, SessionCancelForm
from ticketing.models import Ballot
from ticketing.money import format_fen
from ticketing.selectors import sales as selectors
from ticketing.selectors import today as today_selectors
from ticketing.selectors.availability import places_for_types
from ticketing.services import ballots as ballot_services
from ticketing.services import payments as payment_services
from ticketing.services import refunds as refund_services
from ticketing.services import sessions as session_services


def _order(request, code: str):
    order = selectors.order_get_for_organiser(code=code).first()
    if order is None:
        raise Http404
    require_perm_or_404(request.user, "events.manage_programme", order.programme)
    return order


@login_required
def sales(request, slug: str):
    event = get_for_user_or_404(Event.objects.all(), user=request.user, perm="events.manage_event", slug=slug)
    rows = list(selectors.sales_by_session_and_type(event))
    places = places_for_types(rows)
    for row in rows:
        row.capacity, row.remaining = places[row.pk]
    totals = {"sold": sum(r.sold for r in rows), "revenue_fen": sum(r.revenue_fen for r in rows)}
    return render(request, "ticketing/organiser_sales.html", {"event": event, "rows": rows, "totals": totals})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def orders(request, slug: str):
    """The programme's orders; the search is POSTed, so a buyer's or a holder's name (often a child
    travelling with a parent) never lands in a URL, the browser's history or a proxy's log."""
    programme = get_for_user_or_404(
        Programme.objects.all(), user=request.user, perm="events.manage_programme", slug=slug
    )
    searched = request.method == "POST"
    form = OrderSearchForm(request.POST if searched else None)
    data = form.cleaned_data if searched and form.is_valid() else {}
    found = selectors.orders_for_programme(programme, query=data.get("q", ""), state=data.get("state", ""))
    if (request.POST if searched else request.GET).get("format") == "csv":
        return _orders_csv(programme, found)
    context = {"programme": programme, "form": form, "orders": found[:200]}
    return render(request, "ticketing/organiser_orders.html", context)


def _orders_csv(programme, orders) -> HttpResponse:
    # No document data: holders' names are not exported either, only what accounting needs.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="orders-{programme.slug}.csv"'
    response.write("\ufeff")  # so that Excel opens UTF-8 Chinese text correctly
    writer = csv.writer(response)
    writer.writerow(
        ["order", "created_at", "state", "provider", "buyer_email", "tickets", "total_yuan", "refunded_yuan"]
    )
    for order in orders:
        # Every cell through the formula guard: an e-mail address can start with "=" or "@".
        writer.writerow(
            [
                spreadsheet_cell(cell)
                for cell in (
                    order.code,
                    timezone.localtime(order.created_at).isoformat(timespec="seconds"),
                    order.state,
                    order.provider,
                    order.user.email,
                    order.ticket_count,
                    f"{order.total_fen / 100:.2f}",
                    f"{order.refunded_fen / 100:.2f}",
                )
            ]
        )
    return response


@login_required
@never_cache
def order_detail(request, code: str):
    order = _order(request, code)
    return render(request, "ticketing/organiser_order.html", {"order": order})


@login_required
@require_POST
def order_mark_paid(request, code: str):
    order = _order(request, code)
    try:
        payment_services.payment_record_manual(order=order, by=request.user)
        messages.success(
            request, _("Order %(code)s is marked paid; the tickets were sent.") % {"code": order.code}
        )
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:organiser-order", code=order.code)


@login_required
@never_cache
def order_refund(request, code: str):
    order = _order(request, code)
    form = RefundForm(request.POST or None, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            order = refund_services.order_refund(
                order=order,
                tickets=form.chosen_tickets(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("Refunded: %(amount)s in total.") % {"amount": format_fen(order.refunded_fen)}
            )
            return redirect("ticketing:organiser-order", code=order.code)
        except TicketingError as exc:
            messages.error(request, str(exc))
    return render(request, "ticketing/organiser_refund.html", {"order": order, "form": form})


@login_required
def session_cancel(request, pk: int):
    session = get_for_user_or_404(
        Session.objects.select_related("event", "venue"),
        user=request.user,
        perm="events.manage_session",
        pk=pk,
    )
    form = SessionCancelForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = session_services.session_cancel(
            session=session, by=request.user, reason=form.cleaned_data["reason"]
        )
        if not result.failed:
            messages.success(
                request, _("The session is cancelled; ticket holders are refunded and notified.")
            )
            return redirect("ticketing:organiser-sales", slug=session.event.slug)
    affected = session.tickets.filter(state__in=["reserved", "valid"]).count()
    context = {"session": session, "form": form, "result": result, "affected": affected}
    return render(request, "ticketing/organiser_session_cancel.html", context)


@login_required
@require_POST
def ballot_draw(request, pk: int):
    ballot = Ballot.objects.select_related("ticket_type__session__event").filter(pk=pk).first()
    if ballot is None:
        raise Http404
    require_perm_or_404(request.user, "events.manage_event", ballot.ticket_type.session.event)
    try:
        ballot_services.ballot_draw(ballot=ballot)
        messages.success(request, _("The ballot is drawn; winners have been emailed."))
    except TicketingError as exc:
        messages.error(request, str(exc))
    return redirect("ticketing:ballot-detail", pk=ballot.pk)


def today_panel(*, programme_ids: list[int], today) -> dict:
    """The organiser home's ticketing figures (registered in apps.py with events.hooks)."""
    return {
        "template": "ticketing/_organiser_today.html",
        "order": 10,
        "sales": today_selectors.sales_today(programme_ids=programme_ids, today=today),
        "gates": today_selectors.scans_by_gate_today(programme_ids=programme_ids, today=today),
    }
