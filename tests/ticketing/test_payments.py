"""Money stays right: no downgrade of a success, no double charge kept, no refund over the paid total,
bank transfer only for group tickets and fees, nothing sold or paid for cancelled or draft sessions."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus, SessionStatus
from tests.concurrency import race
from tests.factories.ticketing import BallotFactory, TicketTypeFactory, buyer, future_session
from ticketing.enums import (
    BallotApplicationState,
    CredentialState,
    OrderState,
    PaymentState,
    TicketKind,
    TicketState,
)
from ticketing.errors import OrderStateError, PaymentError, SaleClosedError
from ticketing.models import BallotApplication, Order, Payment
from ticketing.services.ballots import ballot_apply, ballot_draw, ballot_offer_places
from ticketing.services.carts import cart_add
from ticketing.services.orders import (
    FeeLine,
    order_create_for_fees,
    order_expire,
    order_mark_paid,
    order_place,
    order_reserve,
    orders_expire_due,
)
from ticketing.services.payments import (
    payment_apply_stripe_intent,
    payment_confirm_demo,
    payment_record_manual,
    payment_start,
)
from ticketing.services.refunds import order_record_external_refund, order_refund
from ticketing.services.sessions import session_cancel

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.PAYMENT_DEMO_ENABLED = True


def _pending(*, kind=TicketKind.ADULT, provider="demo", quantity=1, price=8000, session=None) -> Order:
    ticket_type = TicketTypeFactory(session=session or future_session(), price_fen=price, kind=kind)
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    return order_place(user=user, provider=provider)


def _stripe_payment(order: Order) -> Payment:
    """A Stripe attempt as payment_start leaves it (the intent id is what webhooks carry)."""
    return Payment.objects.create(
        order=order, provider="stripe", intent_id=f"pi_{uuid.uuid4().hex[:16]}", amount_fen=order.total_fen
    )


def _intent(payment: Payment, status: str, **extra) -> dict:
    return {
        "id": payment.intent_id,
        "status": status,
        "amount": payment.amount_fen,
        "currency": "cny",
        **extra,
    }


# --- H1: a succeeded payment never goes back ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("stale", ["requires_payment_method", "canceled", "processing"])
def test_stale_intent_after_success_keeps_the_payment_and_order_paid(stale):
    order = _pending()
    payment = _stripe_payment(order)
    payment_apply_stripe_intent(intent=_intent(payment, "succeeded"))
    payment_apply_stripe_intent(intent=_intent(payment, stale, last_payment_error={"message": "declined"}))
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    assert payment.state == PaymentState.SUCCEEDED and payment.last_error == ""


# --- H2: bank transfer only for group tickets and entry fees -------------------------------------


@pytest.mark.django_db
def test_manual_refused_for_adult_tickets_at_checkout_and_when_switching():
    with pytest.raises(PaymentError, match="only for group tickets and entry fees"):
        _pending(provider="manual")
    assert not Order.objects.exists()
    order = _pending(provider="demo")
    with pytest.raises(PaymentError, match="only for group tickets and entry fees"):
        payment_start(order=order, provider="manual")
    order.refresh_from_db()
    assert order.provider == "demo" and order.expires_at - timezone.now() < dt.timedelta(hours=1)


@pytest.mark.django_db
def test_manual_allowed_for_group_tickets_and_fee_orders():
    group = _pending(kind=TicketKind.GROUP, provider="manual")
    assert group.provider == "manual" and group.expires_at - timezone.now() > dt.timedelta(days=6)
    fees = order_create_for_fees(
        user=buyer(),
        programme=group.programme,
        lines=[FeeLine("报名费", "Entry fee", 5000, "e:1")],
        provider="demo",
    )
    _payment, step = payment_start(order=fees, provider="manual")
    assert step.kind == "instructions"


@pytest.mark.django_db
def test_checkout_page_offers_bank_transfer_only_for_group_tickets(client):
    adult = TicketTypeFactory(session=future_session(), price_fen=8000)
    user = buyer()
    client.force_login(user)
    cart_add(user=user, ticket_type=adult, quantity=1)
    page = client.get(reverse("ticketing:checkout")).content.decode()
    assert 'value="demo"' in page and 'value="manual"' not in page
    response = client.post(reverse("ticketing:checkout"), {"provider": "manual"})
    assert response.status_code == 200 and not Order.objects.exists()

    group_buyer = buyer()
    client.force_login(group_buyer)
    cart_add(
        user=group_buyer,
        ticket_type=TicketTypeFactory(session=adult.session, kind=TicketKind.GROUP),
        quantity=1,
    )
    assert 'value="manual"' in client.get(reverse("ticketing:checkout")).content.decode()


# --- H3: a second payment of one order is refunded, never kept ----------------------------------


@pytest.mark.django_db
def test_stripe_success_on_order_paid_by_bank_transfer_is_refunded(monkeypatch):
    refunds = []
    from ticketing.payments.stripe import StripeProvider

    # The Stripe refund call is replaced here (the intent is not a real one); the localstripe tests cover the call.
    monkeypatch.setattr(
        StripeProvider, "refund", lambda self, payment, amount: refunds.append(amount) or "re_1"
    )
    order = _pending(kind=TicketKind.GROUP, provider="manual")
    payment = _stripe_payment(order)
    payment_record_manual(order=order)
    payment_apply_stripe_intent(intent=_intent(payment, "succeeded"))
    payment_apply_stripe_intent(intent=_intent(payment, "succeeded"))  # delivered twice: refunded once
    payment.refresh_from_db()
    order.refresh_from_db()
    assert refunds == [order.total_fen]
    assert payment.refunded_fen == payment.amount_fen and "already paid" in payment.last_error
    assert order.state == OrderState.PAID and order.refunded_fen == 0
    # A later ticket refund goes through the payment that paid the order, not the refunded duplicate.
    order_refund(order=order)
    order.refresh_from_db()
    assert order.state == OrderState.REFUNDED and order.payments.get(provider="manual").refunded_fen == 8000


@pytest.mark.django_db
def test_bank_transfer_refused_while_stripe_payment_processing():
    order = _pending(kind=TicketKind.GROUP, provider="manual")
    payment = _stripe_payment(order)
    payment_apply_stripe_intent(intent=_intent(payment, "processing"))
    with pytest.raises(PaymentError, match="still processing"):
        payment_record_manual(order=order)
    order.refresh_from_db()
    assert order.state == OrderState.PENDING


@pytest.mark.django_db
def test_switching_away_from_stripe_cancels_the_intent_left_behind(stripe_on):
    from ticketing.payments.stripe import intent_retrieve

    order = _pending(provider="stripe")
    stripe_payment, _step = payment_start(order=order, provider="stripe")
    payment_start(order=order, provider="demo")
    stripe_payment.refresh_from_db()
    assert intent_retrieve(stripe_payment.intent_id)["status"] == "canceled"
    assert stripe_payment.state == PaymentState.CANCELLED
    payment_start(order=order, provider="demo")  # switching again: the cancelled intent is left alone
    assert payment_confirm_demo(order=order).state == OrderState.PAID


# --- L4: wrong amount: refused and refunded -----------------------------------------------------


@pytest.mark.django_db
def test_wrong_amount_is_refunded_and_the_order_stays_unpaid(stripe_on):
    from ticketing.payments.stripe import intent_retrieve, stripe_api

    order = _pending()
    intent = stripe_api().PaymentIntent.create(
        amount=100, currency="cny", payment_method="pm_card_visa", confirm=True
    )
    Payment.objects.create(order=order, provider="stripe", intent_id=intent["id"], amount_fen=order.total_fen)
    payment_apply_stripe_intent(intent=intent_retrieve(intent["id"]))
    payment = Payment.objects.get(intent_id=intent["id"])
    order.refresh_from_db()
    assert order.state == OrderState.PENDING
    assert payment.state == PaymentState.FAILED and "refunded" in payment.last_error
    assert intent_retrieve(intent["id"])["latest_charge"]["amount_refunded"] == 100


# --- M4: refunds never exceed what is left --------------------------------------------------------


@pytest.mark.django_db
def test_ticket_refund_larger_than_what_is_left_is_refused():
    order = _pending(provider="demo", quantity=2)
    order = payment_confirm_demo(order=order)
    order_record_external_refund(order=order, refunded_fen=10000)  # partial refund in a dashboard
    ticket = order.tickets.order_by("pk").first()
    with pytest.raises(OrderStateError, match=r"only ¥60\.00 of the payment is left"):
        order_refund(order=order, tickets=[ticket])
    order.refresh_from_db()
    ticket.refresh_from_db()
    assert order.refunded_fen == 10000 and ticket.state == TicketState.VALID


# --- M1 / M3 / L5: nothing sold, offered or paid for a cancelled session or a draft event --------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("session_kwargs", "message"),
    [
        ({"event__status": EventStatus.DRAFT}, "not on sale"),
        ({"event__status": EventStatus.CANCELLED}, "not on sale"),
        ({"status": SessionStatus.CANCELLED}, "cancelled"),
    ],
)
def test_draft_or_cancelled_sessions_are_not_sold(session_kwargs, message):
    ticket_type = TicketTypeFactory(session=future_session(**session_kwargs))
    with pytest.raises(SaleClosedError, match=message):
        cart_add(user=buyer(), ticket_type=ticket_type, quantity=1)
    with pytest.raises(SaleClosedError, match=message):
        order_reserve(user=buyer(), ticket_type=ticket_type, quantity=1, expires_at=timezone.now())
    ballot = BallotFactory(ticket_type=ticket_type)
    with pytest.raises(SaleClosedError, match=message):
        ballot_apply(ballot=ballot, user=buyer(), quantity=1)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_order_place_rechecks_the_session_after_the_lock(monkeypatch):
    from ticketing.services import orders

    ticket_type = TicketTypeFactory(session=future_session(), price_fen=8000)
    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=1)
    real = orders._issue_credentials

    def cancel_meanwhile(*args, **kwargs):
        # After the cart lines are locked and checked, before the tickets are written.
        type(ticket_type.session).objects.filter(pk=ticket_type.session_id).update(
            status=SessionStatus.CANCELLED
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(orders, "_issue_credentials", cancel_meanwhile)
    with pytest.raises(SaleClosedError, match="cancelled"):
        order_place(user=user, provider="demo")
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_order_place_of_two_sessions_is_refused_whole_when_one_event_is_withdrawn_after_the_lock(monkeypatch):
    from events.models import Event
    from ticketing.models import CartLine, Quota
    from ticketing.services import orders

    first = TicketTypeFactory(session=future_session(), price_fen=8000)
    second = TicketTypeFactory(
        session=future_session(event__programme=first.session.event.programme), price_fen=5000
    )
    user = buyer()
    cart_add(user=user, ticket_type=first, quantity=1)
    cart_add(user=user, ticket_type=second, quantity=2)
    real = orders._issue_credentials

    def withdraw_meanwhile(*args, **kwargs):
        # After the cart lines are locked and checked, before the holds become tickets.
        Event.objects.filter(pk=second.session.event_id).update(status=EventStatus.DRAFT)
        return real(*args, **kwargs)

    monkeypatch.setattr(orders, "_issue_credentials", withdraw_meanwhile)
    with pytest.raises(SaleClosedError, match="not on sale"):
        order_place(user=user, provider="demo")
    assert not Order.objects.exists()
    assert sorted(CartLine.objects.filter(cart__user=user).values_list("quantity", flat=True)) == [1, 2]
    assert sorted(Quota.objects.filter(ticket_types__in=[first, second]).values_list("taken", flat=True)) == [
        1,
        2,
    ]


@pytest.mark.django_db
def test_cancelled_session_lapses_the_waiting_list_and_offers_nothing():
    ticket_type = TicketTypeFactory(session=future_session(), price_fen=5000, quota__capacity=2)
    ballot = BallotFactory(ticket_type=ticket_type, max_per_application=2)
    for _ in range(3):
        ballot_apply(ballot=ballot, user=buyer(), quantity=2)
    with time_machine.travel(ballot.applications_close_at + dt.timedelta(minutes=1)):
        ballot_draw(ballot=ballot, seed="s")
        session_cancel(session=ticket_type.session)
        assert ballot_offer_places(ballot=ballot) == 0
    states = set(BallotApplication.objects.values_list("state", flat=True))
    assert BallotApplicationState.WAITING not in states and BallotApplicationState.OFFERED not in states
    assert not Order.objects.filter(state=OrderState.PENDING).exists()


@pytest.mark.django_db
def test_order_of_cancelled_session_is_never_paid_with_valid_tickets(monkeypatch):
    refunds = []
    from ticketing.payments.stripe import StripeProvider

    # The Stripe refund call is replaced (no real intent); the localstripe tests cover the call.
    monkeypatch.setattr(
        StripeProvider, "refund", lambda self, payment, amount: refunds.append(amount) or "re_1"
    )
    order = _pending()
    payment = _stripe_payment(order)
    type(order.tickets.first().session).objects.update(status=SessionStatus.CANCELLED)  # not yet swept
    with pytest.raises(SaleClosedError):
        order_mark_paid(order=order)
    with pytest.raises(SaleClosedError):
        payment_confirm_demo(order=order)
    payment_apply_stripe_intent(intent=_intent(payment, "succeeded"))
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.state == OrderState.CANCELLED and refunds == [8000]
    assert payment.refunded_fen == 8000
    assert set(order.tickets.values_list("credential__state", flat=True)) == {CredentialState.REVOKED}


# --- L6: a processing payment keeps the order alive (up to 24 h) --------------------------------


@pytest.mark.django_db
def test_processing_payment_extends_the_order_then_expires_after_a_day():
    order = _pending()
    payment = _stripe_payment(order)
    payment_apply_stripe_intent(intent=_intent(payment, "processing"))
    with time_machine.travel(order.expires_at + dt.timedelta(minutes=1)):
        assert orders_expire_due() == 0
    order.refresh_from_db()
    assert order.state == OrderState.PENDING
    assert order.expires_at == order.created_at + dt.timedelta(hours=24)
    with time_machine.travel(order.created_at + dt.timedelta(hours=24, minutes=1)):
        assert orders_expire_due() == 1
    order.refresh_from_db()
    assert order.state == OrderState.EXPIRED


@pytest.mark.django_db
def test_expiry_job_skips_an_order_the_database_refuses_and_expires_the_rest(monkeypatch, caplog):
    from django.db import OperationalError

    from ticketing.services import orders as order_services

    first, second = _pending(provider="demo"), _pending(provider="demo")
    real = order_services.order_expire

    def flaky(*, order):
        if order.pk == first.pk:
            raise OperationalError("deadlock detected")
        return real(order=order)

    monkeypatch.setattr(order_services, "order_expire", flaky)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert orders_expire_due() == 1
    assert Order.objects.get(pk=second.pk).state == OrderState.EXPIRED
    assert Order.objects.get(pk=first.pk).state == OrderState.PENDING
    assert f"order id {first.pk} not expired" in caplog.text and first.user.email not in caplog.text


# --- L7: opening the pay page starts nothing -----------------------------------------------------


@pytest.mark.django_db
def test_pay_page_get_starts_no_payment_and_post_starts_it(client, stripe_on):
    order = _pending(provider="stripe")
    client.force_login(order.user)
    url = reverse("ticketing:order-pay", kwargs={"code": order.code})
    page = client.get(url).content.decode()
    assert not order.payments.exists() and "payment-element" not in page
    page = client.post(url, {"provider": "stripe"}).content.decode()
    payment = order.payments.get()
    assert payment.intent_id and "payment-element" in page
    again = client.get(url).content.decode()  # reload: the same intent is shown, nothing new
    assert order.payments.count() == 1 and "payment-element" in again


@pytest.mark.django_db
def test_pay_page_get_shows_demo_button_and_demo_pays_without_a_started_payment(client):
    order = _pending(provider="demo")
    client.force_login(order.user)
    page = client.get(reverse("ticketing:order-pay", kwargs={"code": order.code})).content.decode()
    assert reverse("ticketing:order-pay-demo", kwargs={"code": order.code}) in page
    assert not order.payments.exists()
    client.post(reverse("ticketing:order-pay-demo", kwargs={"code": order.code}))
    order.refresh_from_db()
    assert order.state == OrderState.PAID and order.payments.get().state == PaymentState.SUCCEEDED


# --- M7: the webhook and the expiry job lock in the same order: no deadlock ---------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_webhook_and_expiry_racing_on_one_order_never_deadlock(monkeypatch):
    from ticketing.payments.stripe import StripeProvider

    # Refunds of payments arriving after expiry are recorded, not sent (the intents are not real ones).
    monkeypatch.setattr(StripeProvider, "refund", lambda self, payment, amount: "re_test")
    errors: list[BaseException] = []
    for _ in range(20):
        order = _pending()
        payment = _stripe_payment(order)
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        intent = _intent(payment, "succeeded")

        _results, raised = race(
            [
                lambda intent=intent: payment_apply_stripe_intent(intent=intent),
                lambda pk=order.pk: order_expire(order=Order(pk=pk)),
            ]
        )
        errors.extend(error for error in raised if not isinstance(error, OrderStateError))
        order.refresh_from_db()
        payment.refresh_from_db()
        assert payment.state == PaymentState.SUCCEEDED
        if order.state == OrderState.PAID:
            assert payment.refunded_fen == 0
        else:
            assert order.state == OrderState.EXPIRED and payment.refunded_fen == payment.amount_fen
    assert errors == []
