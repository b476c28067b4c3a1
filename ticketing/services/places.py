"""Places taken from quotas and sections: the one counter every seller and every release moves.

`Quota.taken` and `Section.taken` count the places sold or held: tickets that hold one (reserved or
valid) plus every cart line that exists (a lapsed hold counts until it is released). The database
keeps 0 <= taken <= capacity (CheckConstraint), so no bug can oversell.

Taking places is one conditional statement per scarce row, in ascending primary key, quotas then
sections (the locking rule of docs/architecture.md#locking-rules):
    UPDATE quota SET taken = taken + n WHERE id = %s AND taken <= capacity - n
A row that does not move means sold out, unless lapsed holds still count there (holds lapse by the
clock with no event, so they are released lazily by sellers as well as by the periodic sweep). Then
the seller's whole transaction is rolled back, those holds are released in a transaction of their
own, and the service runs once more (`reclaiming`, around cart_add and order_reserve). Releasing them
in the take's own transaction would break the locking rule: a conditional UPDATE that waited for its
row and then found no room still holds that row, and the release may lock rows with lower keys (and
other ticket types' rows), which deadlocks with a buyer taking both in order
(tests/ticketing/test_concurrency_places.py). `holds_reclaim` locks every row it touches in the
rule's order before it moves a counter, so it may run where the caller holds no counter row.
The hot row is locked by the UPDATE until the caller's COMMIT: callers take places last.

Every release path (cart line removed, hold lapsed, order cancelled or expired, refund, cancelled
session, ticket type moved or deleted) calls `places_release` exactly once for what stopped taking a
place, in the same transaction as the state change that stopped it. A hold is released by deleting
its row after locking it (`holds_drop`), so two sweepers cannot release one hold twice.

The ticket type rows are read FOR SHARE with their quota and section ids (`_rows_for`): an
organiser moving a type between quotas (catalogue.ticket_type_update) locks the type row FOR
UPDATE first, so a sale and a move never count against different rows. cart_add, the hot seller,
holds the type's sales lock shared instead (`TYPE_SALE_LOCK`, a transaction-scoped advisory lock on
PostgreSQL, taken by its cart upsert: services/cart_rows.py), and the organiser's move and delete take
it exclusively (`type_change_lock`) before the type row: 64 buyers of one type then write nothing to
its row (a FOR SHARE by concurrent transactions writes the row's lockers, as MultiXacts) and send one
statement fewer each.
"""

from __future__ import annotations

import contextvars
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.db import prepared_cursor
from ticketing.errors import SoldOutError
from ticketing.models import CartLine, Quota, Section, TicketType
from ticketing.selectors.availability import taken_recount

# Only the control tests (tests/ticketing/test_concurrency_*.py) switch this off: the counter is then
# read, checked in Python and written back (a lost update), to show the race the conditional UPDATE stops.
LOCKING_ENABLED = True
# Called after the take and before the caller's other writes; tests widen the race window with it.
after_check_hook: Callable[[], None] | None = None


@dataclass(frozen=True)
class Rows:
    """The scarce rows behind a set of ticket types."""

    quotas_by_type: dict[int, list[int]]
    section_by_type: dict[int, int | None]

    def per_row(self, demand: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
        """Places per quota and per section for `demand` (type id -> places); shared rows are summed."""
        per_quota: dict[int, int] = defaultdict(int)
        per_section: dict[int, int] = defaultdict(int)
        for type_id, n in demand.items():
            for quota_id in self.quotas_by_type.get(type_id, ()):
                per_quota[quota_id] += n
            section_id = self.section_by_type.get(type_id)
            if section_id:
                per_section[section_id] += n
        return dict(per_quota), dict(per_section)

    def is_one_quota(self) -> bool:
        """Every type draws on one quota and no section (cart_rows' statement takes these itself)."""
        return all(len(ids) == 1 for ids in self.quotas_by_type.values()) and not any(
            self.section_by_type.values()
        )


def types_lock(type_ids: Iterable[int]) -> None:
    """Lock these ticket type rows FOR SHARE, in ascending primary key, in a statement of their own
    (PostgreSQL). A statement that waits for a row lock sees every other table as it was when the
    statement began: a read of the types' quotas joined to the lock would return the quotas from
    before an organiser's move that committed while it waited. Read them in a later statement."""
    type_ids = sorted(set(type_ids))
    if type_ids and connection.features.has_select_for_update:
        placeholders = ", ".join(["%s"] * len(type_ids))
        table = TicketType._meta.db_table
        with connection.cursor() as cursor:  # the ORM has no FOR SHARE
            cursor.execute(
                f"SELECT id FROM {table} WHERE id IN ({placeholders}) ORDER BY id FOR SHARE",  # noqa: S608 (name from _meta)
                type_ids,
            )


# A ticket type's sales lock, PostgreSQL's transaction-scoped advisory lock on (class, type id): held
# shared by cart_add's sellers from their cart upsert to their COMMIT, exclusively by an organiser
# moving or deleting the type (catalogue.py, before the type row). The statement after the one that
# took it reads the type's quotas with a snapshot taken after any move that made it wait. Two types
# may share a key (ids are folded into 31 bits): they would then wait for each other, never miss a lock.
_TYPE_SALE_KEY = "1953069426, mod(%s::bigint, 2147483647)::integer"
TYPE_SALE_LOCK = f"pg_advisory_xact_lock_shared({_TYPE_SALE_KEY})"


def type_change_lock(type_id: int) -> None:
    """Take `type_id`'s sales lock exclusively (PostgreSQL), in a statement of its own: it waits for
    every cart_add holding it shared to commit, and holds new ones off until this transaction ends.
    Call it first in the transaction, before any cart line or type row lock (cart_add takes it
    before its lines)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock({_TYPE_SALE_KEY})", [type_id])


def _rows_for(type_ids: Iterable[int]) -> Rows:
    """The types' quota and section ids, read after their rows are locked FOR SHARE (`types_lock`)."""
    type_ids = sorted(set(type_ids))
    if not type_ids:
        return Rows({}, {})
    types_lock(type_ids)
    through = TicketType.quotas.through._meta
    types = TicketType._meta.db_table
    placeholders = ", ".join(["%s"] * len(type_ids))
    sql = (
        f"SELECT t.id, t.section_id, q.quota_id FROM {types} t "  # noqa: S608 (table names from _meta)
        f"LEFT JOIN {through.db_table} q ON q.tickettype_id = t.id WHERE t.id IN ({placeholders})"
    )
    quotas_by_type: dict[int, list[int]] = defaultdict(list)
    section_by_type: dict[int, int | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, type_ids)
        for type_id, section_id, quota_id in cursor.fetchall():
            section_by_type[type_id] = section_id
            if quota_id is not None:
                quotas_by_type[type_id].append(quota_id)
    return Rows(dict(quotas_by_type), section_by_type)


def _ordered(per_quota: dict[int, int], per_section: dict[int, int]) -> list[tuple[type, int, int]]:
    return [(Quota, pk, per_quota[pk]) for pk in sorted(per_quota)] + [
        (Section, pk, per_section[pk]) for pk in sorted(per_section)
    ]


_COUNTER_SQL: dict[tuple, str] = {}


def _counter_sql(model, *, take: bool) -> str:
    """The counter's UPDATE of one Quota or Section row, built once per process (the ORM's compiler
    cost more CPU than running it): take n if they fit, or give n back."""
    key = (model, take, connection.vendor)
    if key not in _COUNTER_SQL:
        quote = connection.ops.quote_name
        table, pk, taken, capacity = (
            quote(name) for name in (model._meta.db_table, "id", "taken", "capacity")
        )
        if take:
            sql = f"UPDATE {table} SET {taken} = {taken} + %s WHERE {pk} = %s AND {taken} <= {capacity} - %s"  # noqa: S608 (names from _meta)
        else:
            sql = f"UPDATE {table} SET {taken} = {taken} - %s WHERE {pk} = %s"  # noqa: S608 (names from _meta)
        _COUNTER_SQL[key] = sql
    return _COUNTER_SQL[key]


def _take_row(model, pk: int, n: int) -> bool:
    if LOCKING_ENABLED:
        with connection.cursor() as cursor:
            cursor.execute(_counter_sql(model, take=True), [n, pk, n])
            return cursor.rowcount > 0
    # The control: read, check, write back what was read plus n (the lost update a race shows).
    taken, capacity = model.objects.values_list("taken", "capacity").get(pk=pk)
    if taken + n > capacity:
        return False
    if after_check_hook is not None:
        after_check_hook()
    model.objects.filter(pk=pk).update(taken=taken + n)
    return True


def _release_rows(rows: list[tuple[type, int, int]]) -> None:
    for model, pk, n in rows:
        if n:
            with connection.cursor() as cursor:
                cursor.execute(_counter_sql(model, take=False), [n, pk])


def _try_take(rows: list[tuple[type, int, int]]) -> bool:
    done = []
    for model, pk, n in rows:
        if n <= 0:
            continue
        if not _take_row(model, pk, n):
            _release_rows(done)
            return False
        done.append((model, pk, n))
    return True


class _ReclaimFirst(Exception):  # a signal to `reclaiming`, not an error anyone sees
    """A take found no room where lapsed holds still count: `reclaiming` releases them and runs again."""

    def __init__(self, quota_ids: list[int], section_ids: list[int]):
        super().__init__()
        self.quota_ids, self.section_ids = quota_ids, section_ids


# Set by `reclaiming`: None outside it (a take there refuses without releasing), False in the first
# run, True in the run after the release (which then refuses).
_reclaim_state: contextvars.ContextVar[bool | None] = contextvars.ContextVar("reclaim_state", default=None)


def reclaiming(service):
    """Wrap a service that takes places in a transaction of its own: when its take finds no room but
    lapsed holds count there, its transaction has been rolled back (with every row lock it held), the
    holds are released in a transaction of their own, and the service runs once more with the same
    arguments. The second run refuses if it finds no room."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        if _reclaim_state.get() is not None:  # nested: the outer service does it
            return service(*args, **kwargs)
        token = _reclaim_state.set(False)
        try:
            try:
                return service(*args, **kwargs)
            except _ReclaimFirst as first:
                with transaction.atomic():
                    holds_reclaim(quota_ids=first.quota_ids, section_ids=first.section_ids)
            _reclaim_state.set(True)
            return service(*args, **kwargs)
        finally:
            _reclaim_state.reset(token)

    return run


def _lapsed_holds_count_in(quota_ids: list[int], section_ids: list[int], *, now=None) -> bool:
    """Whether lapsed holds still count in these rows (a plain read: it waits for no lock)."""
    types = _types_drawing_on(quota_ids, section_ids)
    return CartLine.objects.filter(
        ticket_type_id__in=types, hold_expires_at__lte=now or timezone.now()
    ).exists()


def _types_drawing_on(quota_ids: list[int], section_ids: list[int]):
    return TicketType.objects.filter(Q(quotas__in=quota_ids) | Q(section_id__in=section_ids)).values("pk")


class RoomSeen(NamedTuple):
    room: int | None  # the least room left in the type's quotas and its section; None without any
    lapsed: bool  # a lapsed hold still counts in one of them


def room_seen_for(type_id: int, *, now=None) -> RoomSeen:
    """The room a take of this ticket type would meet now, and whether lapsed holds still count in its
    quotas or its section, read by ONE statement: one snapshot, so "no room and no lapsed hold" is
    true together at one instant (a release of lapsed holds committing between two reads would show
    the counter from before it and the holds from after it: a refusal no serial order explains).
    A plain read that waits for no lock; its SQL built once (the ORM's compiling of it cost more CPU
    than the rest of a refusal as sold out) and prepared on PostgreSQL. The lapsed test is
    _lapsed_holds_count_in's for the type's own quotas and section."""
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with prepared_cursor() as cursor:
        cursor.execute(_room_seen_sql(connection.vendor), [type_id, type_id, now, type_id, type_id])
        room, lapsed = cursor.fetchone()
    return RoomSeen(room, bool(lapsed))


@functools.cache
def _room_seen_sql(vendor: str) -> str:  # vendor: one text per database, as names are quoted
    quote = connection.ops.quote_name
    lines, types = quote(CartLine._meta.db_table), quote(TicketType._meta.db_table)
    quotas, sections = quote(Quota._meta.db_table), quote(Section._meta.db_table)
    through = quote(TicketType.quotas.through._meta.db_table)
    pk, type_id, quota_id, section_id, capacity, taken = (
        quote(name) for name in ("id", "tickettype_id", "quota_id", "section_id", "capacity", "taken")
    )
    # Names from _meta, quoted; every value is a parameter.
    return (
        "SELECT (SELECT min(r.room) FROM ("  # noqa: S608
        f"SELECT q.{capacity} - q.{taken} AS room FROM {quotas} q "
        f"JOIN {through} m ON m.{quota_id} = q.{pk} WHERE m.{type_id} = %s "
        f"UNION ALL SELECT s.{capacity} - s.{taken} FROM {sections} s "
        f"JOIN {types} y ON y.{section_id} = s.{pk} WHERE y.{pk} = %s) r), "
        f"EXISTS (SELECT 1 FROM {lines} h WHERE h.{quote('hold_expires_at')} <= %s "
        f"AND h.{quote('ticket_type_id')} IN ("
        f"SELECT o.{type_id} FROM {through} o WHERE o.{quota_id} IN "
        f"(SELECT m.{quota_id} FROM {through} m WHERE m.{type_id} = %s) "
        f"UNION SELECT t.{pk} FROM {types} t WHERE t.{section_id} = "
        f"(SELECT x.{section_id} FROM {types} x WHERE x.{pk} = %s)))"
    )


def no_room_message() -> str:
    return _("Sold out: not enough places are left for your request.")


def places_take(demand: dict[int, int], *, rows: Rows | None = None, tried: bool = False) -> None:
    """Take `demand` (ticket type id -> places) from every quota and section of the types, or raise
    SoldOutError with nothing taken. Call inside the caller's transaction, as its last write.

    `rows`: the types' rows, read by the caller with the type rows locked FOR SHARE (as `_rows_for`
    does); `tried`: the caller's own statement found no room in them (services/cart_rows.py). With no
    room, inside `reclaiming`, lapsed holds there send the service back to release them first."""
    demand = {type_id: n for type_id, n in demand.items() if n}
    if not demand:
        return
    if rows is None:
        rows = _rows_for(demand)
    if any(not rows.quotas_by_type.get(type_id) for type_id in demand):
        raise SoldOutError(_("Sold out: this ticket is not on sale."))
    per_quota, per_section = rows.per_row(demand)
    if not (not tried and _try_take(_ordered(per_quota, per_section))):
        quota_ids, section_ids = sorted(per_quota), sorted(per_section)
        if _reclaim_state.get() is False and _lapsed_holds_count_in(quota_ids, section_ids):
            raise _ReclaimFirst(quota_ids, section_ids)
        raise SoldOutError(no_room_message())
    places_taken()


def places_taken() -> None:
    """Said by every take once it holds its places (tests widen the race window here)."""
    if after_check_hook is not None and LOCKING_ENABLED:
        after_check_hook()


def places_release(demand: dict[int, int]) -> None:
    """Give back `demand` (ticket type id -> places) to the types' quotas and sections, once, in the
    transaction of the change that stopped those places being taken."""
    demand = {type_id: n for type_id, n in demand.items() if n}
    if not demand:
        return
    per_quota, per_section = _rows_for(demand).per_row(demand)
    _release_rows(_ordered(per_quota, per_section))


def places_adjust(demand: dict[int, int]) -> None:
    """Take the positive entries of `demand` and give back the negative ones (a hold resized)."""
    places_release({t: -n for t, n in demand.items() if n < 0})
    places_take({t: n for t, n in demand.items() if n > 0})


def holds_drop(lines: Iterable[CartLine]) -> int:
    """Delete these cart lines (locked by the caller) and give their places back. Returns how many."""
    lines = list(lines)
    if not lines:
        return 0
    CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    demand: dict[int, int] = defaultdict(int)
    for line in lines:
        demand[line.ticket_type_id] += line.quantity
    places_release(dict(demand))
    return len(lines)


def holds_lapsed(queryset, *, now=None) -> list[CartLine]:
    """The lapsed holds of `queryset`, locked (lines another transaction holds are skipped: their
    owner is acting on them, and a later sweep or reclaim gets them)."""
    return list(
        queryset.filter(hold_expires_at__lte=now or timezone.now())
        .select_for_update(skip_locked=True)
        .only("pk", "ticket_type_id", "quantity")
        .order_by("pk")
    )


def holds_reclaim(*, quota_ids: Iterable[int] = (), section_ids: Iterable[int] = (), now=None) -> int:
    """Release the lapsed holds of every type drawing on these quotas or sections. Returns how many.

    Locks these rows, and every row the released holds give places back to, in the rule's order
    before moving a counter (PostgreSQL), so the caller may go on to take or check these rows. Call
    it holding no quota or section row: it may lock one with a lower key."""
    quota_ids, section_ids = list(quota_ids), list(section_ids)
    types = _types_drawing_on(quota_ids, section_ids)
    lines = holds_lapsed(CartLine.objects.filter(ticket_type_id__in=types), now=now)
    freed_quotas, freed_sections = _rows_for({line.ticket_type_id for line in lines}).per_row(
        {line.ticket_type_id: 1 for line in lines}
    )
    counters_lock(quota_ids=[*quota_ids, *freed_quotas], section_ids=[*section_ids, *freed_sections])
    return holds_drop(lines)


def counters_lock(*, quota_ids: Iterable[int] = (), section_ids: Iterable[int] = ()) -> None:
    """Lock these Quota rows, then these Section rows, each in ascending primary key (the rule's order)."""
    if not connection.features.has_select_for_update:
        return
    for model, ids in ((Quota, quota_ids), (Section, section_ids)):
        ids = sorted(set(ids))
        if ids:
            list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def counter_take(model, pk: int, n: int) -> bool:
    """Take n places of one quota or section row if they fit (the caller holds the rule's order)."""
    return n <= 0 or _take_row(model, pk, n)


def counter_release(model, pk: int, n: int) -> None:
    _release_rows([(model, pk, n)])


def counters_recount(*, session_ids: Iterable[int]) -> int:
    """Set the counters of these sessions' quotas and sections to what their rows say (tickets that
    hold a place plus every cart line). For seeds and imports that write tickets without selling them;
    sales never need it. Locks the Quota rows, then the Section rows, in primary-key order. Returns
    how many counters changed; a row sold beyond its capacity raises IntegrityError (the constraint)."""
    session_ids = list(session_ids)
    with transaction.atomic():
        quota_ids = list(
            Quota.objects.select_for_update()
            .filter(session_id__in=session_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        section_ids = list(
            Section.objects.select_for_update()
            .filter(session_id__in=session_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        changed = 0
        for (kind, pk), taken in taken_recount(quota_ids=quota_ids, section_ids=section_ids).items():
            model = Quota if kind == "quota" else Section
            changed += model.objects.filter(pk=pk).exclude(taken=taken).update(taken=taken)
    return changed
