"""Database helpers every app may use (events is the lowest app).

`prepared_cursor`: a cursor of Django's connection (its execute wrappers, query log and error
mapping) whose statements are sent with their values apart and PREPARED on PostgreSQL, for the hot
paths whose statement text never changes (a gate scan's decide call, the counter's compiled reads).
With `DATABASE_PREPARED` on (the default on PostgreSQL, config/settings/base.py) every statement is
prepared after its second run on a connection anyway; this asks for it at the first, and keeps the
hot paths prepared when the setting is off. Django opens psycopg connections with preparing off
(prepare_threshold None, for transaction-mode poolers), which `prepare=True` cannot override, so a
threshold no statement reaches is set then: only what is asked is prepared. A ROLLBACK makes psycopg
deallocate them; they are prepared again on next use. A transaction-mode pooler in front of
PostgreSQL needs protocol-level prepared statements (pgbouncer 1.21+, `max_prepared_statements`).
On any other database it is Django's own cursor.
"""

from __future__ import annotations

from django.db import connections

_PREPARE_ONLY_WHEN_ASKED = 2**62


class _PreparingCursor:
    """psycopg's server-binding cursor on Django's connection, asking for every statement to be
    prepared; anything else goes to the cursor itself."""

    def __init__(self, raw_connection):
        import psycopg  # noqa: PLC0415  PostgreSQL only

        if raw_connection.prepare_threshold is None:
            raw_connection.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
        self._cursor = psycopg.Cursor(raw_connection)

    def execute(self, sql, params=None):
        return self._cursor.execute(sql, params, prepare=True)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def prepared_cursor(using: str = "default"):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        # Django's wrapping of a new cursor (BaseDatabaseWrapper._cursor), around a preparing one.
        return connection._prepare_cursor(_PreparingCursor(connection.connection))
