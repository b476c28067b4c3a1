"""A gate device belongs to a venue, and `ticketing_scan_decide` holds a session's ticket to it.

A gate code is unique only within its venue. When an event's sessions use two venues that both have
a gate-a, a device that knew only its event and "gate-a" admitted a ticket for the session at venue B
at venue A's gate-a (migration 0013 asked only whether the session's venue has *a* gate-a). The
device's venue now says which gate-a it stands at: the function takes it as `p_venue` (last, after
`p_pause`) and, when it is given, the session must be at that venue. Without one (a device from
before whose event used several venues), the check stays 0013's. 0013's 14-argument function stays
for one release (see the operation).

Existing devices get their venue where it is certain: the event uses one venue, or the device's
gates are all gates of exactly one of the event's venues. The rest stay empty; the gate flow page
shows them, and an organiser sets the venue in the admin.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

previous = import_module("ticketing.migrations.0013_scan_decide_session_venue")
first = import_module("ticketing.migrations.0006_scan_decide_and_short_code")

OLD_PARAMETERS = "    p_pause double precision\n) RETURNS TABLE ("
VENUE_CLAUSE = "                WHERE s.id = c.session_id) THEN\n        v_reason := 'wrong_session';"
for part in (OLD_PARAMETERS, VENUE_CLAUSE):
    if previous.CREATE.count(part) != 1:
        raise RuntimeError("migration 0013's function text changed: 0014 splices it and cannot")

CREATE = previous.CREATE.replace(
    OLD_PARAMETERS, "    p_pause double precision,\n    p_venue bigint\n) RETURNS TABLE ("
).replace(
    VENUE_CLAUSE,
    "                WHERE s.id = c.session_id AND (p_venue IS NULL OR s.venue_id = p_venue)) THEN\n"
    "        v_reason := 'wrong_session';",
)
DROP = (
    "DROP FUNCTION IF EXISTS ticketing_scan_decide(uuid, bigint, bigint, bigint, bigint, text, text, text, "
    "text, bigint, bigint, timestamptz, boolean, double precision, bigint);"
)


def device_venues_fill(apps, schema_editor):
    """Each device without a venue gets the one its event and gates make certain, if any."""
    GateDevice = apps.get_model("ticketing", "GateDevice")
    Session = apps.get_model("events", "Session")
    VenueResource = apps.get_model("events", "VenueResource")
    for device in GateDevice.objects.filter(venue__isnull=True).select_related("event"):
        venues = set(Session.objects.filter(event_id=device.event_id).values_list("venue_id", flat=True))
        if device.event.venue_id is not None:
            venues.add(device.event.venue_id)
        if device.gates:
            for code in device.gates:
                venues &= set(
                    VenueResource.objects.filter(kind="gate", code=code, venue_id__in=venues).values_list(
                        "venue_id", flat=True
                    )
                )
        if len(venues) == 1:
            device.venue_id = venues.pop()
            device.save(update_fields=["venue"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_competitor_members"),
        ("ticketing", "0013_scan_decide_session_venue"),
    ]

    operations = [
        migrations.AddField(
            model_name="gatedevice",
            name="venue",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="gate_devices",
                to="events.venue",
                verbose_name="venue",
            ),
        ),
        migrations.RunPython(device_venues_fill, migrations.RunPython.noop, elidable=True),
        # A new argument is a new function beside the old one (another arity, so no call is
        # ambiguous): workers still on the last release call the 14-argument one during a rolling
        # deploy, which is 0013's and keeps its rule. Drop it in a migration of the next release
        # (`first.DROP`). On the way down only the new one goes.
        migrations.RunPython(
            first._postgresql_only(CREATE), first._postgresql_only(DROP), elidable=False
        ),
    ]
