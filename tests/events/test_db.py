"""events/db.py `prepared_cursor`: on PostgreSQL, when nothing logs or wraps the connection's queries,
one cursor kept per connection; it must still act as Django's own cursor does for every caller.
Several of these came from a review of its first version (each failed there)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections

import events.db as db
from events.db import prepared_cursor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class _Only(dict):
    """`events.db.connections` answering `wrapper` for every alias: another thread using this one."""

    def __init__(self, wrapper):
        super().__init__()
        self.wrapper = wrapper

    def __getitem__(self, alias):
        return self.wrapper


def test_the_cursor_is_kept_per_connection_and_maps_errors_as_djangos():
    with prepared_cursor() as first:
        first.execute("SELECT 1")
        assert first.fetchone() == (1,)
    with prepared_cursor() as second:
        assert second is first  # kept, not built again
        second.execute("CREATE TEMP TABLE t (x int PRIMARY KEY)")
        with pytest.raises(IntegrityError):  # psycopg's own error, mapped to Django's
            second.execute("INSERT INTO t VALUES (1), (1)")
    with prepared_cursor() as third:
        third.execute("SELECT 2")
        assert third.fetchall() == [(2,)]


def test_nested_prepared_cursors_keep_their_own_rows():
    with prepared_cursor() as outer:
        outer.execute("SELECT 1")
        with prepared_cursor() as inner:
            assert inner is not outer
            inner.execute("SELECT 2")
            assert inner.fetchone() == (2,)
        assert outer.fetchone() == (1,)


def test_another_thread_is_refused_as_djangos_cursor_refuses_it(monkeypatch):
    with prepared_cursor() as cursor:  # the kept cursor exists
        cursor.execute("SELECT 1")
    mine = connections["default"]
    seen = []

    def other():
        try:
            with db.prepared_cursor() as cursor:
                cursor.execute("SELECT 2")
                seen.append(cursor.fetchone())
        except DatabaseError as exc:
            seen.append(type(exc).__name__)

    monkeypatch.setattr(db, "connections", _Only(mine))
    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)

    assert seen == ["DatabaseError"]


def test_threads_sharing_a_connection_get_their_own_rows(monkeypatch):
    mine = connections["default"]
    mine.inc_thread_sharing()
    try:
        with prepared_cursor() as mine_cursor:
            mine_cursor.execute("SELECT 'a'")
            got = []

            def other():
                with db.prepared_cursor() as cursor:
                    cursor.execute("SELECT 'b' UNION ALL SELECT 'c'")
                    got.append(cursor.fetchone())

            monkeypatch.setattr(db, "connections", _Only(mine))
            thread = threading.Thread(target=other)
            thread.start()
            thread.join(10)

            assert got == [("b",)]
            assert mine_cursor.fetchone() == ("a",)
    finally:
        mine.dec_thread_sharing()


def test_a_new_connection_gets_a_new_cursor():
    with prepared_cursor() as before:
        before.execute("SELECT pg_backend_pid()")
        first_pid = before.fetchone()[0]
    connection.close()
    with prepared_cursor() as after:
        after.execute("SELECT pg_backend_pid()")
        assert after is not before and after.fetchone()[0] != first_pid


def test_logged_queries_go_through_djangos_cursor(django_assert_num_queries):
    with django_assert_num_queries(1), prepared_cursor() as cursor:
        assert not isinstance(cursor, db._LeanCursor)
        cursor.execute("SELECT 1")
