"""One PostgreSQL function per online scan decision (`ticketing_scan_decide`), and each credential's
manual code (`Credential.short_code`, backfilled for the credentials issued before it).


ticketing.services.scans calls it on PostgreSQL so an online scan is one round trip; SQLite keeps the
ORM path, and both are held to the same tests. It does, in order, as separate statements (each with
its own snapshot, so the presence is read AFTER the credential lock is granted; read in the locking
statement, PostgreSQL returns the row as of before the lock wait):
  1. lock the credential row (FOR UPDATE, unless p_lock is false: the concurrency control run);
  2. the static checks, in the order the gate explains them (as scans._signed_mismatch and
     scans._static_refusal);
  3. read the presence, decide;
  4. insert the scan; a nonce stored before changes nothing and answers with the stored scan;
  5. move the presence on an admission;
  6. return the stored scan, its credential and the presence's last entry.
p_pause widens the race window after the presence read; it is non-zero only in the race tests.
"""

from django.db import migrations, models

import ticketing.models.credentials

CREATE = r"""
CREATE OR REPLACE FUNCTION ticketing_scan_decide(
    p_public_id uuid,
    p_signed_event bigint,
    p_signed_session bigint,
    p_event bigint,
    p_session bigint,
    p_gate text,
    p_direction text,
    p_nonce text,
    p_code_hash text,
    p_device bigint,
    p_user bigint,
    p_now timestamptz,
    p_lock boolean,
    p_pause double precision
) RETURNS TABLE (
    scan_id bigint,
    scan_event_id bigint,
    scan_result text,
    scan_reason text,
    scan_direction text,
    scan_scanned_at timestamptz,
    scan_device_id bigint,
    scan_user_id bigint,
    scan_single_entry boolean,
    duplicate boolean,
    earlier_gate text,
    earlier_at timestamptz,
    c_id bigint,
    c_public_id uuid,
    c_kind text,
    c_event_id bigint,
    c_session_id bigint,
    c_valid_from timestamptz,
    c_valid_until timestamptz,
    c_zones jsonb,
    c_allows_reentry boolean,
    c_holder_label text,
    c_state text,
    c_state_changed_at timestamptz
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    c ticketing_credential%ROWTYPE;
    v_found boolean;
    v_inside boolean := false;
    v_entries integer := 0;
    v_last_entry bigint;
    v_reason text := '';
    v_ok boolean := false;
    v_scan bigint;
    v_duplicate boolean := false;
BEGIN
    IF p_lock THEN
        SELECT * INTO c FROM ticketing_credential WHERE public_id = p_public_id FOR UPDATE;
    ELSE
        SELECT * INTO c FROM ticketing_credential WHERE public_id = p_public_id;
    END IF;
    v_found := FOUND;
    IF NOT v_found THEN
        v_reason := 'unknown';
    ELSIF p_signed_session IS NOT NULL AND p_signed_session IS DISTINCT FROM c.session_id THEN
        v_reason := 'wrong_session';
    ELSIF p_signed_event IS NOT NULL AND p_signed_event <> c.event_id THEN
        v_reason := 'wrong_event';
    ELSIF c.event_id <> p_event THEN
        v_reason := 'wrong_event';
    ELSIF p_session IS NOT NULL AND c.session_id IS NOT NULL AND c.session_id <> p_session THEN
        v_reason := 'wrong_session';
    ELSIF c.state <> 'active' AND (c.state_changed_at IS NULL OR c.state_changed_at <= p_now) THEN
        v_reason := CASE c.state
            WHEN 'unpaid' THEN 'not_paid' WHEN 'refunded' THEN 'refunded' ELSE 'revoked' END;
    ELSIF p_now < c.valid_from THEN
        v_reason := 'not_valid_yet';
    ELSIF p_now >= c.valid_until THEN
        v_reason := 'expired';
    ELSIF jsonb_typeof(c.zones) = 'array' AND jsonb_array_length(c.zones) > 0
            AND NOT (c.zones ? p_gate) THEN
        v_reason := 'wrong_gate';
    ELSE
        -- A statement of its own after the lock: it sees the presence the lock holder committed.
        SELECT s.inside, s.entries, s.last_entry_id INTO v_inside, v_entries, v_last_entry
            FROM ticketing_checkinstate s WHERE s.credential_id = c.id;
        v_inside := coalesce(v_inside, false);
        v_entries := coalesce(v_entries, 0);
        IF p_pause > 0 THEN
            PERFORM pg_sleep(p_pause);
        END IF;
        IF p_direction = 'entry' THEN
            v_ok := NOT v_inside AND (v_entries = 0 OR c.allows_reentry);
            IF NOT v_ok THEN v_reason := 'already_used'; END IF;
        ELSE
            v_ok := v_inside;
            IF NOT v_ok THEN v_reason := 'not_inside'; END IF;
        END IF;
    END IF;

    INSERT INTO ticketing_scan AS t (
        event_id, credential_id, code_hash, direction, result, reason, gate_code, device_id, user_id,
        scanned_at, received_at, nonce, offline, device_result, conflict, single_entry, annulled_at
    ) VALUES (
        p_event,
        CASE WHEN v_found THEN c.id END, p_code_hash, p_direction,
        CASE WHEN v_ok THEN 'admitted' ELSE 'refused' END, v_reason, p_gate, p_device, p_user,
        p_now, p_now, p_nonce, false, '', false,
        CASE WHEN v_found THEN NOT c.allows_reentry ELSE true END, NULL
    )
    ON CONFLICT (nonce) DO NOTHING
    RETURNING t.id INTO v_scan;

    IF v_scan IS NULL THEN
        -- This nonce was stored before: nothing changes, and the stored scan is the answer.
        SELECT t.id INTO v_scan FROM ticketing_scan t WHERE t.nonce = p_nonce;
        v_duplicate := true;
    ELSIF v_ok AND p_direction = 'entry' THEN
        INSERT INTO ticketing_checkinstate AS s (credential_id, event_id, inside, entries, last_entry_id, updated_at)
            VALUES (c.id, c.event_id, true, v_entries + 1, v_scan, p_now)
            ON CONFLICT (credential_id) DO UPDATE SET inside = true, entries = EXCLUDED.entries,
                last_entry_id = EXCLUDED.last_entry_id, updated_at = EXCLUDED.updated_at;
    ELSIF v_ok THEN
        INSERT INTO ticketing_checkinstate AS s (credential_id, event_id, inside, entries, last_entry_id, updated_at)
            VALUES (c.id, c.event_id, false, v_entries, v_last_entry, p_now)
            ON CONFLICT (credential_id) DO UPDATE SET inside = false, entries = EXCLUDED.entries,
                last_entry_id = EXCLUDED.last_entry_id, updated_at = EXCLUDED.updated_at;
    END IF;

    RETURN QUERY
        SELECT t.id, t.event_id, t.result::text, t.reason::text, t.direction::text, t.scanned_at,
               t.device_id, t.user_id, t.single_entry, v_duplicate,
               CASE WHEN t.reason = 'already_used' THEN le.gate_code::text END,
               CASE WHEN t.reason = 'already_used' THEN le.scanned_at END,
               k.id, k.public_id, k.kind::text, k.event_id, k.session_id, k.valid_from, k.valid_until,
               k.zones, k.allows_reentry, k.holder_label::text, k.state::text, k.state_changed_at
        FROM ticketing_scan t
        LEFT JOIN ticketing_credential k ON k.id = t.credential_id
        LEFT JOIN ticketing_checkinstate s ON s.credential_id = t.credential_id
        LEFT JOIN ticketing_scan le ON le.id = s.last_entry_id
        WHERE t.id = v_scan;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS ticketing_scan_decide(uuid, bigint, bigint, bigint, bigint, text, text, text, text, bigint, bigint, timestamptz, boolean, double precision);"


def _postgresql_only(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def _backfill_short_codes(apps, schema_editor):
    from ticketing.models.credentials import new_short_code  # noqa: PLC0415  the one generator, also the field's default

    credential_model = apps.get_model("ticketing", "Credential")
    taken = set(credential_model.objects.exclude(short_code=None).values_list("short_code", flat=True))
    batch = []
    for credential in credential_model.objects.filter(short_code=None).only("pk").iterator(chunk_size=2000):
        code = new_short_code()
        while code in taken:
            code = new_short_code()
        taken.add(code)
        credential.short_code = code
        batch.append(credential)
        if len(batch) == 2000:
            credential_model.objects.bulk_update(batch, ["short_code"])
            batch = []
    credential_model.objects.bulk_update(batch, ["short_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0005_scan_reason_order_number"),
    ]

    operations = [
        migrations.RunPython(_postgresql_only(CREATE), _postgresql_only(DROP), elidable=False),
        migrations.AddField(
            model_name="credential",
            name="short_code",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="manual code"),
        ),
        migrations.RunPython(_backfill_short_codes, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="credential",
            name="short_code",
            field=models.CharField(
                default=ticketing.models.credentials.new_short_code,
                editable=False,
                help_text="Printed under the QR; typed at the gate when the QR will not scan.",
                max_length=12,
                unique=True,
                verbose_name="manual code",
            ),
        ),
    ]
