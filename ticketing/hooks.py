"""Callbacks for apps above ticketing: registration's entry fees when an order is paid or refunded,
and the record of who read the holders of credentials a higher app issued.

Holders read contract: `register_holders_read(callback)`, once, in the higher app's
`AppConfig.ready()` (registration records an `AthleteAccess` row per athlete whose badge is among
them). `holders_read(credential_ids=..., user=..., single=False)` is called by an export that lists
credential holders (the check-in CSV), with the ids of the credentials it lists, before it streams,
and with `single=True` by a page that shows one credential's holder (the admin's); a callback
ignores ids that are not its own and only writes rows.

Order contract:
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


HoldersRead = Callable[..., None]
_holders_read: list[HoldersRead] = []


def register_holders_read(callback: HoldersRead) -> HoldersRead:
    if callback not in _holders_read:
        _holders_read.append(callback)
    return callback


def holders_read(*, credential_ids, user, single: bool = False) -> None:
    """`single`: one credential's page (the admin's) showed its holder, rather than a list or export."""
    ids = list(credential_ids)
    if not ids:
        return
    for callback in list(_holders_read):
        callback(credential_ids=ids, user=user, single=single)
