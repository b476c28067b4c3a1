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
