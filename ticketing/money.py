"""The one place money is formatted for people: integer fen to "¥80.00"."""

from __future__ import annotations


def format_fen(amount_fen: int | None, currency: str = "CNY") -> str:
    if amount_fen is None:
        return ""
    sign = "-" if amount_fen < 0 else ""
    yuan, fen = divmod(abs(int(amount_fen)), 100)
    symbol = "¥" if currency == "CNY" else f"{currency} "
    return f"{sign}{symbol}{yuan:,}.{fen:02d}"
