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
        from tourism.exchange import tasks  # noqa: F401, PLC0415  task names resolve in every process
