"""Where a counter redemption's time goes, load-independent: `python -m bench stubs_cpu`.

`python -m bench stubs` measures throughput through gunicorn, which on a shared 2-core machine moves
with everyone else's load. This measures what load does not change, in-process, against the same
production-like settings and fixtures (bench/stubs.py's `counter_world`, bench/scans.py's
`_server_env`, a till's bearer token):

- Python CPU per prepare and per consume (`time.process_time`, through Django's real WSGI handler,
  each stub distinct, the fastest of several batches), and per bare request (bench/wsgi_bare.py);
- PostgreSQL backend CPU per redemption: the backends of the bench database only (pg_stat_activity
  by datname, then /proc/<pid>/stat utime + stime before and after each batch; the server is shared);
- wall time per redemption in one thread, so what is neither (commit flushes, socket waits) shows;
- statements per request, and whether they grow with the redemptions table: the first batch runs
  on an empty table, the last after `STUBS - BATCH` redemptions, and each statement of one consume
  is EXPLAINed (ANALYZE, BUFFERS) on the full table, in a transaction rolled back.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

from bench.scans import BASE_DIR, DB_NAME, PG_SERVER, _recreate_database, _server_env

STUBS = int(os.environ.get("BENCH_COUNTER_STUBS", "3000"))
BATCHES = int(os.environ.get("BENCH_COUNTER_BATCHES", "0"))  # 0: as many as the stubs make
BATCH = 100
BILL_FEN = 12_000
BARE_REQUESTS = 2000


def _environ(path: str, body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _call(application, path: str, payload: dict, token: str = "") -> tuple[str, dict]:
    status = []
    body = json.dumps(payload).encode()
    response = application(
        _environ(path, body, token), lambda code, headers, exc_info=None: status.append(code)
    )
    try:
        content = b"".join(response)
    finally:
        response.close()  # request_finished: the pooled connection goes back, as under gunicorn
    return status[0], json.loads(content or b"{}")


def _backend_ticks(monitor) -> dict[int, tuple[str, int]]:
    """pid -> (backend type, utime + stime in clock ticks) of every backend of the bench database
    (not the monitor's): client backends, and autovacuum workers while they work on it."""
    rows = monitor.execute(
        "SELECT pid, backend_type FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [DB_NAME],
    ).fetchall()
    ticks = {}
    for pid, kind in rows:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a backend that ended between the two reads
        ticks[pid] = (kind, int(fields[11]) + int(fields[12]))  # utime, stime (fields 14 and 15)
    return ticks


def _spent(before: dict, after: dict, client: bool = True) -> int:
    """Ticks spent between two snapshots by client backends (or by the others)."""
    return sum(
        ticks - before.get(pid, (kind, 0))[1]
        for pid, (kind, ticks) in after.items()
        if (kind == "client backend") == client
    )


def _measure_counter(count: int) -> dict:
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from bench.stubs import counter_world
    from config.wsgi import application

    call_command("migrate", verbosity=0, interactive=False)
    fixtures = counter_world(count)
    token, store = fixtures["till_token"], fixtures["store"]
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    tick = os.sysconf("SC_CLK_TCK")
    monitor = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)
    codes = iter(fixtures["codes"][:-1])  # the last one is the EXPLAINed consume's
    _call(application, "/api/counter/prepare", {"store": store, "code": fixtures["codes"][-1]}, token)
    batches = []
    consume_sql: list[tuple[str, list]] = []
    for number in range(BATCHES or (count - 1) // BATCH):
        batch = [next(codes) for _ in range(BATCH)]
        offers, prepare_statements, consume_statements = [], 0, 0
        pg0, wall0, cpu0 = _backend_ticks(monitor), time.perf_counter(), time.process_time()
        with connection.execute_wrapper(record):
            for code in batch:
                _status, prepared = _call(
                    application, "/api/counter/prepare", {"store": store, "code": code}, token
                )
                offers.append(next(o["id"] for o in prepared["offers"] if o["redeemable"]))
            prepare_statements = len(statements)
            cpu1, pg1 = time.process_time(), _backend_ticks(monitor)
            for index, (code, offer) in enumerate(zip(batch, offers, strict=True)):
                before = len(statements)
                status, receipt = _call(
                    application,
                    "/api/counter/consume",
                    {
                        "store": store,
                        "code": code,
                        "offer": offer,
                        "idempotency_key": f"cpu-{number}-{index}",
                        "bill_fen": BILL_FEN,
                    },
                    token,
                )
                if status != "200 OK" or not receipt.get("receipt_number"):
                    raise RuntimeError(f"consume refused: {status} {receipt}")
                if index == 0:
                    consume_sql = statements[before:]
            consume_statements = len(statements) - prepare_statements
        cpu2, pg2, wall2 = time.process_time(), _backend_ticks(monitor), time.perf_counter()
        statements.clear()
        batches.append(
            {
                "rows_before": number * BATCH,
                "prepare_cpu_ms": (cpu1 - cpu0) * 1000 / BATCH,
                "consume_cpu_ms": (cpu2 - cpu1) * 1000 / BATCH,
                "prepare_pg_ms": _spent(pg0, pg1) * 1000 / tick / BATCH,
                "consume_pg_ms": _spent(pg1, pg2) * 1000 / tick / BATCH,
                "other_pg_ms": _spent(pg0, pg2, client=False) * 1000 / tick / BATCH,
                "backends": len([kind for kind, _ticks in pg2.values() if kind == "client backend"]),
                "wall_ms": (wall2 - wall0) * 1000 / BATCH,
                "prepare_statements": prepare_statements / BATCH,
                "consume_statements": consume_statements / BATCH,
            }
        )
    monitor.close()
    if os.environ.get("BENCH_CPU_PROFILE"):
        _profile(application, fixtures, codes, token, store)
    return {"batches": batches, "explain": _explain(consume_sql, fixtures, count)}


def _profile(application, fixtures: dict, codes, token: str, store: int) -> None:
    """BENCH_CPU_PROFILE=<pstats sort key> (e.g. tottime): the stubs left after the batches, prepared
    then consumed under cProfile on a CPU clock, each request kind apart, printed to stderr. The
    batches need `BENCH_COUNTER_STUBS` above 100 x batches + 1 for stubs to be left over."""
    import cProfile
    import pstats

    left = list(codes)
    offers = []
    for kind in ("prepare", "consume"):
        profile = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for PostgreSQL
        profile.enable()
        for index, code in enumerate(left):
            if kind == "prepare":
                _status, prepared = _call(
                    application, "/api/counter/prepare", {"store": store, "code": code}, token
                )
                offers.append(next(o["id"] for o in prepared["offers"] if o["redeemable"]))
            else:
                body = {
                    "store": store,
                    "code": code,
                    "offer": offers[index],
                    "idempotency_key": f"profile-{index}",
                    "bill_fen": BILL_FEN,
                }
                _call(application, "/api/counter/consume", body, token)
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stderr)
        print(
            f"--- {kind}: {len(left)} requests, {stats.total_calls / max(len(left), 1):.0f} calls each",
            file=sys.stderr,
        )
        stats.sort_stats(os.environ["BENCH_CPU_PROFILE"]).print_stats(
            int(os.environ.get("BENCH_CPU_PROFILE_LINES", "60"))
        )


def _explain(consume_sql: list[str], fixtures: dict, count: int) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of one more consume's statements on the full table, rolled back:
    the rows each statement reads, so a count that grows with the table shows."""
    from django.db import connection, transaction

    from tourism.services import redemptions

    plans: list[dict] = []
    captured: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    from tourism.models import Store, Till

    till = Till.objects.select_related("store__merchant", "store__city").get()
    store: Store = till.store
    offer_id = store.merchant.offers.values_list("pk", flat=True).get()
    code = fixtures["codes"][-1]
    with transaction.atomic():
        done = transaction.savepoint()
        with connection.execute_wrapper(capture):
            redemptions.redemption_consume(
                code=code,
                store=store,
                till=till,
                offer_id=offer_id,
                idempotency_key="explain",
                bill_fen=BILL_FEN,
            )
        transaction.savepoint_rollback(done)  # each statement below runs again on the same rows
        with connection.cursor() as cursor:
            for sql, params in captured:
                if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "WITH")):
                    continue
                cursor.execute("SAVEPOINT explain_one")
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
                plan = [row[0] for row in cursor.fetchall()]
                cursor.execute("ROLLBACK TO SAVEPOINT explain_one")
                plans.append({"sql": sql[:160], "plan": plan})
        transaction.set_rollback(True)
    return plans


def _measure_bare() -> dict:
    import django

    django.setup()
    from bench.wsgi_bare import application

    for _ in range(200):
        _call(application, "/ok", {"store": 1})
    best = None
    for _ in range(BARE_REQUESTS // 200):
        started = time.process_time()
        for _ in range(200):
            _call(application, "/ok", {"store": 1})
        elapsed = (time.process_time() - started) * 1000 / 200
        best = elapsed if best is None else min(best, elapsed)
    return {"bare_cpu_ms": best}


def main() -> list[dict]:
    env = _server_env()
    _recreate_database()
    results = {}
    for mode in ("--counter", "--bare"):
        output = subprocess.run(
            [sys.executable, "-m", "bench.stubs_cpu", mode, str(STUBS)],
            cwd=BASE_DIR,
            env=env,
            check=True,
            timeout=900,
            stdout=subprocess.PIPE,  # the JSON result; stderr passes through
            text=True,
        ).stdout
        results.update(json.loads(output.strip().splitlines()[-1]))
    return _rows(results)


def _rows(results: dict) -> list[dict]:
    batches = results["batches"]
    first, last = batches[0], batches[-1]

    def best(key: str) -> float:
        return min(batch[key] for batch in batches)

    for batch in batches:  # every batch, for the record (the table's rows keep the fastest)
        print(json.dumps({key: round(value, 2) for key, value in batch.items()}), file=sys.stderr)
    bare = results["bare_cpu_ms"]
    python = best("prepare_cpu_ms") + best("consume_cpu_ms")
    postgres = best("prepare_pg_ms") + best("consume_pg_ms")
    rows = [
        {
            "benchmark": "counter, Python CPU per prepare / consume (till token, in-process WSGI)",
            "value": f"{best('prepare_cpu_ms'):.2f} / {best('consume_cpu_ms'):.2f}",
            "unit": "ms",
            "note": f"fastest of {len(batches)} batches of {BATCH}; process_time",
        },
        {
            "benchmark": "counter, PostgreSQL backend CPU per prepare / consume",
            "value": f"{best('prepare_pg_ms'):.2f} / {best('consume_pg_ms'):.2f}",
            "unit": "ms",
            "note": "this database's backends, /proc utime+stime; fastest batch (10 ms clock ticks over a batch)",
        },
        {
            "benchmark": "PostgreSQL, other backends of the bench database per redemption (autovacuum)",
            "value": f"{best('other_pg_ms'):.2f} .. {max(batch['other_pg_ms'] for batch in batches):.2f}",
            "unit": "ms",
            "note": f"fastest .. slowest batch; {last['backends']} client backends at the end",
        },
        {
            "benchmark": "counter, wall time per redemption in one thread",
            "value": f"{best('wall_ms'):.2f}",
            "unit": "ms",
            "note": f"Python + PostgreSQL CPU {python + postgres:.2f} ms; the rest is waiting (commit flush, sockets)",
        },
        {
            "benchmark": "bare request, Python CPU (bench/wsgi_bare.py in-process)",
            "value": f"{bare:.3f}",
            "unit": "ms",
            "note": f"a redemption's Python + PostgreSQL CPU = {(python + postgres) / bare:.1f} bare requests "
            f"(0.4 of bare needs <= 2.5)",
        },
        {
            "benchmark": "counter, statements per prepare / consume request",
            "value": f"{last['prepare_statements']:.1f} / {last['consume_statements']:.1f}",
            "unit": "statements",
            "note": "BEGIN and COMMIT counted when the backend sends them as statements",
        },
        {
            "benchmark": "counter, growth with the table: CPU per redemption, Python / PostgreSQL",
            "value": f"{first['prepare_cpu_ms'] + first['consume_cpu_ms']:.2f} / "
            f"{first['prepare_pg_ms'] + first['consume_pg_ms']:.2f} → "
            f"{last['prepare_cpu_ms'] + last['consume_cpu_ms']:.2f} / "
            f"{last['prepare_pg_ms'] + last['consume_pg_ms']:.2f}",
            "unit": "ms",
            "note": f"first batch (empty table) → last batch ({last['rows_before']} redemptions stored)",
        },
    ]
    for plan in results["explain"]:
        rows.append(
            {
                "benchmark": "EXPLAIN " + " ".join(plan["sql"].split())[:90],
                "value": "",
                "unit": "",
                "note": " / ".join(
                    line.strip()
                    for number, line in enumerate(plan["plan"])
                    if number == 0 or "Scan" in line or line.startswith(("Planning Time", "Execution Time"))
                ),
            }
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--counter":
        print(json.dumps(_measure_counter(int(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--bare":
        print(json.dumps(_measure_bare()))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        for row in main():
            print(row)
