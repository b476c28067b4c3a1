"""Provider interface and registry."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ticketing.errors import ProviderUnavailableError


@dataclass(frozen=True)
class NextStep:
    """What the payment page shows after `start`.

    kind: "paid" (nothing to do), "instructions" (manual transfer), "demo" (a confirm button),
    "stripe" (mount the Payment Element with `client_secret` and `publishable_key`).
    """

    kind: str
    client_secret: str = ""
    publishable_key: str = ""


class Provider:
    identifier: str = ""
    label = ""
    description = ""
    # Whether a buyer may choose it at checkout (free is chosen automatically for zero totals).
    selectable = True

    def is_available(self) -> bool:
        return True

    def start(self, payment) -> NextStep:
        raise NotImplementedError

    def refund(self, payment, amount_fen: int) -> str:
        """Give `amount_fen` back; returns the provider's refund reference ("" when none)."""
        raise NotImplementedError


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _registry[provider.identifier] = provider
    return provider


def get_provider(identifier: str, *, require_available: bool = True) -> Provider:
    _load()
    provider = _registry.get(identifier)
    if provider is None:
        raise ProviderUnavailableError(_("This payment method does not exist."))
    if require_available and not provider.is_available():
        raise ProviderUnavailableError(_("This payment method is not available here."))
    return provider


def available_providers(*, selectable_only: bool = True) -> list[Provider]:
    _load()
    return [
        provider
        for provider in _registry.values()
        if provider.is_available() and (provider.selectable or not selectable_only)
    ]


def _load() -> None:
    # Importing a provider module registers it; importing all of them again is a no-op.
    from ticketing.payments import demo, free, manual, stripe  # noqa: F401
