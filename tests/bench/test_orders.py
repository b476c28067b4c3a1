"""bench/orders.py gives no figures from a load that oversold or had a failed request."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import orders


def test_a_clean_load_passes():
    orders._clean("round 1, one hot quota", {"oversold": 0, "errors": 0})
    orders._clean("round 1, bare INSERT", {"errors": 0})


@pytest.mark.parametrize(
    ("run", "message"),
    [
        ({"oversold": 3, "errors": 0}, "oversold 3, 0 errors"),
        ({"oversold": 0, "errors": 250}, "oversold 0, 250 errors"),
        ({"errors": 900}, "oversold 0, 900 errors"),  # the bare INSERT load
    ],
)
def test_an_oversold_or_failing_load_stops_the_run(run, message):
    with pytest.raises(RuntimeError, match=message):
        orders._clean("round 2, one hot quota", run)


def test_a_client_says_ready_before_its_job_and_reports_its_window():
    with socket.socket() as held:  # a port nobody listens on: every order fails, and is counted
        held.bind(("127.0.0.1", 0))
        client = subprocess.Popen(
            [sys.executable, "-m", "bench.orders", "--client"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(orders.__file__).resolve().parents[1],
        )
        assert client.stdout.readline().strip() == "ready"  # before it has been given anything
        start_at = time.time() + 0.1
        job = {"port": held.getsockname()[1], "path": "/order", "types": [1], "users": [7], "first": 0}
        client.stdin.write(json.dumps({**job, "start_at": start_at, "seconds": 0.3}))
        client.stdin.close()
        out = json.loads(client.stdout.read())
        client.wait(timeout=30)

    assert out["ordered"] == 0
    assert out["errors"] > 0
    assert out["started_at"] >= start_at
    assert out["ended_at"] - out["started_at"] >= 0.3
