"""The provider interface: what every payment provider offers. The registry is in registry.py."""

from __future__ import annotations

from dataclasses import dataclass


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
