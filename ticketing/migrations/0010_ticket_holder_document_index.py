"""An index on tickets' holder document hash (the per-person-per-store cap of the stub economy).

Built CONCURRENTLY on PostgreSQL, outside a transaction, so a season's ticket table keeps taking
orders while it builds; SQLite builds it the plain way."""

from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=True)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("events", "0008_event_team_event"),
        ("ticketing", "0009_scan_lean_indexes"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="ticket",
            index=models.Index(fields=["holder_document_hash"], name="ticket_holder_document"),
        ),
    ]
