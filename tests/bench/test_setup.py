"""Every benchmark builds data that is valid whatever the clock says: each set-up (the data building,
not the timing) runs here under a clock frozen late in the Shanghai evening, when a session of a few
hours crosses midnight, and just after midnight, when one that began half an hour ago began yesterday."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bench import imports, orders, pdf, scans
from tests.factories.registration import DelegationFactory
from ticketing.enums import OrderState
from ticketing.models import Order
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place
from ticketing.signing import credential_decode

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOCKS = [
    pytest.param(dt.datetime(2027, 6, 15, 23, 30, tzinfo=SHANGHAI), id="23:30"),
    pytest.param(dt.datetime(2027, 6, 16, 0, 15, tzinfo=SHANGHAI), id="00:15"),
]


@pytest.fixture(params=CLOCKS)
def frozen(request):
    with time_machine.travel(request.param, tick=False):
        yield request.param


def test_scans_setup_gives_a_device_and_tickets_that_scan_in_now(client, frozen):
    world = scans.gate_world(3)

    session = world["session"]
    assert session.starts_at < frozen < session.ends_at
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    for index, code in enumerate(world["codes"]):
        body = {"code": code, "gate": scans.GATE, "direction": "entry", "nonce": f"bench-{index:08d}"}
        response = client.post("/api/gate/scan", json.dumps(body), content_type="application/json", **headers)
        assert response.json()["result"] == "admitted", response.json()


def test_orders_setup_gives_ticket_types_on_sale_now(frozen, settings):
    settings.PAYMENT_DEMO_ENABLED = True  # the bench's buyers pay with the demo provider
    sessions, places = 2, 3

    types, users = orders.scenario_data(sessions, places)

    assert len(types) == sessions and len(users) == orders.BUYERS
    for ticket_type, user in zip(types, users, strict=False):
        assert [quota.capacity for quota in ticket_type.quotas.all()] == [places]
        cart_add(user=user, ticket_type=ticket_type, quantity=1)
        order = order_place(user=user, provider="demo")
        assert order.tickets.get().ticket_type == ticket_type
    assert Order.objects.filter(state=OrderState.PENDING).count() == sessions


def test_imports_setup_gives_a_roster_file_that_is_all_valid(frozen):
    from registration.forms.roster_import import read_rows, validate_rows

    upload = imports.roster_file(imports.ROWS)

    preview = validate_rows(delegation=DelegationFactory(), rows=read_rows(upload()))
    assert preview.is_valid and len(preview.valid_rows) == imports.ROWS


def test_pdf_setup_gives_cards_with_signed_codes(frozen):
    cards = pdf.cards_for(3)

    assert len({card.code for card in cards}) == 3
    assert [credential_decode(card.code).session_id for card in cards] == [1, 2, 3]
