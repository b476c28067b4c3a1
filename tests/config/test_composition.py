"""The project composes the apps' pages: catalogue pages link to ticketing and registration."""

from __future__ import annotations

import pytest

from tests.factories import EventFactory, ProgrammeMembershipFactory, login_two_factor, verified, with_totp

pytestmark = pytest.mark.django_db


def test_published_event_page_links_to_its_tickets(client):
    event = EventFactory()
    body = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/events/{event.slug}/tickets/"' in body


def test_cancelled_event_page_offers_no_tickets(client):
    event = EventFactory(status="cancelled")
    body = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/tickets/" not in body.split("<main", 1)[1]


def test_organiser_home_links_each_event_to_sales_and_gates(client):
    event = EventFactory()
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=event.programme).user))
    login_two_factor(client, organiser)
    body = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/organiser/ticketing/events/{event.slug}/sales/"' in body
    assert f'href="/organiser/ticketing/events/{event.slug}/gates/"' in body
    assert f'href="/organiser/ticketing/programmes/{event.programme.slug}/orders/"' in body
    assert "报名审核" in body


def _paid(ticket_type, quantity):
    from tests.factories.ticketing import buyer
    from ticketing.services.carts import cart_add
    from ticketing.services.orders import order_place
    from ticketing.services.payments import payment_confirm_demo, payment_start

    user = buyer()
    cart_add(user=user, ticket_type=ticket_type, quantity=quantity)
    order = order_place(user=user, provider="demo")
    payment_start(order=order, provider="demo")
    return payment_confirm_demo(order=order)


def test_organiser_home_shows_todays_sales_waiting_entries_and_scans_per_gate(client, settings):
    import datetime as dt

    from django.utils import timezone

    from registration.enums import EntryStatus
    from tests.factories import VenueResourceFactory
    from tests.factories.checkin import scan
    from tests.factories.registration import EntryFactory, TeamFactory
    from tests.factories.ticketing import TicketTypeFactory, future_session

    settings.PAYMENT_DEMO_ENABLED = True
    session = future_session(starts_at=timezone.now() + dt.timedelta(hours=1))
    VenueResourceFactory(venue=session.venue, code="north", name_zh="北门", name_en="North Gate")
    adult = TicketTypeFactory(session=session, price_fen=8000, quota__capacity=50, gate_codes=["north"])
    order = _paid(adult, 3)
    tickets = list(order.tickets.select_related("credential"))
    scan(tickets[0].credential, gate="north")
    scan(tickets[0].credential, gate="north")  # already used: refused
    scan(tickets[1].credential, gate="north")
    team = TeamFactory(event=session.event, delegation__programme=session.event.programme)
    EntryFactory.create_batch(2, team=team, status=EntryStatus.SUBMITTED)
    EntryFactory(team=team, status=EntryStatus.APPROVED)
    # Another programme's figures stay out.
    _paid(TicketTypeFactory(price_fen=99900), 1)
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=session.event.programme).user))
    login_two_factor(client, organiser)

    body = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    sales = body.split('id="today-sales"', 1)[1].split("</div>", 1)[0]
    assert '<p class="figure">3</p>' in sales and "Revenue ¥240.00" in sales
    review = body.split('id="today-review"', 1)[1].split("</div>", 1)[0]
    assert '<p class="figure">2</p>' in review
    assert f'href="/organiser/registration/{session.event.programme.pk}/review/"' in review
    gates = body.split('id="today-gates"', 1)[1].split("</div>", 1)[0]
    assert "<td>North Gate<br>" in gates and "<td>2</td><td>1</td>" in gates


@pytest.mark.parametrize("orders", [1, 4])
def test_organiser_home_figures_take_the_same_queries_for_any_number_of_rows(
    client, settings, django_assert_num_queries, orders
):
    from tests.factories.ticketing import TicketTypeFactory, future_session

    settings.PAYMENT_DEMO_ENABLED = True
    session = future_session()
    adult = TicketTypeFactory(session=session, quota__capacity=50)
    for _ in range(orders):
        _paid(adult, 1)
    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=session.event.programme).user))
    login_two_factor(client, organiser)
    client.get("/organiser/")
    with django_assert_num_queries(10):  # the exchange alerts panel reads one
        body = client.get("/organiser/").content.decode()
    assert f'<p class="figure">{orders}</p>' in body


def test_delegation_page_links_the_exchange_programme_and_the_organiser_home_its_overview(client):
    from tests.factories.registration import MembershipFactory

    membership = MembershipFactory()
    delegation = membership.delegation
    client.force_login(verified(membership.user))
    body = client.get(f"/delegations/{delegation.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/exchange/delegations/{delegation.pk}/itinerary/"' in body
    assert f'href="/exchange/delegations/{delegation.pk}/experiences/"' in body
    assert "交流项目" in body

    organiser = with_totp(verified(ProgrammeMembershipFactory(programme=delegation.programme).user))
    client.logout()
    login_two_factor(client, organiser)
    body = client.get("/organiser/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/exchange/programmes/{delegation.programme.pk}/"' in body
