"""Data shown in the reader's language where the stored text is one language only: a ticket's
credential carries its type's Chinese name (the gate shows it to an English-speaking steward in
English), and orders store a payment provider's identifier (shown by the provider's name)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language

from ticketing.models import TicketType
from ticketing.payments.registry import provider_label

__all__ = ["provider_label", "ticket_type_label"]

TYPE_NAMES_KEY = "ticketing:ticket-type-names-en"


def _english_type_names() -> dict[str, str]:
    """Chinese ticket-type name -> English name, cached for a minute: one statement when cold, none
    on the gate's hot path otherwise."""
    names = cache.get(TYPE_NAMES_KEY)
    if names is None:
        names = dict(TicketType.objects.exclude(name_en="").values_list("name_zh", "name_en").distinct())
        cache.set(TYPE_NAMES_KEY, names, timeout=60)
    return names


def ticket_type_label(label_zh: str) -> str:
    """A ticket credential's label (its type's Chinese name, or a masked holder's name for real-name
    tickets) in the active language; a name that is no ticket type's stays as it is."""
    if (get_language() or "zh-hans").startswith("zh") or not label_zh:
        return label_zh
    return _english_type_names().get(label_zh, label_zh)
