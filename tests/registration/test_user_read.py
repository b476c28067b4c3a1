"""The signed-in user read compiled once (registration/models/accounts.py `CorridorUserManager.get`):
the same row as the ORM's read, the same DoesNotExist, and what authentication reads per request."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.urls import reverse

from registration.models import User
from tests.factories.accounts import UserFactory, verified

pytestmark = pytest.mark.django_db


def test_get_by_pk_reads_what_the_orm_reads():
    user = UserFactory(display_name="林小红")
    found = User.objects.get(pk=user.pk)
    orm = QuerySet(User).get(pk=user.pk)
    assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
        getattr(orm, f.attname) for f in User._meta.concrete_fields
    ]
    assert found._state.db == "default" and not found._state.adding
    assert found.get_session_auth_hash() == user.get_session_auth_hash()
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=user.pk + 1000)
    # Anything but one integer pk is the ORM's own get.
    assert User.objects.get(email=user.email) == user
    assert User.objects.get(pk=str(user.pk)) == user


def test_an_inactive_user_is_refused_and_a_signed_in_one_read_per_request(client):
    user = verified(UserFactory())
    assert ModelBackend().get_user(user.pk) == user
    client.force_login(user)
    assert client.get(reverse("ticketing:cart")).wsgi_request.user == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert not client.get(reverse("ticketing:cart")).wsgi_request.user.is_authenticated
