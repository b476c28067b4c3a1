"""Quota.taken and Section.taken: the places sold or held, kept by ticketing/services/places.py.

The backfill first deletes lapsed holds (availability already ignored them), then counts what takes
a place today: tickets that are reserved or valid, and the live holds. A row already sold beyond its
capacity (possible only before this counter) gets its capacity raised to what it sold, so the new
constraint holds; the organiser sees the true figure instead of a negative "left".
"""

from django.db import migrations, models
from django.db.models import Count, Sum
from django.utils import timezone

HOLDING = ("reserved", "valid")


def backfill(apps, schema_editor):
    CartLine = apps.get_model("ticketing", "CartLine")
    Ticket = apps.get_model("ticketing", "Ticket")
    TicketType = apps.get_model("ticketing", "TicketType")
    Quota = apps.get_model("ticketing", "Quota")
    Section = apps.get_model("ticketing", "Section")
    CartLine.objects.filter(hold_expires_at__lte=timezone.now()).delete()
    by_type = {}
    for row in Ticket.objects.filter(state__in=HOLDING).values("ticket_type_id").annotate(n=Count("pk")).order_by():
        by_type[row["ticket_type_id"]] = by_type.get(row["ticket_type_id"], 0) + row["n"]
    for row in CartLine.objects.values("ticket_type_id").annotate(n=Sum("quantity")).order_by():
        by_type[row["ticket_type_id"]] = by_type.get(row["ticket_type_id"], 0) + row["n"]
    quota_taken, section_taken = {}, {}
    through = TicketType.quotas.through
    for quota_id, type_id in through.objects.values_list("quota_id", "tickettype_id"):
        quota_taken[quota_id] = quota_taken.get(quota_id, 0) + by_type.get(type_id, 0)
    for section_id, type_id in TicketType.objects.filter(section__isnull=False).values_list("section_id", "pk"):
        section_taken[section_id] = section_taken.get(section_id, 0) + by_type.get(type_id, 0)
    for model, taken in ((Quota, quota_taken), (Section, section_taken)):
        for row in model.objects.filter(pk__in=[pk for pk, n in taken.items() if n]):
            row.taken = taken[row.pk]
            row.capacity = max(row.capacity, row.taken)
            row.save(update_fields=["taken", "capacity"])


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0006_competition_formats'),
        ('ticketing', '0007_ticket_holder_area_code'),
    ]

    operations = [
        migrations.AddField(
            model_name='quota',
            name='taken',
            field=models.IntegerField(default=0, editable=False, verbose_name='places taken'),
        ),
        migrations.AddField(
            model_name='section',
            name='taken',
            field=models.IntegerField(default=0, editable=False, verbose_name='places taken'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='quota',
            constraint=models.CheckConstraint(condition=models.Q(('taken__gte', 0), ('taken__lte', models.F('capacity'))), name='quota_taken_within_capacity', violation_error_message='A capacity cannot be below the places sold or held.'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.CheckConstraint(condition=models.Q(('taken__gte', 0), ('taken__lte', models.F('capacity'))), name='section_taken_within_capacity', violation_error_message='A capacity cannot be below the places sold or held.'),
        ),
    ]
