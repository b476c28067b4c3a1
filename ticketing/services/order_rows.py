"""Writing a placed order's rows for order_place (services/orders.py): the holds become tickets.

`holds_to_tickets` deletes the buyer's live holds only while each one's session is scheduled and its
event published: the re-check after the lock is the DELETE's own condition.

`order_rows_write` writes the order, its lines, their credentials and tickets and deletes the holds
(as holds_to_tickets does) in ONE statement on PostgreSQL (data-modifying CTEs: each INSERT takes the
keys it needs from the RETURNING of the one before; order lines are matched by ticket type, unique in
a cart, and tickets to credentials by the credential's public id, made in Python). Five statements
and their round trips become one; the values are the ORM's (`events/db.py` `insert_params`). Its
SQL is built once per number of lines and tickets. Real-name orders keep a statement each
(services/orders.py), so that the ticket INSERT alone runs in a savepoint and the one-ticket-per-person
constraint becomes a refusal; so does SQLite, which has no INSERT in a WITH.
"""

from __future__ import annotations

import functools
import re

from django.db import connection

from events.db import insert_fields, insert_params, inserted
from events.enums import EventStatus, SessionStatus
from events.models import Event, Session
from ticketing.models import CartLine, Credential, Order, OrderLine, Ticket, TicketType

_SQL: dict[tuple[int, int], str] = {}
_VARCHAR_LENGTH = re.compile(r"^varchar\(\d+\)$")


def _holds_delete_sql(count: int, *, returning: bool) -> str:
    quote = connection.ops.quote_name
    lines, types = quote(CartLine._meta.db_table), quote(TicketType._meta.db_table)
    sessions, events = quote(Session._meta.db_table), quote(Event._meta.db_table)
    pk, status = quote("id"), quote("status")
    placeholders = ", ".join(["%s"] * count)
    return (
        f"DELETE FROM {lines} WHERE {quote('cart_id')} = %s AND {pk} IN ({placeholders}) AND EXISTS ("  # noqa: S608 (names from _meta)
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
    key = (len(order_lines), len(credentials))
    if key not in _SQL:
        _SQL[key] = _build(*key)
    order_fields, line_fields, credential_fields, ticket_fields = _fields()
    params = insert_params(order, order_fields, connection)
    for line in order_lines:
        params += insert_params(line, line_fields, connection)
    for credential in credentials:
        params += insert_params(credential, credential_fields, connection)
    params += [cart_id, *line_ids, SessionStatus.SCHEDULED, EventStatus.PUBLISHED]
    for ticket in tickets:
        params += [ticket.ticket_type_id, ticket.credential.public_id]
        params += insert_params(ticket, ticket_fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(_SQL[key], params)
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


def _build(line_count: int, ticket_count: int) -> str:
    quote = connection.ops.quote_name
    order_fields, line_fields, credential_fields, ticket_fields = _fields()
    pk = quote("id")

    def columns(fields) -> str:
        return ", ".join(quote(field.column) for field in fields)

    def rows(fields, count: int, *, cast: bool, leading: tuple = ()) -> str:
        # Values in a SELECT's VALUES list carry no column type: they are cast to the column's, but
        # never to a varchar's length (an explicit cast would cut a long text where the INSERT refuses it).
        types = [
            _VARCHAR_LENGTH.sub("varchar", field.cast_db_type(connection)) for field in (*leading, *fields)
        ]
        row = "(" + ", ".join(f"%s::{kind}" if cast else "%s" for kind in types) + ")"
        return ", ".join([row] * count)

    table = {model: quote(model._meta.db_table) for model in (Order, OrderLine, Credential, Ticket)}
    names = ", ".join(f"v{index}" for index in range(len(ticket_fields)))
    # Each ticket row leads with its type (to find its order line) and its credential's public id.
    keys = (Ticket._meta.get_field("ticket_type"), Credential._meta.get_field("public_id"))
    return (
        f"WITH o AS (INSERT INTO {table[Order]} ({columns(order_fields)}) "  # noqa: S608 (names from _meta)
        f"VALUES {rows(order_fields, 1, cast=False)} RETURNING {pk}), "
        f"ol AS (INSERT INTO {table[OrderLine]} ({quote('order_id')}, {columns(line_fields)}) "
        f"SELECT o.{pk}, v.* FROM o CROSS JOIN (VALUES {rows(line_fields, line_count, cast=True)}) AS v "
        f"RETURNING {pk}, {quote('ticket_type_id')}), "
        f"c AS (INSERT INTO {table[Credential]} ({columns(credential_fields)}) "
        f"VALUES {rows(credential_fields, ticket_count, cast=False)} RETURNING {pk}, {quote('public_id')}), "
        f"d AS ({_holds_delete_sql(line_count, returning=True)}), "
        f"t AS (INSERT INTO {table[Ticket]} ({quote('order_id')}, {quote('line_id')}, {quote('credential_id')}, "
        f"{columns(ticket_fields)}) SELECT o.{pk}, ol.{pk}, c.{pk}, {names} FROM o CROSS JOIN "
        f"(VALUES {rows(ticket_fields, ticket_count, cast=True, leading=keys)}) "
        f"AS v(type_id, public_id, {names}) INNER JOIN ol ON ol.{quote('ticket_type_id')} = v.type_id "
        f"INNER JOIN c ON c.{quote('public_id')} = v.public_id RETURNING {pk}, {quote('credential_id')}) "
        f"SELECT (SELECT {pk} FROM o), (SELECT count(*) FROM d), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('ticket_type_id')})) FROM ol), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('public_id')})) FROM c), "
        f"(SELECT json_agg(json_build_array({pk}, {quote('credential_id')})) FROM t)"
    )
