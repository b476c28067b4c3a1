from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tourism.exchange"
    label = "exchange"
    verbose_name = _("Exchange programme")

    def ready(self) -> None:
        # Lower apps call back through their hook registries: a moved match flags itinerary
        # segments (events), an anonymised child takes its roll-call rows along (registration).
        from tourism.exchange.services import reactions  # noqa: PLC0415  AppConfig.ready() needs the app registry

        reactions.register()
        from events import hooks as events_hooks  # noqa: PLC0415  AppConfig.ready() needs the app registry
        from tourism.exchange.views import alerts_panel  # noqa: PLC0415  AppConfig.ready() needs the app registry

        # The organiser home shows the open roll-call alerts of the organiser's programmes.
        events_hooks.register_organiser_panel(alerts_panel)
        from tourism.exchange import tasks  # noqa: F401, PLC0415  task names resolve in every process
