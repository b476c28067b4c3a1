"""The city report's figures from plain rows: sums, funnel, out-of-town share, leverage, top merchants, all suppressed."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import translation

from tourism.selectors.report_figures import (
    RedemptionRow,
    breakdown,
    city_report,
    funnel,
    leverage,
    top_merchants,
)

SAT, SUN = dt.date(2026, 11, 28), dt.date(2026, 11, 29)
_ids = itertools.count(1)


def rows(
    n,
    *,
    area="310107",
    host="zhenjiang",
    category="restaurant",
    merchant=1,
    day=SAT,
    bill=10_000,
    discount=2_000,
    subsidy=0,
):
    return [
        RedemptionRow(
            stub_id=next(_ids),
            day=day,
            host_key=host,
            host_label=host.title(),
            category_key=category,
            category_label=category.title(),
            merchant_id=merchant,
            merchant_label=f"M{merchant}",
            area_code=area,
            bill_fen=bill,
            discount_fen=discount,
            subsidy_fen=subsidy,
        )
        for _ in range(n)
    ]


def test_breakdowns_add_up_and_small_origins_are_hidden_with_a_partner():
    data = rows(30, area="310107") + rows(12, area="321102") + rows(4, area="320583")
    with translation.override("en"):
        report = city_report(data, issued=400, activated=200)
    origin = {cell.label: cell for cell in report.by_origin.cells}
    assert origin["Shanghai"].value("people") == 30 and origin["Shanghai"].value("bill_fen") == 300_000
    assert origin["Suzhou"].value("people") is None and origin["Suzhou"].value("bill_fen") is None
    assert origin["Zhenjiang"].hidden  # the smallest other cell goes too: 46 - 30 - 12 would be 4
    assert report.by_origin.total.value("redemptions") == 46


def test_funnel_hides_small_counts_and_small_differences():
    assert funnel(400, 200, 46) == funnel(400, 200, 46)
    shown = funnel(400, 200, 46)
    assert (shown.issued, shown.activated, shown.redeemed) == (400, 200, 46)
    assert round(shown.conversion, 3) == 0.115
    tiny = funnel(400, 395, 5)  # 5 redeemed; 5 issued but never activated
    assert tiny.redeemed is None and tiny.activated is None and tiny.conversion is None


def test_out_of_town_share_counts_people_by_origin_against_the_host():
    data = rows(30, area="310107") + rows(10, area="321102") + rows(10, area="")
    share = city_report(data, issued=400, activated=200).share
    assert (share.out_of_town, share.local, share.unknown) == (30, 10, 10)
    assert share.percent == 75.0


def test_leverage_is_spending_unlocked_per_fen_of_subsidy():
    data = rows(20, subsidy=500, bill=10_000) + rows(20, bill=5_000)
    lev = leverage(data)
    assert (lev.subsidy_fen, lev.unlocked_fen, lev.ratio) == (10_000, 200_000, 20.0)
    assert leverage(rows(3, subsidy=500)).ratio is None  # three people: hidden


def test_top_merchants_leave_out_small_ones_and_any_that_would_reveal_a_remainder():
    data = (
        rows(40, merchant=1)
        + rows(15, merchant=2)
        + rows(3, merchant=3, category="hotel", host="nantong")
        + rows(20, merchant=4, category="hotel", host="nantong")
        + rows(5, merchant=5, category="hotel", host="nantong")
    )
    linked = [
        breakdown("category", data, lambda r: (r.category_key, r.category_label)),
        breakdown("host", data, lambda r: (r.host_key, r.host_label)),
    ]
    top = top_merchants(data, linked)
    # Hotels (and Nantong) total 28 people; listing M4's 20 would leave M3 and M5's 8 by subtraction.
    assert [cell.label for cell in top] == ["M1", "M2"]


def test_top_merchants_drop_a_merchant_whose_group_would_leave_a_few():
    data = (
        rows(40, merchant=1)
        + rows(15, merchant=2)
        + rows(20, merchant=4, category="hotel", host="nantong")
        + rows(4, merchant=5, category="hotel", host="nantong")
    )
    linked = [
        breakdown("category", data, lambda r: (r.category_key, r.category_label)),
        breakdown("host", data, lambda r: (r.host_key, r.host_label)),
    ]
    top = top_merchants(data, linked)
    hotel = next(c for c in linked[0].cells if c.key == "hotel")
    assert not hotel.hidden and hotel.people == 24  # published: 24 minus M4's 20 would give M5's 4
    assert [cell.label for cell in top] == ["M1", "M2"]


def test_top_merchants_list_a_group_whose_rest_is_ten_or_more():
    data = (
        rows(40, merchant=1)
        + rows(20, merchant=4, category="hotel", host="nantong")
        + rows(6, merchant=5, category="hotel", host="nantong")
        + rows(6, merchant=6, category="hotel", host="nantong")
    )
    linked = [
        breakdown("category", data, lambda r: (r.category_key, r.category_label)),
        breakdown("host", data, lambda r: (r.host_key, r.host_label)),
    ]
    assert [cell.label for cell in top_merchants(data, linked)] == ["M1", "M4"]


def test_day_breakdown_is_in_date_order():
    data = rows(12, day=SUN) + rows(15, day=SAT)
    report = city_report(data, issued=100, activated=50)
    assert [cell.key for cell in report.by_day.cells] == [SAT, SUN]
