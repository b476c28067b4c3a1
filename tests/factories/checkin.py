"""Factories for signed credentials and gate check-in (tickets, badges and stubs all stand on Credential)."""

from __future__ import annotations

import datetime as dt

import factory

from ticketing.enums import CredentialKind, CredentialState
from ticketing.models import Credential, GateDevice, GateStaffAssignment


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


def device_with_token(event, *, gates=(), name="Gate scanner") -> tuple[GateDevice, str]:
    from ticketing.services.checkin import gate_device_create

    return gate_device_create(name=name, event=event, gates=gates)
