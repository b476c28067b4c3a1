"""The organiser's set-up of what a session sells: ticket types, quotas, sections and ballots
(ticketing/services/catalogue.py, ticketing/forms.py, ticketing/views/setup.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories.accounts import login_two_factor, with_totp
from tests.factories.checkin import issued_ticket
from tests.factories.events import ProgrammeMembershipFactory
from tests.factories.ticketing import BallotFactory, QuotaFactory, SectionFactory, TicketTypeFactory, buyer
from ticketing.errors import CatalogueError
from ticketing.forms import TicketTypeForm
from ticketing.models import Ballot, BallotApplication, Quota, Section, TicketType
from ticketing.services import catalogue as services
from ticketing.services.carts import cart_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def organiser(client, session):
    user = with_totp(buyer())
    ProgrammeMembershipFactory(user=user, programme=session.event.programme)
    login_two_factor(client, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


def _sold(ticket_type, count):
    for _ in range(count):
        issued_ticket(ticket_type=ticket_type)


def _type_data(quotas, **overrides):
    values = {"name_zh": "成人票", "name_en": "Adult", "kind": "adult", "price_fen": 8000, "quotas": quotas}
    return services.TicketTypeData(**{**values, **overrides})


# --- services ----------------------------------------------------------------------------------


def test_quota_capacity_cannot_go_below_sold_and_held(session):
    quota = QuotaFactory(session=session, capacity=10)
    ticket_type = TicketTypeFactory(session=session, quota=quota)
    _sold(ticket_type, 3)
    cart_add(user=buyer(), ticket_type=ticket_type, quantity=2)  # a live hold counts too
    with pytest.raises(CatalogueError, match="room for 4 but 5 places are sold or held"):
        services.quota_update(quota=quota, data=services.CapacityData("配额", "Main", 4))
    quota.refresh_from_db()
    assert quota.capacity == 10
    services.quota_update(quota=quota, data=services.CapacityData("配额", "Main", 5))
    quota.refresh_from_db()
    assert (quota.capacity, quota.name_en) == (5, "Main")


def test_section_capacity_cannot_go_below_sold(session):
    section = SectionFactory(session=session, capacity=10)
    ticket_type = TicketTypeFactory(session=session, section=section)
    _sold(ticket_type, 2)
    with pytest.raises(CatalogueError):
        services.section_update(section=section, data=services.CapacityData("看台", "Stand", 1))
    assert Section.objects.get(pk=section.pk).capacity == 10


def test_ticket_type_create_and_move_refused_into_a_full_quota(session):
    big = QuotaFactory(session=session, capacity=100)
    small = QuotaFactory(session=session, capacity=1)
    ticket_type = services.ticket_type_create(session=session, data=_type_data([big]))
    assert list(ticket_type.quotas.all()) == [big]
    _sold(ticket_type, 2)
    with pytest.raises(CatalogueError, match="room for 1 but 2"):
        services.ticket_type_update(ticket_type=ticket_type, data=_type_data([big, small], price_fen=9000))
    ticket_type.refresh_from_db()
    assert ticket_type.price_fen == 8000 and list(ticket_type.quotas.all()) == [big]


def test_ticket_type_rules_are_domain_errors(session):
    quota = QuotaFactory(session=session)
    other_session_quota = QuotaFactory()
    start = timezone.now()
    cases = [
        (_type_data([quota], kind="free"), "free ticket type must cost nothing"),
        (_type_data([]), "at least one quota"),
        (_type_data([other_session_quota]), "same session"),
        (_type_data([quota], sale_starts_at=start, sale_ends_at=start), "end after they start"),
        (_type_data([quota], min_per_order=4, max_per_order=2), "at least the minimum"),
    ]
    for data, message in cases:
        with pytest.raises(CatalogueError, match=message):
            services.ticket_type_create(session=session, data=data)
    assert not TicketType.objects.filter(session=session).exists()


def test_delete_only_what_has_not_sold(session):
    quota = QuotaFactory(session=session)
    sold = TicketTypeFactory(session=session, quota=quota)
    unsold = TicketTypeFactory(session=session, quota=quota)
    _sold(sold, 1)
    with pytest.raises(CatalogueError, match="has been sold"):
        services.ticket_type_delete(ticket_type=sold)
    with pytest.raises(CatalogueError, match="sold or are held"):
        services.quota_delete(quota=quota)
    services.ticket_type_delete(ticket_type=unsold)
    assert list(TicketType.objects.filter(session=session)) == [sold]
    assert Quota.objects.filter(pk=quota.pk).exists()


def test_section_in_use_cannot_be_deleted(session):
    section = SectionFactory(session=session)
    ticket_type = TicketTypeFactory(session=session, section=section)
    with pytest.raises(CatalogueError, match="move them first"):
        services.section_delete(section=section)
    ticket_type.delete()
    services.section_delete(section=section)
    assert not Section.objects.filter(pk=section.pk).exists()


def test_ballot_create_edit_before_draw_and_delete_before_applications(session):
    ticket_type = TicketTypeFactory(session=session)
    now = timezone.now()
    data = services.BallotData(now, now + dt.timedelta(days=2), 24, 2)
    ballot = services.ballot_create(ticket_type=ticket_type, data=data)
    with pytest.raises(CatalogueError, match="already has a ballot"):
        services.ballot_create(ticket_type=ticket_type, data=data)
    BallotApplication.objects.create(ballot=ballot, user=buyer(), quantity=2)
    with pytest.raises(CatalogueError, match="more places than the new limit"):
        services.ballot_update(
            ballot=ballot, data=services.BallotData(now, now + dt.timedelta(days=2), 24, 1)
        )
    with pytest.raises(CatalogueError, match="cannot be removed"):
        services.ballot_delete(ballot=ballot)
    Ballot.objects.filter(pk=ballot.pk).update(drawn_at=now, seed="abc")
    with pytest.raises(CatalogueError, match="has been drawn"):
        services.ballot_update(ballot=ballot, data=data)
    assert Ballot.objects.get(pk=ballot.pk).max_per_application == 2


# --- forms -------------------------------------------------------------------------------------


def test_ticket_type_form_reads_yuan_as_fen(session):
    quota = QuotaFactory(session=session)
    form = TicketTypeForm(
        {
            "name_zh": "学生票", "name_en": "Student", "kind": "student", "price_yuan": "80.50",
            "quotas": [quota.pk], "min_per_order": 1, "max_per_order": 4, "max_named_per_account": 5,
            "position": 0,
        },
        session=session,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    data = form.data_object()
    assert (data.price_fen, data.quotas, data.max_per_order) == (8050, [quota], 4)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Sales must end after they start.", "A free ticket type must cost nothing."]),
     ("zh-hans", ["停售时间必须晚于开售时间。", "免费票的价格必须为零。"])],
)  # fmt: skip
def test_ticket_type_form_bad_input_is_explained_in_both_languages(session, language, expected):
    quota = QuotaFactory(session=session)
    with translation.override(language):
        form = TicketTypeForm(
            {
                "name_zh": "免费", "name_en": "Free", "kind": "free", "price_yuan": "5",
                "quotas": [quota.pk], "min_per_order": 1, "max_per_order": 4, "max_named_per_account": 5,
                "position": 0, "sale_starts_at": "2027-01-02T10:00", "sale_ends_at": "2027-01-01T10:00",
            },
            session=session,
        )  # fmt: skip
        assert not form.is_valid()
        messages = [str(m) for errors in form.errors.values() for m in errors]
    assert all(message in messages for message in expected), messages


# --- pages -------------------------------------------------------------------------------------


def test_organiser_adds_a_quota_and_a_ticket_type_and_sees_what_is_left(client, organiser, session):
    client.post(
        reverse("ticketing:setup-quota-create", args=[session.pk]),
        {"name_zh": "主看台", "name_en": "Main stand", "capacity": "120"},
    )
    quota = Quota.objects.get(session=session, name_en="Main stand")
    response = client.post(
        reverse("ticketing:setup-ticket-type-create", args=[session.pk]),
        {
            "name_zh": "成人票", "name_en": "Adult", "kind": "adult", "price_yuan": "80",
            "quotas": [quota.pk], "min_per_order": 1, "max_per_order": 6, "max_named_per_account": 5,
            "position": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302
    ticket_type = TicketType.objects.get(session=session, name_en="Adult")
    _sold(ticket_type, 3)
    page = client.get(reverse("ticketing:setup", args=[session.event.slug])).content.decode()
    assert "Main stand" in page and "¥80.00" in page and "<td>120</td><td>3</td><td>117</td>" in page


def test_bad_ticket_type_post_changes_nothing_and_answers_400(client, organiser, session):
    quota = QuotaFactory(session=session)
    response = client.post(
        reverse("ticketing:setup-ticket-type-create", args=[session.pk]),
        {"name_zh": "", "name_en": "X", "kind": "adult", "price_yuan": "-3", "quotas": [quota.pk]},
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    assert not TicketType.objects.filter(session=session).exists()


def test_capacity_cut_below_sold_is_refused_on_the_page(client, organiser, session):
    quota = QuotaFactory(session=session, capacity=10)
    _sold(TicketTypeFactory(session=session, quota=quota), 4)
    response = client.post(
        reverse("ticketing:setup-quota-edit", args=[quota.pk]),
        {"name_zh": quota.name_zh, "name_en": quota.name_en, "capacity": "2"},
    )
    assert response.status_code == 400
    assert "room for 2 but 4 places are sold or held" in response.content.decode()
    assert Quota.objects.get(pk=quota.pk).capacity == 10


def test_delete_needs_the_confirmation_box(client, organiser, session):
    ticket_type = TicketTypeFactory(session=session)
    url = reverse("ticketing:setup-ticket-type-delete", args=[ticket_type.pk])
    assert "Yes, delete it" in client.get(url).content.decode()
    client.post(url, {})
    assert TicketType.objects.filter(pk=ticket_type.pk).exists()
    client.post(url, {"confirm": "on"})
    assert not TicketType.objects.filter(pk=ticket_type.pk).exists()


def test_ballot_page_edits_the_window(client, organiser, session):
    ballot = BallotFactory(ticket_type=TicketTypeFactory(session=session))
    response = client.post(
        reverse("ticketing:setup-ballot-edit", args=[ballot.pk]),
        {
            "applications_open_at": "2027-01-01T09:00", "applications_close_at": "2027-01-03T09:00",
            "pay_within_hours": "12", "max_per_application": "3",
        },
    )  # fmt: skip
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert (ballot.pay_within_hours, ballot.max_per_application) == (12, 3)
    assert timezone.localtime(ballot.applications_open_at).hour == 9


@pytest.mark.parametrize("types", [1, 6])
def test_setup_page_query_count_is_flat(client, organiser, session, django_assert_num_queries, types):
    for _ in range(types):
        ticket_type = TicketTypeFactory(session=session, section=SectionFactory(session=session))
        _sold(ticket_type, 1)
    with django_assert_num_queries(14):
        client.get(reverse("ticketing:setup", args=[session.event.slug]))


def test_setup_rows_carry_the_recount_apart_from_the_taken_counters(session):
    """setup_for_event's recount is `recounted`: the `taken` counters of the rows stay the model's."""
    from ticketing.selectors.catalogue import setup_for_event

    quota = QuotaFactory(session=session, capacity=10)
    section = SectionFactory(session=session, capacity=10)
    ticket_type = TicketTypeFactory(session=session, quota=quota, section=section)
    _sold(ticket_type, 3)
    # A counter that disagrees with the recount (as a drifted counter would): each is shown as itself.
    Quota.objects.filter(pk=quota.pk).update(taken=5)
    Section.objects.filter(pk=section.pk).update(taken=4)
    (setup,) = [item for item in setup_for_event(session.event) if item.session == session]
    (row,) = setup.quotas
    assert (row.taken, row.recounted, row.left) == (5, 3, 7)
    (section_row,) = setup.sections
    assert (section_row.taken, section_row.recounted, section_row.left) == (4, 3, 7)
    (type_row,) = setup.ticket_types
    assert (type_row.recounted, type_row.left) == (3, 7)
