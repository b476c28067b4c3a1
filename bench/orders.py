"""Orders placed per second with 64 concurrent buyers through gunicorn on PostgreSQL, against a bare
INSERT-in-a-transaction endpoint behind the same gunicorn in the same run (the ratio is the figure).

Each run drops and recreates the scratch database `corridor_bench_orders` (or $BENCH_DATABASE with
`_orders` appended) on 127.0.0.1:5432 (user postgres), migrates it and builds each scenario's ticket
types and BUYERS verified buyers in a subprocess with the servers' environment. gunicorn (WORKERS
sync workers, the settings of bench/scans.py: DEBUG off, psycopg's pool) serves bench.wsgi_orders:
`/order` runs the checkout's services (cart_add then order_place) for a buyer, `/insert` commits one
INSERT. The load comes from CLIENTS client processes (not threads of one Python process, whose GIL
would cap the buyers), BUYERS connections in all, each a buyer posting until sold out or SECONDS.
Scenarios and the baseline are measured one after another, ROUNDS times interleaved, after
WARMUP_ROUNDS rounds whose figures are dropped (each round has its own ticket types); the figures are
the medians. Oversold places are counted from the database after each scenario.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import scans
from bench.scans import PG_SERVER, _server_env, _start_gunicorn, _still_serving, _stop, _wait_ready

DB_NAME = os.environ.get("BENCH_DATABASE", "corridor_bench") + "_orders"
WORKERS = scans.WORKERS  # config/gunicorn.py's, or BENCH_WORKERS
SECONDS = 6.0
ROUNDS = 3
# A first round of every load, on its own ticket types, whose figures are dropped: the server's
# workers open their connections and prepare their statements in it. Without it the first hot run
# paid the cold start (its first order 0.15-0.20 s in, against 0.02-0.06 s later: BENCHMARKS.md,
# orderfast4), as no other round did; bench/scans.py warms every load up the same way.
WARMUP_ROUNDS = 1
BUYERS = 64
CLIENTS = 4  # processes, BUYERS // CLIENTS connections each
SCENARIOS = [
    # name, sessions, places per session
    ("one hot quota", 1, 400),
    ("spread over 8 sessions", 8, 400),
]


def main() -> list[dict]:
    started = time.monotonic()
    env = _server_env()
    env["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    env["DATABASE_POOL_SIZE"] = "2"
    server = None
    with tempfile.TemporaryDirectory(prefix="corridor-bench-orders-") as scratch:
        fixtures_path = Path(scratch) / "fixtures.json"
        log_path = Path(scratch) / "gunicorn.log"
        with log_path.open("wb") as log:
            try:
                _recreate_database()
                subprocess.run(
                    [sys.executable, "-m", "bench.orders", "--prepare", str(fixtures_path)],
                    env=env,
                    check=True,
                    timeout=900,  # migrating and building buyers took over 300 s at load 13
                )
                fixtures = json.loads(fixtures_path.read_text())
                server, port = _start_gunicorn("bench.wsgi_orders", env, log)
                _wait_ready(server, port)
                results: dict[str, list[dict]] = {name: [] for name, _s, _p in SCENARIOS}
                results["bare"] = []
                for round_index in range(WARMUP_ROUNDS + ROUNDS):
                    measured = round_index >= WARMUP_ROUNDS
                    for name, _sessions, places in SCENARIOS:
                        types = fixtures["rounds"][round_index][name]
                        run = _load(port, "/order", types, fixtures["users"])
                        run["oversold"] = _oversold(types, places)
                        _clean(f"round {round_index}, {name}", run)
                        if measured:
                            results[name].append(run)
                    bare_run = _load(port, "/insert", [0], fixtures["users"])
                    _clean(f"round {round_index}, bare INSERT", bare_run)
                    if measured:
                        results["bare"].append(bare_run)
                _still_serving(server)
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                _stop(server)
    return _rows(results, time.monotonic() - started)


def _clean(what: str, run: dict) -> None:
    """Raise when a load oversold or had a failed request: a rate of those is no figure."""
    if run.get("oversold") or run["errors"]:
        raise RuntimeError(f"{what}: oversold {run.get('oversold', 0)}, {run['errors']} errors; no figures")


def _rows(results: dict[str, list[dict]], seconds: float) -> list[dict]:
    bare = [run["rate"] for run in results["bare"]]
    rows = []
    for name, sessions, places in SCENARIOS:
        runs = results[name]
        rates = [run["rate"] for run in runs]
        rows.append(
            {
                "benchmark": f"orders placed per second, {BUYERS} buyers, {name}",
                "value": f"{statistics.median(rates):.1f}",
                "unit": "orders/s",
                "note": f"median of {ROUNDS} runs ({', '.join(f'{r:.1f}' for r in rates)}); oversold "
                f"{max(run['oversold'] for run in runs)}; {sessions}×{places} places, stop at sold out or "
                f"{SECONDS:.0f} s; {sum(run['sold_out'] for run in runs)} sold-out answers, "
                f"{sum(run['errors'] for run in runs)} errors; p50 {statistics.median(r['p50'] for r in runs):.0f} ms",
            }
        )
    rows.append(
        {
            "benchmark": f"bare INSERT in a transaction, {BUYERS} connections (baseline)",
            "value": f"{statistics.median(bare):.1f}",
            "unit": "inserts/s",
            "note": f"median of {ROUNDS} ({', '.join(f'{r:.1f}' for r in bare)}); same gunicorn "
            f"({WORKERS} sync workers), clients and settings; "
            f"{sum(run['errors'] for run in results['bare'])} errors",
        }
    )
    hot = [run["rate"] / base for run, base in zip(results[SCENARIOS[0][0]], bare, strict=True)]
    rows.append(
        {
            "benchmark": "orders/s ÷ bare inserts/s, one hot quota",
            "value": f"{statistics.median(hot):.3f}",
            "unit": "ratio",
            "note": f"median of {ROUNDS} interleaved rounds ({', '.join(f'{r:.3f}' for r in hot)}) after "
            f"{WARMUP_ROUNDS} dropped warm-up round; "
            f"{BUYERS} buyers from {CLIENTS} client processes (their starts at most "
            f"{1000 * max(run['spread'] for runs in results.values() for run in runs):.0f} ms apart); "
            f"{seconds:.0f} s in all; load average "
            "after the run " + "/".join(f"{value:.1f}" for value in os.getloadavg()),
        }
    )
    return rows


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")


def _oversold(types: list[int], places: int) -> int:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as connection:
        rows = connection.execute(
            "SELECT ticket_type_id, count(*) FROM ticketing_ticket WHERE ticket_type_id = ANY(%s) "
            "AND state IN ('reserved', 'valid') GROUP BY ticket_type_id",
            [types],
        ).fetchall()
    return sum(max(0, count - places) for _type, count in rows)


# --- Load: CLIENTS processes, each with BUYERS // CLIENTS connections ----------------------------------------


def _load(port: int, path: str, types: list[int], users: list[int]) -> dict:
    per_client = BUYERS // CLIENTS
    clients = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.orders", "--client"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _index in range(CLIENTS)
    ]
    # Every client process starts at the same instant, set once all of them have started (a fixed
    # second ahead was not always enough on a loaded machine: a late client started late).
    for client in clients:
        if client.stdout.readline().strip() != "ready":
            raise RuntimeError("an order client process did not start")
    start_at = time.time() + 0.2
    for index, client in enumerate(clients):
        job = {
            "port": port,
            "path": path,
            "types": types,
            "users": users[index * per_client : (index + 1) * per_client],
            "first": index * per_client,
            "start_at": start_at,
            "seconds": SECONDS,
        }
        client.stdin.write(json.dumps(job))
        client.stdin.close()
    outputs = [json.loads(client.stdout.read()) for client in clients]
    for client in clients:
        client.wait(timeout=60)
    ordered = sum(out["ordered"] for out in outputs)
    # From the first client's start to the last one's end (wall clock, shared by the processes): a
    # client that started late widens the window rather than going uncounted.
    elapsed = max(out["ended_at"] for out in outputs) - min(out["started_at"] for out in outputs)
    latencies = sorted(value for out in outputs for value in out["latencies"])
    return {
        "rate": ordered / elapsed,
        "ordered": ordered,
        "sold_out": sum(out["sold_out"] for out in outputs),
        "errors": sum(out["errors"] for out in outputs),
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else float("nan"),
        "spread": max(out["started_at"] for out in outputs) - min(out["started_at"] for out in outputs),
    }


def _client() -> None:
    """One client process: a thread per buyer, each on its own HTTP connection, posting until every
    ticket type it tries is sold out or the time is up. Says "ready" once started, then reads its
    job; prints its counts as JSON."""
    print("ready", flush=True)
    job = json.loads(sys.stdin.read())
    counts = {"ordered": 0, "sold_out": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    types = job["types"]
    time.sleep(max(0.0, job["start_at"] - time.time()))
    started_at = time.time()
    started = time.monotonic()
    deadline = started + job["seconds"]

    def buy(index: int, user: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=30)
        exhausted: set[int] = set()
        attempt = 0
        while time.monotonic() < deadline and len(exhausted) < len(types):
            ticket_type = types[(index + attempt) % len(types)]
            attempt += 1
            if ticket_type in exhausted:
                continue
            body = json.dumps({"user": user, "type": ticket_type, "quantity": 1 + attempt % 2})
            sent = time.perf_counter()
            try:
                connection.request(
                    "POST", job["path"], body=body, headers={"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                payload = response.read()
                result = json.loads(payload)["result"] if response.status == 200 else "error"
            except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError):
                connection.close()
                result = "error"
            with lock:
                latencies.append(time.perf_counter() - sent)
                if result == "ordered":
                    counts["ordered"] += 1
                elif result == "sold_out":
                    counts["sold_out"] += 1
                    exhausted.add(ticket_type)
                else:
                    counts["errors"] += 1
        connection.close()

    threads = [
        threading.Thread(target=buy, args=(job["first"] + offset, user))
        for offset, user in enumerate(job["users"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({**counts, "started_at": started_at, "ended_at": time.time(), "latencies": latencies}))


# --- Fixture subprocess (runs with the servers' environment) --------------------------------------------


def scenario_data(sessions: int, places: int) -> tuple[list, list]:
    """`sessions` ticket types, each with its own session a month ahead and a quota of `places`, and
    BUYERS verified buyers. Valid whatever the clock says: future_session puts the event's dates a day
    either side of the session's local date."""
    from tests.factories.ticketing import buyer

    return scenario_types(sessions, places), [buyer() for _ in range(BUYERS)]


def scenario_types(sessions: int, places: int) -> list:
    from tests.factories.ticketing import QuotaFactory, TicketTypeFactory, future_session

    types = []
    for _ in range(sessions):
        session = future_session()
        types.append(TicketTypeFactory(session=session, quota=QuotaFactory(session=session, capacity=places)))
    return types


def _prepare(out_path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, buyer int, at timestamptz)")
    from tests.factories.ticketing import buyer

    users = [buyer().pk for _ in range(BUYERS)]
    rounds = [
        {name: [t.pk for t in scenario_types(sessions, places)] for name, sessions, places in SCENARIOS}
        for _round in range(WARMUP_ROUNDS + ROUNDS)
    ]
    Path(out_path).write_text(json.dumps({"users": users, "rounds": rounds}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        _prepare(sys.argv[2])
    elif sys.argv[1:] == ["--client"]:
        _client()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        print(json.dumps(main()))
