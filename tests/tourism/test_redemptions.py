"""Prepare, consume and reverse at the counter: every rule of an offer, caps, receipts, reversals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import CityFactory
from tests.factories.checkin import scan
from tests.factories.tourism import (
    MATCH_DAY_AFTERNOON,
    OfferFactory,
    StoreFactory,
    counter_world,
    staff_of,
    ticket_stub,
)
from ticketing.signing import credential_code
from tourism.enums import MerchantRole, OfferActivation, OfferKind, OfferOrigin, OfferStatus
from tourism.errors import RedemptionError, StubError
from tourism.models import Offer, Redemption, Reversal
from tourism.models.stubs import RECEIPT_ALPHABET, new_receipt_number
from tourism.services.redemptions import redemption_consume, redemption_prepare, redemption_reverse
from tourism.services.stubs import stub_rotating_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def match_day():
    with time_machine.travel(MATCH_DAY_AFTERNOON, tick=False):
        yield


def code_of(stub) -> str:
    return stub_rotating_code(stub=stub).code


def consume(
    world, *, key="till-1-0001", bill=10000, heads=1, offer=None, store=None, staff=None, stub=None, code=None
):
    return redemption_consume(
        code=code or code_of(stub or world.stub),
        store=store or world.store,
        staff=staff or world.staff,
        offer_id=offer.pk if isinstance(offer, Offer) else offer or world.offer.pk,
        idempotency_key=key,
        bill_fen=bill,
        head_count=heads,
    )


def test_prepare_lists_the_offer_with_the_masked_holder_only():
    world = counter_world()
    world.stub.holder_label = "张*明"
    world.stub.save()

    prepared = redemption_prepare(code=code_of(world.stub), store=world.store, staff=world.staff)

    assert prepared.holder == "张*明"
    (check,) = prepared.checks
    assert check.offer == world.offer and check.ok and check.uses_left == 1 and check.max_head_count == 1


def test_prepare_lists_the_live_offers_of_the_stubs_programme_here_in_order():
    """The offers come in the stub's own statement, read before the stub's programme is known: only
    that programme's live offers of this merchant for this store are listed, in key order."""
    from tests.factories.events import ProgrammeFactory
    from tourism.enums import OfferWhere

    world = counter_world()
    later = OfferFactory(merchant=world.merchant)
    OfferFactory(merchant=world.merchant, programme=ProgrammeFactory())
    OfferFactory(merchant=world.merchant, status=OfferStatus.WITHDRAWN)
    OfferFactory(merchant=world.merchant, where=OfferWhere.STORES).stores.add(
        StoreFactory(merchant=world.merchant)
    )

    prepared = redemption_prepare(code=code_of(world.stub), store=world.store, staff=world.staff)

    assert [check.offer for check in prepared.checks] == [world.offer, later]


def test_consume_returns_a_receipt_with_discount_and_counts_the_stock():
    world = counter_world(total_stock=5)

    redemption, created = consume(world, bill=12345)

    assert created
    assert (redemption.bill_fen, redemption.discount_fen, redemption.subsidy_fen) == (12345, 2469, 0)
    assert redemption.receipt_number.startswith("R") and len(redemption.receipt_number) == 12
    assert redemption.business_day == dt.date(2027, 5, 1)
    world.offer.refresh_from_db()
    assert world.offer.redeemed_count == 1 and world.offer.stock_left == 4


def test_receipt_numbers_are_twelve_unambiguous_characters_and_differ():
    numbers = {new_receipt_number() for _ in range(2000)}

    assert len(numbers) == 2000
    assert all(len(number) == 12 and number[0] == "R" for number in numbers)
    # Every character of the alphabet turns up, and nothing else (no 0/O/1/I to misread).
    assert {char for number in numbers for char in number[1:]} == set(RECEIPT_ALPHABET)
    assert not set(RECEIPT_ALPHABET) & set("0O1I")


def test_a_second_use_of_a_once_only_offer_is_refused_with_the_reason():
    world = counter_world()
    consume(world, key="k1")

    with pytest.raises(RedemptionError) as refused:
        consume(world, key="k2")

    assert refused.value.code == "already_used"
    assert Redemption.objects.count() == 1


def test_same_idempotency_key_returns_the_first_receipt_and_changes_nothing():
    world = counter_world()
    first, _ = consume(world, key="same")

    again, created = consume(world, key="same")

    assert not created and again.pk == first.pk
    assert Redemption.objects.count() == 1
    world.offer.refresh_from_db()
    assert world.offer.redeemed_count == 1


def test_a_retry_whose_code_went_stale_gets_the_first_receipt_and_a_new_key_is_refused():
    """The key is read only under the lock, or when the code no longer reads: a till retrying after
    its rotating code went stale still gets the receipt; another key with that code is refused."""
    world = counter_world()
    code = code_of(world.stub)
    first, _ = consume(world, key="retry", code=code)
    with time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(minutes=3), tick=False):
        again, created = consume(world, key="retry", code=code)
        with pytest.raises(StubError) as refused:
            consume(world, key="new", code=code)
        with pytest.raises(RedemptionError) as conflict:
            consume(world, key="retry", code=code, bill=20000)

    assert not created and again.pk == first.pk
    assert refused.value.code == "stale" and conflict.value.code == "idempotency_conflict"
    assert Redemption.objects.count() == 1


def test_a_retry_naming_an_unknown_offer_is_a_key_conflict():
    world = counter_world()
    consume(world, key="same")
    with pytest.raises(RedemptionError) as refused:
        consume(world, key="same", offer=world.offer.pk + 999)
    assert refused.value.code == "idempotency_conflict"


def test_a_ticket_sold_before_stubs_gets_its_stub_on_first_consume_and_is_redeemed_once():
    """A ticket without a stub yet (sold before the stub economy) is issued one by the consume that
    first reads its code, inside the consume's transaction; on PostgreSQL that stub is locked right
    after (it was not read by the locking statement). A second use is refused as for any stub."""
    from tests.factories.checkin import issued_ticket

    world = counter_world()
    ticket = issued_ticket(ticket_type=world.stub.ticket.ticket_type)
    code = credential_code(ticket.credential)

    redemption, created = consume(world, key="older-1", code=code)
    with pytest.raises(RedemptionError) as refused:
        consume(world, key="older-2", code=code)

    assert created and redemption.stub.ticket_id == ticket.pk
    assert refused.value.code == "already_used"
    assert Redemption.objects.filter(stub__ticket=ticket).count() == 1


def test_same_key_with_another_bill_is_refused():
    world = counter_world()
    consume(world, key="same", bill=10000)
    with pytest.raises(RedemptionError) as refused:
        consume(world, key="same", bill=20000)
    assert refused.value.code == "idempotency_conflict"


def test_same_key_for_another_stub_is_refused_and_never_shows_the_first_stubs_receipt():
    world = counter_world()
    consume(world, key="same")
    other = ticket_stub(ticket_type=world.ticket_type)
    with pytest.raises(RedemptionError) as refused:
        consume(world, key="same", stub=other)
    assert refused.value.code == "idempotency_conflict"
    assert Redemption.objects.count() == 1


def test_kinds_compute_their_discount():
    world = counter_world()
    fixed = OfferFactory(merchant=world.merchant, kind=OfferKind.FIXED, percent_off=None, amount_off_fen=3000)
    free = OfferFactory(
        merchant=world.merchant, kind=OfferKind.FREE_ENTRY, percent_off=None, value_fen=8000, party_size=4
    )
    gift = OfferFactory(merchant=world.merchant, kind=OfferKind.GIFT, percent_off=None, value_fen=1500)

    fixed_r, _ = consume(world, key="a", offer=fixed, bill=2000)
    free_r, _ = consume(world, key="b", offer=free, bill=0, heads=3)
    gift_r, _ = consume(world, key="c", offer=gift, bill=0)

    assert (fixed_r.bill_fen, fixed_r.discount_fen) == (2000, 2000)
    assert (free_r.bill_fen, free_r.discount_fen, free_r.head_count) == (24000, 24000, 3)
    assert gift_r.discount_fen == 1500


def test_party_size_caps_the_head_count():
    world = counter_world(party_size=4)
    with pytest.raises(RedemptionError) as refused:
        consume(world, heads=5)
    assert refused.value.code == "head_count"
    redemption, _ = consume(world, heads=4, key="ok")
    assert redemption.head_count == 4


def test_subsidy_is_paid_within_the_budget_and_never_beyond():
    world = counter_world(subsidy_percent=50, subsidy_budget_fen=1500, per_stub_limit=None)

    first, _ = consume(world, key="a", bill=10000)  # 2000 off, 1000 subsidy
    with pytest.raises(RedemptionError) as refused:
        consume(world, key="b", bill=10000)  # another 1000 would pass 1500

    assert first.subsidy_fen == 1000
    assert refused.value.code == "budget_spent"
    world.offer.refresh_from_db()
    assert world.offer.subsidy_spent_fen == 1000


def test_validity_relative_to_the_match_day():
    world = counter_world(days_from=1, days_until=2)
    with pytest.raises(RedemptionError) as early:
        consume(world)
    assert early.value.code == "not_valid_yet"
    with time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(days=3), tick=False):
        with pytest.raises(RedemptionError) as late:
            consume(world, key="late")
        assert late.value.code == "expired"
    with time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(days=1), tick=False):
        assert consume(world, key="next-day")[1]


def test_time_of_day_and_weekday():
    world = counter_world(time_from=dt.time(17, 0), time_until=dt.time(21, 0))
    with pytest.raises(RedemptionError) as refused:
        consume(world)
    assert refused.value.code == "wrong_time"
    other = OfferFactory(merchant=world.merchant, weekdays=[0, 1])  # 2027-05-01 is a Saturday
    with pytest.raises(RedemptionError) as weekday:
        consume(world, offer=other, key="wd")
    assert weekday.value.code == "wrong_weekday"


def test_a_store_in_another_city_is_refused_for_a_host_city_offer():
    world = counter_world()
    elsewhere = StoreFactory(merchant=world.merchant, city=CityFactory(slug="elsewhere"))
    staff = staff_of(elsewhere)
    with pytest.raises(RedemptionError) as refused:
        consume(world, store=elsewhere, staff=staff)
    assert refused.value.code == "wrong_city"


def test_origin_offers_need_a_verified_origin():
    world = counter_world(origin=OfferOrigin.OUT_OF_TOWN)
    world.city.slug = "zhenjiang"
    world.city.save()
    with pytest.raises(RedemptionError) as unknown:
        consume(world)
    assert unknown.value.code == "origin_unknown"

    local = ticket_stub(ticket_type=world.ticket_type, area_code="321102")
    with pytest.raises(RedemptionError) as refused:
        consume(world, stub=local, key="local")
    assert refused.value.code == "origin_local"

    visitor = ticket_stub(ticket_type=world.ticket_type, area_code="320602")
    redemption, _ = consume(world, stub=visitor, key="visitor")
    assert redemption.origin_area_code == "320602"


def test_scan_in_activation_waits_for_the_gate():
    world = counter_world(activation=OfferActivation.ON_SCAN_IN)
    with pytest.raises(RedemptionError) as refused:
        consume(world)
    assert refused.value.code == "not_scanned_in"

    with time_machine.travel(dt.datetime(2027, 5, 1, 9, 30, tzinfo=MATCH_DAY_AFTERNOON.tzinfo), tick=False):
        assert scan(world.stub.ticket.credential).admitted
    redemption, _ = consume(world, key="after-scan")
    world.stub.refresh_from_db()
    assert redemption.pk and world.stub.activated_at is not None


def test_exclusions_between_offers():
    world = counter_world()
    other = OfferFactory(merchant=world.merchant)
    other.exclusions.add(world.offer)
    consume(world, key="first")
    with pytest.raises(RedemptionError) as refused:
        consume(world, offer=other, key="second")
    assert refused.value.code == "excluded"


def test_pending_subsidised_offers_and_suspended_stores_redeem_nothing():
    world = counter_world()
    Offer.objects.filter(pk=world.offer.pk).update(status=OfferStatus.PENDING)
    with pytest.raises(RedemptionError) as pending:
        consume(world)
    assert pending.value.code == "offer_not_live"
    Offer.objects.filter(pk=world.offer.pk).update(status=OfferStatus.LIVE)
    world.store.suspended_at = MATCH_DAY_AFTERNOON
    world.store.suspended_reason = "fraud review"
    world.store.save()
    with pytest.raises(RedemptionError) as suspended:
        consume(world, key="s")
    assert suspended.value.code == "store_suspended"


def test_staff_of_another_merchant_cannot_prepare_or_consume():
    world = counter_world()
    outsider = staff_of(StoreFactory())
    with pytest.raises(RedemptionError) as refused:
        redemption_prepare(code=code_of(world.stub), store=world.store, staff=outsider)
    assert refused.value.code == "not_staff"
    with pytest.raises(RedemptionError):
        consume(world, staff=outsider)
    assert not Redemption.objects.exists()


@pytest.mark.parametrize(
    ("closed", "reason"),
    [
        ({"merchant__status": "applied"}, "merchant_not_approved"),
        ({"merchant__status": "suspended"}, "merchant_not_approved"),
        ({"merchant__status": "refused", "merchant__refusal_reason": "no licence"}, "merchant_not_approved"),
        (
            {"suspended_at": dt.datetime(2027, 4, 1, tzinfo=dt.UTC), "suspended_reason": "fraud flag"},
            "store_suspended",
        ),
    ],
)
def test_a_counter_that_cannot_redeem_reads_no_code(closed, reason):
    """An applicant's owner (anyone can apply), a suspended merchant or store: prepare would show the
    holder's masked name and match day, and issue the stub, to a counter that redeems nothing."""
    from tourism.models import Stub

    world = counter_world()
    store = StoreFactory(merchant__programme=world.programme, **closed)
    owner = staff_of(store, role=MerchantRole.OWNER)
    stubs = Stub.objects.count()
    with pytest.raises(RedemptionError) as refused:
        redemption_prepare(code=credential_code(world.stub.ticket.credential), store=store, staff=owner)
    assert refused.value.code == reason
    assert Stub.objects.count() == stubs


def test_the_ticket_code_works_as_offline_fallback_and_a_stale_rotating_code_does_not():
    world = counter_world()
    stale = code_of(world.stub)
    with time_machine.travel(MATCH_DAY_AFTERNOON + dt.timedelta(minutes=3), tick=False):
        with pytest.raises(StubError) as refused:
            redemption_prepare(code=stale, store=world.store, staff=world.staff)
        assert refused.value.code == "stale"
        prepared = redemption_prepare(
            code=credential_code(world.stub.ticket.credential), store=world.store, staff=world.staff
        )
    assert prepared.stub == world.stub


def test_a_forged_code_is_refused():
    world = counter_world()
    code = code_of(world.stub)
    forged = code[:-3] + ("AAA" if code[-3:] != "AAA" else "BBB")
    with pytest.raises(StubError) as refused:
        redemption_prepare(code=forged, store=world.store, staff=world.staff)
    assert refused.value.code in {"forged", "not_a_stub"}


def test_reverse_within_the_window_at_the_same_store_gives_stock_back():
    world = counter_world(total_stock=1, subsidy_percent=50)
    redemption, _ = consume(world)
    world.offer.refresh_from_db()
    assert world.offer.stock_left == 0

    reversal = redemption_reverse(
        receipt_number=redemption.receipt_number, store=world.store, staff=world.staff, reason="wrong bill"
    )
    again = redemption_reverse(
        receipt_number=redemption.receipt_number, store=world.store, staff=world.staff, reason="twice"
    )

    assert again.pk == reversal.pk and reversal.reason == "wrong bill"
    world.offer.refresh_from_db()
    assert (world.offer.redeemed_count, world.offer.subsidy_spent_fen) == (0, 0)
    assert consume(world, key="again")[1]  # the stub may take the offer again


def test_reverse_after_the_window_or_at_another_store_changes_nothing():
    world = counter_world(reversal_window_minutes=10)
    redemption, _ = consume(world)
    sister = StoreFactory(merchant=world.merchant)
    sister_staff = staff_of(sister)

    with pytest.raises(RedemptionError) as other_store:
        redemption_reverse(
            receipt_number=redemption.receipt_number, store=sister, staff=sister_staff, reason="mistake"
        )
    later = MATCH_DAY_AFTERNOON + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False), pytest.raises(RedemptionError) as late:
        redemption_reverse(
            receipt_number=redemption.receipt_number, store=world.store, staff=world.staff, reason="late"
        )

    assert other_store.value.code == "wrong_store" and late.value.code == "window_closed"
    assert not Reversal.objects.exists()
    world.offer.refresh_from_db()
    assert world.offer.redeemed_count == 1


def test_prepare_and_consume_round_trips_are_pinned(django_assert_num_queries):
    """The counter's hot path in statements (the savepoint pair is the test's own transaction)."""
    from django.db import connection

    from tourism.models import Store

    world = counter_world()
    store = Store.objects.select_related("merchant").get(pk=world.store.pk)
    code = code_of(world.stub)
    # membership, stub, the stub's uses, the offers: no offer here has a daily or per-person cap,
    # an event, session, city or store list, and the stub holds no use an exclusion could name, so
    # nothing else is read (was 10 before the reads followed the offers). On PostgreSQL the stub's
    # uses come in the stub's statement (an ARRAY subquery): three. The offers now come in the stub's
    # statement too (events/db.py CompiledPair): two on PostgreSQL, three elsewhere.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        redemption_prepare(code=code, store=store, staff=world.staff)
    # Staff, stub; the stub's lock, the key, the offer's lock; the stub's uses; the insert and the
    # update: ten statements with the savepoint pair of the test's own transaction on SQLite (was 11:
    # the key is no longer read before the code, only under the lock). On PostgreSQL the stub is
    # locked by the statement that reads it, the offer's lock reads the key and the stub's uses too,
    # and the insert and the update are one statement: six (was eight). Now the staff member, one read
    # without locks (the stub with its uses, the offer with the key), then the savepoint pair around
    # one statement (the stub's claim under its lock, the offer's update, the insert): five.
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 10):
        redemption_consume(
            code=code,
            store=store,
            staff=world.staff,
            offer_id=world.offer.pk,
            idempotency_key="q",
            bill_fen=100,
            head_count=1,
        )


def test_prepare_judges_daily_and_per_person_caps_lists_and_exclusions_it_reads_only_when_asked():
    """Prepare reads a count or a list only for the offers that have the cap or name the list: each
    of them must still be judged as consume judges it."""
    from tourism.enums import OfferScope, OfferWhere

    world = counter_world(per_stub_limit=None, per_person_store_limit=1)
    ticket = world.stub.ticket
    ticket.holder_document_hash = "f" * 64
    ticket.save(update_fields=["holder_document_hash"])
    daily = OfferFactory(merchant=world.merchant, daily_limit=1)
    this_event = OfferFactory(merchant=world.merchant, scope=OfferScope.EVENTS)
    this_event.events.add(world.event)
    other_event = OfferFactory(merchant=world.merchant, scope=OfferScope.EVENTS)
    here = OfferFactory(merchant=world.merchant, where=OfferWhere.STORES)
    here.stores.add(world.store)
    other_city = OfferFactory(merchant=world.merchant, where=OfferWhere.CITIES)
    other_city.cities.add(CityFactory(slug="elsewhere"))
    excluded = OfferFactory(merchant=world.merchant)
    excluded.exclusions.add(world.offer)
    consume(world, key="first")
    consume(world, offer=daily, key="daily", stub=ticket_stub(ticket_type=world.ticket_type))

    reasons = {
        check.offer.pk: check.reason
        for check in redemption_prepare(code=code_of(world.stub), store=world.store, staff=world.staff).checks
    }

    assert reasons[world.offer.pk] == "person_limit"
    assert reasons[daily.pk] == "daily_limit"
    assert reasons[this_event.pk] == "" and reasons[other_event.pk] == "not_this_event"
    assert reasons[here.pk] == "" and reasons[other_city.pk] == "wrong_city"
    assert reasons[excluded.pk] == "excluded"
