"""Ballot sales: applications in a window, a published seeded draw anyone can recompute, pass-down."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories.ticketing import BallotFactory, TicketTypeFactory, buyer, future_session
from ticketing.enums import BallotApplicationState, OrderState
from ticketing.errors import BallotError, SaleClosedError
from ticketing.services.ballots import ballot_apply, ballot_draw, draw_key, draw_order
from ticketing.services.carts import cart_add
from ticketing.services.expiry import sales_expire_due
from ticketing.services.orders import order_mark_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ballot():
    ticket_type = TicketTypeFactory(session=future_session(), price_fen=5000, quota__capacity=4)
    return BallotFactory(ticket_type=ticket_type, max_per_application=2)


def _apply_all(ballot, count, quantity=2):
    return [ballot_apply(ballot=ballot, user=buyer(), quantity=quantity) for _ in range(count)]


def _close(ballot):
    return time_machine.travel(ballot.applications_close_at + dt.timedelta(minutes=1))


def test_draw_is_a_deterministic_shuffle_of_the_published_seed():
    ids = list(range(1, 40))
    assert draw_order("seed-a", ids) == draw_order("seed-a", list(reversed(ids)))
    assert draw_order("seed-a", ids) != draw_order("seed-b", ids)
    assert draw_order("s", [1, 2]) == sorted([1, 2], key=lambda pk: draw_key("s", pk))


def test_draw_ranks_by_seed_and_offers_places_in_order(ballot, django_capture_on_commit_callbacks):
    applications = _apply_all(ballot, 5)
    with _close(ballot), django_capture_on_commit_callbacks(execute=True):
        ballot = ballot_draw(ballot=ballot, seed="published-seed")
    expected = draw_order("published-seed", [a.pk for a in applications])
    ranked = list(ballot.applications.order_by("rank").values_list("pk", "state"))
    assert [pk for pk, _state in ranked] == expected
    # 4 places, 2 per application: the first two are offered an order to pay, the rest wait.
    assert [state for _pk, state in ranked] == ["offered", "offered", "waiting", "waiting", "waiting"]
    winners = ballot.applications.filter(state="offered")
    assert all(a.order.state == OrderState.PENDING for a in winners)
    assert len(mail.outbox) == 2


def test_unpaid_places_pass_to_the_next_on_the_list(ballot):
    _apply_all(ballot, 4)
    with _close(ballot):
        ballot = ballot_draw(ballot=ballot, seed="x")
    first, second, third, fourth = ballot.applications.order_by("rank")
    order_mark_paid(order=first.order)
    with time_machine.travel(ballot.applications_close_at + dt.timedelta(hours=49)):
        assert sales_expire_due()["offers"] == 1
    second.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert second.state == BallotApplicationState.LAPSED
    assert second.order.state == OrderState.EXPIRED
    assert third.state == BallotApplicationState.OFFERED and third.order.state == OrderState.PENDING
    assert fourth.state == BallotApplicationState.WAITING


def test_ballot_page_publishes_seed_and_ranks_without_names(client, ballot):
    applications = _apply_all(ballot, 3)
    with _close(ballot):
        ballot_draw(ballot=ballot, seed="feedface")
    page = client.get(reverse("ticketing:ballot-detail", kwargs={"pk": ballot.pk})).content.decode()
    assert "feedface" in page
    assert str(applications[0].pk) in page
    assert applications[0].user.email not in page


def test_a_draft_events_ballot_is_not_public(client, ballot):
    from events.enums import EventStatus

    url = reverse("ticketing:ballot-detail", kwargs={"pk": ballot.pk})
    assert client.get(url).status_code == 200
    event = ballot.ticket_type.session.event
    event.status = EventStatus.DRAFT
    event.save(update_fields=["status"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("when", "quantity", "message"),
    [("before", 1, "closed"), ("during", 3, "between 1 and 2"), ("after", 1, "closed")],
)
def test_bad_applications_refused(ballot, when, quantity, message):
    moments = {
        "before": ballot.applications_open_at - dt.timedelta(minutes=1),
        "during": timezone.now(),
        "after": ballot.applications_close_at,
    }
    with time_machine.travel(moments[when]), pytest.raises(BallotError, match=message):
        ballot_apply(ballot=ballot, user=buyer(), quantity=quantity)
    assert not ballot.applications.exists()


def test_one_application_per_account_and_one_draw(ballot):
    user = buyer()
    ballot_apply(ballot=ballot, user=user, quantity=1)
    with pytest.raises(BallotError, match="already applied"):
        ballot_apply(ballot=ballot, user=user, quantity=1)
    with pytest.raises(BallotError, match="after applications close"):
        ballot_draw(ballot=ballot)
    with _close(ballot):
        ballot_draw(ballot=ballot)
        with pytest.raises(BallotError, match="already been drawn"):
            ballot_draw(ballot=ballot)


def test_ballot_type_cannot_be_bought_first_come(ballot):
    with pytest.raises(SaleClosedError, match="ballot"):
        cart_add(user=buyer(), ticket_type=ballot.ticket_type, quantity=1)
