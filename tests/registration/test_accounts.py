"""Accounts: sign-up by email with verification, login, password reset and allauth's rate limits."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from tests.factories import UserFactory, verified

pytestmark = pytest.mark.django_db


def test_signup_sends_a_verification_email_and_confirming_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Parent@Example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert user.email == "parent@example.com"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    client.get(link.split("testserver")[-1])
    response = client.post(link.split("testserver")[-1])
    assert response.status_code == 302
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=user).verified


def test_unverified_account_cannot_log_in(client):
    UserFactory(email="new@example.com")
    response = client.post(
        "/accounts/login/", {"login": "new@example.com", "password": "correct horse battery staple"}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_verified_account_logs_in_by_email(client):
    verified(UserFactory(email="coach@example.com"))
    response = client.post(
        "/accounts/login/", {"login": "COACH@example.com", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_password_reset_sends_a_link(client):
    verified(UserFactory(email="parent@example.com"))
    client.post("/accounts/password/reset/", {"email": "parent@example.com"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_repeated_failed_logins_are_rate_limited(client):
    verified(UserFactory(email="target@example.com"))
    for _ in range(3):
        client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})
    response = client.post(
        "/accounts/login/",
        {"login": "target@example.com", "password": "correct horse battery staple"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


def test_two_factor_setup_is_open_to_everyone(client):
    spectator = verified(UserFactory())
    client.force_login(spectator)
    response = client.get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Authenticator App" in response.content.decode()
    assert "/accounts/2fa/totp/activate/" in response.content.decode()
