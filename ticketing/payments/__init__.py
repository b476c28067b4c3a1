"""The payment-provider layer: one registry of providers by identifier, used for tickets and entry fees.

A provider knows how to start a payment (what the checkout page shows next), whether it is
available in this deployment, and how to refund. It never changes an order: the services in
ticketing/services/ (payments, orders, refunds) do, through explicit transitions.
base.py is the interface, registry.py the one module that knows every provider, policy.py the
rules for which orders may use bank transfer.

    provider = get_provider("stripe")        # ProviderUnavailableError if unknown or not configured
    step = provider.start(payment)           # NextStep for the page; may set payment.intent_id
    refund_id = provider.refund(payment, 3000)

Identifiers: "free", "manual", "demo", "stripe". Errors: PaymentRefusedError for the buyer (a
message), PaymentGatewayError when the provider fails (retry later).
"""

from __future__ import annotations

from ticketing.payments.base import NextStep, Provider
from ticketing.payments.registry import available_providers, get_provider

__all__ = ["NextStep", "Provider", "available_providers", "get_provider"]
