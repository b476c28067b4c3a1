"""Monthly settlement pages: the organiser's list of merchants with subsidised offers, each month's
statement (organisers and the merchant's owner), its PDF and CSV, and the organiser's confirmation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from events.models import Programme
from tourism.errors import SettlementError
from tourism.models import Merchant
from tourism.selectors.report import is_organiser_of
from tourism.selectors.report_settlement import (
    merchant_for_settlement,
    merchants_for_settlement,
    month_start,
    statement_items,
    statement_months,
    statement_months_by_merchant,
)
from tourism.services.settlement import settlement_confirm
from tourism.services.settlement_documents import statement_csv, statement_document, statement_pdf


def _merchant(request, pk: int) -> tuple[Merchant, bool]:
    try:
        return merchant_for_settlement(request.user, pk)
    except Merchant.DoesNotExist as exc:
        raise Http404 from exc


def _period(year: int, month: int) -> dt.date:
    try:
        period = dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    if period > month_start(timezone.localdate()):
        raise Http404
    return period


@login_required
def settlement_list(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    if not is_organiser_of(request.user, programme):
        raise Http404
    merchants = list(merchants_for_settlement(programme))
    months = statement_months_by_merchant(merchants)
    rows = [(merchant, months[merchant.pk]) for merchant in merchants]
    return render(request, "tourism/settlement_list.html", {"programme": programme, "rows": rows})


@login_required
def statement_detail(request, pk: int, year: int, month: int):
    merchant, organiser = _merchant(request, pk)
    period = _period(year, month)
    statement, items = statement_items(merchant, period)
    document = statement_document(merchant, period, statement, items)
    context = {
        "merchant": merchant,
        "period": period,
        "statement": statement,
        "document": document,
        "organiser": organiser,
        "months": statement_months(merchant),
    }
    return render(request, "tourism/statement_detail.html", context)


def _document(request, pk: int, year: int, month: int):
    merchant, _organiser = _merchant(request, pk)
    period = _period(year, month)
    statement, items = statement_items(merchant, period)
    return statement_document(merchant, period, statement, items), f"{period:%Y-%m}-{merchant.slug}"


@login_required
def statement_pdf_view(request, pk: int, year: int, month: int):
    document, name = _document(request, pk, year, month)
    response = HttpResponse(statement_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="settlement-{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def statement_csv_view(request, pk: int, year: int, month: int):
    document, name = _document(request, pk, year, month)
    response = HttpResponse(statement_csv(document), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="settlement-{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def statement_confirm(request, pk: int, year: int, month: int):
    merchant, organiser = _merchant(request, pk)
    if not organiser:
        raise Http404
    period = _period(year, month)
    try:
        statement, created = settlement_confirm(merchant=merchant, period=period, user=request.user)
    except SettlementError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(
                request, translation.gettext("Statement %(number)s confirmed.") % {"number": statement.number}
            )
        else:
            messages.info(
                request, translation.gettext("This statement was already confirmed; nothing changed.")
            )
    return redirect("tourism:statement-detail", pk=merchant.pk, year=period.year, month=period.month)
