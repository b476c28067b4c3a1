"""Writing a placed order's rows for order_place (services/orders.py): the holds become tickets.

`holds_to_tickets` deletes the buyer's live holds only while each one's session is scheduled and its
event published: the re-check after the lock is the DELETE's own condition.

`order_rows_write` writes the order, its lines, their credentials and tickets and deletes the holds
(as holds_to_tickets does) in ONE statement on PostgreSQL (data-modifying CTEs: each INSERT takes the
keys it needs from the RETURNING of the one before; order lines are matched by ticket type, unique in
a cart, and tickets to credentials by the credential's public id, made in Python). Five statements
and their round trips become one; the values are the ORM's (`events/db.py` `insert_params`). The
lines', credentials' and tickets' rows go as one JSON array each (each value cast back to its
column's type in SQL), so the statement's text and its 20 values are the same whatever the order
holds: built once, prepared once per connection, and within psycopg's limits for caching its
conversion of the `%s` (50 values: with a value per column of each row, an order of two tickets had
72 and was parsed again on every run, about 0.1 ms of CPU; one array per column cost more to send). Real-name orders keep a statement each
(services/orders.py), so that the ticket INSERT alone runs in a savepoint and the one-ticket-per-person
constraint becomes a refusal; so does SQLite, which has no INSERT in a WITH.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import re
import uuid

from django.db import DEFAULT_DB_ALIAS, connection, connections

from events.db import insert_fields, insert_params, inserted
from events.enums import EventStatus, SessionStatus
from events.models import Event, Session
from ticketing.models import CartLine, Credential, Order, OrderLine, Ticket, TicketType

_VARCHAR_LENGTH = re.compile(r"^varchar\(\d+\)$")


def _holds_delete_sql(count: int | None, *, returning: bool) -> str:
    """The holds' DELETE of `count` line ids, or (None) of one array of them."""
    quote = connection.ops.quote_name
    lines, types = quote(CartLine._meta.db_table), quote(TicketType._meta.db_table)
    sessions, events = quote(Session._meta.db_table), quote(Event._meta.db_table)
    pk, status = quote("id"), quote("status")
    ids = "= ANY(%s::bigint[])" if count is None else "IN (" + ", ".join(["%s"] * count) + ")"
    return (
        f"DELETE FROM {lines} WHERE {quote('cart_id')} = %s AND {pk} {ids} AND EXISTS ("  # noqa: S608 (names from _meta)
        f"SELECT 1 FROM {types} t INNER JOIN {sessions} s ON s.{pk} = t.{quote('session_id')} "
        f"INNER JOIN {events} e ON e.{pk} = s.{quote('event_id')} WHERE t.{pk} = {lines}.{quote('ticket_type_id')} "
        f"AND s.{status} = %s AND e.{status} = %s)" + (" RETURNING 1" if returning else "")
    )


def holds_to_tickets(cart_id: int, line_ids: list[int]) -> bool:
    """Delete these lines of a cart (locked by the caller), which become tickets, if every one's
    session is still scheduled and its event published; the check is the DELETE's own condition, so
    it is read after the lock, in the same statement. False when one is not: the caller raises, and
    its transaction gives back what was deleted."""
    with connection.cursor() as cursor:
        cursor.execute(
            _holds_delete_sql(len(line_ids), returning=False),
            [cart_id, *line_ids, SessionStatus.SCHEDULED, EventStatus.PUBLISHED],
        )
        return cursor.rowcount == len(line_ids)


def one_statement() -> bool:
    """Whether order_rows_write can be used on this database."""
    return connection.vendor == "postgresql"


def order_rows_write(
    *,
    order: Order,
    order_lines: list[OrderLine],
    credentials: list[Credential],
    tickets: list[Ticket],
    cart_id: int,
    line_ids: list[int],
) -> bool:
    """Insert these new rows and delete the holds, in one statement (PostgreSQL); the objects get
    their keys. False when a session or event is no longer on sale (the holds' DELETE condition):
    the caller raises, and its transaction takes the rows back."""
    order_fields, line_fields, credential_fields, ticket_fields = _fields()
    # The connection itself, not django.db's proxy to it: each field's value reads it several times.
    db = connections[DEFAULT_DB_ALIAS]
    params = insert_params(order, order_fields, db)
    params.append(_json_rows(order_lines, line_fields, db))
    params.append(_json_rows(credentials, credential_fields, db))
    params += [cart_id, line_ids, SessionStatus.SCHEDULED, EventStatus.PUBLISHED]
    # Each ticket's row leads with its type (to find its order line) and its credential's public id.
    params.append(
        _json_rows(tickets, ticket_fields, db, lead=lambda t: [t.ticket_type_id, str(t.credential.public_id)])
    )
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        order_pk, deleted, line_pks, credential_pks, ticket_pks = cursor.fetchone()
    inserted(order, order_pk)
    line_by_type = {type_id: pk for pk, type_id in line_pks}
    for line in order_lines:
        inserted(line, line_by_type[line.ticket_type_id])
        line.order_id = order_pk
    credential_by_public_id = {public_id: pk for pk, public_id in credential_pks}
    for credential in credentials:
        inserted(credential, credential_by_public_id[str(credential.public_id)])
    ticket_by_credential = {credential_pk: pk for pk, credential_pk in ticket_pks}
    for ticket in tickets:
        ticket.order_id, ticket.line_id, ticket.credential_id = order_pk, ticket.line.pk, ticket.credential.pk
        inserted(ticket, ticket_by_credential[ticket.credential_id])
    return deleted == len(line_ids)


@functools.cache
def _fields() -> tuple[list, list, list, list]:
    """Every column of each INSERT but the keys the statement fills in from the one before."""
    joined = {"order", "line", "credential"}
    return (
        insert_fields(Order),
        [field for field in insert_fields(OrderLine) if field.name != "order"],
        insert_fields(Credential),
        [field for field in insert_fields(Ticket) if field.name not in joined],
    )


def _json_value(value):
    """A value insert_params gave that JSON has no type for, as _sql's cast reads it back."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if hasattr(value, "obj") and hasattr(value, "dumps"):  # a JSONField's value (psycopg's Jsonb)
        return json.loads(value.dumps(value.obj))
    raise TypeError(f"order_rows: no JSON form for {type(value).__name__}")


def _json_rows(objs: list, fields: list, db, lead=None) -> str:
    """The objects' values (as the ORM's INSERT sends them) as one JSON array of rows."""
    rows = [[*(lead(obj) if lead else ()), *insert_params(obj, fields, db)] for obj in objs]
    return json.dumps(rows, default=_json_value, ensure_ascii=False)


def _from_json(fields, *, first: int = 0) -> str:
    """The SELECT list reading a row `r` of _json_rows back: each value cast to its column's type
    (never to a varchar's length: an explicit cast would cut a long text where the INSERT refuses it)."""
    columns = []
    for index, field in enumerate(fields, start=first):
        kind = _VARCHAR_LENGTH.sub("varchar", field.cast_db_type(connection))
        if kind == "jsonb":  # JSON's null is SQL's NULL, as the ORM stores None
            columns.append(f"nullif(r->{index}, 'null'::jsonb)")
        else:
            columns.append(f"(r->>{index})::{kind}")
    return ", ".join(columns)


@functools.cache
def _sql() -> str:
    quote = connection.ops.quote_name
    order_fields, line_fields, credential_fields, ticket_fields = _fields()
    pk = quote("id")

    def columns(fields) -> str:
        return ", ".join(quote(field.column) for field in fields)

    def rows(fields) -> str:
        return f"SELECT {_from_json(fields)} FROM jsonb_array_elements(%s::jsonb) AS r"  # noqa: S608 (names from _meta)

    table = {model: quote(model._meta.db_table) for model in (Order, OrderLine, Credential, Ticket)}
    names = ", ".join(f"v{index}" for index in range(len(ticket_fields)))
    keys = (Ticket._meta.get_field("ticket_type"), Credential._meta.get_field("public_id"))
    return (
        f"WITH o AS (INSERT INTO {table[Order]} ({columns(order_fields)}) "  # noqa: S608 (names from _meta)
        f"VALUES ({', '.join(['%s'] * len(order_fields))}) RETURNING {pk}), "
        f"ol AS (INSERT INTO {table[OrderLine]} ({quote('order_id')}, {columns(line_fields)}) "
        f"SELECT o.{pk}, v.* FROM o CROSS JOIN ({rows(line_fields)}) AS v "
        f"RETURNING {pk}, {quote('ticket_type_id')}), "
        f"c AS (INSERT INTO {table[Credential]} ({columns(credential_fields)}) "
        f"{rows(credential_fields)} RETURNING {pk}, {quote('public_id')}), "
        f"d AS ({_holds_delete_sql(None, returning=True)}), "
        f"t AS (INSERT INTO {table[Ticket]} ({quote('order_id')}, {quote('line_id')}, {quote('credential_id')}, "
        f"{columns(ticket_fields)}) SELECT o.{pk}, ol.{pk}, c.{pk}, {names} FROM o CROSS JOIN "
        f"(SELECT {_from_json(keys)}, {_from_json(ticket_fields, first=len(keys))} "
        f"FROM jsonb_array_elements(%s::jsonb) AS r) AS v(type_id, public_id, {names}) "
        f"INNER JOIN ol ON ol.{quote('ticket_type_id')} = v.type_id "
        f"INNER JOIN c ON c.{quote('public_id')} = v.public_id RETURNING {pk}, {quote('credential_id')}) "
        f"SELECT (SELECT {pk} FROM o), (SELECT count(*) FROM d), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('ticket_type_id')})) FROM ol), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('public_id')})) FROM c), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('credential_id')})) FROM t)"
    )
