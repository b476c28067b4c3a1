"""The admin's app config: Django's admin with Corridor's site (config.admin_site), loaded once apps are ready."""

from django.contrib.admin.apps import AdminConfig


class CorridorAdminConfig(AdminConfig):
    default_site = "config.admin_site.CorridorAdminSite"
