"""The opening load test builds data that is valid whatever the clock says: its set-up runs here under a
clock frozen late in the Shanghai evening (the match kicks off and ends after midnight) and just after
midnight; every gate's device admits its fans, and a holder's ticket page and wallet show the ticket."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bench import opening

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(
    params=[
        pytest.param(dt.datetime(2027, 6, 15, 23, 30, tzinfo=SHANGHAI), id="23:30"),
        pytest.param(dt.datetime(2027, 6, 16, 0, 15, tzinfo=SHANGHAI), id="00:15"),
    ]
)
def frozen(request):
    with time_machine.travel(request.param, tick=False):
        yield request.param


def test_opening_setup_gives_every_gate_a_device_whose_fans_scan_in(client, frozen):
    world = opening.opening_world(fans=50, holders=2)

    assert world["session"].starts_at == frozen + dt.timedelta(minutes=30)
    assert [gate["gate"] for gate in world["gates"]] == [opening.gate_code(i) for i in range(opening.GATES)]
    assert sum(len(gate["codes"]) for gate in world["gates"]) == 50
    for index, gate in enumerate(world["gates"]):
        body = {
            "code": gate["codes"][0],
            "gate": gate["gate"],
            "direction": "entry",
            "nonce": f"opening-{index:04d}",
        }
        response = client.post(
            "/api/gate/scan",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {gate['token']}",
        )
        assert response.json()["result"] == "admitted", (gate["gate"], response.json())


def test_opening_setup_gives_holders_whose_pages_show_their_ticket(client, frozen):
    world = opening.opening_world(fans=5, holders=2)

    for holder in world["holders"]:
        client.force_login(holder["user"])
        assert holder["ticket"] in client.get(f"/tickets/{holder['ticket']}/").content.decode()
        assert holder["ticket"] in client.get("/tickets/").content.decode()


def test_a_load_test_whose_task_raised_gives_no_figures(tmp_path):
    exceptions = tmp_path / "opening_exceptions.csv"
    exceptions.write_text('Count,Message,Traceback,Nodes\n3,"TypeError(\'boom\')","...",local\n')

    with pytest.raises(RuntimeError, match="raised 3 time"):
        opening._no_exceptions(exceptions)
    opening._no_exceptions(tmp_path / "absent.csv")  # locust writes none when nothing raised
    exceptions.write_text("Count,Message,Traceback,Nodes\n")
    opening._no_exceptions(exceptions)


def test_fans_left_in_a_queue_are_counted_apart_from_the_waits():
    results = {
        "fans": 5,
        "seconds": 30.0,
        "scans": [1.0, 2.0, 25.0],
        "pages": [],
        "queue_waits": [[0.5, 0.5], [1.5, 0.5], [24.0, 1.0]],
        "uploaded": [],
        "refused": [],
    }

    rates = opening._scan_rates(results)

    assert rates["never_reached"] == 2
    assert rates["wait_max"] == 1.0  # the waits of the fans who reached a device only
