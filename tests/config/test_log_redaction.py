"""No link token (referee, guardian, invitation links) is written to a log: a refused link's 404 or
410 is logged by django.request with the token replaced by `[redacted]`."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from config.log_redaction import REDACTED, RedactLinkTokens, redact
from events.services.referee import referee_link_make

pytestmark = pytest.mark.django_db

TOKEN = "Sekr3tTok3n-abcDEF_123"


def _token_routes(resolver=None, namespace=""):
    """Every URL name whose pattern takes a `token` (a bearer link)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _token_routes(entry, inner)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_token_route_is_redacted():
    routes = sorted(set(_token_routes()))
    assert "events:referee" in routes and "exchange:guardian" in routes and len(routes) >= 5
    for name in routes:
        url = reverse(name, kwargs={"token": TOKEN})
        assert TOKEN not in redact(f"Not Found: {url}"), name
        assert REDACTED in redact(url)


def test_a_refused_referee_link_is_logged_without_its_token(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    forged = client.get(reverse("events:referee", kwargs={"token": TOKEN}))
    assert forged.status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(TOKEN not in r.getMessage() for r in records)
    assert TOKEN not in caplog.text and f"/referee/{REDACTED}/" in caplog.text


def test_an_expired_referee_link_is_logged_without_its_token(client, caplog):
    token = referee_link_make(
        event_id=1, resource=None, stage=_StageStub(), expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get(reverse("events:referee", kwargs={"token": token}))
    assert response.status_code == 410
    assert token not in caplog.text and "Gone" in caplog.text


def test_json_logs_print_the_attached_request_without_the_token(rf):
    request = rf.get(reverse("exchange:guardian", kwargs={"token": TOKEN}))
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (request.path,), None
    )
    record.request = request
    assert RedactLinkTokens().filter(record)
    formatter = JsonFormatter(settings.LOGGING["formatters"]["json"]["fmt"])
    line = formatter.format(record)
    assert TOKEN not in line and REDACTED in json.loads(line)["message"]
    assert record.request.path == request.path  # the handlers still get the request itself


class _StageStub:
    pk = 1
