"""A production-like environment and a `manage.py` run in a fresh shell with it, for the tests that
check what start-up refuses and what a production process does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "corridor.example.org",
    "DATABASE_URL": "sqlite:////tmp/corridor-check-deploy.sqlite3",
    "CREDENTIAL_SIGNING_KEYS": "k1:" + "A" * 43 + "=",
    "FIELD_ENCRYPTION_KEYS": "Vg2Q0kq8Yp8pJw7s4bE1o3HnZ6c9Rt2LxY5aB8dF0gQ=",
    "DOCUMENT_HASH_KEY": "ab" * 32,
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # only named: check does not connect
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a fresh shell has: nothing of the test settings' environment leaks in.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
