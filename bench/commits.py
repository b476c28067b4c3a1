"""Commits per second against PostgreSQL as the number of connections committing at once grows: what the
disk's write-ahead-log flush allows, with no Django and no HTTP in the way (`python -m bench commits`).

Each of K connections commits one-row INSERTs in a loop for SECONDS; the figure is commits/s and how many
commits shared one WAL flush (`pg_stat_wal.wal_sync`, server-wide, so other databases' commits on a
shared server count too: read it on a quiet machine). It says whether a machine's write paths (a
scan, a redemption, an order: each ends in a COMMIT) can be bound by the disk rather than the CPU: on a
quiet machine here one connection commits about 1,500 times a second, far above any write path's rate,
so config/gunicorn.py keeps 2 workers per core; under load the same disk took 4 ms per flush.
"""

from __future__ import annotations

import os
import threading
import time

from bench.scans import PG_SERVER

DB_NAME = os.environ.get("BENCH_DATABASE", "corridor_bench") + "_commits"
CONCURRENCY = (1, 2, 4, 8, 16, 32)
SECONDS = 3.0


def _wal_syncs() -> int:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        return connection.execute("SELECT wal_sync FROM pg_stat_wal").fetchone()[0]


def _run(connections: int) -> tuple[float, float]:
    import psycopg

    counts = [0] * connections
    ready = threading.Barrier(connections + 1)
    stop = [0.0]

    def worker(slot: int) -> None:
        with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as connection:
            ready.wait()
            while time.perf_counter() < stop[0]:
                connection.execute("INSERT INTO bench_commit (at) VALUES (now())")
                connection.commit()
                counts[slot] += 1

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    before = _wal_syncs()
    stop[0] = time.perf_counter() + SECONDS
    ready.wait()
    for thread in threads:
        thread.join()
    flushes = _wal_syncs() - before
    commits = sum(counts)
    return commits / SECONDS, commits / max(1, flushes)


def main() -> list[dict]:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True) as connection:
        connection.execute("CREATE TABLE bench_commit (id bigserial PRIMARY KEY, at timestamptz NOT NULL)")
    load_before = os.getloadavg()[0]
    rows = []
    for connections in CONCURRENCY:
        rate, shared = _run(connections)
        rows.append(
            {
                "benchmark": f"commits, {connections} connection{'s' if connections > 1 else ''} at once",
                "value": round(rate),
                "unit": "commits/s",
                "note": f"{shared:.1f} commits per WAL flush; one-row INSERT then COMMIT in a loop, {SECONDS:.0f} s",
            }
        )
    rows[-1]["note"] += f"; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    return rows
