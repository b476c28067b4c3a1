"""Template helpers for sales pages: `{{ amount|fen }}` formats integer fen as yuan,
`{{ ticket|ticket_number }}` the number printed on a ticket, `{{ order.provider|provider_label }}` the
payment method's name in the reader's language."""

from __future__ import annotations

from django import template

from ticketing.money import format_fen
from ticketing.selectors.credentials import ticket_number as _ticket_number
from ticketing.selectors.labels import provider_label as _provider_label

register = template.Library()


@register.filter
def fen(amount_fen, currency: str = "CNY") -> str:
    return format_fen(amount_fen, currency)


@register.filter
def ticket_number(ticket) -> str:
    return _ticket_number(ticket)


@register.filter
def provider_label(identifier: str) -> str:
    return _provider_label(identifier)
