"""Reads for the organiser's set-up pages: each session's ticket types, quotas and sections with
what is sold or held and what is left, in a fixed number of statements whatever the row count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from events.models import Event, Session
from ticketing.models import CartLine, Quota, Section, Ticket, TicketType
from ticketing.models.sales import TICKET_HOLDING_STATES


def taken_by_type(type_ids: Iterable[int]) -> dict[int, int]:
    """Places each ticket type takes now: tickets that hold one (reserved or valid) plus live holds.

    Two statements. The same count availability sells against; the set-up services call it after
    locking the quota or section rows, so a capacity cut is checked against what is really taken.
    """
    type_ids = list(set(type_ids))
    taken: dict[int, int] = defaultdict(int)
    if not type_ids:
        return taken
    tickets = (
        Ticket.objects.filter(ticket_type_id__in=type_ids, state__in=TICKET_HOLDING_STATES)
        .values("ticket_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in tickets:
        taken[row["ticket_type_id"]] += row["n"]
    holds = (
        CartLine.objects.filter(ticket_type_id__in=type_ids, hold_expires_at__gt=timezone.now())
        .values("ticket_type_id")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    for row in holds:
        taken[row["ticket_type_id"]] += row["n"]
    return taken


def quota_taken(quota: Quota) -> int:
    return sum(taken_by_type(quota.ticket_types.values_list("pk", flat=True)).values())


def section_taken(section: Section) -> int:
    return sum(taken_by_type(section.ticket_types.values_list("pk", flat=True)).values())


@dataclass
class SessionSetup:
    session: Session
    ticket_types: list[TicketType] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def setup_for_event(event: Event) -> list[SessionSetup]:
    """Every session of the event with its types, quotas and sections; each row carries `recounted`
    (its places sold or held, counted from the tickets and holds) and `left` (capacity minus
    recounted; a type's `left` is the tightest of its quotas and section). Named apart from the
    `Quota.taken` and `Section.taken` counters so that a page never shows one for the other."""
    sessions = list(Session.objects.filter(event=event).select_related("venue").order_by("starts_at", "pk"))
    types = list(
        TicketType.objects.filter(session__event=event)
        .select_related("section")
        .prefetch_related("quotas", "ballot")
        .order_by("session_id", "position", "pk")
    )
    quotas = list(Quota.objects.filter(session__event=event).prefetch_related("ticket_types").order_by("pk"))
    sections = list(Section.objects.filter(session__event=event).order_by("pk"))
    taken = taken_by_type(t.pk for t in types)
    by_session = {s.pk: SessionSetup(session=s) for s in sessions}
    for quota in quotas:
        quota.recounted = sum(taken[t.pk] for t in quota.ticket_types.all())
        quota.left = max(quota.capacity - quota.recounted, 0)
        by_session[quota.session_id].quotas.append(quota)
    section_taken_map: dict[int, int] = defaultdict(int)
    for ticket_type in types:
        if ticket_type.section_id:
            section_taken_map[ticket_type.section_id] += taken[ticket_type.pk]
    for section in sections:
        section.recounted = section_taken_map[section.pk]
        section.left = max(section.capacity - section.recounted, 0)
        by_session[section.session_id].sections.append(section)
    quota_left = {q.pk: q.left for q in quotas}
    for ticket_type in types:
        ticket_type.recounted = taken[ticket_type.pk]
        lefts = [quota_left[q.pk] for q in ticket_type.quotas.all()]
        if ticket_type.section_id:
            lefts.append(ticket_type.section.capacity - section_taken_map[ticket_type.section_id])
        ticket_type.left = max(min(lefts), 0) if ticket_type.quotas.all() else 0
        ticket_type.ballot_or_none = getattr(ticket_type, "ballot", None)
        by_session[ticket_type.session_id].ticket_types.append(ticket_type)
    return list(by_session.values())
