"""An organiser's or owner's offer edit racing a consume at the counter, on PostgreSQL with real threads.

`offer_update` locks the OFFER row, and so does consume before it judges: an edit that has committed
is obeyed by every consume that commits after it. Each test runs the edit in another thread right
after the consume has judged the offer (`redemptions.offer_check` returned) and waits for it a while:
if the edit finished first (it did not wait for the consume's lock), the consume must obey it.
"""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from tests.factories.tourism import MATCH_DAY_AFTERNOON, OfferFactory, counter_world, ticket_stub
from tourism.errors import RedemptionError
from tourism.models import Redemption
from tourism.services import offers as offer_services
from tourism.services import redemptions
from tourism.services.stubs import stub_rotating_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EDIT_WAIT = 1.5  # seconds the consume waits for the edit (behind the offer's lock it never comes)


def _edit_after_judging(monkeypatch, edit) -> dict:
    """Run `edit` in another thread (its own connection) right after the consume's first
    offer_check; record whether it committed before the consume went on."""
    seen: dict = {}
    real = redemptions.offer_check

    def judged(*args, **kwargs):
        verdict = real(*args, **kwargs)
        if "thread" not in seen:

            def run():
                try:
                    edit()
                finally:
                    connection.close()

            seen["thread"] = thread = threading.Thread(target=run)
            thread.start()
            thread.join(timeout=EDIT_WAIT)
            seen["edit_first"] = not thread.is_alive()
        return verdict

    monkeypatch.setattr(redemptions, "offer_check", judged)
    return seen


def _consume(world, stub, key, offer=None):
    try:
        _redemption, created = redemptions.redemption_consume(
            code=stub_rotating_code(stub=stub).code,
            store=world.store,
            staff=world.staff,
            offer_id=(offer or world.offer).pk,
            idempotency_key=key,
            bill_fen=10000,
        )
    except RedemptionError as error:
        return error.code
    return created


def _update(offer, **fields):
    relations = {"exclusions": fields.pop("exclusions", ())}
    return lambda: offer_services.offer_update(offer=offer, fields=fields, relations=relations)


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_an_exclusion_committed_before_the_consume_writes_is_obeyed(monkeypatch):
    world = counter_world()
    other = OfferFactory(merchant=world.merchant)
    assert _consume(world, world.stub, "first", offer=other) is True
    seen = _edit_after_judging(monkeypatch, _update(world.offer, exclusions=[other]))

    result = _consume(world, world.stub, "second")
    seen["thread"].join()

    # One stub never holds two offers that exclude each other, unless the consume came first.
    assert not (seen["edit_first"] and result is True), (seen, result)
    if seen["edit_first"]:
        assert result == "excluded"
        assert Redemption.objects.filter(stub=world.stub).count() == 1


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_a_daily_cap_committed_before_the_consume_writes_is_obeyed(monkeypatch):
    world = counter_world()
    assert _consume(world, world.stub, "first") is True
    seen = _edit_after_judging(monkeypatch, _update(world.offer, daily_limit=1))

    result = _consume(world, ticket_stub(ticket_type=world.ticket_type), "second")
    seen["thread"].join()

    assert not (seen["edit_first"] and result is True), (seen, result)
    if seen["edit_first"]:
        assert result == "daily_limit"
        assert Redemption.objects.filter(offer=world.offer).count() == 1


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_once_per_stub_committed_before_the_consume_writes_is_obeyed(monkeypatch):
    world = counter_world(per_stub_limit=2)
    assert _consume(world, world.stub, "first") is True
    seen = _edit_after_judging(monkeypatch, _update(world.offer, per_stub_limit=1))

    result = _consume(world, world.stub, "second")
    seen["thread"].join()

    assert not (seen["edit_first"] and result is True), (seen, result)
    if seen["edit_first"]:
        assert result == "already_used"
        assert Redemption.objects.filter(stub=world.stub).count() == 1


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_a_per_person_cap_committed_before_the_consume_writes_is_obeyed(monkeypatch):
    # Two real-name tickets of one person: per person per store counts both stubs.
    from tests.factories.events import SessionFactory
    from tests.factories.ticketing import TicketTypeFactory

    world = counter_world()
    first = ticket_stub(ticket_type=world.ticket_type, holder_name="张三")
    later = TicketTypeFactory(session=SessionFactory(event=world.event))
    second = ticket_stub(ticket_type=later, holder_name="张三")
    for stub in (first, second):
        stub.ticket.holder_document_hash = "same-person"
        stub.ticket.save(update_fields=["holder_document_hash"])
    assert _consume(world, first, "first") is True
    seen = _edit_after_judging(monkeypatch, _update(world.offer, per_person_store_limit=1))

    result = _consume(world, second, "second")
    seen["thread"].join()

    assert not (seen["edit_first"] and result is True), (seen, result)


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_a_withdrawal_committed_before_the_consume_writes_is_obeyed(monkeypatch):
    # Sound on both paths: the fast path's UPDATE re-checks the status on the newest row.
    world = counter_world()
    seen = _edit_after_judging(monkeypatch, lambda: offer_services.offer_withdraw(offer=world.offer))

    result = _consume(world, world.stub, "first")
    seen["thread"].join()

    assert not (seen["edit_first"] and result is True), (seen, result)


@time_machine.travel(MATCH_DAY_AFTERNOON)
def test_an_exclusion_set_from_the_other_offer_before_the_consume_writes_is_obeyed(monkeypatch):
    # The exclusion is symmetrical: editing the OTHER offer also makes this one exclude it, but locks
    # only the other offer's row (fails before 734dfaa too: a pre-existing gap).
    world = counter_world()
    other = OfferFactory(merchant=world.merchant)
    assert _consume(world, world.stub, "first", offer=other) is True
    seen = _edit_after_judging(monkeypatch, _update(other, exclusions=[world.offer]))

    result = _consume(world, world.stub, "second")
    seen["thread"].join()

    assert not (seen["edit_first"] and result is True), (seen, result)
