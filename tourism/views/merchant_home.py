"""The merchant home: owners and counter staff land here after logging in (instead of the
spectator's pages) and see what the programme brought them: redemptions, bills and discounts by
day and store, and (owners) the monthly settlement statements. No personal data: figures only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registration.adapter import AccountAdapter as RegistrationAccountAdapter
from ticketing.money import format_fen
from tourism.enums import MerchantRole
from tourism.models import MerchantMembership
from tourism.selectors.report import (
    memberships_for,
    merchant_daily,
    merchant_membership_for,
    stores_visible_to,
)
from tourism.selectors.report_settlement import statement_months
from tourism.views.charts import Chart, Series

MERCHANT_SESSION_KEY = "tourism_merchant_staff"  # set at login: the header offers the merchant home
REPORT_SESSION_KEY = "tourism_report_viewer"  # set at login: a city bureau viewer sees the report link
DAYS = 30


def remember_merchant_staff(sender, request, user, **kwargs) -> None:
    """On login (`user_logged_in`): whether this person works for a merchant or reads a city's
    report, kept in the session so the header needs no query (a later role shows from the next login)."""
    if request is not None and hasattr(request, "session"):
        request.session[MERCHANT_SESSION_KEY] = memberships_for(user).exists()
        request.session[REPORT_SESSION_KEY] = user.city_report_roles.exists()


class AccountAdapter(RegistrationAccountAdapter):
    """Registration's adapter (links from SITE_URL, organisers to the organiser home), plus: merchant
    owners and staff who are not organisers land on the merchant home after logging in."""

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        if url != reverse("events:organiser-home") and memberships_for(request.user).exists():
            return reverse("tourism:merchant-home")
        return url


@login_required
def merchant_home(request):
    memberships = list(memberships_for(request.user))
    if not memberships:
        raise Http404
    if len(memberships) == 1:
        return redirect("tourism:merchant-dashboard", pk=memberships[0].merchant_id)
    return render(request, "tourism/merchant_home.html", {"memberships": memberships})


@login_required
def merchant_dashboard(request, pk: int):
    try:
        membership = merchant_membership_for(request.user, pk)
    except MerchantMembership.DoesNotExist as exc:
        raise Http404 from exc
    merchant = membership.merchant
    stores = list(stores_visible_to(membership))
    end = timezone.localdate()
    start = end - dt.timedelta(days=DAYS - 1)
    rows = merchant_daily(merchant, start=start, end=end, stores=stores)
    days = [start + dt.timedelta(days=offset) for offset in range(DAYS)]
    by_key = {(row["business_day"], row["store_id"]): row for row in rows}
    chart = Chart(
        kind="stacked",
        title=_("Redemptions by day and store, last 30 days"),
        categories=tuple(f"{day:%m-%d}" for day in days if any((day, s.pk) in by_key for s in stores)),
        series=tuple(
            Series(
                store.name,
                tuple(
                    by_key.get((day, store.pk), {}).get("redemptions", 0)
                    for day in days
                    if any((day, s.pk) in by_key for s in stores)
                ),
            )
            for store in stores
        ),
        slug="merchant-days",
    )
    store_names = {store.pk: store.name for store in stores}
    table = [
        (
            row["business_day"],
            store_names[row["store_id"]],
            row["redemptions"],
            row["bill_fen"],
            row["discount_fen"],
        )
        for row in reversed(rows)
    ]
    totals = {
        "redemptions": sum(row["redemptions"] for row in rows),
        "bill": format_fen(sum(row["bill_fen"] for row in rows)),
        "discount": format_fen(sum(row["discount_fen"] for row in rows)),
    }
    owner = membership.role == MerchantRole.OWNER
    context = {
        "membership": membership,
        "merchant": merchant,
        "stores": stores,
        "chart": chart,
        "table": table,
        "totals": totals,
        "months": statement_months(merchant) if owner else [],
        "owner": owner,
    }
    return render(request, "tourism/merchant_dashboard.html", context)
