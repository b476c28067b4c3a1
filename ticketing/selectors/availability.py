"""How many places are left, and the one locking rule every seller (cart, checkout, ballot) follows.

Locking rule (ticketing's scarce stock; indexed in docs/architecture.md#locking-rules):
    Inside the caller's transaction, lock the Quota rows of every ticket type involved, then their
    Section rows, each in ascending primary-key order (`select_for_update`), and only then count
    and re-check. Lock late (after all validation that needs no lock), lock once, never lock a
    quota while holding another app's scarce rows. Everyone who sells places goes through
    `lock_and_check`, so two buyers of the same quota serialise on its row and neither oversells;
    the fixed order means two buyers of overlapping quotas cannot deadlock.

Availability of a quota (or section) = capacity
    - tickets of its types that are reserved (order pending) or valid (order paid)
    - live holds (cart lines of its types whose hold has not lapsed), except the buyer's own cart.

A ticket type with no quota is not on sale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ticketing.errors import SoldOutError
from ticketing.models import CartLine, Quota, Section, Ticket, TicketType
from ticketing.models.sales import TICKET_HOLDING_STATES

# Only the control test of tests/ticketing/test_concurrency_orders.py switches this off, to show the race.
LOCKING_ENABLED = True
# Called between the count and the caller's writes; tests widen the race window with it.
after_check_hook: Callable[[], None] | None = None


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


def _used_by_type(type_ids: set[int], *, exclude_cart_id: int | None) -> dict[int, int]:
    """Places taken per type (tickets that hold one, live holds of other carts): one statement."""
    tickets = (
        Ticket.objects.filter(ticket_type_id=OuterRef("pk"), state__in=TICKET_HOLDING_STATES)
        .order_by()
        .values("ticket_type_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    holds = CartLine.objects.filter(ticket_type_id=OuterRef("pk"), hold_expires_at__gt=timezone.now())
    if exclude_cart_id is not None:
        holds = holds.exclude(cart_id=exclude_cart_id)
    holds = holds.order_by().values("ticket_type_id").annotate(n=Sum("quantity")).values("n")
    rows = (
        TicketType.objects.filter(pk__in=type_ids)
        .annotate(
            tickets_held=Coalesce(Subquery(tickets, output_field=IntegerField()), 0),
            holds_live=Coalesce(Subquery(holds, output_field=IntegerField()), 0),
        )
        .values_list("pk", "tickets_held", "holds_live")
    )
    used: dict[int, int] = defaultdict(int)
    for type_id, tickets_n, holds_n in rows:
        used[type_id] = tickets_n + holds_n
    return used


@dataclass(frozen=True)
class Counts:
    scarce: Scarce
    quota_left: dict[int, int]
    section_left: dict[int, int]
    by_type: dict[int, int]
    quota_capacity: dict[int, int]
    section_capacity: dict[int, int]


def _count(type_ids: Iterable[int], *, exclude_cart_id: int | None, lock: bool) -> Counts:
    """Places left per quota, section and ticket type (the tightest of its quotas and section)."""
    type_ids = set(type_ids)
    scarce = _scarce_for(type_ids)
    quotas = Quota.objects.filter(pk__in=scarce.types_by_quota.keys()).order_by("pk")
    section_ids = sorted(scarce.types_by_section)
    sections = Section.objects.filter(pk__in=section_ids).order_by("pk")
    if lock and LOCKING_ENABLED:
        quotas = quotas.select_for_update()
        sections = sections.select_for_update()
    quota_capacity = {q.pk: q.capacity for q in quotas}
    section_capacity = {s.pk: s.capacity for s in sections} if section_ids else {}
    involved = set(type_ids)
    for members in (*scarce.types_by_quota.values(), *scarce.types_by_section.values()):
        involved.update(members)
    used = _used_by_type(involved, exclude_cart_id=exclude_cart_id)
    quota_left = {
        quota_id: capacity - sum(used[t] for t in scarce.types_by_quota.get(quota_id, ()))
        for quota_id, capacity in quota_capacity.items()
    }
    section_left = {
        section_id: capacity - sum(used[t] for t in scarce.types_by_section.get(section_id, ()))
        for section_id, capacity in section_capacity.items()
    }
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


def lock_and_check(demand: dict[int, int], *, exclude_cart_id: int | None = None) -> None:
    """Lock the scarce rows behind `demand` (ticket type id -> places) and raise SoldOutError if short.

    Call inside `transaction.atomic()`, after validation, right before writing tickets or holds.
    Types sharing a quota or section are summed: two lines of one quota cannot both take its last place.
    """
    counts = _count(demand.keys(), exclude_cart_id=exclude_cart_id, lock=True)
    scarce = counts.scarce
    for type_id in demand:
        if not scarce.quotas_by_type.get(type_id):
            raise SoldOutError(_("Sold out: this ticket is not on sale."))
    per_quota: dict[int, int] = defaultdict(int)
    per_section: dict[int, int] = defaultdict(int)
    for type_id, wanted in demand.items():
        for quota_id in scarce.quotas_by_type[type_id]:
            per_quota[quota_id] += wanted
        if scarce.section_by_type.get(type_id):
            per_section[scarce.section_by_type[type_id]] += wanted
    short = any(wanted > counts.quota_left[q] for q, wanted in per_quota.items()) or any(
        wanted > counts.section_left[s] for s, wanted in per_section.items()
    )
    if short:
        raise SoldOutError(_("Sold out: not enough places are left for your request."))
    if after_check_hook is not None:
        after_check_hook()


def remaining_for_types(ticket_types: Iterable[TicketType]) -> dict[int, int]:
    """For pages: places left per type id, without locking (a hint; checkout re-checks)."""
    type_ids = [t.pk for t in ticket_types]
    if not type_ids:
        return {}
    return _count(type_ids, exclude_cart_id=None, lock=False).by_type


def places_for_types(ticket_types: Iterable[TicketType]) -> dict[int, tuple[int, int]]:
    """For the organiser's sales page: (capacity, places left) per type id, without locking. A
    type's capacity is the tightest of its quotas and its section (0 with no quota: not on sale);
    types sharing a quota share its places, so the rows of one session do not add up."""
    type_ids = [t.pk for t in ticket_types]
    if not type_ids:
        return {}
    counts = _count(type_ids, exclude_cart_id=None, lock=False)
    scarce = counts.scarce
    places = {}
    for type_id in type_ids:
        limits = [counts.quota_capacity[q] for q in scarce.quotas_by_type.get(type_id, [])]
        section_id = scarce.section_by_type.get(type_id)
        if limits and section_id:
            limits.append(counts.section_capacity[section_id])
        places[type_id] = (min(limits) if limits else 0, counts.by_type.get(type_id, 0))
    return places
