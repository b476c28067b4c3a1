"""Organiser staff must use two-factor authentication before they reach organiser pages or the admin."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

PROTECTED_PREFIXES = ("/admin/", "/organiser/")


def needs_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    if not (user.is_staff or user.programme_roles.exists()):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class OrganiserMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PROTECTED_PREFIXES) and needs_mfa(request.user):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
