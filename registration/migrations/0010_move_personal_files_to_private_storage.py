"""Move badge sheets and athletes' photos written before private storage out of MEDIA_ROOT.

Photos already have random names and keep them; badge sheets (badges/<year>/badges-<n>.pdf, a
guessable name) get a random one. A file missing from the public storage is left as it is."""

from django.core.files.storage import storages
from django.db import migrations

from events.storage import PrivateUploadTo, private_storage


def move_to_private(apps, schema_editor):
    public, private = storages["default"], private_storage()
    targets = (
        (apps.get_model("registration", "Athlete"), "photo", None),
        (apps.get_model("registration", "BadgeSheetJob"), "file", PrivateUploadTo("badges")),
    )
    for model, field, rename in targets:
        for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            if private.exists(name) or not public.exists(name):
                continue
            with public.open(name, "rb") as content:
                stored = private.save(rename(None, name) if rename else name, content)
            model.objects.filter(pk=pk).update(**{field: stored})
            public.delete(name)


class Migration(migrations.Migration):
    dependencies = [("registration", "0009_private_files_and_roster_reads")]

    operations = [migrations.RunPython(move_to_private, migrations.RunPython.noop, elidable=True)]
