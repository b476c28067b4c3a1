"""The spectator's tickets: the wallet, one ticket for the phone (big QR), its QR image and PDFs.

URLs carry the credential's public id (a random UUID), never a database id; only the buyer finds a
ticket, anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ticketing.models import Order, Ticket
from ticketing.rendering.pdf import credential_qr_png, tickets_pdf
from ticketing.selectors import credentials as selectors
from ticketing.selectors import sales as sales_selectors


def _own_ticket(request, public_id) -> Ticket:
    try:
        return selectors.ticket_get_for_owner(user=request.user, public_id=public_id)
    except Ticket.DoesNotExist as exc:
        raise Http404 from exc


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def wallet(request):
    return render(request, "ticketing/wallet.html", selectors.wallet_for_user(request.user))


@login_required
def ticket_detail(request, public_id):
    ticket = _own_ticket(request, public_id)
    context = {"ticket": ticket, "credential": ticket.credential, "gates": selectors.gate_names_for(ticket)}
    return render(request, "ticketing/ticket_detail.html", context)


@login_required
@never_cache
def ticket_qr(request, public_id):
    ticket = _own_ticket(request, public_id)
    response = HttpResponse(credential_qr_png(ticket.credential, box_size=10), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def ticket_pdf(request, public_id):
    ticket = _own_ticket(request, public_id)
    return _pdf(tickets_pdf([ticket]), f"ticket-{ticket.order.code}-{str(public_id)[:8]}.pdf")


@login_required
def order_tickets_pdf(request, code: str):
    try:
        order = sales_selectors.order_get_for_user(user=request.user, code=code)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    tickets = list(selectors.tickets_for_pdf(order=order))
    if not tickets:
        raise Http404
    return _pdf(tickets_pdf(tickets), f"tickets-{order.code}.pdf")
