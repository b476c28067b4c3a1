"""Indexes every online scan paid for and nothing read (issue #10 item 1, branch scanlean).

An admitted scan inserts a Scan row and upserts a CheckInState row; each index on them is one more
index insert and its WAL. Four served no query:
- Scan.event and Scan.credential on their own: the (event, scanned_at) and (credential, scanned_at)
  indexes start with the same column and serve every look-up by it (the foreign-key checks of a
  deleted event or credential included);
- CheckInState.event on its own: the (event, inside) index starts with it;
- Scan.nonce's `varchar_pattern_ops` index, which Django adds on PostgreSQL beside a unique
  CharField for `LIKE 'prefix%'` look-ups: nothing looks nonces up by prefix (the admin's search is
  case-insensitive, which that index cannot serve). The unique constraint on nonce stays. Django
  drops this index with IF EXISTS and rebuilds it should a later migration alter the field.

Measured with EXPLAIN (ANALYZE, WAL, BUFFERS) of `ticketing_scan_decide` on an admitted entry:
19.1 → 15.1 WAL records, 1,805 → 1,444 WAL bytes, 57 → 49 shared buffers touched per scan.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, suffix) of each index dropped; their names are Django's own for them.
DROPPED = [
    ("ticketing_scan", "event_id", ""),
    ("ticketing_scan", "credential_id", ""),
    ("ticketing_checkinstate", "event_id", ""),
    ("ticketing_scan", "nonce", "_like"),  # PostgreSQL only
]


def _dropped(schema_editor):
    for table, column, suffix in DROPPED:
        if suffix == "_like" and schema_editor.connection.vendor != "postgresql":
            continue
        yield table, column, suffix, schema_editor._create_index_name(table, [column], suffix=suffix)


def _drop_indexes(apps, schema_editor):
    for _table, _column, _suffix, name in _dropped(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def _create_indexes(apps, schema_editor):
    for table, column, suffix, name in _dropped(schema_editor):
        ops = " varchar_pattern_ops" if suffix == "_like" else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} ({column}{ops})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_organiser_rules_and_referee_revocation"),
        ("ticketing", "0008_quota_section_taken_counter"),
    ]

    operations = [
        # Dropped by name, not by AlterField: Django's AlterField drops every single-column index on
        # the column, the partial unique index `scan_single_entry_once` on credential_id included
        # (a concurrency control test caught it).
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop_indexes, _create_indexes, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name="checkinstate",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                    ),
                ),
                migrations.AlterField(
                    model_name="scan",
                    name="credential",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Empty when the code was forged or unknown.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scans",
                        to="ticketing.credential",
                    ),
                ),
                migrations.AlterField(
                    model_name="scan",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scans",
                        to="events.event",
                    ),
                ),
            ],
        ),
    ]
