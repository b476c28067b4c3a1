"""A fencing event may be a team event (its entrants are teams of three and a reserve), so that
registration's team entries make team competitors for the relay table.

SQLite rebuilds events_event to add the check constraint, and a rebuild trips the triggers of 0003
that read events_event (session within its event's dates): they are dropped before and made again
after, on SQLite only.
"""

import importlib

from django.db import migrations, models

_triggers = importlib.import_module("events.migrations.0003_session_within_event_trigger")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_organiser_rules_and_referee_revocation"),
    ]

    operations = [
        migrations.RunPython(_sqlite(_triggers.SQLITE_DROP), _sqlite(_triggers.SQLITE)),
        migrations.AddField(
            model_name="event",
            name="team_event",
            field=models.BooleanField(
                default=False,
                help_text="Fencing: the entrants are teams of three fencers and a reserve, who meet in the "
                "nine-bout relay. Dragon boat, basketball, football and camp games are always between teams.",
                verbose_name="team event",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("team_event", False), ("discipline", "fencing"), _connector="OR"),
                name="event_team_flag_only_for_fencing",
                violation_error_message="Only a fencing event can be marked a team event: the other sports "
                "are always between teams.",
            ),
        ),
        migrations.RunPython(_sqlite(_triggers.SQLITE), _sqlite(_triggers.SQLITE_DROP)),
    ]
