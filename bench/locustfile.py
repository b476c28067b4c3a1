"""Locust profile of the 40,000-fan opening, run headless by bench/opening.py (never on its own host).

Reads the world bench/opening.py built from the JSON file named by $OPENING_FIXTURES and writes what
it measured to $OPENING_RESULTS. Time runs at real speed but the opening is $OPENING_SECONDS long
(the 30 minutes before kick-off compressed) with the arrival profile kept: the first two thirds at
the base rate, the last third (the ten minutes before kick-off) at five times that.

- GateDevice (one per gate, 24): each gate's fans arrive on the profile's schedule and the device
  scans them one at a time through POST /api/gate/scan; a fan who arrives while the device is busy
  queues (the wait is recorded). OFFLINE_GATES devices lose the network for a stretch that runs
  into the peak: they keep scanning offline and POST /api/gate/upload their scans when it is back.
- Phone (PHONES users): fans in the queue open their ticket page (GET /tickets/<id>/) and their
  wallet (GET /tickets/), paced to PAGES_PER_FAN times the current arrival rate.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import time
import uuid
from pathlib import Path

import gevent
from locust import FastHttpUser, LoadTestShape, events, task
from locust.exception import StopUser

FIXTURES = json.loads(Path(os.environ["OPENING_FIXTURES"]).read_text())
RESULTS_PATH = Path(os.environ["OPENING_RESULTS"])
SECONDS = float(os.environ.get("OPENING_SECONDS", "150"))
DRAIN = float(os.environ.get("OPENING_DRAIN", "60"))  # time the gates get after kick-off to clear a queue
PHONES = int(os.environ.get("OPENING_PHONES", "16"))
PAGES_PER_FAN = 1.5  # every fan opens the ticket page; one in two also opens the wallet
BASE_SHARE = 2 / 7  # 20 minutes at rate r and 10 minutes at 5r: 20r of 70r arrive before the peak
PEAK_FROM = 2 / 3  # the peak is the last ten of the thirty minutes
OFFLINE_GATES = 4
OFFLINE_WINDOW = (0.55, 0.75)  # share of SECONDS during which the offline gates have no network
UPLOAD_CHUNK = 250

GATES = FIXTURES["gates"]  # [{"gate": code, "token": bearer, "codes": [...]}]
FANS = sum(len(gate["codes"]) for gate in GATES)
STATE = {"started": None, "finished_gates": 0}
RECORDS: dict[str, list] = {"scans": [], "pages": [], "queue_waits": [], "uploaded": [], "refused": []}
_gate_numbers = itertools.count()


def arrival_offset(share: float) -> float:
    """Seconds after the gates open at which the given share of a gate's fans has arrived."""
    if share <= BASE_SHARE:
        return share / BASE_SHARE * PEAK_FROM * SECONDS
    return (PEAK_FROM + (share - BASE_SHARE) / (1 - BASE_SHARE) * (1 - PEAK_FROM)) * SECONDS


def arrival_rate(elapsed: float) -> float:
    """Fans per second arriving over all gates `elapsed` seconds after opening."""
    if elapsed < 0 or elapsed >= SECONDS:
        return 0.0
    if elapsed < PEAK_FROM * SECONDS:
        return FANS * BASE_SHARE / (PEAK_FROM * SECONDS)
    return FANS * (1 - BASE_SHARE) / ((1 - PEAK_FROM) * SECONDS)


def _elapsed() -> float:
    return time.monotonic() - STATE["started"]


@events.test_start.add_listener
def _started(environment, **_kwargs):
    STATE["started"] = time.monotonic()


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    RESULTS_PATH.write_text(json.dumps({"fans": FANS, "seconds": SECONDS, **RECORDS}))


class GateDevice(FastHttpUser):
    fixed_count = len(GATES)
    connection_timeout = 30
    network_timeout = 30

    def on_start(self):
        number = next(_gate_numbers)
        self.gate = GATES[number]
        self.offline = number < OFFLINE_GATES
        self.headers = {"Authorization": f"Bearer {self.gate['token']}", "Content-Type": "application/json"}
        count = len(self.gate["codes"])
        self.queue = [(arrival_offset((k + 0.5) / count), code) for k, code in enumerate(self.gate["codes"])]
        self.pending: list[dict] = []

    def _nonce(self) -> str:
        return f"{self.gate['gate']}-{uuid.uuid4().hex[:16]}"

    def _network_down(self) -> bool:
        return self.offline and OFFLINE_WINDOW[0] * SECONDS <= _elapsed() < OFFLINE_WINDOW[1] * SECONDS

    @task
    def next_fan(self):
        if not self.queue:
            self._upload()
            STATE["finished_gates"] += 1
            raise StopUser()
        due, code = self.queue.pop(0)
        if _elapsed() < due:
            gevent.sleep(due - _elapsed())
        RECORDS["queue_waits"].append([due, _elapsed() - due])
        body = {"code": code, "gate": self.gate["gate"], "direction": "entry", "nonce": self._nonce()}
        if self._network_down():
            # The device judges by its offline bundle and keeps the scan for the upload.
            scanned_at = dt.datetime.now(dt.UTC).isoformat()
            self.pending.append({**body, "scanned_at": scanned_at, "device_result": "admitted"})
            gevent.sleep(0.3)  # the fan still takes a moment to pass
            return
        self._upload()
        with self.client.post(
            "/api/gate/scan", json=body, headers=self.headers, name="POST /api/gate/scan", catch_response=True
        ) as response:
            result = _answer(response).get("result")
            if result == "admitted":
                RECORDS["scans"].append(_elapsed())
            else:
                RECORDS["refused"].append(result or response.status_code)
                response.failure(f"not admitted: {response.status_code} {(response.text or '')[:200]}")

    def _upload(self):
        while self.pending and not self._network_down():
            chunk, self.pending = self.pending[:UPLOAD_CHUNK], self.pending[UPLOAD_CHUNK:]
            with self.client.post(
                "/api/gate/upload",
                json={"scans": chunk},
                headers=self.headers,
                name="POST /api/gate/upload",
                catch_response=True,
            ) as response:
                summary = _answer(response)
                results = summary.get("results")
                rows = results if isinstance(results, list) else []
                admitted = [r for r in rows if isinstance(r, dict) and r.get("result") == "admitted"]
                if summary.get("stored") == len(chunk) and len(admitted) == len(chunk):
                    RECORDS["uploaded"].append([_elapsed(), len(chunk)])
                else:
                    response.failure(f"upload: {response.status_code} {(response.text or '')[:300]}")


def _answer(response) -> dict:
    """A 200's JSON object, else {}: a connection error (no text), a timeout or an HTML page must reach
    `response.failure` and locust's counts, not raise inside the `with` (locust then records nothing)."""
    if response.status_code != 200:
        return {}
    try:
        answer = json.loads(response.text or "")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


class Phone(FastHttpUser):
    """A fan in the queue with the ticket on the phone; signed in by the session cookie."""

    def on_start(self):
        self.holders = FIXTURES["holders"]  # [{"cookie": "sessionid=...", "ticket": uuid}]

    def wait_time(self):
        rate = arrival_rate(_elapsed()) * PAGES_PER_FAN / PHONES
        if rate <= 0:
            return 1.0
        return random.expovariate(rate)

    @task
    def open_ticket(self):
        if _elapsed() >= SECONDS:
            raise StopUser()
        holder = random.choice(self.holders)
        headers = {"Cookie": holder["cookie"]}
        if random.random() < 1 / 3:
            path, name, marker = "/tickets/", "GET /tickets/ (wallet)", holder["ticket"]
        else:
            path, name, marker = f"/tickets/{holder['ticket']}/", "GET /tickets/<id>/", holder["ticket"]
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200 or marker not in response.text:
                response.failure(f"{response.status_code}: the holder's ticket is not on the page")
            else:
                RECORDS["pages"].append(_elapsed())


class Opening(LoadTestShape):
    """All users from the start; the run ends when every gate has cleared its queue after kick-off
    (or DRAIN seconds after it, whichever is first)."""

    def tick(self):
        run_time = self.get_run_time()
        if run_time > SECONDS + DRAIN:
            return None
        if run_time > SECONDS and STATE["finished_gates"] >= len(GATES):
            return None
        return (len(GATES) + PHONES, len(GATES) + PHONES)
