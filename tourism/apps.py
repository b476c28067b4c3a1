from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "tourism"
    verbose_name = _("Tourism")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415  the app registry must be ready

        from tourism.views.merchant_home import remember_merchant_staff  # noqa: PLC0415  the app registry must be ready

        user_logged_in.connect(remember_merchant_staff, dispatch_uid="tourism.remember_merchant_staff")
