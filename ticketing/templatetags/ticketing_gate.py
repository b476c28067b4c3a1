"""`{% is_gate_staff user as flag %}`: whether the header offers this person the gate page."""

from __future__ import annotations

from django import template

from ticketing.selectors.checkin import has_gate_assignment

register = template.Library()


@register.simple_tag
def is_gate_staff(user) -> bool:
    return has_gate_assignment(user)
