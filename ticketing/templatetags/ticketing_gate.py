"""`{% is_gate_staff as flag %}`: whether the header offers this person the gate page (decided at
login, see `ticketing.views.gate.remember_gate_staff`, so no page pays a query for it)."""

from __future__ import annotations

from django import template

from ticketing.selectors.checkin import GATE_STAFF_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def is_gate_staff(context) -> bool:
    request = context.get("request")
    session = getattr(request, "session", None)
    return bool(
        session is not None and context["user"].is_authenticated and session.get(GATE_STAFF_SESSION_KEY)
    )
