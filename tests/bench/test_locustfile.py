"""The opening's locustfile counts every gate request that fails, however it fails: a request whose
handling raised inside locust's `with` block would reach none of locust's counts (nor the p99)."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


class _Html(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<html>not json</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def _probe(tmp_path: Path, host: str) -> dict:
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(
        json.dumps({"gates": [{"gate": "gate-01", "token": "t", "codes": ["c1"]}], "holders": []})
    )
    env = os.environ | {
        "OPENING_FIXTURES": str(fixtures),
        "OPENING_RESULTS": str(tmp_path / "results.json"),
        "PYTHONPATH": str(BASE_DIR),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, str(BASE_DIR / "tests" / "bench" / "locust_probe.py"), host],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def html_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_scan_and_an_upload_answered_with_a_page_not_json_are_counted_as_failures(tmp_path, html_server):
    probe = _probe(tmp_path, html_server)

    assert probe["escaped"] is None
    assert probe["recorded"] == [
        {"name": "POST /api/gate/scan", "failed": True},
        {"name": "POST /api/gate/upload", "failed": True},
    ]
    assert probe["refused"] == [200]


def test_a_scan_and_an_upload_that_reach_no_server_are_counted_as_failures(tmp_path):
    with socket.socket() as sock:  # a port held but never listened on: every connection is refused
        sock.bind(("127.0.0.1", 0))
        probe = _probe(tmp_path, f"http://127.0.0.1:{sock.getsockname()[1]}")

    assert probe["escaped"] is None
    assert [row["name"] for row in probe["recorded"]] == ["POST /api/gate/scan", "POST /api/gate/upload"]
    assert all(row["failed"] for row in probe["recorded"])
