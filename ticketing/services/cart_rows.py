"""Writing a hold for cart_add (services/carts.py) and taking its places in one statement (PostgreSQL).

cart_add's last statements were the line's upsert, the type's quota and section ids read with the
type row locked FOR SHARE (services/places.py `_rows_for`) and the quota counter's conditional
UPDATE. `hold_write_and_take` sends them as one statement of CTEs. The type is locked earlier, by
`cart_upsert`, the transaction's first statement: the cart's upsert also takes the type's sales lock
shared (`places.TYPE_SALE_LOCK`), which an organiser moving or deleting the type takes exclusively
before its row. The statement that reads the type's quotas therefore begins after any move that made
the sale wait has committed (a statement that waited for a lock would read the quotas from before
it), and the type is locked before the quota row, as the move locks them. The UPDATE runs only
when the type draws on exactly one quota and no section: a take of several rows keeps places.py's
ordered takes, with the rows this statement read. A failed UPDATE may still hold the quota row
(when it waited for it), so the caller goes on through places.places_take with `tried`, which
refuses, or sends cart_add back through `places.reclaiming` to release lapsed holds in a
transaction of their own.
SQLite, and the control tests (places.LOCKING_ENABLED off), keep a statement each and lock the type
row FOR SHARE (`places._rows_for`).
"""

from __future__ import annotations

import functools

from django.db import connection

from events.db import insert_statement, inserted, rows_insert
from ticketing.models import Cart, CartLine, Quota, TicketType
from ticketing.services import places

UPSERT = {"unique_fields": ("cart", "ticket_type"), "update_fields": ("quantity", "hold_expires_at")}
CART_UPSERT = {"unique_fields": ("user",), "update_fields": ("updated_at",)}


def one_statement() -> bool:
    """Whether hold_write_and_take can be used (PostgreSQL, with the counter's lock)."""
    return connection.vendor == "postgresql" and places.LOCKING_ENABLED


def cart_upsert(cart: Cart, type_id: int) -> None:
    """Create or touch the buyer's cart (its row stays locked to the COMMIT) and, where
    hold_write_and_take will run, take `type_id`'s sales lock shared in the same statement."""
    if not one_statement():
        rows_insert([cart], **CART_UPSERT)
        return
    upsert, params = insert_statement([cart], **CART_UPSERT)
    with connection.cursor() as cursor:
        cursor.execute(f"{upsert}, {places.TYPE_SALE_LOCK}", [*params, type_id])
        inserted(cart, cursor.fetchone()[0])


def hold_write_and_take(line: CartLine, n: int) -> tuple[places.Rows, bool]:
    """In one statement upsert `line` (a new hold, or this type's line replaced), read the type's
    quota and section ids and, when the type draws on one quota and no section, take `n` > 0 places
    from it if they fit. The caller holds the type's sales lock since an earlier statement
    (`cart_upsert`). Returns the type's rows and whether the places were taken."""
    upsert, params = insert_statement([line], **UPSERT)
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
