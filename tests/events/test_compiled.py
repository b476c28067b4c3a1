"""Queries compiled once and run with new values answer exactly what the ORM would."""

from __future__ import annotations

import uuid

import pytest

from events.db import CompiledPair, CompiledQuery
from tests.factories.tourism import counter_world, ticket_stub
from tourism.models import Offer, Stub

pytestmark = pytest.mark.django_db

STUB_BY_TICKET = CompiledQuery(
    lambda public_id: Stub.objects.select_related("credential", "ticket", "event", "host_city").filter(
        ticket__credential__public_id=public_id
    ),
    public_id=uuid.UUID,
)
ONE_STUB_BY_TICKET = CompiledQuery(
    lambda public_id: STUB_BY_TICKET.build(public_id).order_by()[:1], public_id=uuid.UUID
)
OFFER = CompiledQuery(
    lambda offer_id, merchant_id: Offer.objects.filter(pk=offer_id, merchant_id=merchant_id).order_by(),
    offer_id=int,
    merchant_id=int,
)
OFFER_NAMES = CompiledQuery(
    lambda merchant_id, status: (
        Offer.objects.filter(merchant_id=merchant_id, status=status)
        .order_by("pk")
        .values_list("name_en", flat=True)
    ),
    merchant_id=int,
    status=str,
)


def test_model_rows_come_back_with_their_related_objects_for_each_new_value():
    world = counter_world()
    other = ticket_stub(ticket_type=world.stub.ticket.ticket_type)

    for stub in (world.stub, other):
        [found] = STUB_BY_TICKET(public_id=stub.ticket.credential.public_id)
        assert found == stub
        assert found.credential.public_id == stub.credential.public_id
        assert found.event.name == stub.event.name and found.host_city == stub.host_city
    assert STUB_BY_TICKET(public_id=uuid.uuid4()) == []


def test_values_lists_and_string_values():
    world = counter_world()
    assert OFFER_NAMES(merchant_id=world.merchant.pk, status=world.offer.status) == [world.offer.name_en]
    assert OFFER_NAMES(merchant_id=world.merchant.pk, status="withdrawn") == []


def test_a_value_that_is_not_a_plain_parameter_is_refused():
    query = CompiledQuery(lambda limit: Offer.objects.all()[:limit], limit=int)
    with pytest.raises(ValueError, match="not plain parameters"):
        query()


@pytest.mark.postgres
def test_on_postgresql_the_statement_is_prepared_once_and_answers_the_same():
    """PostgreSQL plans a statement sent with its values bound in the client every time (the stub's
    seven-table join cost more to plan than to run); a compiled query is prepared on its connection
    and keeps answering each new value right, including after a ROLLBACK drops it."""
    from django.db import connection, transaction

    world = counter_world()
    other = ticket_stub(ticket_type=world.stub.ticket.ticket_type)

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ['%"tourism_stub"%']
            )
            return cursor.fetchone()[0]

    for stub in (world.stub, other, world.stub):
        [found] = STUB_BY_TICKET(public_id=stub.ticket.credential.public_id)
        assert found == stub
    assert prepared() == 1

    def read_then_refuse():
        with transaction.atomic():
            STUB_BY_TICKET(public_id=other.ticket.credential.public_id)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        read_then_refuse()
    [found] = STUB_BY_TICKET(public_id=other.ticket.credential.public_id)
    assert found == other
    assert prepared() == 1


def test_annotations_are_set_on_each_model_row_as_the_orm_sets_them():
    from django.db.models import Count

    world = counter_world()
    offers_of_merchant = CompiledQuery(
        lambda merchant_id: Offer.objects.filter(merchant_id=merchant_id).annotate(uses=Count("redemptions")),
        merchant_id=int,
    )

    [offer] = offers_of_merchant(merchant_id=world.merchant.pk)

    assert offer == world.offer and offer.uses == 0
    assert offer.uses == Offer.objects.annotate(uses=Count("redemptions")).get(pk=offer.pk).uses


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_outside_a_transaction_is_refused_on_every_call_as_the_orm_refuses_it():
    from django.db import connection, transaction
    from django.db.transaction import TransactionManagementError

    world = counter_world()
    locked_offer = CompiledQuery(lambda pk: Offer.objects.filter(pk=pk).select_for_update(), pk=int)
    with transaction.atomic():
        assert locked_offer(pk=world.offer.pk) == [world.offer]  # compiled here, inside a transaction
    if not connection.features.has_select_for_update:
        return  # SQLite has no row locks: Django does not refuse there either
    with pytest.raises(TransactionManagementError):
        locked_offer(pk=world.offer.pk)  # no lock would be taken: refused, not run


@pytest.mark.postgres
def test_a_pair_reads_both_in_one_statement_as_each_would_alone(django_assert_num_queries):
    world = counter_world()
    pair = CompiledPair(ONE_STUB_BY_TICKET, OFFER)
    public_id = world.stub.ticket.credential.public_id

    with django_assert_num_queries(1):
        stubs, offers = pair(public_id=public_id, offer_id=world.offer.pk, merchant_id=world.merchant.pk)
    [stub], [offer] = stubs, offers
    assert stub == world.stub and stub.event.name == world.stub.event.name
    assert stub.credential.public_id == world.stub.credential.public_id
    assert offer == world.offer and offer.name_en == world.offer.name_en and offer.kind == world.offer.kind
    # No second row: the first alone; no first row: neither.
    assert pair(public_id=public_id, offer_id=world.offer.pk, merchant_id=world.merchant.pk + 1) == (
        [world.stub],
        [],
    )
    assert pair(public_id=uuid.uuid4(), offer_id=world.offer.pk, merchant_id=world.merchant.pk) == ([], [])
