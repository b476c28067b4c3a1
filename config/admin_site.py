"""The admin site: no login form of its own, and staff reach it only with two-factor passed in this session.

Django's admin login would take a password alone, without allauth's rate limits or its second step,
so /admin/login/ sends people to allauth's login (keeping `next`), the one way in.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.rules import two_factor_passed


class CorridorAdminSite(admin.AdminSite):
    site_header = _("Corridor administration")
    site_title = _("Corridor")
    index_title = _("Season administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and two_factor_passed(user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("account_login"))
