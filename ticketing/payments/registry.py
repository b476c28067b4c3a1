"""The registry of payment providers by identifier: the one module that knows every provider."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ticketing.errors import ProviderUnavailableError
from ticketing.payments.base import Provider
from ticketing.payments.demo import DemoProvider
from ticketing.payments.free import FreeProvider
from ticketing.payments.manual import ManualProvider
from ticketing.payments.stripe import StripeProvider

_registry: dict[str, Provider] = {
    provider.identifier: provider
    for provider in (FreeProvider(), ManualProvider(), DemoProvider(), StripeProvider())
}


def get_provider(identifier: str, *, require_available: bool = True) -> Provider:
    """The provider registered as `identifier`; ProviderUnavailableError if unknown or not configured."""
    provider = _registry.get(identifier)
    if provider is None:
        raise ProviderUnavailableError(_("This payment method does not exist."))
    if require_available and not provider.is_available():
        raise ProviderUnavailableError(_("This payment method is not available here."))
    return provider


def available_providers(*, selectable_only: bool = True) -> list[Provider]:
    return [
        provider
        for provider in _registry.values()
        if provider.is_available() and (provider.selectable or not selectable_only)
    ]


def provider_label(identifier: str) -> str:
    """The provider's name in the active language (its identifier when no provider has it)."""
    provider = _registry.get(identifier)
    return str(provider.label) if provider is not None else identifier
