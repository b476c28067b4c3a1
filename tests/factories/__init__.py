"""Shared factories, one module per app (plus accounts). Import from here in tests."""

from tests.factories.accounts import (
    UserFactory,
    login_two_factor,
    totp_code,
    two_factor,
    verified,
    with_totp,
)
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
    "login_two_factor",
    "totp_code",
    "two_factor",
    "verified",
    "with_totp",
]
