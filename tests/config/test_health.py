"""/healthz reports the database, migrations and cache, and fails loudly when one is down."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from tests.config.production import PRODUCTION, run_manage


@pytest.mark.django_db
def test_healthz_reports_every_check_ok(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "cache": "ok" if settings.REDIS_URL else "not configured",
        },
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CACHES=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == "down"
    assert body["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down():
    script = (
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='corridor.example.org', secure=True);"
        "print(r.status_code, r.content.decode())"
    )
    env = {**PRODUCTION, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing_here"}
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["checks"]["database"] == "down"
