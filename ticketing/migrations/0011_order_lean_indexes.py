"""Indexes every order paid for and nothing read (issue #10 item 2, branch orderfast3).

An order inserts a cart line (cart_add), then an order, its lines, a credential and a ticket per
place (order_place); each index on them is one more index insert and its WAL per row. Seven served no
query:
- CartLine.cart, Credential.event, Order.user, Ticket.session and Ticket.ticket_type on their own:
  the (cart, ticket_type) unique constraint's index and the (event, state), (user, -created_at),
  (session, state) and (ticket_type, state) indexes start with the same column and serve every
  look-up by it (the foreign-key checks of a deleted row included);
- the `varchar_pattern_ops` indexes Django adds on PostgreSQL beside the unique Order.code and
  Credential.short_code, for `LIKE 'prefix%'` look-ups: nothing looks either up by prefix (the
  admin's searches are case-insensitive, which that index cannot serve). The unique constraints stay.
  Django drops these with IF EXISTS and rebuilds them should a later migration alter the field.
Dropped by name as in 0009_scan_lean_indexes.py (AlterField would drop every single-column index on
the column). On PostgreSQL each is dropped (and, backwards, built) CONCURRENTLY, outside a transaction
(`atomic = False`, as 0010): a plain DROP INDEX holds an exclusive lock on its table until the
migration commits, which queues behind any long transaction and stops sales meanwhile.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, suffix) of each index dropped; their names are Django's own for them.
DROPPED = [
    ("ticketing_cartline", "cart_id", ""),
    ("ticketing_credential", "event_id", ""),
    ("ticketing_order", "user_id", ""),
    ("ticketing_ticket", "session_id", ""),
    ("ticketing_ticket", "ticket_type_id", ""),
    ("ticketing_order", "code", "_like"),  # PostgreSQL only
    ("ticketing_credential", "short_code", "_like"),  # PostgreSQL only
]


def _dropped(schema_editor):
    for table, column, suffix in DROPPED:
        if suffix == "_like" and schema_editor.connection.vendor != "postgresql":
            continue
        yield table, column, suffix, schema_editor._create_index_name(table, [column], suffix=suffix)


def _concurrently(schema_editor) -> str:
    return " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""


def _drop_indexes(apps, schema_editor):
    for _table, _column, _suffix, name in _dropped(schema_editor):
        schema_editor.execute(
            f"DROP INDEX{_concurrently(schema_editor)} IF EXISTS {schema_editor.quote_name(name)}"
        )


def _create_indexes(apps, schema_editor):
    for table, column, suffix, name in _dropped(schema_editor):
        ops = " varchar_pattern_ops" if suffix == "_like" else ""
        schema_editor.execute(
            f"CREATE INDEX{_concurrently(schema_editor)} IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"ON {table} ({column}{ops})"
        )


class Migration(migrations.Migration):
    atomic = False  # DROP / CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("events", "0008_event_team_event"),
        ("ticketing", "0010_ticket_holder_document_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop_indexes, _create_indexes, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name="cartline",
                    name="cart",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="ticketing.cart",
                    ),
                ),
                migrations.AlterField(
                    model_name="credential",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credentials",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
                migrations.AlterField(
                    model_name="order",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ticket_orders",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="buyer",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="session",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="events.session",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="ticket_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="ticketing.tickettype",
                    ),
                ),
            ],
        ),
    ]
