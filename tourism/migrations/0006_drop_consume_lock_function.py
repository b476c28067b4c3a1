"""Drop `tourism_consume_lock` (migration 0005): a consume on PostgreSQL now locks the stub in the
statement that reads it, and reads the key and the stub's uses in the statement that locks the offer
(tourism/services/redemptions.py), so nothing calls the function. Reversing creates it again."""

from importlib import import_module

from django.db import migrations

previous = import_module("tourism.migrations.0005_consume_lock_function")


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0005_consume_lock_function"),
    ]

    operations = [
        migrations.RunPython(
            previous._postgresql_only(previous.DROP),
            previous._postgresql_only(previous.CREATE),
            elidable=False,
        ),
    ]
