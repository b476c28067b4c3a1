from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "tourism"
    verbose_name = _("Tourism")

    def ready(self):
        # Imported here, not at the top: the app registry is not ready when this module loads.
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from ticketing import hooks  # noqa: PLC0415
        from tourism.services import stubs  # noqa: PLC0415
        from tourism.views.merchant_home import remember_merchant_staff  # noqa: PLC0415

        # Every paid ticket becomes a stub inside the payment's transaction; a refund voids it.
        hooks.register_order_paid(stubs.stubs_issue_for_order)
        hooks.register_order_refunded(stubs.stubs_void_for_order)
        # The header offers merchant staff their merchant home (decided once, at login).
        user_logged_in.connect(remember_merchant_staff, dispatch_uid="tourism.remember_merchant_staff")
