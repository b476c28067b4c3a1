"""Orders placed per second with many concurrent buyers on PostgreSQL, and how many places were oversold.

Runs in a child process (`python -m bench.orders --worker`) against the scratch database
`corridor_bench_orders` (or $BENCH_DATABASE with `_orders` appended) on 127.0.0.1:5432 (user postgres), dropped and recreated each run.
Buyers are real threads, each with its own connection, calling the same services as the
checkout page (cart_add then order_place, demo provider). Each scenario stops at sold-out or
after SECONDS, so the whole module stays well under a minute.

The baseline is the same BUYERS threads, with the same connections and settings, each committing
one INSERT per transaction into a scratch table for SECONDS: what the database and this harness
allow at best. Orders per second ÷ inserts per second is the figure (issue 10: ≥ 0.25 on one hot
quota). It runs in this harness, not behind gunicorn, because the orders themselves do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DATABASE", "corridor_bench") + "_orders"
SECONDS = 12.0
BUYERS = 64
SCENARIOS = [
    # name, sessions, places per session
    ("one hot quota", 1, 400),
    ("spread over 8 sessions", 8, 400),
]


def main() -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DATABASE_URL=f"{PG_SERVER}/{DB_NAME}", DJANGO_SETTINGS_MODULE="config.settings.test")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.orders", "--worker"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return [
            {
                "benchmark": "orders placed",
                "value": "-",
                "unit": "",
                "note": f"failed: {detail.strip()[-200:]}",
            }
        ]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")


def scenario_data(sessions: int, places: int) -> tuple[list, list]:
    """`sessions` ticket types, each with its own session a month ahead and a quota of `places`, and
    BUYERS verified buyers. Valid whatever the clock says: future_session puts the event's dates a day
    either side of the session's local date."""
    from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, buyer, future_session

    types = []
    for _ in range(sessions):
        session = future_session()
        types.append(TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=places)))
    return types, [buyer() for _ in range(BUYERS)]


def _scenario(name: str, sessions: int, places: int) -> dict:
    from django.db import connection

    from ticketing.errors import SoldOutError, TicketingError
    from ticketing.models import Ticket
    from ticketing.services.carts import cart_add
    from ticketing.services.orders import order_place

    types, users = scenario_data(sessions, places)
    counts = {"orders": 0, "sold_out": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    barrier = threading.Barrier(BUYERS)

    def buy(index: int, user) -> None:
        barrier.wait()
        attempt = 0
        exhausted: set[int] = set()
        while time.monotonic() < deadline and len(exhausted) < len(types):
            ticket_type = types[(index + attempt) % len(types)]
            attempt += 1
            if ticket_type.pk in exhausted:
                continue
            try:
                cart_add(user=user, ticket_type=ticket_type, quantity=1 + (attempt % 2))
                order_place(user=user, provider="demo")
                outcome = "orders"
            except SoldOutError:
                exhausted.add(ticket_type.pk)
                outcome = "sold_out"
            except TicketingError:
                outcome = "errors"
            with lock:
                counts[outcome] += 1
        connection.close()

    threads = [threading.Thread(target=buy, args=(i, user)) for i, user in enumerate(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    sold = {
        t.pk: Ticket.objects.filter(ticket_type=t, state__in=["reserved", "valid"]).count() for t in types
    }
    oversold = sum(max(0, count - places) for count in sold.values())
    return {
        "benchmark": f"orders placed per second, {BUYERS} buyers, {name}",
        "value": round(counts["orders"] / elapsed, 1),
        "unit": "orders/s",
        "note": (
            f"oversold {oversold}; {sum(sold.values())}/{places * sessions} places in {elapsed:.1f}s; "
            f"{counts['sold_out']} sold-out answers, {counts['errors']} other refusals"
        ),
    }


def _bare_inserts() -> dict:
    """BUYERS threads, each committing one INSERT per transaction, for SECONDS."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, buyer int, at timestamptz)")
    count = [0] * BUYERS
    barrier = threading.Barrier(BUYERS)
    deadline = [0.0]

    def insert(index: int) -> None:
        barrier.wait()
        while time.monotonic() < deadline[0]:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_insert (buyer, at) VALUES (%s, now())", [index])
            count[index] += 1
        connection.close()

    threads = [threading.Thread(target=insert, args=(i,)) for i in range(BUYERS)]
    started = time.monotonic()
    deadline[0] = started + SECONDS
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "benchmark": f"bare INSERT in a transaction, {BUYERS} threads (baseline)",
        "value": round(sum(count) / elapsed, 1),
        "unit": "inserts/s",
        "note": f"{sum(count)} committed in {elapsed:.1f}s; same harness, connections and settings",
    }


def worker() -> None:
    _prepare_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    call_command("migrate", verbosity=0)
    rows = [_scenario(*scenario) for scenario in SCENARIOS]
    bare = _bare_inserts()
    rows.append(bare)
    rows.append(
        {
            "benchmark": "orders/s ÷ bare inserts/s, one hot quota",
            "value": round(rows[0]["value"] / bare["value"], 3),
            "unit": "ratio",
            "note": f"{BUYERS} buyers; load average after the run "
            + "/".join(f"{value:.1f}" for value in os.getloadavg()),
        }
    )
    print(json.dumps(rows))


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        print(json.dumps(main()))
