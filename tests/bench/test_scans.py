"""bench/scans.py's servers: each one answers on a port nobody else can take, and a failed run gives no figures."""

from __future__ import annotations

import errno
import http.client
import json
import os
import socket
import subprocess

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
