"""`ticketing_scan_decide` answers a new scan from what it holds (issue #10 item 1).

Migration 0006's function ended every call by reading back the scan it had just stored, joined to its
credential, the credential's presence and the presence's last entry: four index look-ups per scan for
values it already held (the credential row it locked, the scan it inserted, the presence it read).
Now only a re-sent nonce reads the stored scan (it answers as first decided), and only an entry
refused as already used reads the entry that used it (named by the presence read under the lock,
which nothing can move before this transaction ends). Same arguments, same columns, same answers:
tests/ticketing/test_scans.py and test_api.py hold both paths to them. (Only the concurrency control
run, p_lock false, can tell them apart: there the old re-read could show a credential or presence
another transaction changed after the decision; the answer now shows what was decided on.)

Measured with `bench scancpu`'s floor (the call alone, psycopg, prepared, autocommit), alternated on
one database: backend CPU per admitted scan 0.52-0.57 → 0.39-0.43 ms (two runs each).
"""

import textwrap
from importlib import import_module

from django.db import migrations

previous = import_module("ticketing.migrations.0006_scan_decide_and_short_code")

# 0006's last statement, which read the stored scan back for every call, to the end of the function:
# kept for a re-sent nonce alone, as it was (v_duplicate is true there).
STORED_ANSWER = """    RETURN QUERY
        SELECT t.id, t.event_id, t.result::text, t.reason::text, t.direction::text, t.scanned_at,
               t.device_id, t.user_id, t.single_entry, v_duplicate,"""
_FUNCTION_END = "END;\n$$;"
if not previous.CREATE.count(STORED_ANSWER) == previous.CREATE.count(_FUNCTION_END) == 1:
    raise RuntimeError("migration 0006's function text changed: 0012 splices it and cannot")
_start = previous.CREATE.index(STORED_ANSWER)
_end = previous.CREATE.index(_FUNCTION_END)

# What answers a new scan: all of it is in hand. Only an entry refused as already used reads the entry
# that used it, named by the presence read under the lock (nothing has moved it since).
NEW_ANSWER = r"""    IF v_reason = 'already_used' THEN
        SELECT le.gate_code, le.scanned_at INTO earlier_gate, earlier_at
            FROM ticketing_scan le WHERE le.id = v_last_entry;
    END IF;
    scan_id := v_scan;
    scan_event_id := p_event;
    scan_result := CASE WHEN v_ok THEN 'admitted' ELSE 'refused' END;
    scan_reason := v_reason;
    scan_direction := p_direction;
    scan_scanned_at := p_now;
    scan_device_id := p_device;
    scan_user_id := p_user;
    scan_single_entry := CASE WHEN v_found THEN NOT c.allows_reentry ELSE true END;
    duplicate := false;
    IF v_found THEN
        c_id := c.id; c_public_id := c.public_id; c_kind := c.kind; c_event_id := c.event_id;
        c_session_id := c.session_id; c_valid_from := c.valid_from; c_valid_until := c.valid_until;
        c_zones := c.zones; c_allows_reentry := c.allows_reentry; c_holder_label := c.holder_label;
        c_state := c.state; c_state_changed_at := c.state_changed_at;
    END IF;
    RETURN NEXT;
"""
# The whole function as this migration defines it: 0006's up to its answer, then the stored scan for
# a re-sent nonce (0006's statement) or the new scan's answer.
CREATE = (
    previous.CREATE[:_start]
    + "    IF v_duplicate THEN\n"
    + textwrap.indent(previous.CREATE[_start:_end], "    ")
    + "        RETURN;\n    END IF;\n"
    + NEW_ANSWER
    + previous.CREATE[_end:]
)


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0011_order_lean_indexes"),
    ]

    operations = [
        # Backwards: 0006's definition again.
        migrations.RunPython(
            previous._postgresql_only(CREATE), previous._postgresql_only(previous.CREATE), elidable=False
        ),
    ]
