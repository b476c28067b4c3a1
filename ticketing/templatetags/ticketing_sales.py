"""Template helpers for sales pages: `{{ amount|fen }}` formats integer fen as yuan."""

from __future__ import annotations

from django import template

from ticketing.money import format_fen

register = template.Library()


@register.filter
def fen(amount_fen, currency: str = "CNY") -> str:
    return format_fen(amount_fen, currency)
