"""The counter API: prepare -> consume -> reverse -> query through HTTP, per role, with no personal
data for merchant staff, and bad input answered with a 4xx and a reason, never a 5xx."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.factories.tourism import MATCH_DAY_AFTERNOON, StoreFactory, counter_world, staff_of
from tourism.models import Redemption
from tourism.services.stubs import stub_rotating_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def match_day():
    with time_machine.travel(MATCH_DAY_AFTERNOON, tick=False):
        yield


@pytest.fixture
def world():
    world = counter_world()
    ticket = world.stub.ticket
    ticket.holder_name = "张小明"
    ticket.save()
    world.stub.holder_label = "张*明"
    world.stub.save()
    return world


def post(client, name, body):
    return client.post(f"/api/counter/{name}", body, content_type="application/json")


def consume_body(world, **changes):
    body = {
        "store": world.store.pk,
        "code": stub_rotating_code(stub=world.stub).code,
        "offer": world.offer.pk,
        "idempotency_key": "till-1-0001",
        "bill_fen": 12000,
        "head_count": 1,
    }
    return {**body, **changes}


def test_prepare_consume_reverse_query_through_the_api(client, world):
    client.force_login(world.staff)

    prepared = post(
        client, "prepare", {"store": world.store.pk, "code": stub_rotating_code(stub=world.stub).code}
    )
    consumed = post(client, "consume", consume_body(world))
    again = post(client, "consume", consume_body(world))
    second = post(client, "consume", consume_body(world, idempotency_key="till-1-0002"))
    receipt = consumed.json()["receipt_number"]
    listed = client.get(f"/api/counter/redemptions?store={world.store.pk}&day=2027-05-01")
    reversed_ = post(
        client, "reverse", {"store": world.store.pk, "receipt_number": receipt, "reason": "wrong bill"}
    )

    assert prepared.status_code == 200
    assert prepared.json()["stub"]["holder"] == "张*明"
    assert prepared.json()["offers"][0]["redeemable"] is True
    assert consumed.status_code == 200
    assert consumed.json()["discount_fen"] == 2400 and consumed.json()["to_pay_fen"] == 9600
    assert again.json()["receipt_number"] == receipt and again.json()["replayed"] is True
    assert second.status_code == 409 and second.json()["reason"] == "already_used"
    assert [row["receipt_number"] for row in listed.json()] == [receipt]
    assert reversed_.status_code == 200 and reversed_.json()["reason"] == "wrong bill"
    assert Redemption.objects.get().reversal.reason == "wrong bill"


def test_merchant_staff_see_no_personal_data(client, world):
    client.force_login(world.staff)
    post(client, "consume", consume_body(world))

    answers = [
        post(client, "prepare", {"store": world.store.pk, "code": stub_rotating_code(stub=world.stub).code}),
        client.get(f"/api/counter/redemptions?store={world.store.pk}&day=2027-05-01"),
        client.get(f"/counter/{world.store.pk}/redemptions/?day=2027-05-01"),
    ]

    for answer in answers:
        is_json = answer["Content-Type"].startswith("application/json")
        body = json.dumps(answer.json(), ensure_ascii=False) if is_json else answer.content.decode()
        assert answer.status_code == 200
        assert "张*明" in body
        assert "张小明" not in body
        assert world.stub.ticket.order.user.email not in body


def test_staff_of_another_merchant_or_store_get_404_and_change_nothing(client, world):
    other_merchant = staff_of(StoreFactory())
    sister_store = StoreFactory(merchant=world.merchant)
    bound_elsewhere = staff_of(sister_store)  # counter staff of the merchant's other store only
    for user in (other_merchant, bound_elsewhere, UserFactory()):
        client.force_login(user)
        assert post(client, "prepare", {"store": world.store.pk, "code": "x" * 128}).status_code == 404
        assert post(client, "consume", consume_body(world)).status_code == 404
        assert client.get(f"/api/counter/redemptions?store={world.store.pk}").status_code == 404
        assert client.get(f"/counter/{world.store.pk}/").status_code == 404
    assert not Redemption.objects.exists()


def test_anonymous_callers_are_refused(client, world):
    assert post(client, "prepare", {"store": world.store.pk, "code": "x"}).status_code == 401
    assert post(client, "consume", consume_body(world)).status_code == 401


def test_a_stale_code_is_refused_with_its_reason(client, world):
    client.force_login(world.staff)
    code = stub_rotating_code(stub=world.stub).code
    with time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(minutes=5), tick=False):
        answer = post(client, "prepare", {"store": world.store.pk, "code": code})
    assert answer.status_code == 422 and answer.json()["reason"] == "stale"


def test_the_counter_api_is_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/counter/prepare",
        "/api/counter/consume",
        "/api/counter/reverse",
        "/api/counter/redemptions",
    } <= set(paths)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=200),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["prepare", "consume", "reverse"]),
    body=st.dictionaries(
        st.sampled_from(
            [
                "store",
                "code",
                "offer",
                "idempotency_key",
                "bill_fen",
                "head_count",
                "receipt_number",
                "reason",
            ]
        ),
        JSON_VALUES,
        max_size=8,
    ),
    keep_store=st.booleans(),
)
def test_bad_input_is_a_4xx_with_a_reason_never_a_5xx(client, world, name, body, keep_store):
    client.force_login(world.staff)
    if keep_store:
        body = {**body, "store": world.store.pk}
    before = Redemption.objects.count()

    answer = post(client, name, body)

    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["detail"]
    assert Redemption.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_a_body_that_is_not_json_is_a_4xx(client, world, raw):
    client.force_login(world.staff)
    answer = client.post("/api/counter/consume", raw, content_type="application/json")
    assert 400 <= answer.status_code < 500


def test_the_manual_code_under_the_tickets_qr_redeems_like_the_scanned_code(client, world):
    client.force_login(world.staff)
    typed = world.stub.ticket.credential.short_code_display.lower().replace("-", " ")

    prepared = post(client, "prepare", {"store": world.store.pk, "code": typed})
    consumed = post(client, "consume", consume_body(world, code=typed))

    assert prepared.status_code == 200 and prepared.json()["offers"][0]["redeemable"] is True
    assert consumed.status_code == 200
    assert Redemption.objects.get().stub == world.stub


def test_a_stubs_own_manual_code_is_not_taken(client, world):
    """Only the rotating code shows a stub's credential: its static manual code would outlive a screenshot."""
    client.force_login(world.staff)

    answer = post(client, "prepare", {"store": world.store.pk, "code": world.stub.credential.short_code})

    assert answer.status_code == 422 and answer.json()["reason"] == "unknown"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Corridor does not know this code."), ("zh-hans", "系统中没有该码。")]
)
def test_a_mistyped_manual_code_is_refused_with_the_reason_in_both_languages(
    client, world, language, expected
):
    client.force_login(world.staff)

    answer = client.post(
        "/api/counter/prepare",
        {"store": world.store.pk, "code": "ABCD-EFGH-JKLM"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert answer.status_code == 422
    assert answer.json() == {"detail": expected, "reason": "unknown"}
    assert not Redemption.objects.exists()


def test_mistyped_manual_codes_are_limited_per_staff_member(client, world, monkeypatch):
    from tourism.services import stubs

    monkeypatch.setattr(stubs, "SHORT_CODE_MISSES", 3)
    client.force_login(world.staff)
    typed = world.stub.ticket.credential.short_code

    misses = [post(client, "prepare", {"store": world.store.pk, "code": "ABCD-EFGH-JKL" + c}) for c in "MNP"]
    blocked = post(client, "prepare", {"store": world.store.pk, "code": typed})
    client.force_login(staff_of(world.store))
    colleague = post(client, "prepare", {"store": world.store.pk, "code": typed})

    assert [answer.status_code for answer in misses] == [422, 422, 422]
    assert blocked.status_code == 429 and blocked.json()["reason"] == "too_many_attempts"
    assert colleague.status_code == 200


def test_prepare_and_consume_answers_are_their_schemas_exactly(client, world):
    """Prepare and consume render their answers without ninja's output validation: each must still
    be exactly what validating it against PrepareOut / ReceiptOut would render, key for key and
    byte for byte (dates, datetimes, nulls and enums included)."""
    from ninja.responses import NinjaJSONEncoder

    from tourism.api import OfferOut, PrepareOut, ReceiptOut

    client.force_login(world.staff)
    code = stub_rotating_code(stub=world.stub).code
    prepared = post(client, "prepare", {"store": world.store.pk, "code": code})
    consumed = post(client, "consume", consume_body(world))
    replayed = post(client, "consume", consume_body(world))

    for answer, schema in ((prepared, PrepareOut), (consumed, ReceiptOut), (replayed, ReceiptOut)):
        assert answer.status_code == 200 and answer["Content-Type"] == "application/json; charset=utf-8"
        validated = schema.model_validate(answer.json()).model_dump()
        assert answer.content == json.dumps(validated, cls=NinjaJSONEncoder).encode()
    assert set(prepared.json()["offers"][0]) == set(OfferOut.model_fields)
    assert replayed.json()["replayed"] is True and consumed.json()["replayed"] is False


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Percentage off the bill"), ("zh-hans", "账单按比例优惠")]
)
def test_prepare_names_the_offers_kind_in_the_callers_language(client, world, language, label):
    client.force_login(world.staff)
    answer = client.post(
        "/api/counter/prepare",
        {"store": world.store.pk, "code": stub_rotating_code(stub=world.stub).code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert answer.json()["offers"][0]["kind"] == "percentage"
    assert answer.json()["offers"][0]["kind_label"] == label
