"""Gate scans per second and p50/p99 latency through gunicorn on PostgreSQL, against a bare Django
JSON endpoint behind the same gunicorn setup in the same run (the ratio is the figure).

Each run drops and recreates the scratch database `corridor_bench` (or $BENCH_DATABASE, so parallel
runs on one server keep apart) on 127.0.0.1:5432 (user postgres),
migrates it and builds (`gate_world`, valid at any hour) one event with a session on now, N ticket
credentials and a gate device in a subprocess with the servers' environment. Then three gunicorns
(sync workers, WORKERS each, production-like settings: DEBUG off, persistent unchecked connections)
serve config.wsgi, bench.wsgi_bare's `/ok` and its `/insert` (the durable-write control) on
loopback ports the bench binds and hands them, each in its own process group so each one's CPU per
request is counted apart. A load generator in this process (CONNECTIONS threads, http.client)
posts to each for WARMUP, then in ROUNDS alternating slices of SECONDS in all (the ratio is the
median round's); every scan is the entry of a distinct credential, so each one decodes, verifies the
Ed25519 signature, locks the credential row and inserts a Scan. A run in which any request failed,
or a server exited, raises instead of printing figures. The servers are stopped (process groups)
whatever happens. BENCH_SCAN_CREDENTIALS sizes the pool of tickets (24,000 by default); a round
whose scans run out of them is left out of the ratio and reported. About 90 s on a quiet machine,
several minutes on a loaded one (migrate).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from config import gunicorn as gunicorn_config

BASE_DIR = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DATABASE", "corridor_bench")
# The servers run with production's gunicorn settings (config/gunicorn.py: WORKERS_PER_CORE sync
# workers per core, 4 on these 2-core machines, as every run since 2026-11-30 evening).
# BENCH_WORKERS=2 BENCH_CONNECTIONS=4 repeats the earliest runs.
GUNICORN_CONFIG = BASE_DIR / "config" / "gunicorn.py"
WORKERS = int(os.environ.get("BENCH_WORKERS") or 0) or gunicorn_config.workers
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", str(2 * WORKERS)))
WARMUP = 2.0
SECONDS = 10.0  # per load, split into ROUNDS interleaved slices
ROUNDS = 5
# Each scan enters a distinct ticket, so the pool must outlast the warm-up and every round at the best
# rate expected (about 2,000 scans/s would use 24,000 in 12 s). A round that still runs dry is left
# out of the ratio and reported, never counted short.
CREDENTIALS = int(os.environ.get("BENCH_SCAN_CREDENTIALS", "24000"))
GATE = "gate-a"
# The table of the durable-write control (`POST /insert` of bench/wsgi_bare.py), as bench/orders.py's.
INSERT_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, buyer int, at timestamptz)"
)


# --- Setup (parent) --------------------------------------------------------------------------------


def _server_env() -> dict[str, str]:
    """Production-like settings for the servers and the fixture subprocess, with throwaway keys."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=f"{PG_SERVER}/{DB_NAME}",
        # A sync worker uses one connection at a time: kept open, unchecked (README, "Running in
        # production"); the pool's checkout and return per request cost the scan more.
        DATABASE_HEALTH_CHECKS="false",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=base64.urlsafe_b64encode(os.urandom(40)).decode(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CREDENTIAL_SIGNING_KEYS="bench1:" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
        FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        DOCUMENT_HASH_KEY=os.urandom(32).hex(),
        PAYMENT_DEMO_ENABLED="false",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="text",
        PYTHONPATH=str(BASE_DIR),
    )
    if "DATABASE_PREPARED" in os.environ:  # the settings' prepared statements, on or off, as asked
        env["DATABASE_PREPARED"] = os.environ["DATABASE_PREPARED"]
    for key in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "EMAIL_URL"):
        env.pop(key, None)
    # Production shares one cache between workers (and refuses to start without it when DEBUG is off).
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    return env


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")


def prepare_world(env: dict[str, str], fixtures_path: Path, count: int) -> None:
    """A fresh bench database with `gate_world(count)`, its token and codes written to fixtures_path."""
    _recreate_database()
    subprocess.run(
        [sys.executable, "-m", "bench.scans", "--prepare", str(fixtures_path), str(count)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=900,  # migrate + 24,000 credentials took 3 min on a loaded machine
    )


def _scan_counts() -> dict[str, int]:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as connection:
        rows = connection.execute("SELECT result, count(*) FROM ticketing_scan GROUP BY result").fetchall()
    return dict(rows)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_cpu(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc_pid_stat(5))


def _stat_fields(pid: int | str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # ended meanwhile


def backend_cpu() -> tuple[float, int]:
    """CPU seconds used so far by every PostgreSQL backend of the bench's database (found in
    pg_stat_activity over a connection to another database, so the reading is not counted), and how
    many there are. The server is shared with other databases, which are left out."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME]).fetchall()
    fields = [_stat_fields(pid) for (pid,) in rows]
    return sum(_stat_cpu(one) for one in fields if one) / CLOCK_TICKS, len(rows)


def _group_cpu(group: int) -> float:
    """CPU seconds used so far by the live processes of a process group (a gunicorn and its workers)."""
    total = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(entry.name)
            if fields and int(fields[2]) == group:  # pgrp
                total += _stat_cpu(fields)
    return total / CLOCK_TICKS


def _machine_idle() -> float:
    """Idle CPU seconds of the whole machine so far (/proc/stat: idle + iowait)."""
    values = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return (int(values[3]) + int(values[4])) / CLOCK_TICKS


def _listening_socket() -> socket.socket:
    """A loopback socket on a port the kernel picks, already listening, for a gunicorn to inherit."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _start_gunicorn(app: str, env: dict[str, str], log) -> tuple[subprocess.Popen, int]:
    """Start a gunicorn serving `app` on a loopback port of its own, in its own process group.

    The bench binds the port itself and hands gunicorn the listening socket (`fd://`): choosing a
    free port, closing it and letting gunicorn bind it later once gave two of a run's three servers
    the same port, so the scans were posted to a bare endpoint (every one "not admitted") while the
    scan server gave up binding. A port bound before the server starts cannot be anyone else's."""
    with _listening_socket() as sock:
        port = sock.getsockname()[1]
        process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                app,
                "--config",
                str(GUNICORN_CONFIG),
                "--workers",
                str(WORKERS),
                "--bind",
                f"fd://{sock.fileno()}",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
            pass_fds=(sock.fileno(),),
            start_new_session=True,  # its own process group: stopped as a whole in the finally
        )
    return process, port  # the parent's copy is closed; the server holds the port from here on


def _still_serving(*servers: subprocess.Popen) -> None:
    """Raise when a server has exited: what answered on its port meanwhile was not it."""
    for server in servers:
        if server.poll() is not None:
            app = server.args[1] if len(server.args) > 1 else server.args[0]  # gunicorn's app
            raise RuntimeError(f"the server of {app} exited with {server.returncode} during the run")


def _all_answered(name: str, result: dict, what: str) -> None:
    """Raise unless every request of a load got the answer it should: a rate of failures is no figure."""
    if result["errors"]:
        raise RuntimeError(f"{name}: {result['errors']} requests {what}; no figures from this run")


def _wait_ready(process: subprocess.Popen, port: int, timeout: float = 60.0) -> None:  # slow under load
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz-bench-probe")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} did not answer within {timeout:.0f}s")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- Load generator ------------------------------------------------------------------------------------


class _Load:
    """CONNECTIONS threads posting for a fixed time; each request takes the next body from `bodies`."""

    def __init__(self, port: int, path: str, headers: dict[str, str], bodies, check, server_group: int = 0):
        self.port, self.path, self.headers, self.check = port, path, headers, check
        self.bodies = bodies  # an iterator shared by the threads, taken from under `_lock`: a generator
        self._lock = threading.Lock()  # raises "already executing" when two threads resume it at once
        self.exhausted = False
        self.server_group = server_group  # the gunicorn's process group, for its CPU
        # CPU seconds spent during the measured slices: gunicorn, the database's backends, this load
        # generator, and the machine's idle time (whole machine, so only meaningful when it is quiet).
        self.cpu = {"app": 0.0, "database": 0.0, "client": 0.0, "idle": 0.0}

    def _cpu_now(self) -> dict[str, float]:
        return {
            "app": _group_cpu(self.server_group) if self.server_group else 0.0,
            "database": backend_cpu()[0],
            "client": time.process_time(),
            "idle": _machine_idle(),
        }

    def measure(self, seconds: float) -> tuple[tuple[int, list[float], int, float], dict[str, float]]:
        """`run`, and the CPU each part spent meanwhile (for the caller to count if it keeps the slice)."""
        before = self._cpu_now()
        outcome = self.run(seconds)
        after = self._cpu_now()
        return outcome, {part: value - before[part] for part, value in after.items()}

    def run(self, seconds: float) -> tuple[int, list[float], int, float]:
        latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
        errors = [0] * CONNECTIONS
        crashed: list[BaseException] = []  # a thread that died would quietly lower the rate
        deadline = time.perf_counter() + seconds

        def worker(slot: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            mine = latencies[slot]
            try:
                while time.perf_counter() < deadline:
                    with self._lock:
                        body = next(self.bodies, None)
                    if body is None:
                        self.exhausted = True
                        return
                    started = time.perf_counter()
                    try:
                        connection.request("POST", self.path, body=body, headers=self.headers)
                        response = connection.getresponse()
                        payload = response.read()
                    except (OSError, http.client.HTTPException):
                        connection.close()  # reconnect on the next request
                        errors[slot] += 1
                        continue
                    mine.append(time.perf_counter() - started)
                    try:
                        answered = response.status == 200 and self.check(payload)
                    except (ValueError, TypeError, AttributeError):  # not the JSON it should be
                        answered = False
                    if not answered:
                        errors[slot] += 1
            except BaseException as exc:  # reported by `run` after the join
                crashed.append(exc)
            finally:
                connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(CONNECTIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if crashed:
            raise RuntimeError(f"{len(crashed)} load thread(s) died: {crashed[0]!r}") from crashed[0]
        merged = sorted(itertools.chain.from_iterable(latencies))
        return len(merged), merged, sum(errors), elapsed


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index] * 1000


def _measure_interleaved(*loads: _Load) -> tuple[list[dict], list[tuple[float, ...]]]:
    """Warm every load up, then ROUNDS slices of SECONDS / ROUNDS each, the loads one after another in
    each round: on a shared machine the load moves, so each round compares slices measured a moment
    apart, and the median round is the figure. Returns each load's totals and, per complete round,
    the first load's rate divided by each other load's."""
    for load in loads:
        _count, _latencies, errors, _elapsed = load.run(WARMUP)
        if errors:
            raise RuntimeError(
                f"{errors} requests failed in the warm-up of {load.path}: no figures from this run"
            )
    totals = [[0, [], 0, 0.0] for _load in loads]
    ratios = []
    for _round in range(ROUNDS):
        rates = []
        for slot, load in enumerate(loads):
            if load.exhausted:
                break  # its bodies ran out in an earlier slice: this round and the rest measure nothing
            (count, latencies, errors, elapsed), cpu = load.measure(SECONDS / ROUNDS)
            total = totals[slot]
            total[2] += errors  # a failure counts even in a slice that is left out
            if load.exhausted:
                break  # ran dry within this slice: its rate would be short, so the round is dropped
            for part, value in cpu.items():  # CPU only for the slices whose requests are counted
                load.cpu[part] += value
            total[0] += count
            total[1].extend(latencies)
            total[3] += elapsed
            rates.append(count / elapsed)
        if len(rates) == len(loads):
            ratios.append(tuple(rates[0] / rate for rate in rates[1:]))
    if not ratios:
        raise RuntimeError(
            f"every round ran out of prepared credentials ({CREDENTIALS}): raise BENCH_SCAN_CREDENTIALS"
        )
    results = []
    for (count, latencies, errors, elapsed), load in zip(totals, loads, strict=True):
        latencies.sort()
        results.append(
            {
                "rate": count / elapsed if elapsed else float("nan"),
                "count": count,
                "p50": _percentile(latencies, 0.50),
                "p99": _percentile(latencies, 0.99),
                "errors": errors,
                "elapsed": elapsed,
                # CPU milliseconds per request by part, over the slices kept (a dry one in neither)
                "cpu": {part: 1000 * value / count for part, value in load.cpu.items()} if count else {},
            }
        )
    return results, ratios


def _scan_bodies(codes: list[str], first: int = 0):
    for index, code in enumerate(codes, start=first):
        yield json.dumps(
            {"code": code, "gate": GATE, "direction": "entry", "nonce": f"bench-{index:08d}"}
        ).encode()


def _admitted(payload: bytes) -> bool:
    return json.loads(payload).get("result") == "admitted"


def _bare_ok(payload: bytes) -> bool:
    return json.loads(payload) == {"ok": True}


def _insert_bodies():
    for index in itertools.count():
        yield json.dumps({"n": index % 1_000_000, "pad": "x" * 120}).encode()


# --- Entry point -------------------------------------------------------------------------------------


def main() -> list[dict]:
    from bench.scancpu import FLOOR_CODES, floor_codes, floor_extra_ms, run_floor

    started = time.monotonic()
    env = _server_env()
    scans_server = bare_server = insert_server = None
    with tempfile.TemporaryDirectory(prefix="corridor-bench-") as scratch:
        fixtures_path = Path(scratch) / "fixtures.json"
        log_path = Path(scratch) / "gunicorn.log"
        with log_path.open("wb") as log:
            try:
                prepare_world(env, fixtures_path, CREDENTIALS + FLOOR_CODES)
                floor_path = floor_codes(fixtures_path, FLOOR_CODES)
                prepared_at = time.monotonic()
                fixtures = json.loads(fixtures_path.read_text())
                scans_server, scans_port = _start_gunicorn("config.wsgi", env, log)
                bare_server, bare_port = _start_gunicorn("bench.wsgi_bare", env, log)
                # The durable-write control on a gunicorn of its own, so its CPU is counted apart.
                insert_server, insert_port = _start_gunicorn("bench.wsgi_bare", env, log)
                _wait_ready(scans_server, scans_port)
                _wait_ready(bare_server, bare_port)
                _wait_ready(insert_server, insert_port)
                scan_load = _Load(
                    scans_port,
                    "/api/gate/scan",
                    {"Content-Type": "application/json", "Authorization": f"Bearer {fixtures['token']}"},
                    _scan_bodies(fixtures["codes"][:CREDENTIALS]),
                    _admitted,
                    scans_server.pid,
                )
                bare_body = json.dumps(
                    {"code": fixtures["codes"][0], "gate": GATE, "direction": "entry", "nonce": "bench-bare"}
                ).encode()
                bare_load = _Load(
                    bare_port,
                    "/ok",
                    {"Content-Type": "application/json"},
                    itertools.repeat(bare_body),
                    _bare_ok,
                    bare_server.pid,
                )
                # The floor of a durable write: one single-row INSERT committed per request.
                insert_load = _Load(
                    insert_port,
                    "/insert",
                    {"Content-Type": "application/json"},
                    _insert_bodies(),
                    _bare_ok,
                    insert_server.pid,
                )
                (scans, bare, insert), round_ratios = _measure_interleaved(scan_load, bare_load, insert_load)
                _still_serving(scans_server, bare_server, insert_server)
                _all_answered("gate scans", scans, "not admitted")
                _all_answered("bare endpoint", bare, "failed")
                _all_answered("bare INSERT endpoint", insert, "failed")
                ratios = [scan_bare for scan_bare, _scan_insert in round_ratios]
                insert_ratios = [scan_insert for _scan_bare, scan_insert in round_ratios]
            except BaseException:
                log.flush()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            finally:
                _stop(scans_server)
                _stop(bare_server)
                _stop(insert_server)
        stored = _scan_counts()
        floor = run_floor(env, floor_path)  # with the servers stopped: these parts one at a time
    setup_seconds = prepared_at - started
    # The machine is saturated in every load (idle near 0), so rates go as CPU per request inverted:
    # a scan that cost only the durable-write control plus what a scan must do beyond it would keep
    # `bound` of the bare endpoint's throughput, whatever its code.
    bare_total, insert_total, scan_total = (
        sum(result["cpu"][part] for part in ("app", "database", "client")) for result in (bare, insert, scans)
    )
    extra = floor_extra_ms(floor)
    floor_total = insert_total + extra
    bound = bare_total / floor_total
    load_average = "/".join(f"{value:.1f}" for value in os.getloadavg())
    exhausted = (
        f" (ran out of {CREDENTIALS} credentials: {ROUNDS - len(ratios)} round(s) left out)"
        if scan_load.exhausted
        else ""
    )
    setup = (
        f"{WORKERS} sync workers, {CONNECTIONS} client threads, {SECONDS:.0f} s after {WARMUP:.0f} s warm-up"
    )
    return [
        {
            "benchmark": "gate scans (entry, each a distinct ticket)",
            "value": f"{scans['rate']:.0f}",
            "unit": "scans/s",
            "note": f"gunicorn + PostgreSQL, {setup}; {scans['errors']} not admitted{exhausted}; "
            f"{stored.get('admitted', 0)} admitted Scan rows stored",
        },
        {
            "benchmark": "gate scan latency p50 / p99",
            "value": f"{scans['p50']:.1f} / {scans['p99']:.1f}",
            "unit": "ms",
            "note": "POST /api/gate/scan with a device bearer token",
        },
        {
            "benchmark": "bare Django JSON endpoint",
            "value": f"{bare['rate']:.0f}",
            "unit": "req/s",
            "note": f"same settings and middleware, trivial view (bench/wsgi_bare.py); {bare['errors']} errors",
        },
        {
            "benchmark": "bare endpoint latency p50 / p99",
            "value": f"{bare['p50']:.1f} / {bare['p99']:.1f}",
            "unit": "ms",
            "note": "POST /ok, same body size as a scan",
        },
        {
            "benchmark": "CPU ms per request: gunicorn / PostgreSQL backends / load generator / idle",
            "value": f"{_split(scans)} vs {_split(bare)} vs {_split(insert)}",
            "unit": "ms",
            "note": "scan vs bare vs bare INSERT, over the measured slices (/proc: the gunicorn's process group, the "
            "bench database's backends, this process; idle is the whole machine's, meaningful only when "
            "nothing else runs; PostgreSQL's WAL writer and checkpointer are not counted)",
        },
        {
            "benchmark": "bare INSERT endpoint (one row committed per request)",
            "value": f"{insert['rate']:.0f}",
            "unit": "req/s",
            "note": f"POST /insert on a third gunicorn of bench/wsgi_bare.py: the cheapest request that "
            f"stores something durably; p50 / p99 {insert['p50']:.1f} / {insert['p99']:.1f} ms; "
            f"{insert['errors']} errors; ÷ bare req/s {insert['rate'] / bare['rate']:.2f}",
        },
        {
            "benchmark": "scans/s ÷ bare INSERT req/s",
            "value": f"{statistics.median(insert_ratios):.2f}",
            "unit": "ratio",
            "note": f"median of {len(insert_ratios)} rounds (each: {', '.join(f'{r:.2f}' for r in insert_ratios)}); "
            "a scan against the floor of any request that keeps what it was sent",
        },
        {
            "benchmark": "a scan at its floor ÷ bare, by CPU per request (the most any scan can keep)",
            "value": f"{bound:.2f}",
            "unit": "ratio",
            "note": f"bare {bare_total:.2f} ms ÷ (bare INSERT {insert_total:.2f} + a scan's irreducible "
            f"parts {extra:.2f}) ms, all machine CPU (gunicorn + backends + load generator) per request; "
            f"the parts measured alone, in-process (bench/scancpu.py `_floor`: verify "
            f"{floor['verify_ms']:.3f}, decide client {floor['decide_client_ms']:.3f} and backend "
            f"{floor['decide_backend_ms']:.3f} against a single-row INSERT's {floor['insert_client_ms']:.3f} "
            f"and {floor['insert_backend_ms']:.3f} ms); the scan now: {scan_total:.2f} ms, "
            f"{scan_total / floor_total:.2f}× its floor, bare ÷ scan by CPU {bare_total / scan_total:.2f}",
        },
        {
            "benchmark": "scans/s ÷ bare req/s",
            "value": f"{statistics.median(ratios):.2f}",
            "unit": "ratio",
            "note": f"median of {len(ratios)} interleaved rounds (each: {', '.join(f'{r:.2f}' for r in ratios)}){exhausted}; "
            f"share of bare Django throughput a real scan keeps; setup {setup_seconds:.0f} s "
            f"(migrate + {CREDENTIALS} credentials); load average after the run {load_average}",
        },
    ]


def _split(result: dict) -> str:
    cpu = result["cpu"]
    return " / ".join(f"{cpu.get(part, float('nan')):.2f}" for part in ("app", "database", "client", "idle"))


# --- Fixture subprocess (runs with the servers' environment) --------------------------------------------


def _prepare(out_path: str, count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_TABLE_SQL)  # the durable-write control's table
    world = gate_world(count)
    Path(out_path).write_text(json.dumps({"token": world["token"], "codes": world["codes"]}))


def gate_world(count: int) -> dict:
    """One event with a session on now at a venue with gate GATE, a gate device for it and `count`
    ticket credentials valid now; returns the device's token, the credentials' codes, the event and
    the session. Valid whatever the clock says: the session runs from half an hour ago to three hours
    from now, which crosses midnight after 21:00 (and began yesterday before 00:30), so the event and
    its programme span yesterday to tomorrow in local dates."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from events.enums import Discipline, EventStatus, SessionKind, VenueKind, VenueResourceKind
    from events.models import City, Event, Programme, Session, Venue, VenueResource
    from ticketing.enums import CredentialKind
    from ticketing.models import Credential
    from ticketing.services.credentials import credential_issue
    from ticketing.services.gate_devices import gate_device_create
    from ticketing.signing import credential_code

    now = timezone.now()
    today = timezone.localdate(now)
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    city = City.objects.create(slug="bench-city", name_zh="基准城", name_en="Bench City")
    programme = Programme.objects.create(
        slug="bench", name_zh="基准", name_en="Bench", start_date=yesterday, end_date=tomorrow
    )
    venue = Venue.objects.create(
        slug="bench-arena",
        city=city,
        name_zh="基准体育馆",
        name_en="Bench Arena",
        address_zh="上海市",
        address_en="Shanghai",
        kind=VenueKind.ARENA,
        capacity=50_000,
        latitude=Decimal("31.245260"),
        longitude=Decimal("121.403180"),
    )
    VenueResource.objects.create(
        venue=venue, kind=VenueResourceKind.GATE, code=GATE, name_zh="入口A", name_en="Gate A"
    )
    event = Event.objects.create(
        programme=programme,
        slug="bench-match",
        name_zh="基准赛",
        name_en="Bench match",
        host_city=city,
        venue=venue,
        discipline=Discipline.FOOTBALL,
        status=EventStatus.PUBLISHED,
        start_date=yesterday,
        end_date=tomorrow,
    )
    session = Session.objects.create(
        event=event,
        venue=venue,
        kind=SessionKind.MATCH,
        name_zh="场次",
        name_en="Session",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
    )
    _device, token = gate_device_create(name="Bench scanner", event=event, gates=[GATE])
    with transaction.atomic():  # one commit for all rows: setup time is not what is measured
        first = credential_issue(
            kind=CredentialKind.TICKET,
            event=event,
            session=session,
            valid_from=now - dt.timedelta(hours=3),
            valid_until=now + dt.timedelta(hours=4),
        )
        # The rest as copies of the one the service issued, in one INSERT (fast on a loaded machine).
        copies = [
            Credential(
                kind=first.kind,
                event=event,
                session=session,
                valid_from=first.valid_from,
                valid_until=first.valid_until,
                zones=first.zones,
            )
            for _index in range(count - 1)
        ]
        credentials = [first, *Credential.objects.bulk_create(copies, batch_size=2000)]
    codes = [credential_code(credential) for credential in credentials]
    return {"token": token, "codes": codes, "event": event, "session": session}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        _prepare(sys.argv[2], int(sys.argv[3]))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        for row in main():
            print(row)
