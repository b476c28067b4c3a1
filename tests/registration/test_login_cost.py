"""A failed login hashes the password once per backend that can check it: two (Django's and
allauth's), as before the signed-in user's read was compiled. Each check is PBKDF2 in production, so
more would make every wrong password cost more CPU and answer more slowly."""

from __future__ import annotations

import pytest
from django.contrib.auth import base_user
from django.urls import reverse

from tests.factories.accounts import UserFactory, verified

pytestmark = pytest.mark.django_db


def test_a_failed_login_hashes_the_password_no_more_than_before(client, monkeypatch):
    verified(UserFactory(email="li.lei@example.com"))
    calls = []
    real = base_user.check_password

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(base_user, "check_password", counting)
    response = client.post(reverse("account_login"), {"login": "li.lei@example.com", "password": "wrong one"})
    assert response.status_code == 200  # the form again, with its error
    assert len(calls) <= 2, f"the password was checked {len(calls)} times"
