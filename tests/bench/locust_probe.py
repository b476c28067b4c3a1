"""Run by tests/bench/test_locustfile.py in a process of its own (locust patches the interpreter with
gevent on import): one gate device's scan, and one upload, against a server given on the command line,
printing what locust recorded and what the locustfile recorded, as JSON."""

from __future__ import annotations

import json
import sys
import time

from locust.env import Environment

from bench import locustfile

host = sys.argv[1]
recorded = []
environment = Environment(user_classes=[locustfile.GateDevice], host=host)
environment.events.request.add_listener(
    lambda **kw: recorded.append({"name": kw["name"], "failed": kw.get("exception") is not None})
)
locustfile.GateDevice.host = host
device = locustfile.GateDevice(environment)
device.on_start()
device.offline = False
device.queue = device.queue[:1]
device.queue[0] = (0.0, device.queue[0][1])
locustfile.STATE["started"] = time.monotonic()
escaped = None
try:
    device.next_fan()
    device.pending = [{"code": "x", "gate": device.gate["gate"], "direction": "entry", "nonce": "n-1"}]
    device._upload()
except Exception as exc:  # what the test looks for: nothing may escape the task
    escaped = repr(exc)
print(json.dumps({"recorded": recorded, "refused": locustfile.RECORDS["refused"], "escaped": escaped}))
