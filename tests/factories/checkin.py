"""Factories for signed credentials and gate check-in (tickets, badges and stubs all stand on Credential)."""

from __future__ import annotations

import datetime as dt
import uuid

import factory

from ticketing.enums import CredentialKind, CredentialState
from ticketing.models import Credential, GateDevice, GateStaffAssignment
from ticketing.services.scans import credential_scan
from ticketing.signing import credential_code


class CredentialFactory(factory.django.DjangoModelFactory):
    """A ticket credential for a session, valid from two hours before it starts until it ends."""

    class Meta:
        model = Credential

    kind = CredentialKind.TICKET
    session = factory.SubFactory("tests.factories.events.SessionFactory")
    event = factory.LazyAttribute(lambda o: o.session.event if o.session else None)
    valid_from = factory.LazyAttribute(
        lambda o: (
            (o.session.starts_at if o.session else dt.datetime(2027, 5, 1, tzinfo=dt.UTC))
            - dt.timedelta(hours=2)
        )
    )
    valid_until = factory.LazyAttribute(
        lambda o: o.session.ends_at if o.session else dt.datetime(2027, 5, 4, tzinfo=dt.UTC)
    )
    zones = factory.LazyFunction(list)
    allows_reentry = False
    holder_label = ""
    state = CredentialState.ACTIVE


class BadgeCredentialFactory(CredentialFactory):
    kind = CredentialKind.BADGE
    session = None
    event = factory.SubFactory("tests.factories.events.EventFactory")
    allows_reentry = True
    holder_label = "Li Lei · Coach"


class GateStaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GateStaffAssignment

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    event = factory.SubFactory("tests.factories.events.EventFactory")
    venue = None


def device_with_token(event, *, gates=(), name="Gate scanner", venue=None) -> tuple[GateDevice, str]:
    from ticketing.services.gate_devices import gate_device_create

    return gate_device_create(name=name, event=event, gates=gates, venue=venue)


def issued_ticket(*, user=None, ticket_type=None, holder_name="", real_name=False, **credential_fields):
    """A paid order with one valid ticket and its active credential, built directly with the ORM.

    Gate and ticket-page tests only need the rows a real purchase leaves behind; the purchase itself
    is tested in tests/ticketing/test_orders.py and the purchase journey.
    """
    from django.db.models import F
    from django.utils import timezone

    from tests.factories.accounts import UserFactory
    from tests.factories.ticketing import TicketTypeFactory
    from ticketing.enums import OrderState, TicketState
    from ticketing.models import Order, OrderLine, Quota, Section, Ticket

    user = user or UserFactory()
    ticket_type = ticket_type or TicketTypeFactory(real_name=real_name)
    session = ticket_type.session
    order = Order.objects.create(
        user=user,
        programme=session.event.programme,
        state=OrderState.PAID,
        provider="demo",
        total_fen=ticket_type.price_fen,
        paid_at=timezone.now(),
    )
    line = OrderLine.objects.create(
        order=order,
        ticket_type=ticket_type,
        description_zh=ticket_type.name_zh,
        description_en=ticket_type.name_en,
        unit_price_fen=ticket_type.price_fen,
    )
    credential = CredentialFactory(
        session=session,
        allows_reentry=ticket_type.allows_reentry,
        holder_label=holder_name,
        **credential_fields,
    )
    # The place it takes, as a sale counts it (ticketing/services/places.py).
    Quota.objects.filter(ticket_types=ticket_type).update(taken=F("taken") + 1)
    Section.objects.filter(ticket_types=ticket_type).update(taken=F("taken") + 1)
    return Ticket.objects.create(
        order=order,
        line=line,
        ticket_type=ticket_type,
        session=session,
        price_fen=ticket_type.price_fen,
        state=TicketState.VALID,
        holder_name=holder_name,
        credential=credential,
    )


def scan(credential_or_code, *, direction="entry", gate="gate-a", event=None, **extra):
    """Scan a credential (or a raw code) as a gate device would, with a fresh nonce."""
    code = credential_or_code if isinstance(credential_or_code, str) else credential_code(credential_or_code)
    if event is None and not isinstance(credential_or_code, str):
        event = credential_or_code.event
    return credential_scan(
        code=code, gate_code=gate, direction=direction, event=event, nonce=uuid.uuid4().hex, **extra
    )
