"""The periodic sales job: lapse cart holds, expire unpaid orders, offer lapsed ballot places onward."""

from __future__ import annotations

from ticketing.services.ballots import ballots_offer_due
from ticketing.services.carts import holds_release_expired
from ticketing.services.orders import orders_expire_due


def sales_expire_due() -> dict[str, int]:
    """The periodic job: lapse holds, expire unpaid orders, offer lapsed ballot places to the next applicants."""
    return {
        "holds": holds_release_expired(),
        "orders": orders_expire_due(),
        "offers": ballots_offer_due(),
    }
