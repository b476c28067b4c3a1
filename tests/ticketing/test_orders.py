"""Carts, holds, order placement, limits and the order state machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.events import ProgrammeFactory, SessionFactory
from tests.factories.ticketing import QuotaFactory, SectionFactory, TicketTypeFactory, buyer, future_session
from ticketing import hooks
from ticketing.enums import CredentialState, OrderState, TicketKind, TicketState
from ticketing.errors import OrderLimitError, OrderStateError, SaleClosedError, SalesError, SoldOutError
from ticketing.models import CartLine, Order, Ticket, TicketType
from ticketing.selectors import availability
from ticketing.services.carts import cart_add, cart_remove, holds_release_expired
from ticketing.services.orders import (
    FeeLine,
    Holder,
    order_cancel,
    order_create_for_fees,
    order_expire,
    order_mark_paid,
    order_place,
    orders_expire_due,
)
from ticketing.services.refunds import order_refund
from ticketing.services.sessions import session_cancel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def adult(session):
    return TicketTypeFactory(session=session, price_fen=8000, quota__capacity=10)


def test_cart_add_holds_places_for_others(adult):
    first, second = buyer(), buyer()
    cart_add(user=first, ticket_type=adult, quantity=6)
    assert availability.remaining_for_types([adult]) == {adult.pk: 4}
    with pytest.raises(SoldOutError, match="Sold out"):
        cart_add(user=second, ticket_type=adult, quantity=5)
    assert not CartLine.objects.filter(cart__user=second).exists()


def test_hold_lapses_on_its_own(adult):
    first = buyer()
    cart_add(user=first, ticket_type=adult, quantity=6)
    later = timezone.now() + dt.timedelta(minutes=16)
    with time_machine.travel(later):
        # Lazily on read: the lapsed hold no longer counts...
        assert availability.remaining_for_types([adult]) == {adult.pk: 10}
        # ...and the periodic job removes it.
        assert holds_release_expired() == 1
    assert not CartLine.objects.exists()


def test_order_place_turns_cart_into_pending_order_with_unpaid_credentials(adult):
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=2)
    order = order_place(user=user, provider="demo")
    assert order.state == OrderState.PENDING
    assert order.total_fen == 16000
    tickets = list(order.tickets.select_related("credential"))
    assert [t.state for t in tickets] == [TicketState.RESERVED] * 2
    assert {t.credential.state for t in tickets} == {CredentialState.UNPAID}
    assert tickets[0].credential.valid_from == adult.session.starts_at - dt.timedelta(hours=3)
    assert not CartLine.objects.exists()
    assert availability.remaining_for_types([adult]) == {adult.pk: 8}


def test_order_mark_paid_activates_tickets_and_emails_buyer(adult):
    user = buyer(preferred_language="en")
    cart_add(user=user, ticket_type=adult, quantity=2)
    order = order_place(user=user, provider="demo")
    with_commit = order_mark_paid(order=order)
    assert with_commit.state == OrderState.PAID and with_commit.paid_at is not None
    assert set(Ticket.objects.values_list("state", flat=True)) == {TicketState.VALID}
    assert set(Ticket.objects.values_list("credential__state", flat=True)) == {CredentialState.ACTIVE}
    # Paying twice changes nothing.
    assert order_mark_paid(order=order).paid_at == with_commit.paid_at


def test_paid_order_email_goes_out_after_commit_in_buyers_language(adult, django_capture_on_commit_callbacks):
    user = buyer(preferred_language="en")
    cart_add(user=user, ticket_type=adult, quantity=1)
    order = order_place(user=user, provider="demo")
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order)
    assert len(mail.outbox) == 1
    assert order.code in mail.outbox[0].subject and "Your tickets" in mail.outbox[0].subject
    assert f"/orders/{order.code}/" in mail.outbox[0].body
    assert "¥80.00" in mail.outbox[0].body


def test_free_order_skips_payment(session):
    free = TicketTypeFactory(session=session, kind=TicketKind.FREE, price_fen=0)
    user = buyer()
    cart_add(user=user, ticket_type=free, quantity=3)
    order = order_place(user=user, provider="stripe")  # ignored: nothing to pay
    assert order.state == OrderState.PAID and order.provider == "free"
    assert order.tickets.filter(state=TicketState.VALID).count() == 3


def test_cart_spans_events_and_cities_of_one_programme():
    programme = ProgrammeFactory()
    first = future_session(event__programme=programme)
    second = future_session(event__programme=programme)
    assert first.event.host_city != second.event.host_city
    user = buyer()
    cart_add(user=user, ticket_type=TicketTypeFactory(session=first), quantity=1)
    cart_add(user=user, ticket_type=TicketTypeFactory(session=second), quantity=2)
    other = TicketTypeFactory(session=future_session())
    with pytest.raises(SalesError, match="one programme"):
        cart_add(user=user, ticket_type=other, quantity=1)
    order = order_place(user=user, provider="demo")
    assert order.lines.count() == 2 and order.tickets.count() == 3


def test_shared_quota_counts_every_type(session):
    quota = QuotaFactory(session=session, capacity=3)
    adult = TicketTypeFactory(session=session, quota=quota)
    child = TicketTypeFactory(session=session, kind=TicketKind.CHILD, price_fen=4000, quota=quota)
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=2)
    with pytest.raises(SoldOutError):
        cart_add(user=user, ticket_type=child, quantity=2)
    cart_add(user=user, ticket_type=child, quantity=1)
    assert availability.remaining_for_types([adult, child]) == {adult.pk: 0, child.pk: 0}


def test_section_capacity_is_a_second_limit(session):
    section = SectionFactory(session=session, capacity=2)
    stand = TicketTypeFactory(session=session, section=section, quota__capacity=100)
    with pytest.raises(SoldOutError):
        cart_add(user=buyer(), ticket_type=stand, quantity=3)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [(1, "at least 2 per order"), (5, "at most 4 per order")],
)
def test_per_order_limits_refused_with_reason(session, quantity, message):
    family = TicketTypeFactory(session=session, min_per_order=2, max_per_order=4)
    user = buyer()
    if quantity > family.max_per_order:
        with pytest.raises(OrderLimitError, match=message):
            cart_add(user=user, ticket_type=family, quantity=quantity)
    else:
        cart_add(user=user, ticket_type=family, quantity=quantity)
        with pytest.raises(OrderLimitError, match=message):
            order_place(user=user, provider="demo")
    assert not Order.objects.exists()


def test_sale_window_refused(session):
    later = TicketTypeFactory(session=session, sale_starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(SaleClosedError, match="not on sale"):
        cart_add(user=buyer(), ticket_type=later, quantity=1)
    assert not CartLine.objects.exists()


def test_sale_closed_in_chinese_too(session):
    later = TicketTypeFactory(
        session=session,
        sale_ends_at=timezone.now() - dt.timedelta(minutes=1),
        sale_starts_at=timezone.now() - dt.timedelta(days=1),
    )
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(SaleClosedError) as caught:
        cart_add(user=buyer(), ticket_type=later, quantity=1)
    assert str(caught.value) == f"“{later.name_zh}”暂未在售。"


def test_real_name_tickets_need_holders_and_respect_account_limit(session):
    named = TicketTypeFactory(session=session, real_name=True, max_named_per_account=3)
    user = buyer()
    cart_add(user=user, ticket_type=named, quantity=2)
    line = CartLine.objects.get()
    with pytest.raises(OrderLimitError, match="real-name"):
        order_place(user=user, provider="demo")
    holders = {line.pk: [Holder("张小明", "310101201001010011"), Holder("李雷", "310101201001010022")]}
    order = order_place(user=user, provider="demo", holders=holders)
    assert sorted(order.tickets.values_list("credential__holder_label", flat=True)) == ["张*明", "李*"]
    assert "310101" not in str(list(order.tickets.values_list("holder_document_hash", flat=True)))
    cart_add(user=user, ticket_type=named, quantity=2)
    line = CartLine.objects.get()
    with pytest.raises(OrderLimitError, match="at most 3 spectators"):
        order_place(
            user=user,
            provider="demo",
            holders={line.pk: [Holder("王五", "310101201001010033"), Holder("赵六", "310101201001010044")]},
        )
    with pytest.raises(OrderLimitError, match="already has a ticket"):
        order_place(
            user=user,
            provider="demo",
            holders={line.pk: [Holder("张小明", "310101201001010011"), Holder("王五", "x1")]},
        )
    assert Order.objects.count() == 1


def test_real_name_tickets_keep_only_the_holders_area_code(session):
    """The stub economy counts visitors by origin: the area code of a resident ID, never the number."""
    from tests.factories.registration import resident_id
    from ticketing.documents import DocumentType

    named = TicketTypeFactory(session=session, real_name=True, max_named_per_account=4)
    user = buyer()
    cart_add(user=user, ticket_type=named, quantity=2)
    line = CartLine.objects.get()
    number = resident_id(dt.date(1990, 5, 1), area="320602")
    holders = {
        line.pk: [
            Holder("张小明", number, DocumentType.RESIDENT_ID),
            Holder("John Smith", "E12345678", DocumentType.PASSPORT),
        ]
    }
    order = order_place(user=user, provider="demo", holders=holders)
    tickets = order.tickets.order_by("pk")
    assert [t.holder_area_code for t in tickets] == ["320602", ""]
    assert not Ticket.objects.filter(holder_name__contains=number).exists()


def test_a_holder_typed_in_full_width_digits_is_the_same_person(session):
    named = TicketTypeFactory(session=session, real_name=True, max_named_per_account=4)
    user = buyer()
    cart_add(user=user, ticket_type=named, quantity=1)
    line = CartLine.objects.get()
    order = order_place(
        user=user, provider="demo", holders={line.pk: [Holder("张小明", "31010120100101001X")]}
    )
    cart_add(user=user, ticket_type=named, quantity=1)
    line = CartLine.objects.get()

    with pytest.raises(OrderLimitError, match="already has a ticket"):
        order_place(
            user=user,
            provider="demo",
            holders={line.pk: [Holder("张小明", "３１０１０１ ２０１００１０１ ００１ｘ")]},
        )
    assert list(order.tickets.values_list("holder_document_last4", flat=True)) == ["001X"]
    assert Order.objects.count() == 1


def test_order_cancel_returns_places_and_revokes_credentials(adult):
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=4)
    order = order_cancel(order=order_place(user=user, provider="demo"))
    assert order.state == OrderState.CANCELLED and order.closed_at is not None
    assert set(order.tickets.values_list("credential__state", flat=True)) == {CredentialState.REVOKED}
    assert availability.remaining_for_types([adult]) == {adult.pk: 10}


def test_unpaid_order_expires_after_hold_time(adult):
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=4)
    order = order_place(user=user, provider="demo")
    with pytest.raises(OrderStateError):
        order_expire(order=order)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert orders_expire_due() == 1
    order.refresh_from_db()
    assert order.state == OrderState.EXPIRED
    with pytest.raises(OrderStateError, match="can no longer be paid"):
        order_mark_paid(order=order)


def test_partial_then_full_refund_of_demo_order(adult):
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=3)
    order = order_place(user=user, provider="demo")
    from ticketing.services.payments import payment_confirm_demo, payment_start

    payment_start(order=order, provider="demo")
    payment_confirm_demo(order=order)
    first = order.tickets.order_by("pk").first()
    order = order_refund(order=order, tickets=[first], reason="changed plans")
    assert order.state == OrderState.PARTIALLY_REFUNDED and order.refunded_fen == 8000
    first.refresh_from_db()
    assert first.state == TicketState.REFUNDED and first.credential.state == CredentialState.REFUNDED
    order = order_refund(order=order)
    assert order.state == OrderState.REFUNDED and order.refunded_fen == 24000
    with pytest.raises(OrderStateError):
        order_refund(order=order)


def test_refund_of_unpaid_order_refused(adult):
    user = buyer()
    cart_add(user=user, ticket_type=adult, quantity=1)
    order = order_place(user=user, provider="demo")
    with pytest.raises(OrderStateError, match="Only a paid order"):
        order_refund(order=order)
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and order.refunded_fen == 0


def test_session_cancel_refunds_paid_cancels_unpaid_and_notifies(adult, django_capture_on_commit_callbacks):
    paid_user, unpaid_user = buyer(), buyer()
    cart_add(user=paid_user, ticket_type=adult, quantity=2)
    paid = order_mark_paid(order=order_place(user=paid_user, provider="demo"))
    from ticketing.models import Payment

    Payment.objects.create(order=paid, provider="demo", amount_fen=paid.total_fen, state="succeeded")
    cart_add(user=unpaid_user, ticket_type=adult, quantity=1)
    unpaid = order_place(user=unpaid_user, provider="demo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = session_cancel(session=adult.session, reason="Typhoon")
    assert result.refunded == [paid.code] and result.cancelled == [unpaid.code] and not result.failed
    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert paid.state == OrderState.REFUNDED and unpaid.state == OrderState.CANCELLED
    assert set(paid.tickets.values_list("credential__state", flat=True)) == {CredentialState.REVOKED}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([paid_user.email, unpaid_user.email])
    with pytest.raises(SaleClosedError, match="cancelled"):
        cart_add(user=buyer(), ticket_type=adult, quantity=1)


def test_fee_order_runs_registration_hooks_inside_the_transaction():
    seen = []

    def on_paid(order):
        seen.append(("paid", [line.reference for line in order.lines.all()]))

    def on_refunded(order):
        seen.append(("refunded", order.refunded_fen))

    hooks.register_order_paid(on_paid)
    hooks.register_order_refunded(on_refunded)
    try:
        user = buyer()
        order = order_create_for_fees(
            user=user,
            programme=ProgrammeFactory(),
            lines=[
                FeeLine("报名费", "Entry fee", 20000, "entry:7"),
                FeeLine("保险", "Insurance", 1500, "ins:7"),
            ],
            provider="manual",
        )
        assert order.state == OrderState.PENDING and order.total_fen == 21500 and not order.tickets.exists()
        from ticketing.services.payments import payment_record_manual

        payment_record_manual(order=order)
        order_refund(order=order)
    finally:
        hooks.unregister(on_paid)
        hooks.unregister(on_refunded)
    assert seen == [("paid", ["entry:7", "ins:7"]), ("refunded", 21500)]


def test_failing_hook_rolls_the_payment_back():
    def broken(order):
        raise RuntimeError("registration refused")

    hooks.register_order_paid(broken)
    try:
        order = order_create_for_fees(
            user=buyer(),
            programme=ProgrammeFactory(),
            lines=[FeeLine("费", "Fee", 100, "x")],
            provider="manual",
        )
        with pytest.raises(RuntimeError):
            order_mark_paid(order=order)
    finally:
        hooks.unregister(broken)
    order.refresh_from_db()
    assert order.state == OrderState.PENDING


def test_bad_fee_inputs_refused():
    with pytest.raises(SalesError, match="Nothing to pay"):
        order_create_for_fees(user=buyer(), programme=ProgrammeFactory(), lines=[], provider="manual")
    with pytest.raises(SalesError, match="negative"):
        order_create_for_fees(
            user=buyer(), programme=ProgrammeFactory(), lines=[FeeLine("a", "a", -1, "r")], provider="manual"
        )
    assert not Order.objects.exists()


def test_empty_cart_and_removed_line(adult):
    user = buyer()
    with pytest.raises(SalesError, match="empty"):
        order_place(user=user, provider="demo")
    line = cart_add(user=user, ticket_type=adult, quantity=1)
    cart_remove(user=user, line_id=line.pk)
    with pytest.raises(SalesError, match="no longer in your cart"):
        cart_remove(user=user, line_id=line.pk)


def test_type_without_quota_is_not_on_sale(session):
    orphan = TicketTypeFactory(session=session, quota=False)
    with pytest.raises(SoldOutError, match="not on sale"):
        cart_add(user=buyer(), ticket_type=orphan, quantity=1)


@pytest.mark.parametrize(
    "fields",
    [
        {"price_fen": -1},
        {"kind": TicketKind.FREE, "price_fen": 100},
        {"min_per_order": 3, "max_per_order": 2},
        {"min_per_order": 0},
    ],
)
def test_ticket_type_constraints(session, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketType.objects.create(session=session, name_zh="票", name_en="T", **{"price_fen": 0, **fields})


def test_order_constraints_hold_the_state_machine(adult):
    user = UserFactory()
    order = Order.objects.create(
        user=user, programme=adult.session.event.programme, provider="demo", total_fen=100
    )
    for bad in (
        {"state": OrderState.PAID},  # paid without paid_at
        {"paid_at": timezone.now()},  # pending with paid_at
        {"refunded_fen": 200},
        {"state": OrderState.CANCELLED},  # no closed_at
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(**bad)


def test_quota_capacity_cannot_be_negative(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaFactory(session=session, capacity=-1)


def test_cancelled_session_not_sold(session):
    adult = TicketTypeFactory(session=session)
    SessionFactory._meta.model.objects.filter(pk=session.pk).update(status="cancelled")
    with pytest.raises(SaleClosedError):
        cart_add(user=buyer(), ticket_type=adult, quantity=1)
