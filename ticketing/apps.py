from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Ticketing")

    def ready(self):
        # Register the tasks (and the mail attachment builders) by name in every process: services
        # queue tasks by name (events/jobs.py). Imported here because they need the app registry.
        from ticketing import tasks  # noqa: F401, PLC0415  tasks import services: needs the app registry
