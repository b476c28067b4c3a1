"""One PostgreSQL function for a counter consume in one round trip (`tourism_consume_claim`).

tourism.services.redemptions judges a consume with the rule book (tourism.selectors.eligibility) on
reads made without locks, then sends ONE statement, outside any transaction of its own: this function
in a WITH, then the offer's counts UPDATE, then the redemption's INSERT (the statement is written from
the models' metadata in the service). The function, as separate statements (a VOLATILE function's
statements each take a new snapshot, so the reads after the lock see what committed during the wait):
  1. lock the stub row (FOR UPDATE, unless p_lock is false: the concurrency tests' control run);
  2. false if a redemption is stored under this merchant's idempotency key (a retry: the caller
     answers it on the locked path);
  3. false unless the stub's live (unreversed) uses, as sorted [offer, store, merchant] arrays, are
     exactly those the rules were judged on (`p_uses`): every cap and exclusion of the stub then
     still gives the same verdict;
  4. p_pause seconds of sleep (0 except in the race tests, which widen the window there).
The UPDATE then locks the offer row and re-checks, on its newest version, what other stubs change:
the offer is live, its stock and its subsidy budget still hold this redemption. When the function
answers false or the UPDATE matches no row, nothing is written and the caller takes the locked path
(which re-judges everything under the stub's and the offer's locks and gives the refusal's reason).

`tourism_consume_lock` (0005) is no longer called; it stays for workers still on older code during
a rolling deploy (docs/architecture.md).
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION tourism_consume_claim(
    p_stub bigint,
    p_merchant bigint,
    p_key text,
    p_uses bigint[],
    p_lock boolean,
    p_pause double precision
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_lock THEN
        PERFORM 1 FROM tourism_stub WHERE id = p_stub FOR UPDATE;
    END IF;
    IF EXISTS (
        SELECT 1 FROM tourism_redemption r WHERE r.merchant_id = p_merchant AND r.idempotency_key = p_key
    ) THEN
        RETURN false;
    END IF;
    IF ARRAY(
        SELECT ARRAY[r.offer_id, r.store_id, r.merchant_id]
        FROM tourism_redemption r
        WHERE r.stub_id = p_stub
          AND NOT EXISTS (SELECT 1 FROM tourism_reversal v WHERE v.redemption_id = r.id)
        ORDER BY 1
    ) IS DISTINCT FROM coalesce(p_uses, '{}') THEN
        RETURN false;
    END IF;
    IF p_pause > 0 THEN
        PERFORM pg_sleep(p_pause);
    END IF;
    RETURN true;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS tourism_consume_claim(bigint, bigint, text, bigint[], boolean, double precision);"


def _postgresql_only(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tourism", "0005_consume_lock_function"),
    ]

    operations = [
        migrations.RunPython(_postgresql_only(CREATE), _postgresql_only(DROP), elidable=False),
    ]
