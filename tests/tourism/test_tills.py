"""Tills: the owner issues a store's bearer token (shown once) and revokes it; a till redeems through
the counter API at its own store only, recorded as the till and the owner who issued it; revocation
works at once. The pages answer every other role with a 404 (or the sign-in redirect)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.enums import ProgrammeRole
from tests.factories import UserFactory
from tests.factories.accounts import verified
from tests.factories.events import ProgrammeMembershipFactory
from tests.factories.tourism import MATCH_DAY_AFTERNOON, StoreFactory, counter_world, staff_of, ticket_stub
from tourism.errors import MerchantError
from tourism.models import Redemption, Till
from tourism.services.stubs import stub_rotating_code
from tourism.services.tills import till_authenticate, till_issue, till_revoke, token_digest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def match_day():
    with time_machine.travel(MATCH_DAY_AFTERNOON, tick=False):
        yield


@pytest.fixture
def world():
    world = counter_world()
    world.owner = staff_of(world.store, role="owner")
    world.till, world.token = till_issue(store=world.store, name="Register 2", by=world.owner)
    return world


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, name, body, token):
    return client.post(f"/api/counter/{name}", body, content_type="application/json", **bearer(token))


def code(world, stub=None):
    return stub_rotating_code(stub=stub or world.stub).code


def consume_body(world, **changes):
    body = {
        "store": world.store.pk,
        "code": code(world),
        "offer": world.offer.pk,
        "idempotency_key": "till-2-0001",
        "bill_fen": 12000,
    }
    return {**body, **changes}


def test_only_the_tokens_hash_is_stored_and_the_token_works_once_issued(world):
    till = Till.objects.get()
    assert till.token_hash == token_digest(world.token) and world.token not in till.token_hash
    assert till_authenticate(world.token) == till
    assert till_authenticate("not-" + world.token) is None


def test_a_till_redeems_without_session_or_csrf_and_is_recorded_with_its_issuer(world):
    client = Client(enforce_csrf_checks=True)

    prepared = post(client, "prepare", {"store": world.store.pk, "code": code(world)}, world.token)
    consumed = post(client, "consume", consume_body(world), world.token)
    listed = client.get(
        f"/api/counter/redemptions?store={world.store.pk}&day=2027-05-01", **bearer(world.token)
    )
    reversed_ = post(
        client,
        "reverse",
        {"store": world.store.pk, "receipt_number": consumed.json()["receipt_number"], "reason": "typo"},
        world.token,
    )

    assert prepared.status_code == 200 and prepared.json()["offers"][0]["redeemable"] is True
    assert consumed.status_code == 200
    assert consumed.json()["till"] == "Register 2" and consumed.json()["staff"] == "Register 2"
    redemption = Redemption.objects.get()
    assert redemption.till == world.till and redemption.staff == world.owner
    assert [row["till"] for row in listed.json()] == ["Register 2"]
    assert reversed_.status_code == 200 and redemption.reversal.reversed_by == world.owner


def test_a_till_cannot_reach_another_store_even_of_its_own_merchant(client, world):
    sister = StoreFactory(merchant=world.merchant, city=world.store.city)
    other = StoreFactory()
    for store in (sister, other):
        assert (
            post(client, "prepare", {"store": store.pk, "code": code(world)}, world.token).status_code == 404
        )
        answer = post(client, "consume", consume_body(world, store=store.pk), world.token)
        assert answer.status_code == 404 and answer.json()["reason"] == "not_found"
        assert (
            client.get(f"/api/counter/redemptions?store={store.pk}", **bearer(world.token)).status_code == 404
        )
    assert not Redemption.objects.exists()


def test_a_revoked_till_is_refused_at_once(client, world):
    assert (
        post(client, "prepare", {"store": world.store.pk, "code": code(world)}, world.token).status_code
        == 200
    )

    till_revoke(till=world.till, by=world.owner)

    assert (
        post(client, "prepare", {"store": world.store.pk, "code": code(world)}, world.token).status_code
        == 401
    )
    assert post(client, "consume", consume_body(world), world.token).status_code == 401
    assert not Redemption.objects.exists()


def test_an_unknown_token_is_a_401_and_a_session_still_works(client, world):
    assert post(client, "prepare", {"store": world.store.pk, "code": code(world)}, "nope").status_code == 401
    client.force_login(world.staff)
    answer = client.post(
        "/api/counter/prepare",
        {"store": world.store.pk, "code": code(world)},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["offers"][0]["redeemable"] is True


def test_only_the_owner_issues_or_revokes(world):
    with pytest.raises(MerchantError):
        till_issue(store=world.store, name="Mine", by=world.staff)
    with pytest.raises(MerchantError):
        till_revoke(till=world.till, by=staff_of(StoreFactory(), role="owner"))
    assert Till.objects.get().revoked_at is None


def test_prepare_and_consume_through_a_till_are_pinned_per_http_request(client, world):
    """Per HTTP request with till auth (the till is cached after its first request, and its last use
    is written at most once a minute): prepare reads the stub, the offers and the stub's uses;
    consume reads the stub, then takes the two locks, reads the key and the uses, inserts and
    updates the stock."""
    post(client, "prepare", {"store": world.store.pk, "code": code(world)}, world.token)  # warms the till
    other = ticket_stub(ticket_type=world.stub.ticket.ticket_type)
    with CaptureQueriesContext(connection) as prepare:
        answer = post(client, "prepare", {"store": world.store.pk, "code": code(world, other)}, world.token)
    assert answer.status_code == 200
    with CaptureQueriesContext(connection) as consume:
        answer = post(client, "consume", consume_body(world, code=code(world, other)), world.token)
    assert answer.status_code == 200
    # The stub with the offers here (one statement), on PostgreSQL with its live uses too (one ARRAY
    # subquery), else its uses next (was 2 and 3: the offers were a statement of their own).
    assert len(prepare.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    # SQLite: (savepoint) stub, stub lock, key, offer lock, uses, insert, update, (release).
    # PostgreSQL: the stub with its uses and the offer with the key (one read, no lock), then
    # (savepoint) the claim with the offer's update and the insert (one statement), (release); no
    # BEGIN or COMMIT outside the test's transaction (was 5: the stub read FOR UPDATE, the offer's
    # lock with the key and the uses, the insert with the update, in a transaction). The key is read
    # before the code only when the code no longer reads (a retry's stale code).
    assert len(consume.captured_queries) == (4 if connection.vendor == "postgresql" else 9)


def test_the_owner_issues_a_till_and_sees_the_token_once(client, world):
    client.force_login(world.owner)

    issued = client.post(
        f"/merchants/{world.merchant.pk}/tills/", {"store": world.store.pk, "name": "Tablet"}
    )
    again = client.get(f"/merchants/{world.merchant.pk}/tills/")

    till = Till.objects.get(name="Tablet")
    token = issued.context["token"]
    assert till.token_hash == token_digest(token) and till.created_by == world.owner
    assert token in issued.content.decode() and "no-store" in issued["Cache-Control"]
    assert token not in again.content.decode() and "Tablet" in again.content.decode()


def test_a_till_name_is_required_with_the_error_at_the_field(client, world):
    client.force_login(world.owner)
    answer = client.post(f"/merchants/{world.merchant.pk}/tills/", {"store": world.store.pk, "name": ""})
    assert answer.status_code == 200 and answer.context["form"].errors["name"]
    assert Till.objects.count() == 1


def test_revoking_asks_first_then_revokes(client, world):
    client.force_login(world.owner)
    url = f"/merchants/{world.merchant.pk}/tills/{world.till.pk}/revoke/"

    asked = client.get(url)
    world.till.refresh_from_db()
    assert world.till.revoked_at is None and "Register 2" in asked.content.decode()

    done = client.post(url, follow=True)
    world.till.refresh_from_db()
    assert world.till.revoked_at is not None
    assert till_authenticate(world.token) is None
    assert "收银终端已撤销" in done.content.decode()  # the message, in the default language


def test_the_pages_in_chinese(client, world):
    client.force_login(world.owner)
    page = client.get(f"/merchants/{world.merchant.pk}/tills/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "收银终端" in page.content.decode() and "发放令牌" in page.content.decode()


@pytest.mark.parametrize("role", ["staff", "other_owner", "organiser", "spectator"])
def test_other_roles_get_404_and_change_nothing(client, world, role):
    user = {
        "staff": lambda: world.staff,
        "other_owner": lambda: staff_of(StoreFactory(), role="owner"),
        "organiser": lambda: verified(
            ProgrammeMembershipFactory(programme=world.merchant.programme, role=ProgrammeRole.ORGANISER).user
        ),
        "spectator": lambda: verified(UserFactory()),
    }[role]()
    client.force_login(user)
    tills = f"/merchants/{world.merchant.pk}/tills/"
    revoke = f"/merchants/{world.merchant.pk}/tills/{world.till.pk}/revoke/"

    # An organiser without a second factor is first sent to set one up (OrganiserMFAMiddleware).
    answers = [
        client.get(tills),
        client.post(tills, {"store": world.store.pk, "name": "Sneaky"}),
        client.get(revoke),
        client.post(revoke),
    ]
    for answer in answers:
        assert answer.status_code == 404 or "/accounts/2fa/" in answer["Location"]
    assert Till.objects.count() == 1 and Till.objects.get().revoked_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    answer = client.get(f"/merchants/{world.merchant.pk}/tills/")
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_the_openapi_schema_documents_both_ways_to_sign_in(client):
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    security = schema["paths"]["/api/counter/consume"]["post"]["security"]
    assert schemes["TillBearer"]["scheme"] == "bearer" and schemes["SessionAuth"]["in"] == "cookie"
    assert {"TillBearer": []} in security and {"SessionAuth": []} in security


def test_the_counters_receipts_page_names_the_till(client, world):
    assert post(client, "consume", consume_body(world), world.token).status_code == 200
    client.force_login(world.staff)
    page = client.get(f"/counter/{world.store.pk}/redemptions/?day=2027-05-01").content.decode()
    assert "Register 2" in page and Redemption.objects.get().receipt_number in page


def test_a_tills_prepare_and_consume_answer_alike_through_the_lean_route_and_the_operation(
    world, monkeypatch
):
    """config/urls.py mounts prepare and consume for tills ahead of the API (events/lean_routes.py):
    every answer (status, every header, body), refusals and schema errors included, is the
    operation's own. Each request is sent through both; the one that redeems is sent once, through
    the lean route, and its replays through both."""
    from events import lean_routes

    client = Client(enforce_csrf_checks=True)
    other_store = StoreFactory(merchant=world.store.merchant)
    stale = stub_rotating_code(stub=world.stub, now=MATCH_DAY_AFTERNOON - dt.timedelta(minutes=5)).code

    def both(name, body, token=world.token):
        answers = []
        for enabled in (True, False):
            monkeypatch.setattr(lean_routes, "ENABLED", enabled)
            if body is None:
                answer = client.post(
                    f"/api/counter/{name}", b"{not json", content_type="application/json", **bearer(token)
                )
            else:
                answer = post(client, name, body, token)
            answers.append((answer.status_code, dict(answer.headers), answer.content))
        assert answers[0] == answers[1], name
        return answers[0][0], json.loads(answers[0][2])

    statuses = [
        both("prepare", {"store": world.store.pk, "code": code(world)})[0],
        both("prepare", {"store": other_store.pk, "code": code(world)})[0],
        both("prepare", {"store": world.store.pk, "code": stale})[0],
        both("prepare", {"store": world.store.pk, "code": "x" * 401})[0],
        both("prepare", None)[0],
        both("prepare", {"store": world.store.pk, "code": code(world)}, token="not-a-till")[0],
        both("consume", consume_body(world, offer=world.offer.pk + 999))[0],
        both("consume", consume_body(world, bill_fen=-1))[0],
    ]
    monkeypatch.setattr(lean_routes, "ENABLED", True)
    first = post(client, "consume", consume_body(world), world.token)
    status, replayed = both("consume", consume_body(world))
    used_up = both("consume", consume_body(world, idempotency_key="till-2-0002"))

    assert statuses == [200, 404, 422, 422, 400, 403, 409, 422]  # 403: no till, the session's CSRF check
    assert first.status_code == status == 200 and replayed == {**first.json(), "replayed": True}
    assert used_up[0] == 409 and used_up[1]["reason"] == "already_used"
    assert Redemption.objects.count() == 1


def test_the_lean_route_leaves_the_staff_members_session_to_the_operation(client, world, monkeypatch):
    """A session request (the counter page) is the operation's: with its CSRF check."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.staff)
    refused = strict.post(
        "/api/counter/prepare",
        {"store": world.store.pk, "code": code(world)},
        content_type="application/json",
    )
    client.force_login(world.staff)
    prepared = client.post(
        "/api/counter/prepare",
        {"store": world.store.pk, "code": code(world)},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert prepared.status_code == 200 and prepared.json()["offers"][0]["redeemable"] is True
