"""Corridor's own system checks (run by `manage.py check`; the deploy ones by `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends whose entries live in one process (or one machine's disk): each worker would keep its own.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """Login lockouts (allauth's rate limits) and staged import previews are kept in the cache: with a
    per-process cache, 4 workers allow 4 times the guesses and a confirm lands on a worker that never
    saw the preview."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) is not shared between worker processes.",
            hint=(
                "Set REDIS_URL: login lockouts, rate limits and import previews live in the cache and "
                "every worker must see the same ones."
            ),
            id="corridor.E001",
        )
    ]
