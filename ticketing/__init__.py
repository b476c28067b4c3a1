"""Ticket types, quotas, orders, payments, signed credentials (QR/PDF) and gate check-in."""
