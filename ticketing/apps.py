from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Ticketing")

    def ready(self):
        # Register the tasks (and the mail attachment builders) by name in every process: services
        # queue tasks by name (events/jobs.py). Imported here because they need the app registry.
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from ticketing import tasks  # noqa: F401, PLC0415  tasks import services: needs the app registry
        from ticketing.views.gate import remember_gate_staff  # noqa: PLC0415

        user_logged_in.connect(remember_gate_staff, dispatch_uid="ticketing.remember_gate_staff")

        from events import hooks as events_hooks  # noqa: PLC0415  as above: the app registry
        from ticketing.services.notifications import schedule_audience  # noqa: PLC0415  as above

        # Ticket holders hear when the matches of their sessions move in a new schedule version.
        events_hooks.register_schedule_audience(schedule_audience)
