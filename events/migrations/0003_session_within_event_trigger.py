"""A session must sit inside its event's dates (Asia/Shanghai, UTC+8 all year): a database trigger.

A CHECK constraint cannot look at another table, so both supported databases get a trigger that
refuses inserts and updates of sessions, and updates of events that would leave a session outside.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER events_session_within_event_ins BEFORE INSERT ON events_session
    WHEN EXISTS (SELECT 1 FROM events_event e WHERE e.id = NEW.event_id
                 AND (date(NEW.starts_at, '+8 hours') < e.start_date OR date(NEW.ends_at, '+8 hours') > e.end_date))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: session_within_event_dates'); END;
    """,
    """
    CREATE TRIGGER events_session_within_event_upd BEFORE UPDATE ON events_session
    WHEN EXISTS (SELECT 1 FROM events_event e WHERE e.id = NEW.event_id
                 AND (date(NEW.starts_at, '+8 hours') < e.start_date OR date(NEW.ends_at, '+8 hours') > e.end_date))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: session_within_event_dates'); END;
    """,
    """
    CREATE TRIGGER events_event_keeps_sessions_upd BEFORE UPDATE OF start_date, end_date ON events_event
    WHEN EXISTS (SELECT 1 FROM events_session s WHERE s.event_id = NEW.id
                 AND (date(s.starts_at, '+8 hours') < NEW.start_date OR date(s.ends_at, '+8 hours') > NEW.end_date))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: session_within_event_dates'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS events_session_within_event_ins",
    "DROP TRIGGER IF EXISTS events_session_within_event_upd",
    "DROP TRIGGER IF EXISTS events_event_keeps_sessions_upd",
]

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION events_session_within_event() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM events_event e WHERE e.id = NEW.event_id
                 AND ((NEW.starts_at AT TIME ZONE 'Asia/Shanghai')::date < e.start_date
                      OR (NEW.ends_at AT TIME ZONE 'Asia/Shanghai')::date > e.end_date)) THEN
        RAISE EXCEPTION 'session_within_event_dates' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER events_session_within_event BEFORE INSERT OR UPDATE ON events_session
    FOR EACH ROW EXECUTE FUNCTION events_session_within_event();
    """,
    """
    CREATE OR REPLACE FUNCTION events_event_keeps_sessions() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM events_session s WHERE s.event_id = NEW.id
                 AND ((s.starts_at AT TIME ZONE 'Asia/Shanghai')::date < NEW.start_date
                      OR (s.ends_at AT TIME ZONE 'Asia/Shanghai')::date > NEW.end_date)) THEN
        RAISE EXCEPTION 'session_within_event_dates' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER events_event_keeps_sessions BEFORE UPDATE OF start_date, end_date ON events_event
    FOR EACH ROW EXECUTE FUNCTION events_event_keeps_sessions();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS events_session_within_event ON events_session",
    "DROP TRIGGER IF EXISTS events_event_keeps_sessions ON events_event",
    "DROP FUNCTION IF EXISTS events_session_within_event()",
    "DROP FUNCTION IF EXISTS events_event_keeps_sessions()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("events", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
