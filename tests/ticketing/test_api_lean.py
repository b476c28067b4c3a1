"""POST /api/gate/scan through its lean route (ticketing.api.scan_lean, config/urls.py) answers every
request exactly as the django-ninja operation does: the same status, every header and the bytes.

Each request is sent twice from the same state, once with the lean route and once without it
(`events.lean_routes.ENABLED`), each inside a transaction rolled back afterwards and with the cache
restored, under a frozen clock; whether ninja's operation ran says which route answered.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from ninja.operation import PathView

from events import lean_routes
from tests.factories import SessionFactory
from tests.factories.checkin import CredentialFactory, device_with_token
from ticketing.enums import CredentialState
from ticketing.models import Scan
from ticketing.services import scans
from ticketing.services.credentials import credential_set_state
from ticketing.services.gate_devices import gate_device_revoke
from ticketing.signing import credential_code

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2027, 5, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world():
    credential = CredentialFactory()
    device, token = device_with_token(credential.event, gates=["gate-a", "gate-b"])
    return credential, device, token


@pytest.fixture
def operation_runs(monkeypatch):
    """How many requests django-ninja's view took (none: the lean route answered alone)."""
    runs = []
    view = PathView._sync_view

    def counted(self, request, *args, **kwargs):
        runs.append(request.path)
        return view(self, request, *args, **kwargs)

    monkeypatch.setattr(PathView, "_sync_view", counted)
    return runs


def send(client, body, *, token=None, method="post", language="en", **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return getattr(client, method)(
        "/api/gate/scan", data=data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **extra
    )


def both(client, monkeypatch, operation_runs, request):
    """(lean answer, ninja answer, which route answered the lean attempt), from the same database
    state. The cache is not restored: the only counters a case moves there (mistyped manual codes)
    answer the same on either side of the one the first attempt adds."""
    answers, routes = [], []
    for enabled in (True, False):
        monkeypatch.setattr(lean_routes, "ENABLED", enabled)
        del operation_runs[:]
        with transaction.atomic():
            response = request()
            answers.append((response.status_code, dict(response.headers), response.content))
            transaction.set_rollback(True)
        routes.append("ninja" if operation_runs else "lean")
    assert routes[1] == "ninja"
    return answers[0], answers[1], routes[0]


def _body(code, *, gate="gate-a", nonce="nonce-0001", **extra):
    return {"code": code, "gate": gate, "nonce": nonce, **extra}


def _entered(client, world):
    """The world's credential entered once already (a stored scan with nonce-0000)."""
    credential, _device, token = world
    response = send(client, _body(credential_code(credential), nonce="nonce-0000"), token=token)
    assert response.json()["result"] == "admitted"


def _mistyped(client, world):
    for index in range(3):  # SHORT_CODE_MISSES is 3 in these tests
        send(client, _body("ABCD-EFGH-JKLM", nonce=f"nonce-09{index:02d}"), token=world[2])


def _code(fields):
    """A set-up: a code of another credential, built from the world's own one."""
    return lambda client, world: credential_code(CredentialFactory(**fields(world[0])))


def _state(state):
    return lambda client, world: credential_set_state(credential=world[0], state=state)


def own(client, world):
    return credential_code(world[0])


def entered(client, world):
    _entered(client, world)
    return credential_code(world[0])


def scan(code=None, *, token=None, **fields):
    """The request: the set-up's code (or `code`) with these body fields, by the world's device (or
    the set-up's token when `token` is True)."""

    def request(client, world, kept):
        by = kept if token else world[2]
        return send(client, _body(kept if code is None else code(world), **fields), token=by)

    return request


def raw(data, **send_kwargs):
    """The request: this body (or data(kept)), sent with these arguments (the world's token unless given)."""

    def request(client, world, kept):
        send_kwargs.setdefault("token", world[2])
        return send(client, data(kept) if callable(data) else data, **send_kwargs)

    return request


def other_device(client, world):
    return device_with_token(world[0].event, name="Any gate")[1]


def own_code(world):
    return credential_code(world[0])


# name: (set-up, run once and kept: (client, world) -> kept; the request: (client, world, kept) ->
# response; the status; which route answers it)
CASES = {
    "admitted entry": (own, scan(), 200, "lean"),
    "admitted, whitespace around the code": (own, raw(lambda code: _body(f"  {code}\n")), 200, "lean"),
    "admitted, answered in Chinese": (own, raw(lambda code: _body(code), language="zh-hans"), 200, "lean"),
    "admitted by manual code": (own, scan(lambda world: world[0].short_code_display), 200, "lean"),
    "refused: forged": (own, scan(lambda world: "x" * 128), 200, "lean"),
    "refused: order number": (own, scan(lambda world: "ABCDEFGH23"), 200, "lean"),
    "refused: unknown manual code": (own, scan(lambda world: "ABCD-EFGH-JKLM"), 200, "lean"),
    "refused: exit without entry": (own, scan(direction="exit"), 200, "lean"),
    "duplicate nonce replay": (entered, scan(nonce="nonce-0000"), 200, "lean"),
    "refused: already used": (entered, scan(gate="gate-b"), 200, "lean"),
    "exit after entry": (entered, scan(direction="exit"), 200, "lean"),
    "refused: revoked credential": (_state(CredentialState.REVOKED), scan(own_code), 200, "lean"),
    "refused: refunded credential": (_state(CredentialState.REFUNDED), scan(own_code), 200, "lean"),
    "refused: not valid yet": (
        _code(lambda own: {"session": own.session, "valid_from": DURING + dt.timedelta(hours=1)}),
        scan(),
        200,
        "lean",
    ),
    "refused: wrong gate (zones)": (
        _code(lambda own: {"session": own.session, "zones": ["gate-b"]}),
        scan(),
        200,
        "lean",
    ),
    "refused: wrong session": (
        _code(lambda own: {"session": SessionFactory(event=own.event)}),
        scan(),
        200,
        "lean",
    ),
    "refused: wrong event": (_code(lambda own: {}), scan(), 200, "lean"),
    "403: a gate the device may not scan at": (own, scan(gate="gate-z"), 403, "lean"),
    "403: a gate of another venue": (other_device, scan(own_code, token=True, gate="gate-z"), 403, "lean"),
    "403: another device's nonce": (
        lambda client, world: (_entered(client, world), other_device(client, world))[1],
        scan(own_code, token=True, nonce="nonce-0000"),
        403,
        "lean",
    ),
    "403: too many mistyped codes": (_mistyped, scan(lambda world: world[0].short_code), 403, "lean"),
    "400: not JSON": (own, raw("{not json"), 400, "ninja"),
    "400: not UTF-8": (own, raw(b"\xff\xfe{"), 400, "ninja"),
    "422: empty body": (own, raw(""), 422, "ninja"),
    "422: a list": (own, raw(lambda code: [_body(code)]), 422, "ninja"),
    "422: no nonce": (own, raw(lambda code: {"code": code, "gate": "gate-a"}), 422, "ninja"),
    "422: a short nonce": (own, scan(nonce="n1"), 422, "ninja"),
    "422: a bad gate code": (own, scan(gate="gate a"), 422, "ninja"),
    "422: a bad direction": (own, scan(direction="in"), 422, "ninja"),
    "422: a code too long": (own, scan(lambda world: "x" * 401), 422, "ninja"),
    "422: a number for a code": (own, scan(lambda world: 12345), 422, "ninja"),
    "401: no token": (own, raw(lambda code: _body(code), token=None), 401, "ninja"),
    "401: another scheme": (
        own,
        lambda client, world, code: send(client, _body(code), HTTP_AUTHORIZATION=f"Token {world[2]}"),
        401,
        "ninja",
    ),
    "401: an empty bearer token": (own, raw(lambda code: _body(code), token=""), 401, "ninja"),
    "401: a wrong token": (own, raw(lambda code: _body(code), token="not-the-token"), 401, "ninja"),
    "401: a revoked device": (
        lambda client, world: gate_device_revoke(device=world[1]),
        scan(own_code),
        401,
        "ninja",
    ),
    "413: over 1 MB": (own, scan(padding="x" * 1_000_000), 413, "ninja"),
    "413: over 1 MB without a token": (own, raw("x" * 1_000_001, token=None), 413, "ninja"),
    "405: GET": (own, raw("", method="get"), 405, "ninja"),
    "405: PUT": (own, raw(lambda code: _body(code), method="put"), 405, "ninja"),
}


@time_machine.travel(DURING, tick=False)
@pytest.mark.parametrize("case", CASES)
def test_the_lean_route_answers_as_the_ninja_operation(client, monkeypatch, operation_runs, world, case):
    monkeypatch.setattr(scans, "SHORT_CODE_MISSES", 3)
    set_up, request, status, route = CASES[case]
    kept = set_up(client, world)

    lean, regular, answered_by = both(
        client, monkeypatch, operation_runs, lambda: request(client, world, kept)
    )

    assert lean == regular
    assert (lean[0], answered_by) == (status, route)
    if status == 405:
        assert (lean[1]["Allow"], lean[2]) == ("POST", b"Method not allowed")
    elif status >= 400:
        assert json.loads(lean[2])["detail"]


@time_machine.travel(DURING, tick=False)
def test_a_lean_scan_is_stored_as_the_operation_stores_it(client, monkeypatch, world):
    credential, device, token = world
    send(client, _body(credential_code(credential), nonce="nonce-lean"), token=token)
    monkeypatch.setattr(lean_routes, "ENABLED", False)
    other = CredentialFactory(session=credential.session)
    send(client, _body(credential_code(other), nonce="nonce-ninja"), token=token)

    fields = ("event_id", "direction", "result", "reason", "gate_code", "device_id", "scanned_at", "offline")
    lean, regular = (Scan.objects.values(*fields).get(nonce=nonce) for nonce in ("nonce-lean", "nonce-ninja"))
    assert lean == regular
    assert lean["result"] == "admitted" and lean["device_id"] == device.pk


def test_the_openapi_document_still_documents_the_scan_operation(client):
    schema = client.get("/api/openapi.json").json()
    scan = schema["paths"]["/api/gate/scan"]["post"]

    assert scan["operationId"] == "ticketing_api_scan"
    assert scan["security"] == [{"DeviceBearer": []}]
    assert scan["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ScanIn")
    assert set(scan["responses"]) == {"200", "400", "401", "403", "413", "422"}
    assert "/api-lean" not in json.dumps(schema)


def test_a_declined_token_is_looked_up_once(client, django_assert_num_queries, world):
    """An unknown token costs its one look-up, not one on each route."""
    credential = world[0]

    with django_assert_num_queries(1):
        response = send(client, _body(credential_code(credential)), token="not-the-token")

    assert response.status_code == 401
