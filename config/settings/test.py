"""Test override: the base settings in development mode, made fast and deterministic."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("LOG_FORMAT", "text")

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
LOGGING["root"]["level"] = "WARNING"
# allauth's rate limits are covered by a dedicated test that turns them back on.
ACCOUNT_RATE_LIMITS = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# xdist workers share one Redis in CI: each worker gets its own database, counting down from the one
# REDIS_URL names (CI's /15: workers gw0 and gw1 use 15 and 14), so clearing the cache between tests
# never touches another worker's keys, nor those of a second run started with another database.
if REDIS_URL:
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _base, _slash, _db = REDIS_URL.rpartition("/")
    if not _db.isdigit():  # no database in the URL
        _base, _db = REDIS_URL.rstrip("/"), "15"
    CACHES["default"]["LOCATION"] = f"{_base}/{(int(_db) - _worker % 8) % 16}"
