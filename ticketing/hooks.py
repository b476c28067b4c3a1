"""Callbacks for apps above ticketing (registration's entry fees) when an order is paid or refunded.

Contract:
- `register_order_paid(callback)` / `register_order_refunded(callback)`; register once, in the
  higher app's `AppConfig.ready()`.
- A callback receives the `Order` (lines with `kind="fee"` carry the caller's `reference`). It runs
  INSIDE the transaction that marks the order paid or refunded, after the order row is updated:
  raising rolls the whole transition back. Callbacks must only write to the database; queue emails
  and other side effects with `transaction.on_commit`.
- Every registered callback sees every order; ignore orders that are not yours (check the lines).
"""

from __future__ import annotations

from collections.abc import Callable

OrderCallback = Callable[[object], None]

_paid: list[OrderCallback] = []
_refunded: list[OrderCallback] = []


def register_order_paid(callback: OrderCallback) -> OrderCallback:
    if callback not in _paid:
        _paid.append(callback)
    return callback


def register_order_refunded(callback: OrderCallback) -> OrderCallback:
    if callback not in _refunded:
        _refunded.append(callback)
    return callback


def unregister(callback: OrderCallback) -> None:
    """For tests."""
    for registry in (_paid, _refunded):
        if callback in registry:
            registry.remove(callback)


def fire_order_paid(order) -> None:
    for callback in list(_paid):
        callback(order)


def fire_order_refunded(order) -> None:
    for callback in list(_refunded):
        callback(order)
