"""Start-up refuses bad configuration with one line naming the variable; production settings pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

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


def test_check_deploy_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgres//nohost"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "postgres:///"),
        ("REDIS_URL", "localhost:6379"),
        ("DJANGO_DEBUG", "maybe"),
    ],
)
def test_malformed_variable_stops_startup_with_one_line_naming_it(variable, value):
    result = run_manage("check", env={**PRODUCTION, variable: value})
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "CREDENTIAL_SIGNING_KEYS",
        "FIELD_ENCRYPTION_KEYS",
        "DOCUMENT_HASH_KEY",
        "REDIS_URL",
    ],
)
def test_missing_production_secret_stops_startup_naming_it(variable):
    env = {**PRODUCTION}
    env.pop(variable)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert variable in result.stderr


def test_demo_payments_are_refused_in_production():
    result = run_manage("check", env={**PRODUCTION, "PAYMENT_DEMO_ENABLED": "true"})
    assert result.returncode != 0
    assert "PAYMENT_DEMO_ENABLED" in result.stderr


def test_production_logs_are_one_json_object_per_line():
    script = "import logging; logging.getLogger('corridor.test').warning('hello %s', 'world')"
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    import json

    records = [json.loads(line) for line in result.stderr.strip().splitlines()]
    assert records[-1]["message"] == "hello world"
    assert records[-1]["level"] == "WARNING"
    assert records[-1]["logger"] == "corridor.test"


def test_production_without_a_shared_cache_says_why():
    env = {**PRODUCTION}
    env.pop("REDIS_URL")
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "every worker process must share one cache" in result.stderr


def test_deploy_check_refuses_a_per_process_cache(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    errors = run_checks(include_deployment_checks=True)
    shared = [error for error in errors if error.id == "corridor.E001"]
    assert len(shared) == 1
    assert "REDIS_URL" in shared[0].hint
    assert "import previews" in shared[0].hint

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert not [error for error in run_checks(include_deployment_checks=True) if error.id == "corridor.E001"]
