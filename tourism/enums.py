"""Choices for the stub economy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MerchantCategory(models.TextChoices):
    RESTAURANT = "restaurant", _("Restaurant")
    HOTEL = "hotel", _("Hotel")
    SCENIC_SPOT = "scenic_spot", _("Scenic spot")
    SHOP = "shop", _("Shop")


class MerchantRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Counter staff")
