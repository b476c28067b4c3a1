"""bench/scans.py's servers: each one answers on a port nobody else can take, and a failed run gives no figures."""

from __future__ import annotations

import errno
import http.client
import http.server
import itertools
import json
import os
import socket
import subprocess
import sys
import threading

import pytest

from bench import scans


class _Started:
    """Stands in for subprocess.Popen: keeps the socket handed over, as the server process would."""

    def __init__(self, popen):
        self.popen = popen  # the real one
        self.kept: list[socket.socket] = []
        self.calls: list[dict] = []

    def __call__(self, args, **kwargs):
        (fd,) = kwargs["pass_fds"]
        self.calls.append({"args": args, "fd": fd, **kwargs})
        self.kept.append(socket.socket(fileno=os.dup(fd)))
        return self.popen(["true"])


@pytest.fixture
def started(monkeypatch):
    fake = _Started(subprocess.Popen)
    monkeypatch.setattr(scans.subprocess, "Popen", fake)
    yield fake
    for sock in fake.kept:
        sock.close()


def test_each_server_gets_a_port_already_bound_and_listening(started, tmp_path):
    with (tmp_path / "log").open("wb") as log:
        _first, port = scans._start_gunicorn("bench.wsgi_bare", {}, log)
        _second, other = scans._start_gunicorn("bench.wsgi_bare", {}, log)

    assert port != other
    first = started.calls[0]
    assert first["args"][first["args"].index("--bind") + 1] == f"fd://{first['fd']}"
    handed = started.kept[0]
    assert handed.getsockname() == ("127.0.0.1", port)
    assert handed.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    # Nobody else can bind the port while the server holds it (the race that once sent scans to /ok).
    with socket.socket() as intruder, pytest.raises(OSError, match="in use") as refused:
        intruder.bind(("127.0.0.1", port))
    assert refused.value.errno == errno.EADDRINUSE


def test_a_real_gunicorn_serves_on_the_socket_it_is_handed(tmp_path):
    env = scans._server_env()  # /ok touches neither the database nor the cache
    with (tmp_path / "log").open("wb") as log:
        server, port = scans._start_gunicorn("bench.wsgi_bare", env, log)
        try:
            scans._wait_ready(server, port)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/ok", body=b"{}", headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            assert response.status == 200
            assert json.loads(response.read()) == {"ok": True}
            connection.close()
            scans._still_serving(server)
        finally:
            scans._stop(server)
    assert server.returncode is not None


def test_a_server_that_exited_stops_the_run():
    gone = subprocess.Popen(["false"])  # noqa: S607
    gone.wait()

    with pytest.raises(RuntimeError, match="exited with 1"):
        scans._still_serving(gone)


def test_a_load_with_failed_requests_gives_no_figures():
    scans._all_answered("gate scans", {"errors": 0, "count": 10}, "not admitted")

    with pytest.raises(RuntimeError, match="gate scans: 3 requests not admitted"):
        scans._all_answered("gate scans", {"errors": 3, "count": 10}, "not admitted")


class _Dry:
    """A load that costs exactly 1 ms of app CPU per request and runs out of bodies half-way
    through the slice given as `dry_at` (counting from 1, the warm-up not counted)."""

    path = "/fake"

    def __init__(self, dry_at: int | None = None, warmup_errors: int = 0):
        self.dry_at, self.warmup_errors, self.slices = dry_at, warmup_errors, 0
        self.exhausted = False
        self.cpu = {"app": 0.0, "database": 0.0, "client": 0.0, "idle": 0.0}

    def run(self, seconds):
        return 100, [0.001] * 100, self.warmup_errors, 1.0

    def measure(self, seconds):
        self.slices += 1
        count = 50 if self.slices == self.dry_at else 100
        self.exhausted = self.slices == self.dry_at
        cpu = {"app": count * 0.001, "database": 0.0, "client": 0.0, "idle": 0.0}
        return (count, [0.001] * count, 0, 1.0), cpu


def test_a_slice_that_ran_dry_is_left_out_of_both_the_requests_and_the_cpu():
    (scan, bare), ratios = scans._measure_interleaved(_Dry(dry_at=3), _Dry())

    assert len(ratios) == 2  # rounds 1 and 2; the dry third and the rest are left out
    assert scan["count"] == 200
    assert scan["cpu"]["app"] == pytest.approx(1.0)  # ms per request, as the load spends it
    assert bare["cpu"]["app"] == pytest.approx(1.0)


def test_failures_in_the_warm_up_stop_the_run():
    with pytest.raises(RuntimeError, match="warm-up"):
        scans._measure_interleaved(_Dry(), _Dry(warmup_errors=2))


@pytest.fixture
def answering(request):
    """A loopback HTTP server answering every POST with 200 and the body the test names."""
    body = request.param

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("answering", [b"<html>a proxy's page</html>", b"[1, 2]"], indirect=True)
def test_answers_that_are_not_the_expected_json_count_as_failures_and_every_thread_goes_on(answering):
    load = scans._Load(answering, "/api/gate/scan", {}, itertools.repeat(b"{}"), scans._admitted)

    count, _latencies, errors, _elapsed = load.run(0.3)

    assert count > scans.CONNECTIONS  # every thread kept posting after its first failure
    assert errors == count


@pytest.mark.parametrize("answering", [b'{"ok": true}'], indirect=True)
def test_threads_share_one_generator_of_bodies_safely(answering, monkeypatch):
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often enough to resume the generator at once
    try:
        load = scans._Load(answering, "/insert", {}, scans._insert_bodies(), scans._bare_ok)
        count, _latencies, errors, _elapsed = load.run(0.5)
    finally:
        sys.setswitchinterval(previous)

    assert count > 0
    assert errors == 0
