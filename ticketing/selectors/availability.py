"""How many places are left, for pages (a hint: sellers take places through ticketing/services/places.py).

Every quota and section counts its places sold or held in `taken` (tickets reserved or valid, and
every cart line until it is released); the sellers move it with one conditional UPDATE and every
release path gives places back (see services/places.py and docs/architecture.md#locking-rules).

Places left in a quota (or section) = capacity - taken + lapsed holds not yet released
    (exact: a hold lapses by the clock and is released by the next sweep or by the next seller who
    finds the row full, so the page already counts its places as free).
A ticket type's places left are the tightest of its quotas and its section; a type with no quota
is not on sale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ticketing.models import CartLine, Quota, Section, Ticket, TicketType
from ticketing.models.sales import TICKET_HOLDING_STATES


@dataclass(frozen=True)
class Scarce:
    """The scarce rows behind a set of ticket types: which quotas and sections each type draws on."""

    quotas_by_type: dict[int, list[int]]
    types_by_quota: dict[int, list[int]]
    section_by_type: dict[int, int | None]
    types_by_section: dict[int, list[int]]


def _scarce_for(type_ids: Iterable[int]) -> Scarce:
    """The quota and section configuration behind the types: two statements, read before any lock."""
    type_ids = set(type_ids)
    through = TicketType.quotas.through
    quotas_by_type: dict[int, list[int]] = defaultdict(list)
    types_by_quota: dict[int, list[int]] = defaultdict(list)
    # Every (quota, type) pair of every quota the types draw on, the other types of a shared quota too.
    touched = through.objects.filter(tickettype_id__in=type_ids).values("quota_id")
    for quota_id, type_id in through.objects.filter(quota_id__in=touched).values_list(
        "quota_id", "tickettype_id"
    ):
        types_by_quota[quota_id].append(type_id)
        quotas_by_type[type_id].append(quota_id)
    # The types' own sections, and every type of those sections.
    section_ids = TicketType.objects.filter(pk__in=type_ids, section__isnull=False).values("section_id")
    sections: dict[int, int | None] = dict.fromkeys(type_ids)
    types_by_section: dict[int, list[int]] = defaultdict(list)
    rows = TicketType.objects.filter(Q(pk__in=type_ids) | Q(section_id__in=section_ids)).values_list(
        "pk", "section_id"
    )
    for type_id, section_id in rows:
        if type_id in type_ids:
            sections[type_id] = section_id
        if section_id:
            types_by_section[section_id].append(type_id)
    # A type of the demand that is in no section only appears in the sections map.
    return Scarce(dict(quotas_by_type), dict(types_by_quota), sections, dict(types_by_section))


def _lapsed_by_type(type_ids: set[int]) -> dict[int, int]:
    """Places of lapsed holds not yet released, per type: one statement."""
    rows = (
        CartLine.objects.filter(ticket_type_id__in=type_ids, hold_expires_at__lte=timezone.now())
        .values("ticket_type_id")
        .annotate(n=Sum("quantity"))
        .order_by()
        .values_list("ticket_type_id", "n")
    )
    lapsed: dict[int, int] = defaultdict(int)
    lapsed.update(rows)
    return lapsed


@dataclass(frozen=True)
class Counts:
    scarce: Scarce
    quota_left: dict[int, int]
    section_left: dict[int, int]
    by_type: dict[int, int]
    quota_capacity: dict[int, int]
    section_capacity: dict[int, int]


def _count(type_ids: Iterable[int]) -> Counts:
    """Places left per quota, section and ticket type (the tightest of its quotas and section)."""
    type_ids = set(type_ids)
    scarce = _scarce_for(type_ids)
    quotas = Quota.objects.filter(pk__in=scarce.types_by_quota.keys()).values_list("pk", "capacity", "taken")
    section_ids = sorted(scarce.types_by_section)
    sections = (
        Section.objects.filter(pk__in=section_ids).values_list("pk", "capacity", "taken")
        if section_ids
        else []
    )
    involved = set(type_ids)
    for members in (*scarce.types_by_quota.values(), *scarce.types_by_section.values()):
        involved.update(members)
    lapsed = _lapsed_by_type(involved)
    quota_capacity, quota_left = {}, {}
    for pk, capacity, taken in quotas:
        quota_capacity[pk] = capacity
        quota_left[pk] = capacity - taken + sum(lapsed[t] for t in scarce.types_by_quota.get(pk, ()))
    section_capacity, section_left = {}, {}
    for pk, capacity, taken in sections:
        section_capacity[pk] = capacity
        section_left[pk] = capacity - taken + sum(lapsed[t] for t in scarce.types_by_section.get(pk, ()))
    remaining = {}
    for type_id in type_ids:
        quota_ids = scarce.quotas_by_type.get(type_id, [])
        if not quota_ids:
            remaining[type_id] = 0
            continue
        left = min(quota_left[q] for q in quota_ids)
        section_id = scarce.section_by_type.get(type_id)
        if section_id:
            left = min(left, section_left[section_id])
        remaining[type_id] = max(left, 0)
    return Counts(scarce, quota_left, section_left, remaining, quota_capacity, section_capacity)


def taken_recount(
    *, quota_ids: Iterable[int] = (), section_ids: Iterable[int] = ()
) -> dict[tuple[str, int], int]:
    """What `taken` should be, counted from the rows: ("quota"|"section", pk) -> tickets that hold a
    place plus every cart line of the row's types. For consistency checks, not for pages."""
    through = TicketType.quotas.through
    members: dict[tuple[str, int], set[int]] = defaultdict(set)
    for quota_id, type_id in through.objects.filter(quota_id__in=list(quota_ids)).values_list(
        "quota_id", "tickettype_id"
    ):
        members[("quota", quota_id)].add(type_id)
    for section_id, type_id in TicketType.objects.filter(section_id__in=list(section_ids)).values_list(
        "section_id", "pk"
    ):
        members[("section", section_id)].add(type_id)
    type_ids = {t for types in members.values() for t in types}
    by_type: dict[int, int] = defaultdict(int)
    for type_id, n in (
        Ticket.objects.filter(ticket_type_id__in=type_ids, state__in=TICKET_HOLDING_STATES)
        .values("ticket_type_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("ticket_type_id", "n")
    ):
        by_type[type_id] += n
    for type_id, n in (
        CartLine.objects.filter(ticket_type_id__in=type_ids)
        .values("ticket_type_id")
        .annotate(n=Sum("quantity"))
        .order_by()
        .values_list("ticket_type_id", "n")
    ):
        by_type[type_id] += n
    keys = [("quota", pk) for pk in quota_ids] + [("section", pk) for pk in section_ids]
    return {key: sum(by_type[t] for t in members.get(key, ())) for key in keys}


def remaining_for_types(ticket_types: Iterable[TicketType]) -> dict[int, int]:
    """For pages: places left per type id, without locking (a hint; checkout re-checks)."""
    type_ids = [t.pk for t in ticket_types]
    if not type_ids:
        return {}
    return _count(type_ids).by_type


def places_for_types(ticket_types: Iterable[TicketType]) -> dict[int, tuple[int, int]]:
    """For the organiser's sales page: (capacity, places left) per type id, without locking. A
    type's capacity is the tightest of its quotas and its section (0 with no quota: not on sale);
    types sharing a quota share its places, so the rows of one session do not add up."""
    type_ids = [t.pk for t in ticket_types]
    if not type_ids:
        return {}
    counts = _count(type_ids)
    scarce = counts.scarce
    places = {}
    for type_id in type_ids:
        limits = [counts.quota_capacity[q] for q in scarce.quotas_by_type.get(type_id, [])]
        section_id = scarce.section_by_type.get(type_id)
        if limits and section_id:
            limits.append(counts.section_capacity[section_id])
        places[type_id] = (min(limits) if limits else 0, counts.by_type.get(type_id, 0))
    return places
