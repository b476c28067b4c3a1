"""Ticket types, quotas, carts, orders, payments and tickets."""

__all__: list[str] = []
