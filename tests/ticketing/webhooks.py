"""Stripe webhooks in the payment tests: events signed the way Stripe signs them, and where
localstripe delivers its own events."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

WEBHOOK_SECRET = "whsec_corridor_test"
SECRET_KEY = "sk_test_corridor"


def register_webhook(base: str, url: str, *, hook_id: str = "corridor", secret: str = WEBHOOK_SECRET) -> None:
    """Tell localstripe (at base) to deliver its events to url, signed with secret."""
    body = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    urllib.request.urlopen(f"{base}/_config/webhooks/{hook_id}", data=body, timeout=5).read()  # noqa: S310


def signed_event(event_type: str, obj: dict, *, event_id: str | None = None, secret: str = WEBHOOK_SECRET):
    """A Stripe event body and its Stripe-Signature header: t=<ts>,v1=hmac_sha256(secret, "<ts>.<body>")."""
    event = {
        "id": event_id or f"evt_test_{time.monotonic_ns()}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": obj},
    }
    body = json.dumps(event)
    timestamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"
