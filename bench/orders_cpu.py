"""Where an order's time goes, measured in-process and independent of the machine's load.

`python -m bench.orders_cpu [--keep] [--profile] [--sql]` (on its own scratch database, bench/orders.py's name + `_cpu`)
builds one ticket type with a large quota and BUYERS buyers, then, in a subprocess with the bench
servers' environment (bench.scans._server_env: DEBUG off, Redis, psycopg's pool), calls the WSGI
application of bench.wsgi_orders directly (no gunicorn, no HTTP client) for `POST /order` and for
the baseline `POST /insert`, and `POST /order` for a type whose quota is full (the refusal as sold
out every buyer of a sold-out session gets), in BATCHES batches of BATCH requests each, and reports
per request:

- Python CPU: `time.process_time()` of this process (the fastest batch, the one least disturbed);
- PostgreSQL CPU: utime + stime from /proc/<pid>/stat of the backends of this database only
  (pg_stat_activity.datname; the server is shared), before and after the batch: the median batch,
  and the mean over every batch (10 ms ticks: 0.25 ms resolution for a batch, 0.036 ms for all);
- wall time, and the SQL statements Django sent (CaptureQueriesContext, a separate pass);
- with --sql, the statements of one order and of one refusal (their length and start);
- with --profile, the top of cProfile (cumulative and own time) for one batch of orders.

--keep reuses a database migrated by an earlier run (migrating takes minutes on a loaded machine).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

from bench.orders import BUYERS, DB_NAME
from bench.scans import PG_SERVER, _server_env

# Its own scratch database: bench/orders.py's data would collide with the factories' sequences.
CPU_DB = DB_NAME + "_cpu"
BATCHES = 7
BATCH = 40
WARMUP = 20
PLACES = 10_000_000  # never sold out


def main(argv: list[str]) -> None:
    env = _server_env()
    env["DATABASE_URL"] = f"{PG_SERVER}/{CPU_DB}"
    if "--keep" not in argv:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {CPU_DB} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {CPU_DB}")
    subprocess.run(
        [sys.executable, "-m", "bench.orders_cpu", "--measure", *argv], env=env, check=True, timeout=1800
    )


# --- The measuring subprocess (the servers' environment) ------------------------------------------------


def _backend_ticks() -> int:
    """CPU ticks used so far by this database's PostgreSQL backends (other databases' are not counted)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        pids = [
            pid
            for (pid,) in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [CPU_DB]
            ).fetchall()
        ]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks


def _call(application, path: str, body: dict) -> dict:
    from wsgiref.util import setup_testing_defaults

    data = json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/{path}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(data),
    }
    setup_testing_defaults(environ)
    status = []
    chunks = application(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        payload = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    if not status[0].startswith("200"):
        raise RuntimeError(f"{path}: {status[0]} {payload[:300]!r}")
    return json.loads(payload)


def _measure(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, buyer int, at timestamptz)"
        )
    from django.contrib.auth import get_user_model

    from bench.orders import scenario_data, scenario_types
    from bench.wsgi_orders import application
    from ticketing.models import TicketType

    # --keep: the type and buyers of the earlier run (the factories' sequences would collide).
    ticket_type = TicketType.objects.filter(quotas__capacity=PLACES).order_by("pk").first()
    if ticket_type is None:
        (ticket_type,), buyers = scenario_data(1, PLACES)
        users = [user.pk for user in buyers]
    else:
        users = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)[:BUYERS])
    # A type whose one quota is full: the answer every buyer of a sold-out session gets.
    sold_out_type = TicketType.objects.filter(quotas__capacity=0).order_by("pk").first()
    if sold_out_type is None:
        (sold_out_type,) = scenario_types(1, 0)
    connection.close()  # the application opens its own, from the pool
    counter = iter(range(10**9))

    def buy(type_id: int, expected: str) -> None:
        index = next(counter)
        body = {"user": users[index % len(users)], "type": type_id, "quantity": 1 + index % 2}
        result = _call(application, "order", body)
        if result["result"] != expected:
            raise RuntimeError(result)

    def order() -> None:
        buy(ticket_type.pk, "ordered")

    def insert() -> None:
        _call(application, "insert", {"user": users[0]})

    def sold_out() -> None:
        buy(sold_out_type.pk, "sold_out")

    calls = (("order", order), ("insert", insert), ("soldout", sold_out))
    rows = {name: _batches(call) for name, call in calls}
    rows["order"]["statements"] = _statements(order, show="--sql" in argv)
    rows["insert"]["statements"] = _statements(insert)
    rows["soldout"]["statements"] = _statements(sold_out, show="--sql" in argv)
    for name, row in rows.items():
        print(
            f"{name:7}  Python CPU {row['cpu_ms']:.2f} ms  PostgreSQL CPU {row['pg_ms']:.2f} ms  "
            f"(mean {row['pg_mean_ms']:.3f})  wall {row['wall_ms']:.2f} ms  statements {row['statements']}  "
            f"(fastest of {BATCHES} batches of {BATCH}; PostgreSQL CPU is the batch's median, and the mean "
            f"of all {BATCHES * BATCH} at a finer resolution)"
        )
    ratio = (rows["insert"]["cpu_ms"] + rows["insert"]["pg_ms"]) / (
        rows["order"]["cpu_ms"] + rows["order"]["pg_ms"]
    )
    print(f"CPU per insert ÷ CPU per order (Python + PostgreSQL): {ratio:.3f}")
    for name, call in (("soldout", sold_out),):
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(BATCH):
            call()
        profile.disable()
        rows[name]["calls"] = pstats.Stats(profile).total_calls // BATCH
        print(f"Python function calls per sold-out answer: {rows[name]['calls']} (cProfile)")
    profile = cProfile.Profile(time.process_time)  # CPU, not the waits on PostgreSQL
    profile.enable()
    for _ in range(BATCH):
        order()
    profile.disable()
    calls = pstats.Stats(profile).total_calls
    print(f"Python function calls per order: {calls // BATCH} (cProfile, load-independent)")
    rows["order"]["calls"] = calls // BATCH
    if "--profile" in argv:
        for sort in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(90)
            print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).print_callees(
            r"\(order_place\)|\(cart_add\)|wsgi_orders.py.*\(order\)"
        )
        print(out.getvalue())
    print(json.dumps({"rows": rows, "load": os.getloadavg()}))


def _batches(call) -> dict:
    for _ in range(WARMUP):
        call()
    cpu, wall, pg = [], [], []
    for _ in range(BATCHES):
        ticks = _backend_ticks()
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(BATCH):
            call()
        cpu.append((time.process_time() - started_cpu) / BATCH * 1000)
        wall.append((time.perf_counter() - started) / BATCH * 1000)
        pg.append((_backend_ticks() - ticks) / os.sysconf("SC_CLK_TCK") / BATCH * 1000)
    return {
        "cpu_ms": min(cpu),
        "wall_ms": min(wall),
        "pg_ms": sorted(pg)[len(pg) // 2],
        "pg_mean_ms": sum(pg) / len(pg),
    }


def _statements(call, *, show: bool = False) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # the pool's connection is open
    with CaptureQueriesContext(connection) as captured:
        call()
    if show:
        for query in captured.captured_queries:
            print(f"  {len(query['sql']):5} chars  {query['sql'][:160]}")
    return len(captured.captured_queries)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        _measure(sys.argv[2:])
    else:
        main(sys.argv[1:])
