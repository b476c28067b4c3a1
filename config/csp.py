"""Content-Security-Policy on every response: only the app's own origin, plus Stripe's on the pages that
pay (those marked `pays=True` in config/routes.py). No inline scripts, styles or event handlers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from config.routes import ROUTES

HEADER = "Content-Security-Policy"
BASE = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def stripe_origins() -> dict[str, list[str]]:
    """What Stripe.js and its Payment Element need (Stripe's CSP guide); in tests, localstripe's origin."""
    if settings.STRIPE_API_BASE:
        parts = urlsplit(settings.STRIPE_API_BASE)
        origin = f"{parts.scheme}://{parts.netloc}"
        return {"script-src": [origin], "frame-src": [origin], "connect-src": [origin]}
    return {
        "script-src": ["https://js.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["https://api.stripe.com"],
    }


def policy(*, pays: bool = False) -> str:
    directives = {name: list(sources) for name, sources in BASE.items()}
    if pays:
        for name, sources in stripe_origins().items():
            kept = [source for source in directives[name] if source != "'none'"]
            directives[name] = kept + sources
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            match = getattr(request, "resolver_match", None)
            route = ROUTES.get(match.view_name) if match else None
            response[HEADER] = policy(pays=bool(route and route.pays))
        return response
