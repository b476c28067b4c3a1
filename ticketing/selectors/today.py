"""The organiser home's figures for today: tickets sold and their revenue, and scans per gate, for a
set of programmes. Two aggregate statements, whatever the number of orders or scans."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.enums import VenueResourceKind
from events.i18n import pick
from events.models import VenueResource
from ticketing.enums import ScanDirection, ScanResult, TicketState
from ticketing.models import Scan, Ticket


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day [start, end) as aware datetimes (Asia/Shanghai unless the site says otherwise)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def sales_today(*, programme_ids: list[int], today: dt.date) -> dict:
    """Tickets of orders paid today that are still valid, and their revenue in fen (one statement)."""
    start, end = day_bounds(today)
    return Ticket.objects.filter(
        order__programme_id__in=programme_ids,
        order__paid_at__gte=start,
        order__paid_at__lt=end,
        state=TicketState.VALID,
    ).aggregate(
        tickets=Count("pk"),
        revenue_fen=Coalesce(Sum("price_fen"), Value(0, output_field=IntegerField())),
    )


def scans_by_gate_today(*, programme_ids: list[int], today: dt.date) -> list[dict]:
    """Per venue gate, today's admissions and refusals at the entrance, busiest gate first (one
    statement for the counts, one for the gates' names)."""
    start, end = day_bounds(today)
    rows = (
        Scan.objects.filter(
            event__programme_id__in=programme_ids,
            scanned_at__gte=start,
            scanned_at__lt=end,
            annulled_at__isnull=True,
        )
        .values("event__venue_id", "gate_code")
        .annotate(
            admitted=Count("pk", filter=Q(result=ScanResult.ADMITTED, direction=ScanDirection.ENTRY)),
            refused=Count("pk", filter=Q(result=ScanResult.REFUSED)),
        )
        .order_by()
    )
    totals: dict[tuple[int, str], dict] = defaultdict(lambda: {"admitted": 0, "refused": 0})
    for row in rows:
        key = (row["event__venue_id"], row["gate_code"])
        totals[key]["admitted"] += row["admitted"]
        totals[key]["refused"] += row["refused"]
    if not totals:
        return []
    # An event held at several venues has no venue of its own: its gates are known by code alone.
    gates = (
        VenueResource.objects.filter(kind=VenueResourceKind.GATE, code__in={code for _venue, code in totals})
        .select_related("venue")
        .order_by("pk")
    )
    names: dict = {}
    for g in gates:
        label = (pick(g.name_zh, g.name_en), g.venue.name)
        names[(g.venue_id, g.code)] = label
        names.setdefault((None, g.code), label)
    result = []
    for (venue_id, code), counts in totals.items():
        gate, venue = names.get((venue_id, code)) or names.get((None, code), (code, ""))
        result.append({"gate": gate, "venue": venue, **counts})
    return sorted(result, key=lambda row: (-row["admitted"], row["venue"], row["gate"]))
