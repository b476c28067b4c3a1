"""Shared factories, one module per app (plus accounts). Import from here in tests."""

from tests.factories.accounts import UserFactory, totp_code, verified, with_totp
from tests.factories.events import (
    CityFactory,
    EventFactory,
    ProgrammeFactory,
    ProgrammeMembershipFactory,
    SessionFactory,
    VenueFactory,
    VenueResourceFactory,
)

__all__ = [
    "CityFactory",
    "EventFactory",
    "ProgrammeFactory",
    "ProgrammeMembershipFactory",
    "SessionFactory",
    "UserFactory",
    "VenueFactory",
    "VenueResourceFactory",
    "totp_code",
    "verified",
    "with_totp",
]
