"""Content-Security-Policy: the app's own origin only, Stripe's only on the page that pays; no inline
script or handler in any template; the API docs served from our static files, not a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import EventFactory, ProgrammeMembershipFactory, login_two_factor, verified, with_totp
from tests.factories.ticketing import TicketTypeFactory, buyer
from ticketing.services.carts import cart_add
from ticketing.services.orders import order_place

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_every_page_allows_only_its_own_origin(client):
    event = EventFactory()
    organiser = with_totp(
        verified(ProgrammeMembershipFactory(programme=event.programme, user__is_staff=True).user)
    )
    pages = [
        client.get("/"),
        client.get(event.get_absolute_url()),
        client.get("/healthz"),
        client.get("/nope/"),
    ]
    login_two_factor(client, organiser)
    pages += [client.get("/organiser/"), client.get("/admin/")]
    for response in pages:
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "stripe" not in response["Content-Security-Policy"]


def test_only_the_pay_page_allows_stripe(client, settings):
    settings.STRIPE_API_BASE = ""
    user = buyer()
    cart_add(user=user, ticket_type=TicketTypeFactory(), quantity=1)
    order = order_place(user=user, provider="demo")
    client.force_login(user)
    pay = client.get(reverse("ticketing:order-pay", kwargs={"code": order.code}))
    detail = client.get(reverse("ticketing:order-detail", kwargs={"code": order.code}))

    assert directives(pay)["script-src"] == ["'self'", "https://js.stripe.com"]
    assert "https://api.stripe.com" in directives(pay)["connect-src"]
    assert directives(pay)["frame-src"] == ["https://js.stripe.com", "https://hooks.stripe.com"]
    assert "stripe" not in detail["Content-Security-Policy"]


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.IGNORECASE),
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
]


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for template in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        found += [f"{template.relative_to(ROOT)}: {p.pattern}" for p in INLINE if p.search(text)]
    for template in (ROOT / "config" / "templates").glob("**/*.html"):
        text = template.read_text()
        found += [f"{template.relative_to(ROOT)}: {p.pattern}" for p in INLINE if p.search(text)]
    assert found == []


def test_api_docs_load_swagger_ui_from_our_static_files(client):
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui.css" in page
    assert not re.search(r"https?://(cdn\.|unpkg|.*jsdelivr)", page)
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(asset), asset  # collected into STATIC_ROOT, served by WhiteNoise
