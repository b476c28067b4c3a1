"""Factories for accounts (the user model lives in registration)."""

from __future__ import annotations

import factory
from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from events.rules import TWO_FACTOR_FLAG


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")
    is_active = True


def verified(user):
    """Mark the user's email verified, as allauth requires before login."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def with_totp(user, secret: str = "JBSWY3DPEHPK3PXP"):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user


def totp_code(secret: str = "JBSWY3DPEHPK3PXP") -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def login_two_factor(client, user):
    """Log the test client in as allauth does after a password and a TOTP code: the session records
    both methods, so the organiser middleware marks the user as having passed two-factor."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return user


def two_factor(user):
    """Mark a user object as the middleware does for a session that passed two-factor (for tests of
    rules and services that take the request's user)."""
    setattr(user, TWO_FACTOR_FLAG, True)
    return user
