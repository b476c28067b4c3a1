"""Two-factor belongs to the organiser role: this session must have passed it, wherever the role is used.

The middleware marks `request.user.two_factor_passed` from the authentication records allauth keeps in
the session (a TOTP or recovery code entered at login or re-authentication records method "mfa"). The
organiser predicates in every app's rules.py grant only to a user object carrying that flag, so a
session that logged in some other way (or a user loaded outside a request) holds no organiser power.
Organisers and staff without the flag are sent to set up two-factor, or to pass it, on every page
except the account pages they need for that.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from events.rules import TWO_FACTOR_FLAG

# Reachable without two-factor: allauth's own pages (login, logout, two-factor set-up and check),
# the language switch, static files, the health probe and the device API (bearer tokens, no session).
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/api/")


def session_passed_two_factor(request) -> bool:
    """True when this session recorded a second factor for the logged-in user."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def holds_organiser_role(user) -> bool:
    return user.is_staff or user.is_superuser or user.programme_roles.exists()


def needs_mfa(user) -> bool:
    """An organiser or staff member whose session has not passed two-factor."""
    if not user.is_authenticated or getattr(user, TWO_FACTOR_FLAG, False):
        return False
    return holds_organiser_role(user)


class OrganiserMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            setattr(user, TWO_FACTOR_FLAG, session_passed_two_factor(request))
            if not request.path.startswith(EXEMPT_PREFIXES) and needs_mfa(user):
                return self._to_two_factor(request, user)
        return self.get_response(request)

    @staticmethod
    def _to_two_factor(request, user):
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        target = reverse("mfa_reauthenticate" if has_totp else "mfa_activate_totp")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
