"""django-allauth's account adapter for Corridor: links in account emails (confirm the address, reset
the password, sign up) use the configured site address (SITE_URL), and an organiser who has just
logged in (after two-factor) lands on the organiser home instead of the public home page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from events.mail import site_url
from events.middleware import holds_organiser_role


@dataclass(frozen=True)
class SiteAddress:
    """What allauth's mail templates read as `current_site`, taken from SITE_URL."""

    name: str
    domain: str


def _site() -> SiteAddress:
    return SiteAddress(name="Corridor", domain=urlsplit(site_url("/")).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        if holds_organiser_role(request.user):
            return reverse("events:organiser-home")
        return super().get_login_redirect_url(request)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds these two from the request's host; the site address is the one to trust.
        context = {**context, "current_site": _site()}
        if "signup_url" in context:
            context["signup_url"] = site_url(reverse("account_signup"))
        if "password_reset_url" in context and "key" not in context:
            context["password_reset_url"] = site_url(reverse("account_reset_password"))
        super().send_mail(template_prefix, email, context)
