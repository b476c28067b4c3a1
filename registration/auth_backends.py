"""The authentication backends of settings.AUTHENTICATION_BACKENDS: Django's and allauth's, with the
signed-in user of every request read by a statement compiled once (selectors/accounts.py) instead of
the ORM's `get(pk=...)`. The same user, refused the same way when inactive; login is theirs."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from registration.selectors.accounts import user_get


class _CompiledUserRead:
    def get_user(self, user_id):
        user = user_get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledUserRead, DjangoModelBackend):
    pass


class AuthenticationBackend(_CompiledUserRead, AllauthBackend):
    pass
