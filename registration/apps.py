from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        # Register the Celery tasks in every process: services queue them by name (tasks are leaves).
        # Imported here, not at the top: the app registry is not ready when this module loads.
        from events import hooks as events_hooks  # noqa: PLC0415
        from registration import tasks  # noqa: F401, PLC0415
        from registration.services import accreditation, competitors, fees  # noqa: PLC0415
        from registration.views.organiser import today_panel  # noqa: PLC0415
        from ticketing import hooks  # noqa: PLC0415

        # Entry fees are ticketing fee orders: mark our charges paid/refunded inside ticketing's transaction.

        hooks.register_order_paid(fees.on_order_paid)
        hooks.register_order_refunded(fees.on_order_refunded)
        # The check-in export names badge holders: each athlete read is recorded, as on the roster.
        hooks.register_holders_read(accreditation.badges_holders_read)
        # The draws in events take their competitors from the approved entries.
        events_hooks.register_competitors_source(competitors.competitors_sync)
        # Managers hear when their athletes' matches move in a new schedule version.
        events_hooks.register_schedule_audience(competitors.schedule_audience)
        # The organiser home shows how many entries wait for review.
        events_hooks.register_organiser_panel(today_panel)
