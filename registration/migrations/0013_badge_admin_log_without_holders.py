"""The admin's log of changes no longer names badge holders.

Django's admin writes `str(obj)` into each LogEntry's `object_repr`, and a badge's str was its holder
(often a child's name). `Badge.__str__` is now its role and number; this rewrites the entries written
before, to the badge's number. Nothing else in the log names the holder.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat


def log_entries_anonymise(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    badge = ContentType.objects.filter(app_label="registration", model="badge").first()
    if badge is not None:
        LogEntry.objects.filter(content_type=badge).update(object_repr=Concat(Value("#"), "object_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registration", "0012_team_names_in_both_languages"),
    ]

    operations = [migrations.RunPython(log_entries_anonymise, migrations.RunPython.noop, elidable=True)]
