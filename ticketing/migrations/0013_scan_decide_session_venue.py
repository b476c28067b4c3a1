"""`ticketing_scan_decide` refuses a session's ticket at a gate of another venue.

A gate device knows its event and the gate code it scans at, not a venue; until now a ticket for the
event's session at venue B was admitted at a gate of venue A whenever its type named no gates (the
web gate, which knows its venue, refused it). The function now answers `wrong_session` unless the
gate code is a gate of the credential's session's venue (one join on two unique indexes), after the
gate check and before the presence is read, as `_static_refusal` does on the ORM path
(`ticketing.selectors.checkin.session_has_gate`). Same arguments, same columns.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("ticketing.migrations.0012_scan_decide_answers_from_hand")
first = import_module("ticketing.migrations.0006_scan_decide_and_short_code")

GATE_CHECK = """    ELSIF jsonb_typeof(c.zones) = 'array' AND jsonb_array_length(c.zones) > 0
            AND NOT (c.zones ? p_gate) THEN
        v_reason := 'wrong_gate';
"""
if previous.CREATE.count(GATE_CHECK) != 1:
    raise RuntimeError("migration 0012's function text changed: 0013 splices it and cannot")

VENUE_CHECK = """    ELSIF c.session_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM events_session s
                JOIN events_venueresource r ON r.venue_id = s.venue_id AND r.kind = 'gate' AND r.code = p_gate
                WHERE s.id = c.session_id) THEN
        v_reason := 'wrong_session';
"""
CREATE = previous.CREATE.replace(GATE_CHECK, GATE_CHECK + VENUE_CHECK)


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0012_scan_decide_answers_from_hand"),
    ]

    operations = [
        # Backwards: 0012's definition again.
        migrations.RunPython(
            first._postgresql_only(CREATE), first._postgresql_only(previous.CREATE), elidable=False
        ),
    ]
