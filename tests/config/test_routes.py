"""The route table (config/routes.py) covers every URL, and no object URL answers any other role.

Every pattern the resolver knows must be listed (by name, or under a listed prefix), and every listed
name must exist. For every pattern that names an object, the objects are built in one programme and
one delegation, and each outsider (anonymous, a spectator, another delegation's manager, another
programme's organiser with two-factor passed, gate staff of another venue) gets a 404, the login
redirect or a refused method, never the object.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from config.routes import ROUTES, route_for
from events.enums import StageKind
from events.models import AgeBandLimit, ContingencyPlan, Match, SolveJob, Stage
from registration.models import BadgeSheetJob, SubstitutionRequest
from tests.factories import (
    ProgrammeMembershipFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    login_two_factor,
    verified,
)
from tests.factories.checkin import GateStaffAssignmentFactory, issued_ticket
from tests.factories.competition import CompetitorFactory
from tests.factories.exchange import BookingFactory, RollCallFactory, SegmentFactory, SlotFactory
from tests.factories.registration import (
    AthleteFactory,
    ConsentFactory,
    EntryFactory,
    GuardianFactory,
    MembershipFactory,
)
from tests.factories.stub_reports import merchant_with_store
from tests.factories.ticketing import BallotFactory, SectionFactory, TicketTypeFactory, buyer
from tests.factories.tourism import OfferFactory, StoreFactory, staff_of, ticket_stub
from ticketing.models import CartLine
from ticketing.services.carts import cart_add
from tourism.models import FraudFlag
from tourism.services.tills import till_issue

pytestmark = pytest.mark.django_db


def url_patterns(patterns=None, prefix="", namespace=None):
    """(namespaced name, route, pattern) for every pattern of the project's URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def test_every_url_pattern_is_in_the_route_table():
    missing = [(name, route) for name, route, _ in url_patterns() if route_for(name, route) is None]
    assert missing == [], "add these to config/routes.py ROUTES, with who may reach them"


def test_every_listed_route_exists():
    names = {name for name, _route, _ in url_patterns()}
    assert sorted(set(ROUTES) - names) == []


@pytest.fixture
def world():
    """One programme with an event, a delegation with its manager, an order and a ticket."""
    entry = EntryFactory()
    team, athlete, event = entry.team, entry.athlete, entry.event
    delegation, programme = team.delegation, event.programme
    manager = MembershipFactory(delegation=delegation).user
    session = SessionFactory(event=event)
    owner = buyer()
    ticket_type = TicketTypeFactory(session=session)
    ticket = issued_ticket(user=owner, ticket_type=ticket_type)
    cart_line = cart_add(user=owner, ticket_type=TicketTypeFactory(session=session), quantity=1)
    substitution = SubstitutionRequest.objects.create(
        entry=entry, replacement=AthleteFactory(delegation=delegation), reason="injury", requested_by=manager
    )
    stage = Stage.objects.create(event=event, kind=StageKind.POOLS, order=1)
    bout = Match.objects.create(
        stage=stage,
        code="P1-01",
        pool=1,
        sequence=1,
        left=CompetitorFactory(event=event),
        right=CompetitorFactory(event=event),
    )
    relay_stage = Stage.objects.create(
        event=event, kind=StageKind.KNOCKOUT, order=2, settings={"rules": "fencing_team", "places": 2}
    )
    team_match = Match.objects.create(
        stage=relay_stage,
        code="M1",
        sequence=1,
        left=CompetitorFactory(event=event, kind="team"),
        right=CompetitorFactory(event=event, kind="team"),
    )
    sheet = BadgeSheetJob.objects.create(delegation=delegation, programme=programme, requested_by=manager)
    slot = SlotFactory(experience__programme=programme)
    segment = SegmentFactory(delegation=delegation)
    merchant, store = merchant_with_store(programme=programme, owner=UserFactory())
    flag = FraudFlag.objects.create(
        merchant=merchant,
        store=store,
        kind="burst",
        key="burst:routes",
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    month = timezone.localdate()
    kwargs = {
        "event": {"slug": event.slug},
        "programme_slug": {"slug": programme.slug},
        "programme": {"pk": programme.pk},
        "session": {"pk": session.pk},
        "ballot": {"pk": BallotFactory(ticket_type=ticket_type).pk},
        "order": {"code": ticket.order.code},
        "ticket": {"public_id": ticket.credential.public_id},
        "cart_item": {"pk": cart_line.pk},
        "delegation": {"pk": delegation.pk},
        "delegation_template": {"pk": delegation.pk, "fmt": "csv"},
        "athlete": {"pk": athlete.pk},
        "athlete_consent": {"pk": athlete.pk, "consent_pk": ConsentFactory(athlete=athlete).pk},
        "athlete_guardian": {"pk": athlete.pk, "guardian_pk": GuardianFactory(athlete=athlete).pk},
        "team": {"pk": team.pk},
        "entry": {"pk": entry.pk},
        "entry_answer": {"pk": entry.pk, "answer": "accept"},
        "badge_sheet": {"pk": sheet.pk},
        "substitution": {"pk": substitution.pk},
        "token": {"token": "not-a-token-anyone-was-given"},
        "match": {"pk": bout.pk},
        "team_match": {"pk": team_match.pk},
        "ticket_type": {"pk": ticket_type.pk},
        "quota": {"pk": ticket_type.quotas.get().pk},
        "section": {"pk": SectionFactory(session=session).pk},
        "solve_job": {"slug": programme.slug, "pk": SolveJob.objects.create(programme=programme).pk},
        "contingency_plan": {
            "slug": programme.slug,
            "pk": ContingencyPlan.objects.create(programme=programme, name_zh="雨天", name_en="Wet").pk,
        },
        "age_band_limit": {
            "slug": programme.slug,
            "pk": AgeBandLimit.objects.create(programme=programme, band="U12", max_matches_per_day=3).pk,
        },
        "delegation_slot": {"pk": delegation.pk, "slot_pk": slot.pk},
        "exchange_booking": {"pk": BookingFactory(slot=slot, delegation=delegation, athlete=athlete).pk},
        "segment": {"pk": segment.pk},
        "rollcall": {"pk": RollCallFactory(segment=segment).pk},
        **_tourism_kwargs(programme, session, owner),
        "merchant_month": {"pk": merchant.pk, "year": month.year, "month": month.month},
        "fraud_flag": {"pk": flag.pk, "action": "dismiss"},
    }
    other_venue_staff = UserFactory()
    GateStaffAssignmentFactory(user=other_venue_staff, event=None, venue=VenueFactory())
    outsiders = {
        "anonymous": None,
        "spectator": verified(UserFactory()),
        "other_manager": MembershipFactory().user,
        "other_organiser": verified(ProgrammeMembershipFactory().user),
        "other_gate_staff": other_venue_staff,
        "other_merchant_staff": staff_of(StoreFactory(), role="owner"),
    }
    return kwargs, outsiders


PUBLIC_OBJECTS = {
    "public_event",
    "public_venue",
    "public_ballot",
    "public_city",
    "public_delegation",
    "public_competitor",
    "public_programme_day",
    "public_programme",
}


def _tourism_kwargs(programme, session, spectator) -> dict:
    """A merchant of the programme with a store, staff and an offer, and the spectator's stub."""
    store = StoreFactory(merchant__programme=programme)
    staff_of(store, role="owner")
    member = store.merchant.memberships.get()
    stub = ticket_stub(ticket_type=TicketTypeFactory(session=session), user=spectator)
    return {
        "merchant": {"pk": store.merchant.pk},
        "merchant_member": {"pk": store.merchant.pk, "membership_pk": member.pk},
        "merchant_till": {
            "pk": store.merchant.pk,
            "till_pk": till_issue(store=store, name="A", by=member.user)[0].pk,
        },
        "store": {"pk": store.pk},
        "offer": {"pk": OfferFactory(merchant=store.merchant).pk},
        "stub": {"public_id": stub.ticket.credential.public_id},
    }


OBJECT_ROUTES = sorted(
    (name, route.obj) for name, route in ROUTES.items() if route.obj and route.obj not in PUBLIC_OBJECTS
)


def test_every_object_kind_in_the_table_is_built(world):
    kwargs, _outsiders = world
    assert {kind for _name, kind in OBJECT_ROUTES} <= set(kwargs)


# Views scoped to the person's own rows that answer with their own page instead of a 404: the
# outsider's request touches nothing (asserted below).
OWN_PAGE = {"ticketing:cart-remove": "ticketing:cart"}


def refused(response, url, name) -> bool:
    if response.status_code in {404, 405}:
        return True
    if name in OWN_PAGE and response.status_code == 302 and response["Location"] == reverse(OWN_PAGE[name]):
        return True
    login = redirect_to_login(url, login_url=reverse("account_login"))["Location"]
    return response.status_code == 302 and response["Location"] == login


def test_no_object_url_answers_an_outsider(client, world):
    kwargs, outsiders = world
    answered = []
    for role, user in outsiders.items():
        client.logout()
        if user is not None:
            login_two_factor(client, user)
        for name, kind in OBJECT_ROUTES:
            url = reverse(name, kwargs=kwargs[kind])
            for method in (client.get, client.post):
                response = method(url)
                if not refused(response, url, name):
                    answered.append((role, name, method.__name__, response.status_code))
    assert answered == []
    assert CartLine.objects.filter(pk=kwargs["cart_item"]["pk"]).exists()
