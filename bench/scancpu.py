"""Where a gate scan's machine time goes: the app's Python against PostgreSQL's backend, per request.

`python -m bench scancpu` (not in the default run; about a minute). Wall-clock throughput on a shared
machine moves with the load; CPU time spent per request does not, much. So this calls the real WSGI
handlers in-process, one request at a time, with `bench/scans.py`'s production-like environment
(DEBUG off, a persistent unchecked connection, Redis cache; BENCH_CPU_POOL=1: psycopg's pool
instead) and its fixtures (`gate_world`: each scan admits a distinct ticket):

- app CPU per request: `time.process_time` over BATCHES batches of BATCH requests, the fastest batch
  (the least disturbed by other work), for `config.wsgi` (POST /api/gate/scan) and for the control
  `bench.wsgi_bare` (POST /ok, same settings and middleware);
- PostgreSQL backend CPU per scan: utime + stime from /proc/<pid>/stat of every backend connected to
  the bench's own database (pg_stat_activity by datname, read over a connection to another database so
  the reading is not counted), over all measured scans, divided by their number. The server is shared
  with other helpers' databases, which are left out. Background processes (WAL writer, checkpointer)
  are not per database and not counted; a commit's WAL flush is the backend's own (synchronous_commit);
- wall time per request, one at a time (includes waiting for the commit's flush);
- Python function calls per request (cProfile over PROFILED requests), which load does not move.

Needs the PostgreSQL server on this machine (its /proc readable). Uses $BENCH_DATABASE
(`corridor_bench` by default), dropped and recreated, and $BENCH_REDIS_URL, as `bench scans`.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scans import BASE_DIR, _server_env, backend_cpu, prepare_world

BATCH = 100
BATCHES = int(os.environ.get("BENCH_CPU_BATCHES", "20"))
WARMUP = 200
PROFILED = 300


def _environ(path: str, body: bytes, headers: dict[str, str]) -> dict:
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "identity",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    environ.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()})
    return environ


def _child(kind: str, fixtures_path: str) -> dict:
    """Runs in a subprocess with the servers' environment: one WSGI application per process."""
    import django

    django.setup()
    if kind == "bare":
        from bench.wsgi_bare import application

        path, headers, expected = "/ok", {}, b'{"ok": true}'
        bodies = iter(
            lambda: b'{"code": "x", "gate": "gate-a", "direction": "entry", "nonce": "bench-bare"}', None
        )
    else:
        from bench.scans import _scan_bodies
        from config.wsgi import application

        fixtures = json.loads(Path(fixtures_path).read_text())
        path, headers, expected = (
            "/api/gate/scan",
            {"Authorization": f"Bearer {fixtures['token']}"},
            b'"admitted"',
        )
        # BENCH_CPU_SKIP: codes a previous child already admitted (repeat runs on one prepared database)
        skip = int(os.environ.get("BENCH_CPU_SKIP", "0"))
        bodies = _scan_bodies(fixtures["codes"][skip:], first=skip)
    statuses = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    def one() -> None:
        result = application(_environ(path, next(bodies), headers), start_response)
        try:
            payload = b"".join(result)
        finally:
            result.close()  # request_finished: connection upkeep (or back to the pool), as under gunicorn
        if not statuses[-1].startswith("200") or expected not in payload:
            raise RuntimeError(f"unexpected answer {statuses[-1]}: {payload[:300]!r}")

    for _index in range(WARMUP):
        one()
    cpu_batches, wall_batches = [], []
    backend_before, backends = backend_cpu()
    for _batch in range(BATCHES):
        wall, cpu = time.perf_counter(), time.process_time()
        for _index in range(BATCH):
            one()
        cpu_batches.append((time.process_time() - cpu) / BATCH)
        wall_batches.append((time.perf_counter() - wall) / BATCH)
    backend_after, _backends = backend_cpu()
    profile = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for PostgreSQL
    profile.enable()
    for _index in range(PROFILED):
        one()
    profile.disable()
    stats = pstats.Stats(profile)
    if os.environ.get("BENCH_CPU_PROFILE"):
        stats.sort_stats(os.environ["BENCH_CPU_PROFILE"]).print_stats(70)
    return {
        "cpu_ms": min(cpu_batches) * 1000,
        "cpu_median_ms": sorted(cpu_batches)[len(cpu_batches) // 2] * 1000,
        "wall_ms": min(wall_batches) * 1000,
        "backend_ms": (backend_after - backend_before) / (BATCHES * BATCH) * 1000,
        "backends": backends,
        "calls": stats.total_calls / PROFILED,
    }


def main() -> list[dict]:
    env = _server_env()
    if os.environ.get("BENCH_CPU_POOL"):
        env["DATABASE_POOL_SIZE"] = "2"
    credentials = WARMUP + BATCHES * BATCH + PROFILED
    results = {}
    with tempfile.TemporaryDirectory(prefix="corridor-scancpu-") as scratch:
        fixtures_path = Path(scratch) / "fixtures.json"
        prepare_world(env, fixtures_path, credentials)
        for kind in ("bare", "scan"):
            out = subprocess.run(
                [sys.executable, "-m", "bench.scancpu", "--child", kind, str(fixtures_path)],
                cwd=BASE_DIR,
                env=env,
                check=True,
                timeout=900,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            if os.environ.get("BENCH_CPU_PROFILE"):
                print(out.rsplit("\n", 2)[0], file=sys.stderr)
            results[kind] = json.loads(out.strip().splitlines()[-1])
    scan, bare = results["scan"], results["bare"]
    load_average = "/".join(f"{value:.1f}" for value in os.getloadavg())
    method = f"in-process WSGI, fastest of {BATCHES} batches of {BATCH} (median in the note)"
    machine_scan = scan["cpu_ms"] + scan["backend_ms"]
    machine_bare = bare["cpu_ms"] + bare["backend_ms"]
    return [
        {
            "benchmark": "scan: app Python CPU per request",
            "value": f"{scan['cpu_ms']:.2f}",
            "unit": "ms",
            "note": f"{method}; median {scan['cpu_median_ms']:.2f}; {scan['calls']:.0f} Python calls",
        },
        {
            "benchmark": "scan: PostgreSQL backend CPU per request",
            "value": f"{scan['backend_ms']:.2f}",
            "unit": "ms",
            "note": f"utime+stime of the bench database's {scan['backends']} backend(s) over "
            f"{BATCHES * BATCH} scans",
        },
        {
            "benchmark": "scan: wall per request, one at a time",
            "value": f"{scan['wall_ms']:.2f}",
            "unit": "ms",
            "note": "includes the wait for the commit's WAL flush",
        },
        {
            "benchmark": "bare: app Python CPU per request",
            "value": f"{bare['cpu_ms']:.2f}",
            "unit": "ms",
            "note": f"median {bare['cpu_median_ms']:.2f}; {bare['calls']:.0f} Python calls; "
            f"backend {bare['backend_ms']:.2f} ms",
        },
        {
            "benchmark": "bare CPU ÷ scan CPU (app + backend)",
            "value": f"{machine_bare / machine_scan:.2f}",
            "unit": "ratio",
            "note": f"{machine_bare:.2f} / {machine_scan:.2f} ms; without gunicorn and the client, "
            f"which both loads also pay; load average after {load_average}",
        },
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        for row in main():
            print(row)
