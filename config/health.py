"""/healthz: database, migrations and (when configured) cache, as JSON for load balancers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not pending else f"{len(pending)} pending"


def _cache() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    cache.set("healthz", "1", timeout=5)
    return "ok" if cache.get("healthz") == "1" else "unreadable"


@never_cache
def healthz(request):
    checks = {}
    for name, probe in (("database", _database), ("migrations", _migrations), ("cache", _cache)):
        try:
            checks[name] = probe()
        except Exception as exc:  # a health check reports every failure, whatever its type
            logger.warning("healthz check failed", extra={"check": name, "error": str(exc)})
            checks[name] = "down"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
