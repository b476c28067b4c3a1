"""Writing a hold for cart_add (services/carts.py) and taking its places in one statement (PostgreSQL).

cart_add's last three statements were the line's upsert, the type's quota and section ids read with
the type row locked FOR SHARE (services/places.py `_rows_for`) and the quota counter's conditional
UPDATE. `hold_write_and_take` sends them as one statement of CTEs, in the same order of locks: the
UPDATE's quota id is worked out (an InitPlan, run before any quota row is read) from the type row
locked FOR SHARE by the statement before (`places.types_lock`: a statement that waited for that lock
would read the quotas from before a move that committed meanwhile), so the type row is locked before
the quota row, as an organiser moving the type
between quotas (catalogue.ticket_type_update) locks them. The UPDATE runs only when the type draws on
exactly one quota and no section: a take of several rows keeps places.py's ordered takes, with the
rows this statement read. A failed UPDATE may still hold the quota row (when it waited for it), so
the caller goes on through places.places_take with `tried`, which refuses, or sends cart_add back
through `places.reclaiming` to release lapsed holds in a transaction of their own.
SQLite, and the control tests (places.LOCKING_ENABLED off), keep a statement each.
"""

from __future__ import annotations

import functools

from django.db import connection

from events.db import insert_statement, inserted
from ticketing.models import CartLine, Quota, TicketType
from ticketing.services import places

UPSERT = {"unique_fields": ("cart", "ticket_type"), "update_fields": ("quantity", "hold_expires_at")}


def one_statement() -> bool:
    """Whether hold_write_and_take can be used (PostgreSQL, with the counter's lock)."""
    return connection.vendor == "postgresql" and places.LOCKING_ENABLED


def hold_write_and_take(line: CartLine, n: int) -> tuple[places.Rows, bool]:
    """Lock `line`'s type row FOR SHARE (a statement of its own), then in one statement upsert `line` (a
    new hold, or this type's line replaced), read the type's quota and section ids and, when the type
    draws on one quota and no section, take `n` > 0 places from it if they fit. Returns the type's
    rows and whether the places were taken."""
    upsert, params = insert_statement([line], **UPSERT)
    # The type row is locked before the statement that reads its quotas begins (see places.types_lock).
    places.types_lock([line.ticket_type_id])
    with connection.cursor() as cursor:
        cursor.execute(_sql(upsert), [*params, line.ticket_type_id, n, n])
        pk, type_id, section_id, quota_ids, moved = cursor.fetchone()
    inserted(line, pk)
    if type_id is None:  # deleted meanwhile: no quota, and places_take says it is not on sale
        return places.Rows({}, {}), False
    rows = places.Rows({type_id: sorted(quota_ids)} if quota_ids else {}, {type_id: section_id})
    if moved:
        places.places_taken()
    return rows, bool(moved)


@functools.cache
def _sql(upsert: str) -> str:
    quote = connection.ops.quote_name
    types, quotas = quote(TicketType._meta.db_table), quote(Quota._meta.db_table)
    through = quote(TicketType.quotas.through._meta.db_table)
    pk, taken, capacity = quote("id"), quote("taken"), quote("capacity")
    return (
        f"WITH l AS ({upsert}), "  # noqa: S608 (names from _meta)
        f"r AS MATERIALIZED (SELECT {pk}, {quote('section_id')} FROM {types} WHERE {pk} = %s), "
        f"q AS MATERIALIZED (SELECT tq.{quote('quota_id')} AS quota_id FROM {through} tq "
        f"INNER JOIN r ON tq.{quote('tickettype_id')} = r.{pk}), "
        f"u AS (UPDATE {quotas} SET {taken} = {taken} + %s WHERE {pk} = ("
        f"SELECT CASE WHEN count(*) = 1 THEN min(quota_id) END FROM q "
        f"WHERE (SELECT {quote('section_id')} FROM r) IS NULL) AND {taken} <= {capacity} - %s RETURNING 1) "
        f"SELECT (SELECT {pk} FROM l), (SELECT {pk} FROM r), (SELECT {quote('section_id')} FROM r), "
        f"(SELECT array_agg(quota_id) FROM q), (SELECT count(*) FROM u)"
    )
