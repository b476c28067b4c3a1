"""Offer.terms_version: moved on under the offer's lock by every change of its terms, so a consume
judged on a read without the lock (the fast path, tourism/services/redemptions.py) writes only while
the terms it judged are still the offer's. AddField with a constant default: no table rewrite on
PostgreSQL 11 and later."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0006_consume_claim_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="terms_version",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="terms version"),
        ),
    ]
