from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Register the tasks by name in every process (services queue them by name: events/jobs.py).
        from events import tasks  # noqa: F401, PLC0415  tasks import services: needs the app registry
