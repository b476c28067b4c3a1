"""The admin's app config: Django's admin with Corridor's site (config.admin_site), loaded once apps are
ready. config is not an app of its own, so importing this module also registers Corridor's system
checks (config/checks.py reads only settings, so it is safe to import before the apps are loaded)."""

from django.contrib.admin.apps import AdminConfig

from config import checks  # noqa: F401 - registers the checks


class CorridorAdminConfig(AdminConfig):
    default_site = "config.admin_site.CorridorAdminSite"
