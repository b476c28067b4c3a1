"""Where a gate scan's machine time goes: the app's Python against PostgreSQL's backend, per request.

`python -m bench scancpu` (not in the default run; about a minute). Wall-clock throughput on a shared
machine moves with the load; CPU time spent per request does not, much. So this calls the real WSGI
handlers in-process, one request at a time, with `bench/scans.py`'s production-like environment
(DEBUG off, a persistent unchecked connection, Redis cache; BENCH_CPU_POOL=1: psycopg's pool
instead) and its fixtures (`gate_world`: each scan admits a distinct ticket):

- app CPU per request: `time.process_time` over BATCHES batches of BATCH requests, the fastest batch
  (the least disturbed by other work), for `config.wsgi` (POST /api/gate/scan) and for the controls
  of `bench.wsgi_bare` (POST /ok, same settings and middleware; POST /insert, one row committed);
- PostgreSQL backend CPU per scan: utime + stime from /proc/<pid>/stat of every backend connected to
  the bench's own database (pg_stat_activity by datname, read over a connection to another database so
  the reading is not counted), over all measured scans, divided by their number. The server is shared
  with other helpers' databases, which are left out. Background processes (WAL writer, checkpointer)
  are not per database and not counted; a commit's WAL flush is the backend's own (synchronous_commit);
- wall time per request, one at a time (includes waiting for the commit's flush);
- Python function calls per request (cProfile over PROFILED requests), which load does not move;
- the scan's floor (`_floor`, also run by `bench scans`): what any scan keeping the issue's
  guarantees must cost beyond the durable-write control, each part alone (the code's signature
  check; the decide statement's client and backend CPU beyond a single-row INSERT's), so that the
  control plus these parts is the least a scan can cost, and bare ÷ that the most it can keep.

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
FLOOR_CODES = 2000  # half verified and decided, half as many INSERTs (`_floor`)


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
    if kind == "floor":
        return _floor(json.loads(Path(fixtures_path).read_text()))
    if kind in ("bare", "insert"):
        from bench.scans import _insert_bodies
        from bench.wsgi_bare import application

        path, headers, expected = f"/{'ok' if kind == 'bare' else kind}", {}, b'{"ok": true}'
        bodies = (
            iter(
                lambda: b'{"code": "x", "gate": "gate-a", "direction": "entry", "nonce": "bench-bare"}', None
            )
            if kind == "bare"
            else _insert_bodies()
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


def floor_codes(fixtures_path: Path, count: int) -> Path:
    """A fixtures file for the `floor` child: the last `count` codes of `fixtures_path`, which the
    caller keeps out of its own loads."""
    codes = json.loads(fixtures_path.read_text())["codes"][-count:]
    path = fixtures_path.with_name("floor.json")
    path.write_text(json.dumps({"codes": codes}))
    return path


def _run_child(env: dict[str, str], kind: str, path: Path) -> str:
    """`_child(kind, path)` in a subprocess with the servers' environment: its standard output, whose
    last line is the JSON it returned."""
    return subprocess.run(
        [sys.executable, "-m", "bench.scancpu", "--child", kind, str(path)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=900,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


def run_floor(env: dict[str, str], path: Path) -> dict:
    """`_floor` in a subprocess with the servers' environment."""
    return json.loads(_run_child(env, "floor", path).strip().splitlines()[-1])


def floor_extra_ms(floor: dict) -> float:
    """What a scan must cost beyond the durable-write control's request: the signature check, and the
    decide statement's client and backend CPU beyond a single-row INSERT's."""
    return (
        floor["verify_ms"]
        + floor["decide_client_ms"] - floor["insert_client_ms"]
        + floor["decide_backend_ms"] - floor["insert_backend_ms"]
    )  # fmt: skip


def _floor(fixtures: dict) -> dict:
    """The parts of a scan that no implementation keeping its guarantees can leave out, each alone:

    - `verify`: the code's Ed25519 check and parse (`credential_decode`), Python CPU per code;
    - the decide statement against a single-row INSERT like `/insert`'s, each sent by psycopg alone
      (prepared, autocommit: one round trip and one commit each, no Django): the client's CPU and
      the backend's, per statement. The decide call admits a distinct credential each time, as a
      scan does; the INSERT goes into bench_insert.
    """
    import datetime as dt
    import uuid

    import psycopg
    from django.conf import settings

    from bench.scans import backend_cpu
    from ticketing.services.scans import _DECIDE_SQL
    from ticketing.signing import credential_decode

    codes = fixtures["codes"]  # distinct credentials no other load has scanned (`floor_codes`)
    count = len(codes) // 2
    started = time.process_time()
    decoded = [credential_decode(code) for code in codes]
    verify = (time.process_time() - started) / len(codes)
    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"],
        autocommit=True,
    ) as connection:  # fmt: skip
        device, event, venue = connection.execute(
            "SELECT id, event_id, venue_id FROM ticketing_gatedevice LIMIT 1"
        ).fetchone()
        cursor = connection.cursor()

        def decide(item) -> None:
            cursor.execute(
                _DECIDE_SQL,
                [item.public_id, item.event_id, item.session_id, event, None, "gate-a", "entry",
                 uuid.uuid4().hex, "0" * 64, device, None, dt.datetime.now(dt.UTC), True, 0.0, venue],
                prepare=True,
            )  # fmt: skip
            if cursor.fetchone()[2] != "admitted":
                raise RuntimeError("the floor's decide did not admit a fresh credential")

        def insert(index) -> None:
            cursor.execute("INSERT INTO bench_insert (buyer, at) VALUES (%s, now())", [index], prepare=True)

        results = {}
        for name, run, items in (("decide", decide, decoded[:count]), ("insert", insert, range(count))):
            run(items[0])  # prepared before it is measured
            backend_before, _backends = backend_cpu()
            cpu = time.process_time()
            for item in items[1:]:
                run(item)
            results[f"{name}_client_ms"] = (time.process_time() - cpu) / (count - 1) * 1000
            results[f"{name}_backend_ms"] = (backend_cpu()[0] - backend_before) / (count - 1) * 1000
    return {"verify_ms": verify * 1000, **results}


def main() -> list[dict]:
    env = _server_env()
    if os.environ.get("BENCH_CPU_POOL"):
        env["DATABASE_POOL_SIZE"] = "2"
    credentials = WARMUP + BATCHES * BATCH + PROFILED + FLOOR_CODES
    results = {}
    with tempfile.TemporaryDirectory(prefix="corridor-scancpu-") as scratch:
        fixtures_path = Path(scratch) / "fixtures.json"
        prepare_world(env, fixtures_path, credentials)
        floor_path = floor_codes(fixtures_path, FLOOR_CODES)
        for kind in ("bare", "insert", "scan"):
            out = _run_child(env, kind, fixtures_path)
            if os.environ.get("BENCH_CPU_PROFILE"):
                print(out.rsplit("\n", 2)[0], file=sys.stderr)
            results[kind] = json.loads(out.strip().splitlines()[-1])
        results["floor"] = run_floor(env, floor_path)
    scan, bare, insert, floor = results["scan"], results["bare"], results["insert"], results["floor"]
    load_average = "/".join(f"{value:.1f}" for value in os.getloadavg())
    method = f"in-process WSGI, fastest of {BATCHES} batches of {BATCH} (median in the note)"
    machine_scan = scan["cpu_ms"] + scan["backend_ms"]
    machine_bare = bare["cpu_ms"] + bare["backend_ms"]
    machine_insert = insert["cpu_ms"] + insert["backend_ms"]
    # The least a scan can cost: the durable-write control, plus what a scan must do that it does not
    # (the signature check; the decide statement in place of the single-row INSERT), nothing else.
    extra = floor_extra_ms(floor)
    machine_floor = machine_insert + extra
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
            "benchmark": "bare INSERT: app Python CPU / backend CPU per request",
            "value": f"{insert['cpu_ms']:.2f} / {insert['backend_ms']:.2f}",
            "unit": "ms",
            "note": f"POST /insert of bench.wsgi_bare, as bare; median {insert['cpu_median_ms']:.2f}; "
            f"{insert['calls']:.0f} Python calls",
        },
        {
            "benchmark": "a scan's irreducible parts: verify / decide client / decide backend",
            "value": f"{floor['verify_ms']:.3f} / {floor['decide_client_ms']:.3f} / {floor['decide_backend_ms']:.3f}",
            "unit": "ms",
            "note": f"each alone, psycopg without Django (`_floor`); a single-row INSERT sent the same way: "
            f"client {floor['insert_client_ms']:.3f}, backend {floor['insert_backend_ms']:.3f} ms",
        },
        {
            "benchmark": "scan floor: bare INSERT + those parts beyond its INSERT",
            "value": f"{machine_floor:.2f}",
            "unit": "ms",
            "note": f"{machine_insert:.2f} + {extra:.2f} ms (app + backend); the scan now costs "
            f"{machine_scan:.2f}, {machine_scan / machine_floor:.2f}× its floor; bare ÷ floor "
            f"{machine_bare / machine_floor:.2f}",
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
