"""The admin's app config: Django's admin with Corridor's site (config.admin_site), loaded once apps are
ready. config is not an app of its own, so this config also registers Corridor's system checks."""

from django.contrib.admin.apps import AdminConfig


class CorridorAdminConfig(AdminConfig):
    default_site = "config.admin_site.CorridorAdminSite"

    def ready(self):
        super().ready()
        from config import checks  # noqa: F401 - importing registers the checks; in ready() as apps must be loaded
