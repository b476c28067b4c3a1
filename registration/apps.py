from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        # Entry fees are ticketing fee orders: mark our charges paid/refunded inside ticketing's transaction.
        from registration.services import fees
        from ticketing import hooks

        hooks.register_order_paid(fees.on_order_paid)
        hooks.register_order_refunded(fees.on_order_refunded)
