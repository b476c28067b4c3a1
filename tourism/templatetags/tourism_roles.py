"""`{% tourism_roles as roles %}`: whether the header offers this person the merchant home
(`roles.merchant`) or the city report as a bureau viewer (`roles.report`); decided at login
(`tourism.views.merchant_home.remember_merchant_staff`), so no page pays a query for it."""

from __future__ import annotations

from django import template

from tourism.views.merchant_home import MERCHANT_SESSION_KEY, REPORT_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def tourism_roles(context) -> dict[str, bool]:
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None or not context["user"].is_authenticated:
        return {"merchant": False, "report": False}
    return {
        "merchant": bool(session.get(MERCHANT_SESSION_KEY)),
        "report": bool(session.get(REPORT_SESSION_KEY)),
    }
