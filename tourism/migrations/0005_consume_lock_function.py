"""One PostgreSQL function for the first locked step of a counter consume (`tourism_consume_lock`).

tourism.services.redemptions calls it on PostgreSQL so that locking the stub, re-reading the
idempotency key and reading the stub's live uses is one round trip instead of three; SQLite keeps the
ORM path, and both are held to the same tests. As separate statements (each with its own snapshot,
so the reads see what committed while the lock was awaited; read in the locking statement,
PostgreSQL would answer as of before the wait):
  1. lock the stub row (FOR UPDATE, unless p_lock is false: the concurrency tests' control run);
  2. the redemption already stored under this merchant's idempotency key, if any, as a row with only
     existing_id set;
  3. the stub's live (unreversed) redemptions everywhere, one row each (offer, store, merchant).
The offer's lock, the rules and the insert stay in Python (tourism.selectors.eligibility is the one
rule book for prepare and consume).
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION tourism_consume_lock(
    p_stub bigint,
    p_merchant bigint,
    p_key text,
    p_lock boolean
) RETURNS TABLE (
    existing_id bigint,
    use_offer_id bigint,
    use_store_id bigint,
    use_merchant_id bigint
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_lock THEN
        PERFORM 1 FROM tourism_stub WHERE id = p_stub FOR UPDATE;
    END IF;
    RETURN QUERY
        SELECT r.id, NULL::bigint, NULL::bigint, NULL::bigint
        FROM tourism_redemption r
        WHERE r.merchant_id = p_merchant AND r.idempotency_key = p_key;
    RETURN QUERY
        SELECT NULL::bigint, r.offer_id, r.store_id, r.merchant_id
        FROM tourism_redemption r
        LEFT JOIN tourism_reversal v ON v.redemption_id = r.id
        WHERE r.stub_id = p_stub AND v.id IS NULL;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS tourism_consume_lock(bigint, bigint, text, boolean);"


def _postgresql_only(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0004_tills_redeem_with_bearer_tokens"),
    ]

    operations = [
        migrations.RunPython(_postgresql_only(CREATE), _postgresql_only(DROP), elidable=False),
    ]
