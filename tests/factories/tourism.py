"""Factories for the stub economy: approved merchants with a store in the host city, live offers,
counter staff, and stubs of paid tickets (issued through the service, as a purchase issues them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from tourism.enums import MerchantCategory, MerchantRole, MerchantStatus, OfferKind, OfferStatus
from tourism.models import Merchant, MerchantMembership, MerchantTerms, Offer, Store

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The factories' default session starts at 10:00 on 2027-05-01 (tests/factories/events.py).
MATCH_DAY_AFTERNOON = dt.datetime(2027, 5, 1, 15, 0, tzinfo=SHANGHAI)
VALID_CREDIT_CODE = "91350100M000100Y43"


class MerchantTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MerchantTerms
        django_get_or_create = ["version"]

    version = "2027-1"
    text_zh = "合作商户须按约定核销票根并如实登记账单。"
    text_en = "Partner merchants redeem stubs as agreed and record bills truthfully."
    published_at = factory.LazyFunction(timezone.now)


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    slug = factory.Sequence(lambda n: f"merchant-{n}")
    programme = factory.SubFactory("tests.factories.events.ProgrammeFactory")
    name_zh = factory.Sequence(lambda n: f"商户{n}")
    name_en = factory.Sequence(lambda n: f"Merchant {n}")
    city = factory.SubFactory("tests.factories.events.CityFactory")
    category = MerchantCategory.RESTAURANT
    status = MerchantStatus.APPROVED


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    merchant = factory.SubFactory(MerchantFactory)
    name_zh = factory.Sequence(lambda n: f"门店{n}")
    name_en = factory.Sequence(lambda n: f"Store {n}")
    city = factory.LazyAttribute(lambda o: o.merchant.city)
    address_zh = "上海市普陀区长寿路1号"
    address_en = "1 Changshou Road"
    latitude = Decimal("31.240000")
    longitude = Decimal("121.430000")
    opening_hours = factory.LazyFunction(dict)


class OfferFactory(factory.django.DjangoModelFactory):
    """A live 20%-off offer, once per stub, valid from match day to two days after."""

    class Meta:
        model = Offer

    merchant = factory.SubFactory(MerchantFactory)
    programme = factory.LazyAttribute(lambda o: o.merchant.programme)
    name_zh = factory.Sequence(lambda n: f"观赛优惠{n}")
    name_en = factory.Sequence(lambda n: f"Match offer {n}")
    status = OfferStatus.LIVE
    kind = OfferKind.PERCENTAGE
    percent_off = 20
    days_from = 0
    days_until = 2


def staff_of(store: Store, *, role: str = MerchantRole.STAFF, whole_merchant: bool = False):
    """A verified user working the counter of this store (or every store of its merchant)."""
    from tests.factories.accounts import UserFactory, verified

    user = verified(UserFactory())
    MerchantMembership.objects.create(
        user=user,
        merchant=store.merchant,
        role=role,
        store=None if (whole_merchant or role == MerchantRole.OWNER) else store,
        accepted_at=timezone.now(),
    )
    return user


def ticket_stub(*, ticket_type=None, user=None, area_code: str = "", holder_name: str = "", **ticket_kwargs):
    """A paid ticket and its stub (as the order-paid hook issues it)."""
    from tests.factories.checkin import issued_ticket
    from tourism.services.stubs import stubs_issue_for_tickets

    ticket = issued_ticket(user=user, ticket_type=ticket_type, holder_name=holder_name, **ticket_kwargs)
    if area_code:
        ticket.holder_area_code = area_code
        ticket.save(update_fields=["holder_area_code"])
    (stub,) = stubs_issue_for_tickets(tickets=[ticket])
    return stub


def counter_world(**offer_fields):
    """One programme: a match in a host city, an approved merchant with a store there, a live offer,
    a counter staff member and a spectator's stub. Returns a namespace of them."""
    from types import SimpleNamespace

    from tests.factories.events import SessionFactory
    from tests.factories.ticketing import TicketTypeFactory

    session = SessionFactory()
    event = session.event
    merchant = MerchantFactory(programme=event.programme, city=event.host_city)
    store = StoreFactory(merchant=merchant)
    offer = OfferFactory(merchant=merchant, **offer_fields)
    staff = staff_of(store)
    ticket_type = TicketTypeFactory(session=session)
    stub = ticket_stub(ticket_type=ticket_type)
    return SimpleNamespace(
        session=session,
        event=event,
        merchant=merchant,
        store=store,
        offer=offer,
        staff=staff,
        ticket_type=ticket_type,
        stub=stub,
        programme=event.programme,
        city=event.host_city,
    )


def offer_form_data(**changes) -> dict:
    """What the owner's offer form posts for a plain 20%-off offer valid for two days after the match
    (every required field filled, no list ticked), with these changes."""
    return {
        "name_zh": "观赛优惠",
        "name_en": "Match offer",
        "kind": "percentage",
        "percent_off": 20,
        "min_bill_fen": 0,
        "scope": "programme",
        "origin": "any",
        "for_ticket_holders": "on",
        "activation": "on_purchase",
        "check_level": "show_stub",
        "validity": "relative",
        "days_from": 0,
        "days_until": 2,
        "where": "host_city",
        "per_stub_limit": 1,
        "party_size": 1,
        "reversal_window_minutes": 30,
        "subsidy_percent": 0,
        **changes,
    }
