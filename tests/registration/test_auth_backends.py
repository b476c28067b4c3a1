"""The signed-in user read by a compiled statement (registration/auth_backends.py): the same user as
the ORM's read, the same refusals, and sessions signed in through the backends listed before stay
signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.urls import reverse

from registration.auth_backends import AuthenticationBackend, ModelBackend
from tests.factories.accounts import UserFactory, verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()], ids=["django", "allauth"])
def test_get_user_reads_what_the_orm_reads_and_refuses_the_same(backend):
    user = UserFactory(display_name="林小红")
    found = backend.get_user(user.pk)
    assert found == DjangoModelBackend().get_user(user.pk)
    assert (found.email, found.display_name, found.is_active) == (user.email, "林小红", True)
    assert found.get_session_auth_hash() == user.get_session_auth_hash()
    assert backend.get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None


def test_password_login_and_the_next_request_use_the_new_backend(client):
    user = verified(UserFactory(email="li.lei@example.com"))
    response = client.post(
        reverse("account_login"), {"login": "li.lei@example.com", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY].startswith("registration.auth_backends.")
    request = client.get(reverse("ticketing:cart")).wsgi_request
    assert request.user == user


@pytest.mark.parametrize(
    "path",
    ["django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend"],
)
def test_a_session_signed_in_before_the_change_stays_signed_in(client, rf, path):
    user = UserFactory()
    client.force_login(user, backend=path)
    request = rf.get("/")
    request.session = client.session
    assert request.session[BACKEND_SESSION_KEY] == path
    assert get_user(request) == user
