"""Rows the city report, settlement, fraud flags and merchant home read: merchants with stores and
offers, stubs on real tickets and redemptions, built directly with the ORM (the counter's services are
tested with the redemption API; these tests need only the rows it leaves behind)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.checkin import issued_ticket
from tests.factories.events import CityFactory, EventFactory, ProgrammeFactory, SessionFactory
from tests.factories.ticketing import TicketTypeFactory
from tests.factories.tourism import MerchantFactory, OfferFactory, StoreFactory
from ticketing.enums import CredentialKind
from ticketing.models import Credential
from tourism.enums import MerchantCategory, MerchantRole, OfferKind
from tourism.models import MerchantMembership, Redemption, Reversal, Stub

_serial = itertools.count(1)  # idempotency keys
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def merchant_with_store(
    *,
    programme=None,
    city=None,
    category=MerchantCategory.RESTAURANT,
    latitude="32.2200",
    longitude="119.4300",
    hours=None,
    owner=None,
    staff=None,
):
    """An approved merchant with one store (and its owner and counter staff when given)."""
    merchant = MerchantFactory(
        programme=programme or ProgrammeFactory(),
        city=city or CityFactory(slug="zhenjiang", name_zh="镇江", name_en="Zhenjiang"),
        category=category,
    )
    store = store_of(merchant, latitude=latitude, longitude=longitude, hours=hours)
    for user, role in ((owner, MerchantRole.OWNER), (staff, MerchantRole.STAFF)):
        if user is not None:
            MerchantMembership.objects.create(user=user, merchant=merchant, role=role)
    return merchant, store


def store_of(merchant, *, latitude="32.2200", longitude="119.4300", hours=None):
    return StoreFactory(
        merchant=merchant, latitude=Decimal(latitude), longitude=Decimal(longitude), opening_hours=hours or {}
    )


def offer_of(merchant, *, subsidy_percent=0, amount_off_fen=2000):
    """A live fixed-amount offer (subsidised when `subsidy_percent` is given)."""
    return OfferFactory(
        merchant=merchant,
        kind=OfferKind.FIXED,
        percent_off=None,
        amount_off_fen=amount_off_fen,
        subsidy_percent=subsidy_percent,
    )


def match_session(programme, *, city=None, day=dt.date(2026, 11, 28)):
    city = city or CityFactory(slug="zhenjiang", name_zh="镇江", name_en="Zhenjiang")
    event = EventFactory(programme=programme, host_city=city, start_date=day, end_date=day)
    return SessionFactory(event=event, starts_at=dt.datetime.combine(day, dt.time(15), tzinfo=SHANGHAI))


def stub(session, *, area_code="", activated=True):
    """A paid ticket for `session` and its stub (with the holder's area code, "" for unknown)."""
    ticket = issued_ticket(ticket_type=TicketTypeFactory(session=session))
    now = timezone.now()
    credential = Credential.objects.create(
        kind=CredentialKind.STUB,
        event=session.event,
        session=session,
        valid_from=now - dt.timedelta(days=30),
        valid_until=now + dt.timedelta(days=30),
    )
    return Stub.objects.create(
        credential=credential,
        ticket=ticket,
        programme=session.event.programme,
        event=session.event,
        session=session,
        host_city=session.event.host_city,
        match_day=timezone.localdate(session.starts_at),
        origin_area_code=area_code,
        issued_at=now,
        activated_at=now if activated else None,
    )


def redeem(
    stub_row, offer, store, *, staff=None, at=None, bill_fen=10_000, discount_fen=2_000, subsidy_fen=None
):
    """A redemption as the counter leaves it (subsidy: the offer's share of the discount by default)."""
    at = at or timezone.now()
    if subsidy_fen is None:
        subsidy_fen = discount_fen * offer.subsidy_percent // 100
    return Redemption.objects.create(
        stub=stub_row,
        offer=offer,
        merchant=offer.merchant,
        store=store,
        staff=staff or UserFactory(),
        idempotency_key=f"key-{next(_serial)}",
        bill_fen=bill_fen,
        discount_fen=discount_fen,
        subsidy_fen=subsidy_fen,
        origin_area_code=stub_row.origin_area_code,
        redeemed_at=at,
        business_day=timezone.localdate(at),
        reversible_until=at + dt.timedelta(minutes=30),
    )


def reverse(redemption, *, at=None, by=None):
    return Reversal.objects.create(
        redemption=redemption,
        reason="wrong offer",
        reversed_by=by or redemption.staff,
        reversed_at=at or redemption.redeemed_at + dt.timedelta(minutes=5),
    )
